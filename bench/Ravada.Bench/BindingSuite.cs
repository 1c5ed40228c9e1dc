using Ravada.Core.Hypervisor;
using Ravada.Libvirt;
using Ravada.Libvirt.Broker;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>The binding suite: sets up the scratch pool, runs its three benchmarks against qemu:///system, and removes everything.</summary>
internal static class BindingSuite
{
    public static async Task<BindingSuiteReport> RunAsync(
        LibvirtHypervisor hypervisor, HypervisorInfo node, IdleGuest guest, string prefix, bool quick, CancellationToken cancellationToken)
    {
        var sizes = quick ? BenchmarkSizes.Quick : BenchmarkSizes.Full;
        var start = SuiteConditions.Begin(quick);

        using var connection = VirConnect.Open(BenchmarkRun.SystemUri);
        // The same inputs the broker builds its domain XML from, so that virsh is given the very same XML.
        var features = HostFeatures.Parse(connection.GetCapabilities(), connection.GetDomainCapabilities());

        await using var scratch = await BenchScratch.CreateAsync(hypervisor, connection, prefix, cancellationToken);
        BenchmarkRun.Progress($"Scratch pool {scratch.PoolName} in {scratch.PoolDirectory}, base volume {scratch.BaseVolumePath}");

        BenchmarkRun.Progress($"Native call overhead: {sizes.NativeCalls:N0} calls per path");
        var nativeCalls = await NativeCallBenchmark.RunAsync(hypervisor, connection, scratch, guest, sizes, cancellationToken);
        BenchmarkRun.Progress($"Clone-disk creation: {sizes.CloneRuns} runs per path");
        var cloneDisks = await CloneDiskBenchmark.RunAsync(hypervisor, scratch, sizes, cancellationToken);
        BenchmarkRun.Progress($"Define + start: {sizes.DefineStartRuns} runs per path");
        var defineStart = await DefineStartBenchmark.RunAsync(hypervisor, features, node.Accelerator, scratch, guest, sizes, cancellationToken);
        BenchmarkRun.Progress("Removing the scratch pool, volumes and domains");

        return new BindingSuiteReport([nativeCalls, cloneDisks, defineStart], start.End());
    }
}
