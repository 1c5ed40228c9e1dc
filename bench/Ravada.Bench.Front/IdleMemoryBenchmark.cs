using System.Globalization;
using System.Net;

namespace Ravada.Bench.Front;

/// <summary>5. rvd_front's resident memory when idle: after start-up and a few requests, then after the load of the other benchmarks.</summary>
internal static class IdleMemoryBenchmark
{
    public const string Title = "rvd_front's memory when idle";
    private const long TargetBytes = 150_000_000;

    /// <summary>Start-up, a login, a few pages and an event stream, then <see cref="FrontBenchSizes.Idle"/> of nothing.</summary>
    public static async Task<ResidentMemory> AfterStartAsync(PortalBed bed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        using var session = new PortalSession(bed.BaseAddress);
        await session.LoginAsync(PortalSeed.TypicalName, PortalSeed.Password, cancellationToken);
        for (var page = 0; page < 5; page++)
        {
            using var response = await session.Http.GetAsync(new Uri("/", UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new BenchmarkException($"GET / answered {(int)response.StatusCode}");
            }
        }

        using (var events = await session.Http.GetAsync(new Uri("/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        {
            await using var body = await events.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(cancellationToken) is { } line && line != "event: machines")
            {
                // Read until the first fragment of the user's machines.
            }
        }

        return await IdleAsync(front, sizes, cancellationToken);
    }

    /// <summary>Waits <see cref="FrontBenchSizes.Idle"/> without a request and reads the resident set size.</summary>
    public static async Task<ResidentMemory> IdleAsync(DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        var cpuBefore = front.CpuTime();
        await Task.Delay(sizes.Idle, cancellationToken);
        IdleCpuShare = (front.CpuTime() - cpuBefore) / sizes.Idle;
        return front.Memory();
    }

    /// <summary>The share of one core rvd_front used during the last idle wait (its live feed's polling).</summary>
    public static double IdleCpuShare { get; private set; }

    public static BenchmarkSection Section(ResidentMemory afterStart, ResidentMemory afterLoad, TimeSpan startUp, FrontBenchSizes sizes)
    {
        var description = string.Create(CultureInfo.InvariantCulture, $"""
            The resident set size (`VmRSS` in /proc/PID/status) of the rvd_front process, on the database of section 1. *After
            start-up*: a fresh process (it listened {Cells.Ms(startUp.TotalMilliseconds)} after `dotnet rvd_front.dll` was started), one login, five
            user pages and one event stream, then {sizes.Idle.TotalSeconds:0} s without a request. *After the load*: the process that served
            sections 1, 3 and 4 (thousands of pages, hundreds of event streams and console sessions, all closed by then),
            after another {sizes.Idle.TotalSeconds:0} s without a request. The target is the first. rvd_front runs with .NET's defaults for
            ASP.NET Core (server garbage collector with dynamic adaptation, DATAS). An idle process does not collect, so what
            the load left behind stays resident until the next collection; the second row has no target and shows how much.
            Most of the resident set is not the portal's own: `RssFile` is the mapped .NET runtime and ASP.NET Core
            assemblies, shared with every other .NET process on the host, and `RssShmem` is .NET's generated code, mapped
            twice (write xor execute). While idle after the load, rvd_front used {IdleCpuShare * 100:0.0} % of one core (from /proc): its
            live feed reads the database ten times a second whether or not anyone is connected.
            """);
        string[] Row(string when, ResidentMemory memory) => [when, Cells.MB(memory.Total), Cells.MB(memory.Anonymous), Cells.MB(memory.Files), Cells.MB(memory.Shared)];
        return new BenchmarkSection(Title, description,
            [
                new SummaryRow("rvd_front resident memory (VmRSS), idle after start-up", Cells.MB(afterStart.Total), "< 150 MB", afterStart.Total < TargetBytes),
                new SummaryRow("rvd_front resident memory (VmRSS), idle after the load of sections 1, 3 and 4", Cells.MB(afterLoad.Total), "", null),
            ],
            [
                new DetailTable("Resident memory of rvd_front (/proc/PID/status)", ["", "VmRSS", "RssAnon", "RssFile", "RssShmem"], "lrrrr",
                [
                    Row("Idle after start-up", afterStart),
                    Row("Idle after the load", afterLoad),
                ]),
            ]);
    }
}
