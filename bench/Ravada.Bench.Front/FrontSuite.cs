using System.Diagnostics;
using Ravada.Core.Nodes;

namespace Ravada.Bench.Front;

/// <summary>
/// Runs the front-end benchmarks in an order that keeps them apart: a portal with a seeded database and no rvd_back
/// for memory, the user's page, live updates and the console proxy; then a whole system with rvd_back and libvirt
/// for the click to a desktop.
/// </summary>
internal static class FrontSuite
{
    public static async Task<FrontSuiteReport> RunAsync(FrontBenchOptions options, CancellationToken cancellationToken)
    {
        var sizes = options.Quick ? FrontBenchSizes.Quick : FrontBenchSizes.Full;
        var startedAt = TimeProvider.System.GetUtcNow();
        var loadAtStart = MachineFacts.ReadLoadAverage();
        var runId = Guid.NewGuid().ToString("N")[..8];
        var sections = new List<BenchmarkSection>();

        if (options.Runs("memory") || options.Runs("page") || options.Runs("sse") || options.Runs("console") || options.Runs("flood"))
        {
            sections.AddRange(await PortalBenchmarksAsync(options, sizes, runId, cancellationToken));
        }

        if (options.Runs("click"))
        {
            Progress("2. One click to a desktop");
            await using var desktop = await DesktopBed.CreateAsync(runId, options.IdleGuest, cancellationToken);
            sections.Insert(Math.Min(1, sections.Count), await DesktopClickBenchmark.RunAsync(desktop, options, sizes, Progress, cancellationToken));
        }

        return new FrontSuiteReport(new SuiteConditions(startedAt, loadAtStart, MachineFacts.ReadLoadAverage(), options.Quick), MachineFacts.Collect(), sections);
    }

    private static async Task<List<BenchmarkSection>> PortalBenchmarksAsync(FrontBenchOptions options, FrontBenchSizes sizes, string runId, CancellationToken cancellationToken)
    {
        await using var bed = await PortalBed.CreateAsync(runId, "portal", string.Empty, string.Empty, cancellationToken);
        Progress($"seeding {sizes.Bases} bases and {sizes.Machines} machines in {bed.Directory}");
        var seed = await PortalSeed.SeedAsync(bed, sizes.Bases, sizes.Machines, cancellationToken);
        await using var heartbeat = new HeartbeatWriter(bed.Get<ISettingsStore>());

        var starting = Stopwatch.StartNew();
        await using var front = await bed.StartFrontAsync(options.RvdFront, cancellationToken);
        var startUp = starting.Elapsed;
        var sections = new List<BenchmarkSection>();
        ResidentMemory? afterStart = null;
        if (options.Runs("memory"))
        {
            Progress($"5. rvd_front's memory: a few requests, then {sizes.Idle.TotalSeconds:0} s idle");
            afterStart = await IdleMemoryBenchmark.AfterStartAsync(bed, front, sizes, cancellationToken);
        }

        if (options.Runs("page"))
        {
            Progress("1. The user's page");
            sections.Add(await UserPageBenchmark.RunAsync(bed, seed, front, sizes, cancellationToken));
        }

        if (options.Runs("sse"))
        {
            Progress($"3. Live updates to {sizes.SseClients} event streams");
            sections.Add(await SseFanOutBenchmark.RunAsync(bed, seed, front, sizes, cancellationToken));
        }

        if (options.Runs("console"))
        {
            Progress($"4. The console proxy with {sizes.ConsoleSessionsPerCore * Environment.ProcessorCount} sessions");
            sections.Add(await ConsoleProxyBenchmark.RunAsync(bed, seed, front, sizes, cancellationToken));
        }

        if (afterStart is { } idleAfterStart)
        {
            Progress($"5. rvd_front's memory: {sizes.Idle.TotalSeconds:0} s idle after the load");
            var afterLoad = await IdleMemoryBenchmark.IdleAsync(front, sizes, cancellationToken);
            sections.Add(IdleMemoryBenchmark.Section(idleAfterStart, afterLoad, startUp, sizes));
        }

        // After the memory measurements, whose "after the load" is that of sections 1, 3 and 4.
        if (options.Runs("flood"))
        {
            Progress($"6. Another user's page during a flood of bad logins from {sizes.FloodAttackers} attackers");
            sections.Add(await LoginFloodBenchmark.RunAsync(bed, seed, front, sizes, cancellationToken));
        }

        return sections;
    }

    private static void Progress(string text) =>
        Console.Error.WriteLine($"[{TimeProvider.System.GetUtcNow():HH:mm:ss}] {text}");
}
