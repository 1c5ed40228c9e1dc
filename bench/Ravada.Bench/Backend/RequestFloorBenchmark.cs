using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data.Migrations;

namespace Ravada.Bench.Backend;

/// <summary>
/// The request floor: a no-op <c>ping</c> enqueued through <see cref="IRequestQueue"/>, as rvd_front does, timed
/// until the client sees it <c>done</c>; with the Unix-datagram wake-up, and with wake-ups lost so that only
/// rvd_back's polling finds the request. The floor is the database work alone, in one process: insert the
/// request, claim it and complete it through the same Data layer, on a database of its own.
/// </summary>
internal static class RequestFloorBenchmark
{
    /// <summary>How long the client sleeps between two reads of the request's row.</summary>
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(0.5);

    /// <summary>
    /// A pause after each woken ping, so that the next one arrives while rvd_back's workers sleep, as a user's click
    /// does. Back to back, the worker that completed a request claims the next one on its way back to sleep, without
    /// wake-up or poll.
    /// </summary>
    private static readonly TimeSpan PauseAfterWokenPing = TimeSpan.FromMilliseconds(20);

    private const double TargetMicroseconds = 10_000;
    private static readonly TimeSpan FloorLease = TimeSpan.FromSeconds(60);
    private const string FloorWorker = "rvdbench-floor:0";
    private const string PingResult = """{"pong":true}""";

    public static async Task<BackendSection> RunAsync(BenchBackEnd backEnd, BackendSizes sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backEnd);
        ArgumentNullException.ThrowIfNull(sizes);
        var pinger = await backEnd.UserAsync("pinger", cancellationToken);
        var pollInterval = TimeSpan.FromMilliseconds(backEnd.IntegerSetting("backend:poll_interval_ms"));
        var woken = new PingClient(backEnd.Get<IRequestQueue>(), pinger.Id, () => PauseAfterWokenPing);
        // A lost wake-up happens at any moment of the workers' polling cycle.
        var lost = new PingClient(
            backEnd.ClientWith(("backend:wakeup_socket", backEnd.NowhereSocket)).GetRequiredService<IRequestQueue>(),
            pinger.Id,
            () => pollInterval * Random.Shared.NextDouble());
        var floor = await FloorClient.CreateAsync(backEnd, cancellationToken);

        // Warm-up: the JIT and the connection pools of both processes.
        for (var run = 0; run < sizes.PingWarmupRuns; run++)
        {
            await woken.PingAsync(cancellationToken);
            await floor.RoundTripAsync(cancellationToken);
        }

        woken.Reset();
        var floorDurations = new List<double>(sizes.PingRuns);
        for (var run = 0; run < sizes.PingRuns; run++)
        {
            // The two paths take turns, in alternating order.
            if (run % 2 == 0)
            {
                await woken.PingAsync(cancellationToken);
                floorDurations.Add(await floor.RoundTripAsync(cancellationToken));
            }
            else
            {
                floorDurations.Add(await floor.RoundTripAsync(cancellationToken));
                await woken.PingAsync(cancellationToken);
            }
        }

        BenchmarkRun.Progress($"Request floor: {sizes.LostWakeupPingRuns} pings with wake-ups lost (each waits for rvd_back to poll)");
        await lost.PingAsync(cancellationToken);
        lost.Reset();
        for (var run = 0; run < sizes.LostWakeupPingRuns; run++)
        {
            await lost.PingAsync(cancellationToken);
        }

        var floorLatency = LatencySummary.FromMicroseconds(floorDurations);
        var wokenLatency = LatencySummary.FromMicroseconds(woken.ClientDurations);
        var lostLatency = LatencySummary.FromMicroseconds(lost.ClientDurations);
        const string WokenLabel = "ping, woken by a datagram (the default)";
        const string LostLabel = "ping, wake-ups lost (rvd_back's polling finds it)";
        var readPeriod = woken.Polling.MeanReadPeriodMicroseconds;
        var interactiveWorkers = backEnd.IntegerSetting("backend:workers_interactive");

