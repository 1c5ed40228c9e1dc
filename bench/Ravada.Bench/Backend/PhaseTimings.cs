using System.Globalization;
using System.Text.Json;

namespace Ravada.Bench.Backend;

/// <summary>
/// The phase timings rvd_back records in each request's row (<c>requests.timings</c>:
/// <c>[{"phase":"queued","ms":1.2},{"phase":"cloning","ms":14.5},…]</c>), gathered over many requests: where the
/// time goes inside the daemon. <c>queued</c> is from the row's creation to its claim (millisecond timestamps);
/// the others are timed by the worker with a monotonic clock, each until the next phase begins.
/// </summary>
internal sealed class PhaseTimings
{
    private readonly List<string> order = [];
    private readonly Dictionary<string, List<double>> milliseconds = new(StringComparer.Ordinal);
    private int requests;

    /// <summary>Adds the timings of one finished request.</summary>
    public void Add(string? timingsJson)
    {
        if (string.IsNullOrEmpty(timingsJson))
        {
            throw new BenchmarkException("a finished request has no phase timings");
        }

        requests++;
        using var document = JsonDocument.Parse(timingsJson);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var phase = entry.GetProperty("phase").GetString() ?? "";
            if (!milliseconds.TryGetValue(phase, out var values))
            {
                values = [];
                milliseconds[phase] = values;
                order.Add(phase);
            }

            values.Add(entry.GetProperty("ms").GetDouble());
        }
    }

    /// <summary>One row per phase, in the order the phases run: mean, p50 and p95 in milliseconds.</summary>
    public ReportTable Table(string caption)
    {
        var rows = order.Select(phase =>
        {
            var summary = LatencySummary.FromMicroseconds(milliseconds[phase].Select(value => value * 1000).ToList());
            return new[]
            {
                phase,
                summary.Runs.ToString("N0", CultureInfo.InvariantCulture),
                LatencyTable.Milliseconds(summary.MeanMicroseconds),
                LatencyTable.Milliseconds(summary.P50Microseconds),
                LatencyTable.Milliseconds(summary.P95Microseconds),
            };
        }).ToList();
        var total = string.Create(CultureInfo.InvariantCulture, $"{requests:N0} requests");
        return new ReportTable($"{caption} ({total})", ["Phase", "Requests", "Mean", "p50", "p95"], "lrrrr", rows);
    }

    /// <summary>The 50th or 95th percentile of one phase in microseconds; NaN when no request had it.</summary>
    public double PercentileMicroseconds(string phase, int percentile)
    {
        if (!milliseconds.TryGetValue(phase, out var values))
        {
            return double.NaN;
        }

        var summary = LatencySummary.FromMicroseconds([.. values.Select(value => value * 1000)]);
        return percentile == 50 ? summary.P50Microseconds : summary.P95Microseconds;
    }

    /// <summary>The mean of one phase in milliseconds, or null when no request had it.</summary>
    public double? MeanMilliseconds(string phase) =>
        milliseconds.TryGetValue(phase, out var values) ? values.Average() : null;
}
