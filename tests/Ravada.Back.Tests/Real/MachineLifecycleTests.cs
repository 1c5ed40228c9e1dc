using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Libvirt;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>A clone's life through the real daemon: start, stop, hibernate, restore, change, remove, and events from outside.</summary>
[Collection(nameof(BackEnd))]
public sealed class MachineLifecycleTests(BackEndBed bed)
{
    private async Task<(Machine Clone, User Owner)> CloneAsync(string owner, bool start)
    {
        var user = await bed.UserAsync(owner);
        var grub = await bed.GrubBaseAsync();
        var request = await bed.RunOkAsync(RequestCommands.Clone, user, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("start", start));
        var machineId = JsonDocument.Parse(request.Result!).RootElement.GetProperty("machine").GetInt64();
        return ((await bed.Get<IMachineStore>().FindAsync(machineId))!, user);
    }

    [Fact]
    public async Task A_machine_killed_outside_the_broker_is_recorded_as_off_by_its_event_with_a_line_in_the_log()
    {
        var (clone, owner) = await CloneAsync("erin", start: true);
        using (var connection = VirConnect.Open("qemu:///system"))
        using (var domain = connection.DomainLookupByUUID(clone.Uuid))
        {
            domain.DestroyFlags();
        }

        var off = await bed.WaitForMachineAsync(clone.Id, machine => machine.State == MachineState.ShutOff, TimeSpan.FromSeconds(30));

        Assert.Equal(MachineState.ShutOff, off.State);
        var events = await bed.Get<IMachineEventLog>().ListForMachineAsync(clone.Id, 10);
        Assert.Contains(events, line => line.Kind == "stopped" && line.Detail == "destroyed" && line.State == MachineState.ShutOff);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task A_guest_that_ignores_the_shutdown_request_is_powered_off_after_the_timeout()
    {
        var (clone, owner) = await CloneAsync("frank", start: true);

        var shutdown = await bed.RunOkAsync(RequestCommands.Shutdown, owner, clone.Id, RequestArguments.Empty.With("timeout", 2));

        Assert.True(JsonDocument.Parse(shutdown.Result!).RootElement.GetProperty("forced").GetBoolean());
        Assert.Equal(MachineState.ShutOff, (await bed.Get<IMachineStore>().FindAsync(clone.Id))!.State);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task Pause_resume_hibernate_and_start_again_each_leave_the_recorded_state_right()
    {
        var (clone, owner) = await CloneAsync("gina", start: true);
        var machines = bed.Get<IMachineStore>();

        await bed.RunOkAsync(RequestCommands.Pause, owner, clone.Id);
        Assert.Equal(MachineState.Paused, (await machines.FindAsync(clone.Id))!.State);
        await bed.RunOkAsync(RequestCommands.Resume, owner, clone.Id);
        Assert.Equal(MachineState.Running, (await machines.FindAsync(clone.Id))!.State);
        var passwordsBefore = await machines.ListDisplaysAsync(clone.Id);
        await bed.RunOkAsync(RequestCommands.Hibernate, owner, clone.Id);
        Assert.Equal(MachineState.Hibernated, (await machines.FindAsync(clone.Id))!.State);
        await bed.RunOkAsync(RequestCommands.Start, owner, clone.Id);
        Assert.Equal(MachineState.Running, (await machines.FindAsync(clone.Id))!.State);
        var passwordsAfter = await machines.ListDisplaysAsync(clone.Id);
        Assert.NotEqual(passwordsBefore.Single(display => display.Protocol == DisplayProtocol.Vnc).Password, passwordsAfter.Single(display => display.Protocol == DisplayProtocol.Vnc).Password);
        var events = await bed.Get<IMachineEventLog>().ListForMachineAsync(clone.Id, 20);
        Assert.Contains(events, line => line.Kind == "started" && line.Detail == "restored");
        await bed.RunOkAsync(RequestCommands.ForceReboot, owner, clone.Id);
        await bed.RunOkAsync(RequestCommands.ForceShutdown, owner, clone.Id);
        Assert.Equal(MachineState.ShutOff, (await machines.FindAsync(clone.Id))!.State);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task Nobody_touches_what_is_not_theirs_and_a_refused_request_changes_nothing()
    {
        var (clone, owner) = await CloneAsync("hank", start: true);
        var stranger = await bed.UserAsync("ivan");

        foreach (var command in new[] { RequestCommands.Shutdown, RequestCommands.ForceShutdown, RequestCommands.Pause, RequestCommands.Hibernate, RequestCommands.Remove, RequestCommands.Restore })
        {
            var refused = await bed.RunAsync(command, stranger, clone.Id);
            Assert.Equal(RequestStatus.Failed, refused.Status);
            Assert.StartsWith("You may not", refused.Error, StringComparison.Ordinal);
        }

        var rename = await bed.RunAsync(RequestCommands.Rename, stranger, clone.Id, RequestArguments.Empty.With("name", bed.Name("stolen")));
        Assert.Equal(RequestStatus.Failed, rename.Status);
        var after = (await bed.Get<IMachineStore>().FindAsync(clone.Id))!;
        Assert.Equal((clone.Name, MachineState.Running, owner.Id), (after.Name, after.State, after.OwnerId));
        var messages = await bed.Get<Ravada.Core.Messages.IMessageStore>().ListAsync(stranger.Id, unreadOnly: true, 20);
        Assert.Contains(messages, message => message.Body!.StartsWith("You may not", StringComparison.Ordinal));
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task Restoring_a_clone_discards_what_was_written_on_its_disk()
    {
        var (clone, owner) = await CloneAsync("jane", start: false);
        var overlay = (await bed.Get<IMachineStore>().ListVolumesAsync(clone.Id)).Single(volume => volume.Device == "disk");
        await Processes.RunCheckedAsync("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 1M", overlay.Path!);
        Assert.Contains("read 1048576/1048576", await Processes.RunCheckedAsync("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 0xab 0 1M", overlay.Path!), StringComparison.Ordinal);

        await bed.RunOkAsync(RequestCommands.Restore, owner, clone.Id);

        Assert.Contains("read 1048576/1048576", await Processes.RunCheckedAsync("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 0 0 1M", overlay.Path!), StringComparison.Ordinal);
        Assert.Contains($"backing file: {overlay.BackingPath}", await Processes.RunCheckedAsync("qemu-img", "info", "-U", overlay.Path!), StringComparison.Ordinal);
        Assert.Equal(MachineState.ShutOff, (await bed.Get<IMachineStore>().FindAsync(clone.Id))!.State);
        await bed.RunOkAsync(RequestCommands.Start, owner, clone.Id);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task Name_memory_cpus_disks_and_cdrom_of_a_clone_can_be_changed_by_its_owner()
    {
        var (clone, owner) = await CloneAsync("kim", start: false);
        var machines = bed.Get<IMachineStore>();

        var renamed = bed.Name("kims-desk");
        await bed.RunOkAsync(RequestCommands.Rename, owner, clone.Id, RequestArguments.Empty.With("name", renamed));
        Assert.Equal(renamed, (await machines.FindAsync(clone.Id))!.Name);

        await bed.RunOkAsync(RequestCommands.ChangeHardware, owner, clone.Id, RequestArguments.Empty.With("memory_mib", 384).With("vcpus", 2));
        var changed = (await machines.FindAsync(clone.Id))!;
        Assert.Equal((384L, 2), (changed.MemoryMiB, changed.VirtualCpus));

        var added = await bed.RunOkAsync(RequestCommands.AddDisk, owner, clone.Id, RequestArguments.Empty.With("size_gib", 1));
        var target = JsonDocument.Parse(added.Result!).RootElement.GetProperty("target").GetString()!;
        var data = (await machines.ListVolumesAsync(clone.Id)).Single(volume => volume.Target == target);
        Assert.True(File.Exists(data.Path));

        await bed.RunOkAsync(RequestCommands.SetCdrom, owner, clone.Id);
        Assert.Contains(await machines.ListVolumesAsync(clone.Id), volume => volume.Device == "cdrom" && volume.Path is null);
        await bed.RunOkAsync(RequestCommands.SetCdrom, owner, clone.Id, RequestArguments.Empty.With("iso", BackEndBed.IdleIso));
        Assert.Contains(await machines.ListVolumesAsync(clone.Id), volume => volume.Device == "cdrom" && volume.Path!.EndsWith(BackEndBed.IdleIso, StringComparison.Ordinal));

        var badIso = await bed.RunAsync(RequestCommands.SetCdrom, owner, clone.Id, RequestArguments.Empty.With("iso", "../../etc/shadow"));
        Assert.Equal(RequestStatus.Failed, badIso.Status);

        await bed.RunOkAsync(RequestCommands.RemoveDisk, owner, clone.Id, RequestArguments.Empty.With("target", target));
        Assert.False(File.Exists(data.Path));
        var lastDisk = await bed.RunAsync(RequestCommands.RemoveDisk, owner, clone.Id, RequestArguments.Empty.With("target", "vda"));
        Assert.Equal(RequestStatus.Failed, lastDisk.Status);

        await bed.RunOkAsync(RequestCommands.Start, owner, clone.Id);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task A_screenshot_of_a_running_clone_is_stored_as_a_small_thumbnail()
    {
        var (clone, owner) = await CloneAsync("lou", start: true);

        var taken = await bed.RunOkAsync(RequestCommands.Screenshot, owner, clone.Id);

        Assert.True(JsonDocument.Parse(taken.Result!).RootElement.GetProperty("taken").GetBoolean());
        var thumbnail = (await bed.Get<IMachineStore>().GetThumbnailAsync(clone.Id))!;
        Assert.Equal(("image/webp", 320), (thumbnail.MimeType, thumbnail.Width));
        Assert.Equal("RIFF"u8.ToArray(), thumbnail.Image[..4]);
        Assert.True(thumbnail.Image.Length < 64 * 1024);
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task A_guest_that_died_while_libvirtd_was_down_is_repaired_by_the_reconcile_after_the_reconnection()
    {
        var (clone, owner) = await CloneAsync("mia", start: true);
        var qemuPid = (await File.ReadAllTextAsync($"/run/libvirt/qemu/{clone.Name}.pid")).Trim();

        await LibvirtDaemon.StopAsync();
        await Processes.RunCheckedAsync("kill", "-KILL", qemuPid);
        await LibvirtDaemon.StartAsync();

        var repaired = await bed.WaitForMachineAsync(clone.Id, machine => machine.State == MachineState.ShutOff, TimeSpan.FromSeconds(60));
        Assert.Equal(MachineState.ShutOff, repaired.State);
        var events = await bed.Get<IMachineEventLog>().ListForMachineAsync(clone.Id, 20);
        Assert.Contains(events, line => line.State == MachineState.ShutOff && line.Kind is "state-repaired" or "stopped");
        await bed.RunOkAsync(RequestCommands.Remove, owner, clone.Id);
    }

    [Fact]
    public async Task A_volatile_clone_vanishes_with_its_disk_when_it_stops()
    {
        var admin = await bed.UserAsync(BackEndBed.AdminName);
        var grub = await bed.GrubBaseAsync();
        var request = await bed.RunOkAsync(RequestCommands.Clone, admin, arguments: RequestArguments.Empty
            .With("base_id", grub.Id).With("name", bed.Name("fleeting")).With("volatile", true));
        var machineId = JsonDocument.Parse(request.Result!).RootElement.GetProperty("machine").GetInt64();
        var clone = (await bed.Get<IMachineStore>().FindAsync(machineId))!;
        var overlay = (await bed.Get<IMachineStore>().ListVolumesAsync(clone.Id)).Single(volume => volume.Device == "disk");
        Assert.True(clone.IsVolatile);
        Assert.Equal(MachineState.Running, clone.State);

        await bed.RunOkAsync(RequestCommands.ForceShutdown, admin, clone.Id);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (await bed.Get<IMachineStore>().FindAsync(clone.Id) is not null && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Null(await bed.Get<IMachineStore>().FindAsync(clone.Id));
        Assert.False(File.Exists(overlay.Path));
    }
}
