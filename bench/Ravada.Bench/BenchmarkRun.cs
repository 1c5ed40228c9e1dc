using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ravada.Bench.Backend;
using Ravada.Libvirt;
using Ravada.Libvirt.Broker;

namespace Ravada.Bench;

/// <summary>Describes the machine, then runs the suites the options ask for against qemu:///system.</summary>
internal static class BenchmarkRun
{
    /// <summary>The node the benchmarks measure.</summary>
    public const string SystemUri = "qemu:///system";

    /// <summary>Runs the suites; every name they give starts with the prefix of <paramref name="run"/>.</summary>
    public static async Task<BenchmarkReport> RunAsync(BenchOptions options, RunLock run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        var guest = IdleGuest.Locate(options.IdleGuestDirectory);
        var rvdBack = options.RunsBackend ? RvdBackDaemon.Locate(options.RvdBackProgram) : null;

        await using var hypervisor = new LibvirtHypervisor(
            Options.Create(new LibvirtOptions { Uri = SystemUri }),
            new HostProbe(),
            TimeProvider.System,
            NullLogger<LibvirtHypervisor>.Instance);
        var node = await hypervisor.DescribeAsync(cancellationToken);
        var machine = MachineFacts.Collect(node, CountOtherGuestsRunning(run.Prefix));
        Progress($"{node.Driver} {node.HypervisorVersion} through libvirt {node.LibvirtVersion}; guests run with {node.Accelerator}: {node.AcceleratorReason}");
        Progress($"Run {run.Prefix}: load average {machine.LoadAverageAtStart} on {machine.LogicalCpus} CPUs, {machine.OtherGuestsRunning} other guests running");

        BindingSuiteReport? binding = null;
        if (options.RunsBinding)
        {
            Progress("Binding suite");
            WarnWhenBusy(machine);
            binding = await BindingSuite.RunAsync(hypervisor, node, guest, run.Prefix + "-binding", options.Quick, cancellationToken);
        }

        BackendSuiteReport? backend = null;
        if (rvdBack is not null)
        {
            Progress("Back-end suite");
            WarnWhenBusy(machine);
            backend = await BackendSuite.RunAsync(rvdBack, node, guest, run.Prefix + "-back", options, cancellationToken);
        }

        return new BenchmarkReport(machine, binding, backend);
    }

    /// <summary>Tells the operator what runs now, and when (UTC), so that other work on the machine can be matched against it.</summary>
    public static void Progress(string message) =>
        Console.Error.WriteLine($"==> {TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {message}");

    private static int CountOtherGuestsRunning(string prefix)
    {
        using var connection = VirConnect.Open(SystemUri);
        var running = 0;
        foreach (var domain in connection.ListAllDomains(VirConnectListAllDomainsFlags.Active))
        {
            using (domain)
            {
                running += RunObjects.Belongs(domain.GetName(), prefix) ? 0 : 1;
            }
        }

        return running;
    }

    private static void WarnWhenBusy(MachineFacts machine)
    {
        var load = MachineFacts.ReadLoadAverage();
        if (double.TryParse(load.Split(' ')[0], CultureInfo.InvariantCulture, out var oneMinute) && oneMinute > machine.LogicalCpus / 2.0)
        {
            Console.Error.WriteLine($"warning: the machine is busy (load average {load} on {machine.LogicalCpus} CPUs): the numbers will be noisy");
        }
    }
}
