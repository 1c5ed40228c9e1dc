using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.TestSupport;

namespace Ravada.Libvirt.Tests.Real;

/// <summary>libvirtd restarts (upgrades, crashes) must not take the broker down with them.</summary>
[Collection(nameof(QemuSystem))]
public sealed class LibvirtdRestartTests(QemuSystemFixture bed)
{
    [Fact]
    public async Task A_libvirtd_restart_fires_the_close_callback_then_the_broker_reconnects_and_events_flow_again()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await using var events = hypervisor.WatchEventsAsync(watch.Token).GetAsyncEnumerator(cancel);
        await hypervisor.DescribeAsync(cancel);
        var survivor = bed.IdleDesktop(bed.UniqueName("survivor"));
        await hypervisor.DefineMachineAsync(survivor, cancel);
        await hypervisor.StartAsync(survivor.Id, cancel);

        using var native = VirConnect.Open(QemuSystemFixture.Uri);
        var closed = new TaskCompletionSource<VirConnectCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        native.RegisterCloseCallback(reason => closed.TrySetResult(reason));

        await LibvirtDaemon.RestartAsync();

        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), cancel);
        Assert.Contains(reason, new[] { VirConnectCloseReason.Eof, VirConnectCloseReason.Error, VirConnectCloseReason.KeepAlive });
        await Hypervisors.WaitForAsync<HypervisorDisconnectedEvent>(events, _ => true);
        await Hypervisors.WaitForAsync<HypervisorReconnectedEvent>(events, _ => true);
        bed.ReopenConnection();

        Assert.Equal(MachineState.Running, (await hypervisor.FindMachineAsync(survivor.Id, cancel))!.State);
        var probe = bed.IdleDesktop(bed.UniqueName("after"));
        await hypervisor.DefineMachineAsync(probe, cancel);
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == probe.Id && e.Transition == MachineTransition.Defined);
        await hypervisor.ForceOffAsync(survivor.Id, cancel);
        await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == survivor.Id && e.Transition == MachineTransition.Stopped);

        await hypervisor.UndefineAsync(probe.Id, cancel);
        await hypervisor.UndefineAsync(survivor.Id, cancel);
        await watch.CancelAsync();
    }
}
