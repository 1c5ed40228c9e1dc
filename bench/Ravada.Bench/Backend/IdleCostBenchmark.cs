using System.Diagnostics;
using System.Globalization;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;

namespace Ravada.Bench.Backend;

/// <summary>
/// The idle cost: with many machines defined (clones of the base, not started), rvd_back is left alone for
/// minutes; then its resident memory and the CPU time it used over the last minutes are read from /proc.
/// </summary>
internal static class IdleCostBenchmark
{
    private const long TargetResidentBytes = 150_000_000;
    private const double TargetCpuPercent = 1.0;
    private const int TargetIdleMinutes = 10;
    private static readonly TimeSpan LongestWindow = TimeSpan.FromMinutes(5);

    public static async Task<BackendSection> RunAsync(BenchBackEnd backEnd, Machine baseMachine, BackendSizes sizes, int idleMinutes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backEnd);
        ArgumentNullException.ThrowIfNull(baseMachine);
        ArgumentNullException.ThrowIfNull(sizes);
        var defining = Stopwatch.StartNew();
        await DefineClonesAsync(backEnd, baseMachine, sizes.IdleMachines, cancellationToken);
        defining.Stop();
        var defined = (await backEnd.Get<IMachineStore>().ListAsync(cancellationToken)).Count(machine => !machine.IsBase);
        var (domainsDefined, domainsRunning) = backEnd.CountDomains();

        var idle = TimeSpan.FromMinutes(idleMinutes);
        var window = idle < LongestWindow ? idle : LongestWindow;
        var clockTicks = await ProcessUsage.ClockTicksPerSecondAsync(cancellationToken);
        var processId = backEnd.Daemon.ProcessId;
        var libvirtdId = ProcessUsage.FindByName("libvirtd") ?? throw new BenchmarkException("libvirtd does not run");
        var idleStartedAt = TimeProvider.System.GetUtcNow();
        var idleStart = Stopwatch.GetTimestamp();
        var atStart = ProcessUsage.Read(processId);
        BenchmarkRun.Progress($"Idle cost: {defined} machines defined in {defining.Elapsed.TotalSeconds:0.0} s; rvd_back {processId} idles for {idleMinutes} min, measured over the last {window.TotalMinutes:0} min");
        await Task.Delay(idle - window, cancellationToken);
        var windowStart = Stopwatch.GetTimestamp();
        var atWindowStart = ProcessUsage.Read(processId);
        var libvirtdAtWindowStart = ProcessUsage.Read(libvirtdId);
        await Task.Delay(window, cancellationToken);
        var atEnd = ProcessUsage.Read(processId);
        var libvirtdAtEnd = ProcessUsage.Read(libvirtdId);
        var windowSeconds = Stopwatch.GetElapsedTime(windowStart).TotalSeconds;

