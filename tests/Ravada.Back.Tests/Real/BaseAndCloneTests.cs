using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>Bases and instant clones through the real daemon, SQLite and QEMU.</summary>
[Collection(nameof(BackEnd))]
public sealed class BaseAndCloneTests(BackEndBed bed)
{
    [Fact]
    public async Task A_machine_created_from_an_iso_becomes_a_base_whose_images_are_read_only()
    {
        var grub = await bed.GrubBaseAsync();

        Assert.True(grub.IsBase);
        Assert.True(grub.IsPublic);
        Assert.True(grub.KeepCdrom);
        var volumes = await bed.Get<IMachineStore>().ListVolumesAsync(grub.Id);
        var image = Assert.Single(volumes, volume => volume.IsBaseImage);
        var disk = Assert.Single(volumes, volume => volume.Device == "disk" && !volume.IsBaseImage);
        Assert.Equal(image.Path, disk.BackingPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(image.Path!));
        Assert.Contains(volumes, volume => volume.Device == "cdrom" && volume.Path!.EndsWith(BackEndBed.GrubIso, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_clicks_a_base_and_gets_a_running_clone_named_after_both_then_the_same_clone_again()
    {
        var grub = await bed.GrubBaseAsync();
        var alice = await bed.UserAsync("alice");

        var first = await bed.RunOkAsync(RequestCommands.Clone, alice, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("start", true));
        var result = JsonDocument.Parse(first.Result!).RootElement;
        var clone = (await bed.Get<IMachineStore>().FindAsync(result.GetProperty("machine").GetInt64()))!;

        Assert.Equal($"{grub.Name}-alice", clone.Name);
        Assert.Equal(alice.Id, clone.OwnerId);
        Assert.Equal(grub.Id, clone.BaseId);
        Assert.Equal(MachineState.Running, clone.State);
        var displays = await bed.Get<IMachineStore>().ListDisplaysAsync(clone.Id);
        Assert.Contains(displays, display => display.Protocol == DisplayProtocol.Spice && display.Port > 0 && display.Password.Length == 20);
        Assert.Contains(displays, display => display.Protocol == DisplayProtocol.Vnc && display.Port > 0 && display.Password.Length == 8);
        Assert.Contains("\"phase\":\"cloning\"", first.Timings, StringComparison.Ordinal);
        var overlay = Assert.Single(await bed.Get<IMachineStore>().ListVolumesAsync(clone.Id), volume => volume.Device == "disk");
        Assert.Equal((await bed.Get<IMachineStore>().ListVolumesAsync(grub.Id)).Single(volume => volume.IsBaseImage).Path, overlay.BackingPath);

        var again = await bed.RunOkAsync(RequestCommands.Clone, alice, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("start", true));
        Assert.Equal(clone.Id, JsonDocument.Parse(again.Result!).RootElement.GetProperty("machine").GetInt64());
        Assert.True(JsonDocument.Parse(again.Result!).RootElement.GetProperty("reused").GetBoolean());

        await bed.RunOkAsync(RequestCommands.Remove, alice, clone.Id);
        Assert.Null(await bed.Get<IMachineStore>().FindAsync(clone.Id));
        Assert.False(File.Exists(overlay.Path));
    }

    [Fact]
    public async Task A_plain_user_may_not_name_clones_or_ask_for_several_and_a_clone_all_user_gets_them_all_unique()
    {
        var grub = await bed.GrubBaseAsync();
        var carol = await bed.UserAsync("carol");
        var dave = await bed.UserAsync("dave", admin: false, Grant.CloneAll, Grant.Remove);

        var named = await bed.RunAsync(RequestCommands.Clone, carol, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("name", bed.Name("mine")));
        Assert.Equal(RequestStatus.Failed, named.Status);
        Assert.Contains("You may not", named.Error, StringComparison.Ordinal);
        Assert.Null(await bed.Get<IMachineStore>().FindByNameAsync(bed.Name("mine")));

        var fanOut = await bed.RunOkAsync(RequestCommands.Clone, dave, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("number", 3));
        var requests = JsonDocument.Parse(fanOut.Result!).RootElement.GetProperty("requests").EnumerateArray().Select(id => id.GetInt64()).ToList();
        var names = new List<string>();
        foreach (var requestId in requests)
        {
            var done = await bed.WaitAsync(requestId);
            Assert.Equal(RequestStatus.Done, done.Status);
            names.Add(JsonDocument.Parse(done.Result!).RootElement.GetProperty("name").GetString()!);
        }

        Assert.Equal([$"{grub.Name}-dave", $"{grub.Name}-dave-2", $"{grub.Name}-dave-3"], names.Order().ToList());
        foreach (var name in names)
        {
            var machine = (await bed.Get<IMachineStore>().FindByNameAsync(name))!;
            await bed.RunOkAsync(RequestCommands.Remove, dave, machine.Id);
        }
    }

    [Fact]
    public async Task A_base_with_clones_cannot_be_removed_or_turned_back_and_removing_a_base_flattens_its_disk()
    {
        var admin = await bed.UserAsync(BackEndBed.AdminName);
        await bed.RunOkAsync(RequestCommands.Create, admin, arguments: RequestArguments.Empty
            .With("name", bed.Name("flat")).With("iso", BackEndBed.GrubIso).With("memory_mib", 192).With("disk_gib", 1));
        var machine = (await bed.Get<IMachineStore>().FindByNameAsync(bed.Name("flat")))!;
        await bed.RunOkAsync(RequestCommands.PrepareBase, admin, machine.Id, RequestArguments.Empty.With("publish", true));
        var clone = await bed.RunOkAsync(RequestCommands.Clone, admin, arguments: RequestArguments.Empty.With("base_id", machine.Id));
        var cloneId = JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64();

        var refusedRemoval = await bed.RunAsync(RequestCommands.Remove, admin, machine.Id);
        var refusedUnbase = await bed.RunAsync(RequestCommands.RemoveBase, admin, machine.Id);
        Assert.Equal(RequestStatus.Failed, refusedRemoval.Status);
        Assert.Contains("clone", refusedRemoval.Error, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.Failed, refusedUnbase.Status);
        Assert.True((await bed.Get<IMachineStore>().FindAsync(machine.Id))!.IsBase);

        await bed.RunOkAsync(RequestCommands.Remove, admin, cloneId);
        var imagePath = (await bed.Get<IMachineStore>().ListVolumesAsync(machine.Id)).Single(volume => volume.IsBaseImage).Path!;
        await bed.RunOkAsync(RequestCommands.RemoveBase, admin, machine.Id);

        var plain = (await bed.Get<IMachineStore>().FindAsync(machine.Id))!;
        Assert.False(plain.IsBase);
        var disk = Assert.Single(await bed.Get<IMachineStore>().ListVolumesAsync(machine.Id), volume => volume.Device == "disk");
        Assert.Null(disk.BackingPath);
        Assert.False(File.Exists(imagePath));
        Assert.DoesNotContain("backing file", await Processes.RunCheckedAsync("qemu-img", "info", "-U", disk.Path!), StringComparison.Ordinal);
        await bed.RunOkAsync(RequestCommands.Remove, admin, machine.Id);
    }
}
