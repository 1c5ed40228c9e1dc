using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;

namespace Ravada.Libvirt.Tests.Broker;

public sealed class HypervisorOnTestDriverTests
{
    private const long OneGiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task The_node_describes_itself()
    {
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);

        var info = await hypervisor.DescribeAsync(TestContext.Current.CancellationToken);

        Assert.Equal("TEST", info.Driver);
        Assert.Equal(Accelerator.Test, info.Accelerator);
        Assert.Equal(16, info.Cpus);
        Assert.True(info.LibvirtVersion >= new Version(9, 0));
    }

    [Fact]
    public async Task A_desktop_is_defined_started_paused_hibernated_resumed_and_removed_with_events_for_each_step()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await using var events = hypervisor.WatchEventsAsync(watch.Token).GetAsyncEnumerator(cancel);
        var definition = Desktops.Linux(TestDriver.UniqueName("desk"));

        var defined = await hypervisor.DefineMachineAsync(definition, cancel);
        Assert.Equal(MachineState.ShutOff, defined.State);
        Assert.Equal(definition.Id, defined.Id);
        Assert.Equal(new MachineOwnership("alice", "base-desktop", false), defined.Ownership);
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Defined);

        await hypervisor.StartAsync(definition.Id, cancel);
        await hypervisor.StartAsync(definition.Id, cancel);
        Assert.Equal(MachineState.Running, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        var started = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Started);
        Assert.Equal("booted", started.Detail);

        await hypervisor.PauseAsync(definition.Id, cancel);
        await hypervisor.PauseAsync(definition.Id, cancel);
        Assert.Equal(MachineState.Paused, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        await hypervisor.ResumeAsync(definition.Id, cancel);
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Resumed);

        await hypervisor.HibernateAsync(definition.Id, cancel);
        Assert.Equal(MachineState.Hibernated, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        var saved = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Stopped);
        Assert.Equal("saved", saved.Detail);
        await hypervisor.StartAsync(definition.Id, cancel);
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Started);
        Assert.Equal(MachineState.Running, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);

        await hypervisor.ForceOffAsync(definition.Id, cancel);
        await hypervisor.ForceOffAsync(definition.Id, cancel);
        Assert.Equal(MachineState.ShutOff, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        await hypervisor.UndefineAsync(definition.Id, cancel);
        await hypervisor.UndefineAsync(definition.Id, cancel);
        Assert.Null(await hypervisor.FindMachineAsync(definition.Id, cancel));
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Undefined);
        await watch.CancelAsync();
    }

    [Fact]
    public async Task Removing_a_running_machine_is_refused_and_leaves_it_running()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("busy"));
        await hypervisor.DefineMachineAsync(definition, cancel);
        await hypervisor.StartAsync(definition.Id, cancel);

        var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.UndefineAsync(definition.Id, cancel));

        Assert.Equal(HypervisorFailure.InvalidState, error.Kind);
        Assert.Equal(MachineState.Running, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        await hypervisor.ForceOffAsync(definition.Id, cancel);
        await hypervisor.UndefineAsync(definition.Id, cancel);
    }

    [Fact]
    public async Task A_volatile_machine_runs_at_once_and_vanishes_when_it_stops()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("vol")) with { Ownership = new MachineOwnership("bob", "base", Volatile: true) };

        var machine = await hypervisor.StartTransientMachineAsync(definition, cancel);
        Assert.Equal(MachineState.Running, machine.State);
        Assert.False(machine.IsPersistent);
        Assert.True(machine.Ownership!.Volatile);

        await hypervisor.ForceOffAsync(definition.Id, cancel);
        Assert.Null(await hypervisor.FindMachineAsync(definition.Id, cancel));
    }

    [Fact]
    public async Task Machines_are_listed_with_our_mark_only_on_ours()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("mine"));
        await hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            var machines = await hypervisor.ListMachinesAsync(cancel);

            Assert.NotNull(machines.Single(machine => machine.Id == definition.Id).Ownership);
            Assert.Null(machines.Single(machine => machine.Name == "test").Ownership);
            Assert.NotNull(await hypervisor.FindMachineByNameAsync(definition.Name, cancel));
            Assert.Null(await hypervisor.FindMachineByNameAsync("absent-machine", cancel));
        }
        finally
        {
            await hypervisor.UndefineAsync(definition.Id, cancel);
        }
    }

    [Fact]
    public async Task A_clone_disk_is_a_qcow2_overlay_backed_by_the_base_volume()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var baseVolume = await hypervisor.CreateVolumeAsync("default-pool", TestDriver.UniqueName("base") + ".qcow2", OneGiB, cancel);

        var clone = await hypervisor.CloneDiskAsync("default-pool", baseVolume.Path, TestDriver.UniqueName("clone") + ".qcow2", cancel);

        Assert.Equal(baseVolume.Path, clone.BackingPath);
        Assert.Equal("qcow2", clone.Format);
        Assert.Equal(OneGiB, clone.CapacityBytes);
        Assert.Contains(await hypervisor.ListVolumesAsync("default-pool", cancel), volume => volume.Path == clone.Path);
        Assert.Equal(clone.Path, (await hypervisor.FindVolumeAsync(clone.Path, cancel))!.Path);
        await hypervisor.DeleteVolumeAsync(clone.Path, cancel);
        await hypervisor.DeleteVolumeAsync(clone.Path, cancel);
        await hypervisor.DeleteVolumeAsync(baseVolume.Path, cancel);
        Assert.Null(await hypervisor.FindVolumeAsync(clone.Path, cancel));
    }

    [Fact]
    public async Task A_screenshot_has_the_size_written_in_its_header()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var test = await hypervisor.FindMachineByNameAsync("test", cancel);

        var screenshot = await hypervisor.TakeScreenshotAsync(test!.Id, cancel);

        Assert.Equal("image/png", screenshot.MimeType);
        Assert.True(screenshot.Width > 100);
        Assert.True(screenshot.Data.Length > 1000);
    }

    [Fact]
    public async Task Failures_carry_a_kind_that_says_what_the_caller_can_do()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var hypervisor = Hypervisors.Create(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("dup"));
        await hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            Assert.Equal(HypervisorFailure.NotFound, (await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.StartAsync(Guid.NewGuid(), cancel))).Kind);
            Assert.Equal(HypervisorFailure.AlreadyExists, (await Assert.ThrowsAsync<HypervisorException>(
                () => hypervisor.DefineMachineAsync(definition with { Id = Guid.NewGuid() }, cancel))).Kind);
            Assert.Equal(HypervisorFailure.NotFound, (await Assert.ThrowsAsync<HypervisorException>(
                () => hypervisor.CreateVolumeAsync("no-such-pool", "x.qcow2", OneGiB, cancel))).Kind);
            Assert.Equal(HypervisorFailure.Unsupported, (await Assert.ThrowsAsync<HypervisorException>(
                () => hypervisor.OpenDisplayAsync(definition.Id, DisplayProtocol.Vnc, skipAuthentication: false, cancel))).Kind);
            await Assert.ThrowsAsync<ArgumentException>(() => hypervisor.DefineMachineAsync(definition with { Name = "../etc" }, cancel));
            await Assert.ThrowsAsync<ArgumentException>(() => hypervisor.CloneDiskAsync("default-pool", "not/absolute", "x.qcow2", cancel));
        }
        finally
        {
            await hypervisor.UndefineAsync(definition.Id, cancel);
        }
    }

    [Fact]
    public async Task An_unreachable_node_is_reported_as_unavailable_which_is_transient()
    {
        await using var hypervisor = Hypervisors.Create("qemu+unix:///system?socket=/nonexistent/libvirt-sock");

        var error = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.DescribeAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HypervisorFailure.Unavailable, error.Kind);
        Assert.True(error.IsTransient);
        Assert.False(hypervisor.IsConnected);
    }
}
