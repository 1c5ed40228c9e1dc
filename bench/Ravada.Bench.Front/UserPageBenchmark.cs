using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Ravada.Bench.Front;

/// <summary>
/// 1. GET / for a logged-in user, one request at a time over a kept-alive loopback connection, with the
/// database seeded: the server's own time from its <c>Server-Timing</c> header and the client's time until
/// the last byte.
/// </summary>
internal static partial class UserPageBenchmark
{
    public const string Title = "The user's page";
    private const double TargetP95Ms = 50;

    public static async Task<BenchmarkSection> RunAsync(PortalBed bed, SeededPortal seed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        var summary = new List<SummaryRow>();
        var cpuPerPage = new List<(string Label, double Milliseconds)>();
        foreach (var (label, user) in new[]
        {
            ($"{seed.Typical.Name} (5 machines, 2 running)", seed.Typical.Name),
            ($"{seed.Heavy.Name} ({seed.Machines / 10} machines, a third running)", seed.Heavy.Name),
        })
        {
            using var session = new PortalSession(bed.BaseAddress);
            await session.LoginAsync(user, PortalSeed.Password, cancellationToken);
            var pageBytes = 0;
            for (var run = 0; run < sizes.PageWarmup; run++)
            {
                pageBytes = (await MeasureAsync(session, cancellationToken)).Bytes;
            }

            var server = new List<double>(sizes.PageRuns);
            var client = new List<double>(sizes.PageRuns);
            var cpuBefore = front.CpuTime();
            for (var run = 0; run < sizes.PageRuns; run++)
            {
                var (serverMs, clientMs, _) = await MeasureAsync(session, cancellationToken);
                server.Add(serverMs);
                client.Add(clientMs);
            }

            cpuPerPage.Add((label, (front.CpuTime() - cpuBefore).TotalMilliseconds / sizes.PageRuns));

            var serverSummary = LatencySummary.Of(server);
            var clientSummary = LatencySummary.Of(client);
            rows.Add(Cells.Latencies($"{label}: server (Server-Timing)", serverSummary));
            rows.Add(Cells.Latencies($"{label}: client, to the last byte", clientSummary));
            summary.Add(new SummaryRow(
                $"GET / as {label}: server time p50 / p95",
                $"{Cells.Ms(serverSummary.P50)} / {Cells.Ms(serverSummary.P95)}",
                $"p95 < {TargetP95Ms:0} ms",
                serverSummary.P95 < TargetP95Ms));
            rows[^1][0] += string.Create(CultureInfo.InvariantCulture, $" ({pageBytes / 1024.0:0} KiB)");
        }

        var description = $"""
            The database holds {Cells.Count(seed.Bases)} public bases and {Cells.Count(seed.Machines)} clones of them (a third running, each with a
            SPICE and a VNC display) owned by {Cells.Count(seed.Users - 2)} students (five each) and a teacher ({Cells.Count(seed.Machines / 10)}), each clone
            made by a finished `clone` request, all written through the Data layer's stores as rvd_back writes them; no
            thumbnails (the page only reads their times; browsers fetch the pictures separately). A user logs in through the
            login form, then asks for `/` one request at a time on a kept-alive loopback connection: {Cells.Count(sizes.PageWarmup)} unmeasured
            requests, then {Cells.Count(sizes.PageRuns)} measured. The page lists every base the user may clone (all {Cells.Count(seed.Bases)}) and the
            user's own machines with their state, actions and latest request. *Server* is the `Server-Timing: app;dur=…`
            header rvd_front adds to every answer (from the first middleware until the headers go out, which for a Razor
            page is after the whole page is rendered); *client* is measured here until the last byte of the body, on
            loopback. rvd_back is not running; the benchmark writes its heartbeat so that the page looks as usual.
            rvd_front's own CPU time (from /proc) per measured page, which the machine's other load does not inflate as much
            as it inflates waiting: {string.Join("; ", cpuPerPage.Select(entry => $"{entry.Label}: {Cells.Ms(entry.Milliseconds)}"))}.
            """;
        return new BenchmarkSection(Title, description, summary,
            [new DetailTable("GET /, per request", Cells.LatencyHeaders, Cells.LatencyAlignments, rows)]);
    }

    public static async Task<(double ServerMs, double ClientMs, int Bytes)> MeasureAsync(PortalSession session, CancellationToken cancellationToken)
    {
        var started = Elapsed.Now();
        using var response = await session.Http.GetAsync(new Uri("/", UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        var clientMs = Elapsed.MillisecondsSince(started);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchmarkException($"GET / answered {(int)response.StatusCode}");
        }

        var bytes = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).Length;
        return (ServerTiming(response), clientMs, bytes);
    }

    /// <summary>The <c>dur</c> of the <c>app</c> metric of a <c>Server-Timing</c> header, in milliseconds.</summary>
    public static double ServerTiming(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(',', values) : string.Empty;
        var match = AppDuration().Match(header);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new BenchmarkException($"rvd_front sent no Server-Timing app;dur=… header (got '{header}')");
    }

    [GeneratedRegex(@"\bapp;dur=([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex AppDuration();
}
