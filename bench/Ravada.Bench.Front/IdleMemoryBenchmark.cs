using System.Globalization;
using System.Net;

namespace Ravada.Bench.Front;

/// <summary>5. rvd_front's resident memory when idle: after start-up and a few requests, then after the load of the other benchmarks.</summary>
internal static class IdleMemoryBenchmark
{
    public const string Title = "rvd_front's memory when idle";
    private const long TargetBytes = 150_000_000;

    /// <summary>Start-up, a login, a few pages and an event stream, then <see cref="FrontBenchSizes.Idle"/> of nothing.</summary>
    public static async Task<long> AfterStartAsync(PortalBed bed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
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
    public static async Task<long> IdleAsync(DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        await Task.Delay(sizes.Idle, cancellationToken);
        return front.ResidentBytes();
    }

    public static BenchmarkSection Section(long afterStart, long afterLoad, TimeSpan startUp, FrontBenchSizes sizes)
    {
        var description = string.Create(CultureInfo.InvariantCulture, $"""
            The resident set size (`VmRSS` in /proc/PID/status) of the rvd_front process, on the database of section 1. *After
            start-up*: a fresh process (it listened {Cells.Ms(startUp.TotalMilliseconds)} after `dotnet rvd_front.dll` was started), one login, five
            user pages and one event stream, then {sizes.Idle.TotalSeconds:0} s without a request. *After the load*: the process that served
            sections 1, 3 and 4 (thousands of pages, hundreds of event streams and console sessions, all closed by then),
            after another {sizes.Idle.TotalSeconds:0} s without a request. rvd_front runs with .NET's defaults for ASP.NET Core: the server
            garbage collector with dynamic adaptation (DATAS), so the heap shrinks back when the load is gone.
            """);
        return new BenchmarkSection(Title, description,
            [
                new SummaryRow("rvd_front resident memory, idle after start-up", Cells.MB(afterStart), "< 150 MB", afterStart < TargetBytes),
                new SummaryRow("rvd_front resident memory, idle after the load of sections 1, 3 and 4", Cells.MB(afterLoad), "< 150 MB", afterLoad < TargetBytes),
            ],
            []);
    }
}
