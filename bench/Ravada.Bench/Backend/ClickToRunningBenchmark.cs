using System.Globalization;
using System.Diagnostics;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench.Backend;

/// <summary>
/// Click-to-running: a new user's <c>clone</c> of the base with <c>start</c>, timed from the enqueue until the
/// request is done (the clone runs and its displays are recorded) and until its display port is in the database;
/// beside the floor of <c>qemu-img create -b</c> + <c>virsh define</c> + <c>virsh start</c> + <c>virsh domdisplay</c>
/// with the same domain XML.
/// </summary>
internal static class ClickToRunningBenchmark
{
    /// <summary>How long the client sleeps between two rounds of reads.</summary>
    private static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(1);

    public static async Task<BackendSection> RunAsync(
        BenchBackEnd backEnd, Machine baseMachine, HostFeatures features, Accelerator accelerator, BackendSizes sizes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backEnd);
        ArgumentNullException.ThrowIfNull(baseMachine);
        ArgumentNullException.ThrowIfNull(sizes);
        var floor = await FloorDesktops.CreateAsync(backEnd, baseMachine, features, accelerator, cancellationToken);
        var untilDone = new List<double>(sizes.ClickRuns);
        var untilPort = new List<double>(sizes.ClickRuns);
        var phases = new PhaseTimings();
        var floorTotal = new List<double>(sizes.ClickRuns);
        var floorSteps = new FloorSteps(sizes.ClickRuns);

        for (var round = -sizes.ClickWarmupRuns; round < sizes.ClickRuns; round++)
        {
            var index = round + sizes.ClickWarmupRuns;
            var measured = round >= 0;
            for (var turn = 0; turn < 2; turn++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The two paths take turns, in alternating order.
                if ((index % 2 == 0) == (turn == 0))
                {
                    var click = await ClickAsync(backEnd, baseMachine, $"click{index:000}", cancellationToken);
                    if (measured)
                    {
                        untilDone.Add(click.UntilDone);
                        untilPort.Add(click.UntilPort);
                        phases.Add(click.Timings);
                    }
                }
                else
                {
                    var desktop = await floor.WriteXmlAsync($"floor{index:000}", cancellationToken);
                    var steps = await FloorAsync(floor, desktop, cancellationToken);
                    FloorDesktops.Remove(desktop);
                    if (measured)
                    {
                        floorTotal.Add(steps.Sum());
                        floorSteps.Add(steps);
                    }
                }
            }
        }