        return new BackendSection(
            "Request floor: enqueue → done of a no-op request",
            $"""
            A `ping` request (its handler does nothing) enqueued with `IRequestQueue.EnqueueAsync` from the benchmark's
            process, as rvd_front does, and timed from the start of `EnqueueAsync` until the client reads the row as
            `done`: {sizes.PingRuns} requests one at a time, after {sizes.PingWarmupRuns} unmeasured ones, each {PauseAfterWokenPing.TotalMilliseconds:0} ms after the previous one was seen done, so
            that it arrives while rvd_back's workers sleep, as a user's click does (back to back, the worker that
            completed one request claims the next on its way back to sleep, with neither wake-up nor poll). The client reads the row, sleeps
            {ReadInterval.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms (`clock_nanosleep`: .NET's own timers tick every 4 ms on this kernel) and reads it again: one read
            every {LatencyTable.Milliseconds(readPeriod)} on average, read included, so observing adds about half that. With the wake-up (the
            default), `EnqueueAsync` sends a datagram to rvd_back's Unix socket and an idle interactive worker claims the
            request at once. With wake-ups lost, the client's `backend.wakeup_socket` names a path where nobody listens,
            as when a datagram is lost: the request waits until one of rvd_back's workers polls the queue (every
            `backend.poll_interval_ms`, {pollInterval.TotalMilliseconds:N0} ms by default, each of the {interactiveWorkers} interactive workers on its own clock);
            {sizes.LostWakeupPingRuns} requests, each after a random pause of up to one poll interval, so that they arrive at any moment of the
            workers' cycle. The floor is the same database work without a daemon, in one process through the same
            Data layer on a SQLite file of its own: `EnqueueAsync` (insert, then read back the row), then `ClaimAsync`
            (`BEGIN IMMEDIATE`, claim, read back) and `CompleteAsync`, as a worker does; it takes turns with the pings,
            in alternating order. The server-side time is `finished_at − created_at` of the row, millisecond timestamps
            written by the two processes.
            """,
            [
                new ReportTable(
                    "Client-observed, from the start of EnqueueAsync until the row reads done",
                    LatencyTable.Headers,
                    LatencyTable.Alignments,
                    [
                        LatencyTable.Row("floor: enqueue + claim + complete in one process", floorLatency, floorLatency),
                        LatencyTable.Row(WokenLabel, wokenLatency, floorLatency),
                        LatencyTable.Row(LostLabel, lostLatency, floorLatency),
                    ]),
                new ReportTable(
                    "Server side, created_at → finished_at of the row (whole milliseconds)",
                    LatencyTable.Headers,
                    LatencyTable.Alignments,
                    [
                        LatencyTable.Row(WokenLabel, LatencySummary.FromMicroseconds(woken.ServerDurations), null),
                        LatencyTable.Row(LostLabel, LatencySummary.FromMicroseconds(lost.ServerDurations), null),
                    ]),
                woken.Phases.Table("Inside rvd_back, from the rows' timings, woken"),
            ],
            [
                new TargetCheck(
                    "request floor p50 < 10 ms (enqueue → done, woken)",
                    $"p50 {LatencyTable.Milliseconds(wokenLatency.P50Microseconds)}, p95 {LatencyTable.Milliseconds(wokenLatency.P95Microseconds)}",
                    $"p50 {LatencyTable.Milliseconds(floorLatency.P50Microseconds)}, p95 {LatencyTable.Milliseconds(floorLatency.P95Microseconds)}",
                    wokenLatency.P50Microseconds < TargetMicroseconds,
                    wokenLatency.P50Microseconds < TargetMicroseconds ? ""
                    : floorLatency.P50Microseconds >= TargetMicroseconds ? $"the database work alone, without a daemon, takes {LatencyTable.Milliseconds(floorLatency.P50Microseconds)} at p50 on this machine"
                    : $"rvd_back adds {LatencyTable.Milliseconds(wokenLatency.P50Microseconds - floorLatency.P50Microseconds)} to the database work at p50; the phases inside rvd_back are in section 1"),
            ]);
    }

    /// <summary>Pings through one client and keeps what it saw.</summary>
    private sealed class PingClient(IRequestQueue queue, long userId, Func<TimeSpan> pauseAfterPing)
    {
        public RequestPolling Polling { get; private set; } = new(queue, ReadInterval);

        public List<double> ClientDurations { get; private set; } = [];

        public List<double> ServerDurations { get; private set; } = [];

        public PhaseTimings Phases { get; private set; } = new();

        /// <summary>Forgets the warm-up.</summary>
        public void Reset()
        {
            Polling = new RequestPolling(queue, ReadInterval);
            ClientDurations = [];
            ServerDurations = [];
            Phases = new PhaseTimings();
        }

        public async Task PingAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var queued = await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Ping, UserId = userId }, cancellationToken);
            var finished = await Polling.WaitUntilFinishedAsync(queued.Id, cancellationToken);
            var elapsed = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
            if (finished.Status != RequestStatus.Done || finished.FinishedAt is not { } finishedAt)
            {
                throw new BenchmarkException($"ping {finished.Id} ended {finished.Status}: {finished.Error}");
            }

            ClientDurations.Add(elapsed);
            ServerDurations.Add((finishedAt - finished.CreatedAt).TotalMicroseconds);
            Phases.Add(finished.Timings);
            await Task.Delay(pauseAfterPing(), cancellationToken);
        }
    }

    /// <summary>The floor: the queue's database work in one process, on a database nobody else uses.</summary>
    private sealed class FloorClient(IRequestQueue queue, long userId)
    {
        public static async Task<FloorClient> CreateAsync(BenchBackEnd backEnd, CancellationToken cancellationToken)
        {
            var services = backEnd.ClientWith(
                ("db:file", Path.Combine(backEnd.Directory, "floor.db")),
                ("backend:wakeup_socket", backEnd.NowhereSocket));
            await services.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(cancellationToken);
            var user = await backEnd.UserAsync(services.GetRequiredService<IUserStore>(), "pinger", isAdmin: false, cancellationToken);
            return new FloorClient(services.GetRequiredService<IRequestQueue>(), user.Id);
        }

        public async Task<double> RoundTripAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var queued = await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Ping, UserId = userId }, cancellationToken);
            var claimed = await queue.ClaimAsync(RequestClass.Interactive, FloorWorker, FloorLease, cancellationToken);
            if (claimed?.Id != queued.Id || !await queue.CompleteAsync(claimed.Id, FloorWorker, PingResult, "[]", cancellationToken))
            {
                throw new BenchmarkException($"the floor could not claim and complete its own request {queued.Id}");
            }

            return LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        }
    }
}
