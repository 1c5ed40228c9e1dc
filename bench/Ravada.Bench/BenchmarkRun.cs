using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ravada.Libvirt;
using Ravada.Libvirt.Broker;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>Sets up the scratch pool, runs the three benchmarks against qemu:///system, and removes everything.</summary>
internal static class BenchmarkRun
{
    /// <summary>The node the benchmarks measure.</summary>
    public const string SystemUri = "qemu:///system";

    public static async Task<BenchmarkReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var guest = IdleGuest.Locate(options.IdleGuestDirectory);
        var sizes = options.Quick ? BenchmarkSizes.Quick : BenchmarkSizes.Full;

        await using var hypervisor = new LibvirtHypervisor(
            Options.Create(new LibvirtOptions { Uri = SystemUri }),
            new HostProbe(),
            TimeProvider.System,
            NullLogger<LibvirtHypervisor>.Instance);
        var node = await hypervisor.DescribeAsync(cancellationToken);
        var machine = MachineFacts.Collect(node, TimeProvider.System);
        Progress($"{node.Driver} {node.HypervisorVersion} through libvirt {node.LibvirtVersion}; guests run with {node.Accelerator}: {node.AcceleratorReason}");
        WarnWhenBusy(machine);

        using var connection = VirConnect.Open(SystemUri);
        // The same inputs the broker builds its domain XML from, so that virsh is given the very same XML.
        var features = HostFeatures.Parse(connection.GetCapabilities(), connection.GetDomainCapabilities());

        using var scratch = await BenchScratch.CreateAsync(hypervisor, connection, cancellationToken);
        Progress($"Scratch pool {scratch.PoolName} in {scratch.PoolDirectory}, base volume {scratch.BaseVolumePath}");

        Progress($"Native call overhead: {sizes.NativeCalls:N0} calls per path");
        var nativeCalls = await NativeCallBenchmark.RunAsync(hypervisor, connection, scratch, guest, sizes, cancellationToken);
        Progress($"Clone-disk creation: {sizes.CloneRuns} runs per path");
        var cloneDisks = await CloneDiskBenchmark.RunAsync(hypervisor, scratch, sizes, cancellationToken);
        Progress($"Define + start: {sizes.DefineStartRuns} runs per path");
        var defineStart = await DefineStartBenchmark.RunAsync(hypervisor, features, node.Accelerator, scratch, guest, sizes, cancellationToken);
        Progress("Removing the scratch pool, volumes and domains");

        return new BenchmarkReport(machine, [nativeCalls, cloneDisks, defineStart], MachineFacts.ReadLoadAverage());
    }

    private static void WarnWhenBusy(MachineFacts machine)
    {
        var oneMinute = machine.LoadAverageAtStart.Split(' ')[0];
        if (double.TryParse(oneMinute, System.Globalization.CultureInfo.InvariantCulture, out var load) && load > machine.LogicalCpus / 2.0)
        {
            Console.Error.WriteLine($"warning: the machine is busy (load average {machine.LoadAverageAtStart} on {machine.LogicalCpus} CPUs): the numbers will be noisy");
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"==> {message}");
}
