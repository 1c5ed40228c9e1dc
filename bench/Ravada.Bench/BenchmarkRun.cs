using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ravada.Bench.Backend;
using Ravada.Libvirt.Broker;

namespace Ravada.Bench;

/// <summary>Describes the machine, then runs the suites the options ask for against qemu:///system.</summary>
internal static class BenchmarkRun
{
    /// <summary>The node the benchmarks measure.</summary>
    public const string SystemUri = "qemu:///system";

    public static async Task<BenchmarkReport> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var guest = IdleGuest.Locate(options.IdleGuestDirectory);
        var rvdBack = options.RunsBackend ? RvdBackDaemon.Locate(options.RvdBackProgram) : null;

        await using var hypervisor = new LibvirtHypervisor(
            Options.Create(new LibvirtOptions { Uri = SystemUri }),
            new HostProbe(),
            TimeProvider.System,
            NullLogger<LibvirtHypervisor>.Instance);
        var node = await hypervisor.DescribeAsync(cancellationToken);
        var machine = MachineFacts.Collect(node);
        Progress($"{node.Driver} {node.HypervisorVersion} through libvirt {node.LibvirtVersion}; guests run with {node.Accelerator}: {node.AcceleratorReason}");

        BindingSuiteReport? binding = null;
        if (options.RunsBinding)
        {
            Progress("Binding suite");
            WarnWhenBusy(machine);
            binding = await BindingSuite.RunAsync(hypervisor, node, guest, options.Quick, cancellationToken);
        }

        BackendSuiteReport? backend = null;
        if (rvdBack is not null)
        {
            Progress("Back-end suite");
            WarnWhenBusy(machine);
            backend = await BackendSuite.RunAsync(rvdBack, node, guest, options, cancellationToken);
        }

        return new BenchmarkReport(machine, binding, backend);
    }

    /// <summary>Tells the operator what runs now, and when (UTC), so that other work on the machine can be matched against it.</summary>
    public static void Progress(string message) =>
        Console.Error.WriteLine($"==> {TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {message}");

    private static void WarnWhenBusy(MachineFacts machine)
    {
        var load = MachineFacts.ReadLoadAverage();
        if (double.TryParse(load.Split(' ')[0], CultureInfo.InvariantCulture, out var oneMinute) && oneMinute > machine.LogicalCpus / 2.0)
        {
            Console.Error.WriteLine($"warning: the machine is busy (load average {load} on {machine.LogicalCpus} CPUs): the numbers will be noisy");
        }
    }
}