        var cpuPercent = CpuPercent(atWindowStart, atEnd, clockTicks, windowSeconds);
        var wholeCpuPercent = CpuPercent(atStart, atEnd, clockTicks, Stopwatch.GetElapsedTime(idleStart).TotalSeconds);
        var libvirtdCpuPercent = CpuPercent(libvirtdAtWindowStart, libvirtdAtEnd, clockTicks, windowSeconds);
        var residentBytes = atEnd.ResidentKiB * 1024;
        var queuedMeanwhile = (await backEnd.Get<IRequestQueue>().ListAsync(new RequestFilter(Limit: 1_000), cancellationToken))
            .Where(request => request.CreatedAt >= idleStartedAt)
            .GroupBy(request => request.Command, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {group.Key}"))
            .ToList();
        var screenshots = backEnd.IntegerSetting("backend:screenshot_interval_seconds");
        var pollInterval = backEnd.IntegerSetting("backend:poll_interval_ms");
        var workers = backEnd.IntegerSetting("backend:workers_interactive") + backEnd.IntegerSetting("backend:workers_disk") + backEnd.IntegerSetting("backend:workers_maintenance");
        var pollsPerSecond = workers * 1000.0 / pollInterval;
        var heartbeat = BackendHeartbeat.Interval.TotalSeconds;
        var shortened = idleMinutes == TargetIdleMinutes ? "" : $", after {ReportCells.Count(idleMinutes, "minute")} idle, not the target's {TargetIdleMinutes}";

        return new BackendSection(
            $"Idle cost: {defined} machines defined, {ReportCells.Count(idleMinutes, "minute")} idle",
            $"""
            {defined} machines defined: clones of the base for as many users, made with `clone` requests without `start`
            ({defining.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s for all, not part of the measurement); libvirt then holds {domainsDefined} domains of this back end (the base
            and its clones), {domainsRunning} running.
            Then rvd_back (the process that ran every benchmark above) is left alone for {ReportCells.Count(idleMinutes, "minute")}: the benchmark only
            sleeps. Resident memory is `VmRSS` of /proc/PID/status at the end: `RssAnon` of it is the process's own memory,
            `RssFile` the program, runtime and libraries mapped from files, `RssShmem` shared memory (.NET maps the code
            its JIT writes twice, writable and executable, through it); `VmHWM` is the peak over the process's life.
            CPU is `utime + stime` of /proc/PID/stat over the last {ReportCells.Count((int)window.TotalMinutes, "minute")}, as a percentage of one CPU. rvd_back runs
            with the defaults of /etc/ravada.conf except paths: its {workers} request workers each look at the queue every
            {pollInterval:N0} ms when no wake-up comes (a claim and a look for scheduled requests: {pollsPerSecond:0.#} of each per second),
            it writes its heartbeat every {heartbeat:0.#} s, its housekeeping timer checks leases and timeouts, and screenshots are
            {(screenshots == 0 ? "off (`backend.screenshot_interval_seconds` 0)" : $"on, every {screenshots} s (`backend.screenshot_interval_seconds`), but only running machines are screenshot and none runs")}. Requests queued while it
            idled: {(queuedMeanwhile.Count == 0 ? "none" : string.Join(", ", queuedMeanwhile))}. There is no floor for an idle cost (a process that
            sleeps uses no CPU); libvirtd, which holds the same domains, is shown for scale over the same minutes. It is
            shared with the other work on the machine, whose guests it also serves.
            """,
            [
                new ReportTable(
                    "After the idle period",
                    ["Measure", "rvd_back", "libvirtd (for scale)"],
                    "lrr",
                    [
                        ["Resident memory (VmRSS) at the end", Memory(atEnd.ResidentKiB), Memory(libvirtdAtEnd.ResidentKiB)],
                        ["… of which the process's own (RssAnon)", Memory(atEnd.AnonymousKiB), Memory(libvirtdAtEnd.AnonymousKiB)],
                        ["… of which mapped files (RssFile)", Memory(atEnd.FileKiB), Memory(libvirtdAtEnd.FileKiB)],
                        ["… of which shared memory (RssShmem)", Memory(atEnd.SharedKiB), Memory(libvirtdAtEnd.SharedKiB)],
                        ["Resident memory when the idle period began", Memory(atStart.ResidentKiB), ""],
                        ["Peak resident memory (VmHWM)", Memory(atEnd.PeakResidentKiB), Memory(libvirtdAtEnd.PeakResidentKiB)],
                        ["Threads", atEnd.Threads.ToString(CultureInfo.InvariantCulture), libvirtdAtEnd.Threads.ToString(CultureInfo.InvariantCulture)],
                        [$"CPU over the last {ReportCells.Count((int)window.TotalMinutes, "minute")}", Percent(cpuPercent), Percent(libvirtdCpuPercent)],
                        [$"CPU over the whole {ReportCells.Count(idleMinutes, "minute")}", Percent(wholeCpuPercent), ""],
                    ]),
            ],
            [
                new TargetCheck(
                    "idle RSS < 150 MB",
                    Memory(atEnd.ResidentKiB) + shortened,
                    $"none; libvirtd {Memory(libvirtdAtEnd.ResidentKiB)}",
                    residentBytes < TargetResidentBytes,
                    residentBytes < TargetResidentBytes ? ""
                    : $"{Memory(atEnd.AnonymousKiB)} of it is rvd_back's own memory (the .NET heap, stacks of {atEnd.Threads} threads), {Memory(atEnd.FileKiB)} the runtime and libraries mapped from files and {Memory(atEnd.SharedKiB)} shared memory (the JIT's code)"),
                new TargetCheck(
                    "idle CPU < 1 %",
                    Percent(cpuPercent) + shortened,
                    $"none; libvirtd {Percent(libvirtdCpuPercent)}",
                    cpuPercent < TargetCpuPercent,
                    cpuPercent < TargetCpuPercent ? ""
                    : $"idle, rvd_back still claims and looks for scheduled requests {pollsPerSecond:0.#} times a second each ({workers} workers every {pollInterval:N0} ms) and writes a heartbeat every {heartbeat:0.#} s"),
            ]);
    }

    private static async Task DefineClonesAsync(BenchBackEnd backEnd, Machine baseMachine, int count, CancellationToken cancellationToken)
    {
        var queue = backEnd.Get<IRequestQueue>();
        var queued = new List<long>(count);
        for (var index = 1; index <= count; index++)
        {
            var user = await backEnd.UserAsync(string.Create(CultureInfo.InvariantCulture, $"idle{index:000}"), cancellationToken);
            var request = await queue.EnqueueAsync(
                new NewRequest { Command = RequestCommands.Clone, UserId = user.Id, Arguments = RequestArguments.Empty.With("base_id", baseMachine.Id) },
                cancellationToken);
            queued.Add(request.Id);
        }

        foreach (var requestId in queued)
        {
            await backEnd.WaitUntilDoneAsync(requestId, cancellationToken);
        }
    }

    private static double CpuPercent(ProcessUsage from, ProcessUsage to, int clockTicksPerSecond, double seconds) =>
        (to.CpuTicks - from.CpuTicks) * 100.0 / clockTicksPerSecond / seconds;

    private static string Memory(long kibibytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{kibibytes / 1024.0:0.0} MiB ({kibibytes * 1024 / 1_000_000.0:0.0} MB)");

    private static string Percent(double percent) => string.Create(CultureInfo.InvariantCulture, $"{percent:0.00} %");
}