        var floorLatency = LatencySummary.FromMicroseconds(floorTotal);
        var doneLatency = LatencySummary.FromMicroseconds(untilDone);
        var portLatency = LatencySummary.FromMicroseconds(untilPort);
        return new BackendSection(
            "Click-to-running: clone + start of a base",
            $"""
            A base made as an administrator makes one: `create` from the idle guest's ISO with a 1 GiB qcow2 disk
            (`disk_gib` 1, 192 MiB, 1 vCPU), then `prepare_base` with `with_cd` true, so that its clones boot the ISO (GRUB,
            then Debian's kernel and a busybox initramfs that idles). Then {sizes.ClickRuns} times, after {ReportCells.Count(sizes.ClickWarmupRuns, "unmeasured round")}:
            a new user asks for a desktop: a `clone` request with `base_id` and `start` true, enqueued through
            `IRequestQueue`, timed from the start of `EnqueueAsync` until the row reads `done` (rvd_back completes it once
            the clone runs and its displays, with their ports, are recorded) and until the display port is in the
            database (`machine_displays`); the client reads both every {ReportCells.Duration(ReadInterval.TotalMicroseconds, DisplayUnit.Milliseconds)} (`clock_nanosleep`). The clone
            is removed with a `remove` request after each run (not timed). The floor, taking turns with it in
            alternating order, times `qemu-img create -f qcow2 -F qcow2 -b BASEIMAGE` + `virsh define` + `virsh start`
            + `virsh domdisplay`, four processes, with the domain XML the broker gives a clone (built with
            `DesktopDomainXml.Build`, written before the clock starts); each floor desktop is removed after its run.
            {(accelerator == Accelerator.Tcg
                ? "Guests run under TCG here (see Accelerator in the Machine section): QEMU emulates the CPU, which makes starting QEMU itself slower than under KVM, for both paths alike."
                : $"Guests run under {accelerator}.")} The guest's boot is not included in either: a domain runs once QEMU has
            started its vCPUs. rvd_back's `starting` phase is `MachineOperations.StartAsync`: it reads the domain, sets fresh
            display passwords, starts it and reads back its display ports.
            """,
            [
                new ReportTable(
                    "Client-observed, from the start of EnqueueAsync",
                    LatencyTable.Headers,
                    LatencyTable.Alignments,
                    [
                        LatencyTable.Row("floor: qemu-img create + virsh define + start + domdisplay", floorLatency, floorLatency),
                        LatencyTable.Row("clone + start: display port in the database", portLatency, floorLatency),
                        LatencyTable.Row("clone + start: request done", doneLatency, floorLatency),
                    ]),
                phases.Table("Inside rvd_back, from the rows' timings"),
                floorSteps.Table(),
            ],
            [
                Check("click-to-running p50 < 0.5 s (until done)", 50, doneLatency, floorLatency, 500_000, phases, floorSteps, accelerator),
                Check("click-to-running p95 < 1 s (until done)", 95, doneLatency, floorLatency, 1_000_000, phases, floorSteps, accelerator),
            ]);
    }

    private static TargetCheck Check(
        string target, int percentile, LatencySummary ours, LatencySummary floor, double targetMicroseconds, PhaseTimings phases, FloorSteps floorSteps, Accelerator accelerator)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"p{percentile}");
        var oursValue = percentile == 50 ? ours.P50Microseconds : ours.P95Microseconds;
        var floorValue = percentile == 50 ? floor.P50Microseconds : floor.P95Microseconds;
        var met = oursValue < targetMicroseconds;
        var starts = $"rvd_back's `starting` phase takes {LatencyTable.Milliseconds(phases.PercentileMicroseconds("starting", percentile))} at {name}, `virsh start` {LatencyTable.Milliseconds(floorSteps.PercentileMicroseconds(FloorSteps.StartStep, percentile))}";
        var machine = accelerator == Accelerator.Tcg ? "QEMU starting a guest under TCG, on 2 CPUs shared with other work" : "QEMU starting a guest";
        var why = met ? ""
            : floorValue >= targetMicroseconds
                ? $"the floor alone, plain qemu-img and virsh without a broker, takes {LatencyTable.Seconds(floorValue)} at {name}, above the target: most of it is `virsh start`, {machine}; {(oursValue > floorValue ? $"rvd_back adds {LatencyTable.Seconds(oursValue - floorValue)} on top" : "rvd_back adds nothing measurable on top")} ({starts})"
                : $"rvd_back takes {LatencyTable.Seconds(oursValue - floorValue)} more than the floor at {name} ({starts})";
        return new TargetCheck(target, $"{name} {LatencyTable.Seconds(oursValue)}", $"{name} {LatencyTable.Seconds(floorValue)}", met, why);
    }

    /// <summary>A new user's clone with start, timed; the clone is removed afterwards (not timed).</summary>
    private static async Task<ClickResult> ClickAsync(BenchBackEnd backEnd, Machine baseMachine, string userName, CancellationToken cancellationToken)
    {
        var user = await backEnd.UserAsync(userName, cancellationToken);
        var queue = backEnd.Get<IRequestQueue>();
        var machines = backEnd.Get<IMachineStore>();

        var start = Stopwatch.GetTimestamp();
        var queued = await queue.EnqueueAsync(
            new NewRequest { Command = RequestCommands.Clone, UserId = user.Id, Arguments = RequestArguments.Empty.With("base_id", baseMachine.Id).With("start", true) },
            cancellationToken);
        Machine? clone = null;
        double? untilPort = null;
        Request request;
        while (true)
        {
            clone ??= await machines.FindByCreatingRequestAsync(queued.Id, cancellationToken);
            if (clone is not null && untilPort is null && await HasDisplayPortAsync(machines, clone.Id, cancellationToken))
            {
                untilPort = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
            }

            request = await queue.FindAsync(queued.Id, cancellationToken) ?? throw new BenchmarkException($"request {queued.Id} vanished");
            if (request.IsFinished)
            {
                break;
            }

            PreciseSleep.For(ReadInterval);
        }

        var untilDone = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        if (request.Status != RequestStatus.Done)
        {
            throw new BenchmarkException($"clone {request.Id} for {userName} failed: {request.Error}\nrvd_back said:\n{backEnd.Daemon.RecentOutput}");
        }

        clone ??= await machines.FindByCreatingRequestAsync(queued.Id, cancellationToken) ?? throw new BenchmarkException($"clone {request.Id} recorded no machine");
        // The ports were recorded before the request was completed: at the latest, they were there when it read done.
        if (untilPort is null && await HasDisplayPortAsync(machines, clone.Id, cancellationToken))
        {
            untilPort = untilDone;
        }

        if (untilPort is null || !BenchBackEnd.IsRunning(clone.Name))
        {
            throw new BenchmarkException($"clone {clone.Name} is done but {(untilPort is null ? "has no display port" : "does not run")}");
        }

        await backEnd.RunOkAsync(RequestCommands.Remove, clone.Id, RequestArguments.Empty, cancellationToken);
        return new ClickResult(untilDone, untilPort.Value, request.Timings);
    }

    private static async Task<bool> HasDisplayPortAsync(IMachineStore machines, long machineId, CancellationToken cancellationToken) =>
        (await machines.ListDisplaysAsync(machineId, cancellationToken)).Any(display => display.Port > 0);

    /// <summary>The four floor steps, each timed: qemu-img, define, start, domdisplay.</summary>
    private static async Task<double[]> FloorAsync(FloorDesktops floor, FloorDesktop desktop, CancellationToken cancellationToken)
    {
        var steps = new double[FloorSteps.Names.Length];
        var start = Stopwatch.GetTimestamp();
        await floor.CreateOverlayAsync(desktop, cancellationToken);
        steps[0] = Lap(ref start);
        await FloorDesktops.DefineAsync(desktop, cancellationToken);
        steps[1] = Lap(ref start);
        await FloorDesktops.StartAsync(desktop, cancellationToken);
        steps[FloorSteps.StartStep] = Lap(ref start);
        await FloorDesktops.DisplayAsync(desktop, cancellationToken);
        steps[3] = Lap(ref start);
        return steps;
    }

    private static double Lap(ref long start)
    {
        var now = Stopwatch.GetTimestamp();
        var elapsed = LatencySummary.MicrosecondsBetween(start, now);
        start = now;
        return elapsed;
    }

    private sealed record ClickResult(double UntilDone, double UntilPort, string? Timings);

    /// <summary>The floor's steps over its runs.</summary>
    private sealed class FloorSteps(int runs)
    {
        public const int StartStep = 2;

        public static readonly string[] Names = ["qemu-img create -b", "virsh define", "virsh start", "virsh domdisplay"];

        private readonly List<double>[] durations = [.. Names.Select(_ => new List<double>(runs))];

        public void Add(double[] steps)
        {
            for (var step = 0; step < steps.Length; step++)
            {
                durations[step].Add(steps[step]);
            }
        }

        public double PercentileMicroseconds(int step, int percentile)
        {
            var summary = LatencySummary.FromMicroseconds(durations[step]);
            return percentile == 50 ? summary.P50Microseconds : summary.P95Microseconds;
        }

        public ReportTable Table() => new(
            "The floor's steps, each a process",
            ["Step", "Runs", "Mean", "p50", "p95"],
            "lrrrr",
            [.. Names.Select((name, step) =>
            {
                var summary = LatencySummary.FromMicroseconds(durations[step]);
                return new[]
                {
                    name,
                    summary.Runs.ToString("N0", CultureInfo.InvariantCulture),
                    LatencyTable.Milliseconds(summary.MeanMicroseconds),
                    LatencyTable.Milliseconds(summary.P50Microseconds),
                    LatencyTable.Milliseconds(summary.P95Microseconds),
                };
            })]);
    }
}
