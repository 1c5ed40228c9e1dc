using System.Diagnostics;
using System.Globalization;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench.Backend;

/// <summary>
/// The burst: many users ask for their desktop at the same instant; the time until every one of them runs,
/// beside the same number of prepared domains started back to back with <c>virsh start</c>.
/// </summary>
internal static class BurstBenchmark
{
    private const double TargetRatio = 1.5;

    /// <summary>How long the client sleeps between two rounds of reads of the pending requests.</summary>
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>A pause after each part's guests are removed, so that the next part starts on a quiet machine.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    public static async Task<BackendSection> RunAsync(
        BenchBackEnd backEnd, Machine baseMachine, HostFeatures features, Accelerator accelerator, BackendSizes sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backEnd);
        ArgumentNullException.ThrowIfNull(sizes);
        var floor = await FloorDesktops.CreateAsync(backEnd, baseMachine, features, accelerator, cancellationToken);
        var repetitions = new List<(double Ours, double Floor)>();
        var phases = new PhaseTimings();
        var interactiveWorkers = backEnd.IntegerSetting("backend:workers_interactive");
        for (var repetition = 1; repetition <= sizes.BurstRepetitions; repetition++)
        {
            double ours = 0;
            double floorTotal = 0;
            // The two parts take turns going first.
            var oursFirst = repetition % 2 == 1;
            for (var turn = 0; turn < 2; turn++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (oursFirst == (turn == 0))
                {
                    BenchmarkRun.Progress($"Burst {repetition}/{sizes.BurstRepetitions}: {sizes.BurstUsers} users ask for their desktop at once");
                    ours = await BurstAsync(backEnd, baseMachine, repetition, sizes.BurstUsers, phases, cancellationToken);
                }
                else
                {
                    BenchmarkRun.Progress($"Burst {repetition}/{sizes.BurstRepetitions}: the floor starts {sizes.BurstUsers} prepared domains with virsh");
                    floorTotal = await StartPreparedAsync(floor, repetition, sizes.BurstUsers, cancellationToken);
                }

                await Task.Delay(SettleTime, cancellationToken);
            }

            repetitions.Add((ours, floorTotal));
        }

        var medianRatio = Median(repetitions.Select(repetition => repetition.Ours / repetition.Floor));
        var medianOurs = Median(repetitions.Select(repetition => repetition.Ours));
        var medianFloor = Median(repetitions.Select(repetition => repetition.Floor));
        var rows = repetitions.Select((repetition, index) => new[]
        {
            (index + 1).ToString(CultureInfo.InvariantCulture),
            LatencyTable.Seconds(repetition.Ours),
            LatencyTable.Seconds(repetition.Floor),
            ReportCells.Ratio(repetition.Ours / repetition.Floor),
        }).ToList();
        rows.Add(["median", LatencyTable.Seconds(medianOurs), LatencyTable.Seconds(medianFloor), ReportCells.Ratio(medianRatio)]);
        return new BackendSection(
            $"Burst: {sizes.BurstUsers} users at the same instant",
            $"""
            {sizes.BurstUsers} new users ask for a desktop of the base at the same instant: {sizes.BurstUsers} `clone` requests with `start` true, their
            `EnqueueAsync` calls all started together on the thread pool, timed from then until every request reads
            `done` (the client reads the pending rows every {ReportCells.Duration(ReadInterval.TotalMicroseconds, DisplayUnit.Milliseconds)}); then each clone is checked to run in libvirt.
            rvd_back runs its default {interactiveWorkers} interactive workers (`backend.workers_interactive`), so {Math.Max(0, sizes.BurstUsers - interactiveWorkers)} requests wait for a free one. The
            floor is {sizes.BurstUsers} prepared domains (overlays made with `qemu-img` and defined with `virsh define` beforehand, the same
            domain XML as in click-to-running) started back to back with `virsh start`, one process each, timed from
            the first start until the last returns. Each part's guests are removed afterwards (not timed) and the
            machine is left {SettleTime.TotalSeconds:0} s to settle; the two parts take turns going first. Every guest boots the idle
            guest's ISO once it runs, and under TCG the guests that already run take CPU from the starts that follow,
            in both parts alike. {ReportCells.Count(sizes.BurstRepetitions, "repetition")}; the verdict is on the median ratio.
            """,
            [
                new ReportTable("Time until all run", ["Repetition", "Ours: burst of clone + start", "Floor: virsh start back to back", "Ours ÷ floor"], "rrrr", rows),
                phases.Table("Inside rvd_back, from the rows' timings (queued includes the wait for a free worker)"),
            ],
            [
                new TargetCheck(
                    $"burst within {ReportCells.Ratio(TargetRatio)} of starting {sizes.BurstUsers} prepared domains with virsh",
                    $"{LatencyTable.Seconds(medianOurs)}, {ReportCells.Ratio(medianRatio)} the floor (medians of {ReportCells.Count(repetitions.Count, "repetition")})",
                    LatencyTable.Seconds(medianFloor),
                    medianRatio <= TargetRatio,
                    medianRatio <= TargetRatio ? ""
                    : $"rvd_back's `starting` phase takes {MeanPhase(phases, "starting")} on average and requests wait {MeanPhase(phases, "queued")} in the queue; see the table of phases"),
            ]);
    }

    private static async Task<double> BurstAsync(BenchBackEnd backEnd, Machine baseMachine, int repetition, int users, PhaseTimings phases, CancellationToken cancellationToken)
    {
        var queue = backEnd.Get<IRequestQueue>();
        var requests = new List<NewRequest>(users);
        for (var index = 1; index <= users; index++)
        {
            var user = await backEnd.UserAsync(string.Create(CultureInfo.InvariantCulture, $"burst{repetition}u{index:00}"), cancellationToken);
            requests.Add(new NewRequest
            {
                Command = RequestCommands.Clone,
                UserId = user.Id,
                Arguments = RequestArguments.Empty.With("base_id", baseMachine.Id).With("start", true),
            });
        }

        var start = Stopwatch.GetTimestamp();
        var queued = await Task.WhenAll(requests.Select(request => Task.Run(() => queue.EnqueueAsync(request, cancellationToken), cancellationToken)));
        var pending = queued.Select(request => request.Id).ToHashSet();
        var finished = new List<Request>(users);
        while (pending.Count > 0)
        {
            foreach (var requestId in pending.ToList())
            {
                var request = await queue.FindAsync(requestId, cancellationToken) ?? throw new BenchmarkException($"request {requestId} vanished");
                if (request.IsFinished)
                {
                    pending.Remove(requestId);
                    finished.Add(request);
                }
            }

            if (pending.Count > 0)
            {
                PreciseSleep.For(ReadInterval);
            }
        }

        var elapsed = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        var machines = backEnd.Get<IMachineStore>();
        var clones = new List<Machine>(users);
        foreach (var request in finished)
        {
            if (request.Status != RequestStatus.Done)
            {
                throw new BenchmarkException($"clone {request.Id} of the burst failed: {request.Error}\nrvd_back said:\n{backEnd.Daemon.RecentOutput}");
            }

            var clone = await machines.FindByCreatingRequestAsync(request.Id, cancellationToken) ?? throw new BenchmarkException($"clone {request.Id} recorded no machine");
            if (!BenchBackEnd.IsRunning(clone.Name))
            {
                throw new BenchmarkException($"clone {clone.Name} of the burst is done but does not run");
            }

            phases.Add(request.Timings);
            clones.Add(clone);
        }

        await Task.WhenAll(clones.Select(clone => backEnd.RunOkAsync(RequestCommands.Remove, clone.Id, RequestArguments.Empty, cancellationToken)));
        return elapsed;
    }

    private static async Task<double> StartPreparedAsync(FloorDesktops floor, int repetition, int count, CancellationToken cancellationToken)
    {
        var desktops = new List<FloorDesktop>(count);
        try
        {
            for (var index = 1; index <= count; index++)
            {
                var desktop = await floor.WriteXmlAsync(string.Create(CultureInfo.InvariantCulture, $"burst{repetition}f{index:00}"), cancellationToken);
                desktops.Add(desktop);
                await floor.CreateOverlayAsync(desktop, cancellationToken);
                await FloorDesktops.DefineAsync(desktop, cancellationToken);
            }

            var start = Stopwatch.GetTimestamp();
            foreach (var desktop in desktops)
            {
                await FloorDesktops.StartAsync(desktop, cancellationToken);
            }

            return LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        }
        finally
        {
            foreach (var desktop in desktops)
            {
                FloorDesktops.Remove(desktop);
            }
        }
    }

    private static string MeanPhase(PhaseTimings phases, string phase) =>
        phases.MeanMilliseconds(phase) is { } milliseconds ? LatencyTable.Milliseconds(milliseconds * 1000) : "nothing";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
