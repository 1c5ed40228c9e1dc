using Ravada.Core.Hypervisor;

namespace Ravada.Bench.Backend;

/// <summary>
/// The back-end suite: stands up a back end of its own with the real rvd_back process, runs the four
/// benchmarks of issue 3 against it, and removes everything.
/// </summary>
internal static class BackendSuite
{
    public static async Task<BackendSuiteReport> RunAsync(
        string rvdBackProgram, HypervisorInfo node, IdleGuest guest, string prefix, BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        var sizes = options.Quick ? BackendSizes.Quick : BackendSizes.Full;
        var start = SuiteConditions.Begin(options.Quick);

        await using var backEnd = await BenchBackEnd.StartAsync(rvdBackProgram, guest, prefix, cancellationToken);
        BenchmarkRun.Progress($"Back end {backEnd.Prefix} in {backEnd.Directory}: rvd_back {backEnd.Daemon.ProcessId} ({rvdBackProgram}) runs");

        BenchmarkRun.Progress($"Request floor: {sizes.PingRuns} pings with wake-ups, {sizes.PingRuns} floor round trips");
        var requestFloor = await RequestFloorBenchmark.RunAsync(backEnd, sizes, cancellationToken);

        BenchmarkRun.Progress("Making the base: create from the idle guest's ISO with a 1 GiB disk, prepare_base with_cd");
        var baseMachine = await backEnd.MakeBaseAsync("idle", cancellationToken);
        var features = BenchBackEnd.ReadHostFeatures();

        BenchmarkRun.Progress($"Click-to-running: {sizes.ClickRuns} clone + start runs and as many floor runs");
        var clickToRunning = await ClickToRunningBenchmark.RunAsync(backEnd, baseMachine, features, node.Accelerator, sizes, cancellationToken);

        var burst = await BurstBenchmark.RunAsync(backEnd, baseMachine, features, node.Accelerator, sizes, cancellationToken);

        BenchmarkRun.Progress($"Idle cost: defining {sizes.IdleMachines} clones");
        var idleCost = await IdleCostBenchmark.RunAsync(backEnd, baseMachine, sizes, options.IdleMinutes, cancellationToken);

        BenchmarkRun.Progress("Stopping rvd_back; removing the back end's domains, volumes, pool, network and files");
        return new BackendSuiteReport([requestFloor, clickToRunning, burst, idleCost], backEnd.ConfigText, start.End());
    }
}
