using System.Globalization;

namespace Ravada.Bench.Backend;

/// <summary>Rows of latencies beside a floor, formatted as the binding suite formats them.</summary>
internal static class LatencyTable
{
    public static readonly string[] Headers = ["Path", "Runs", "Mean", "p50", "p95", "p99", "p50 ÷ floor", "p95 ÷ floor"];

    public const string Alignments = "lrrrrrrr";

    /// <summary>A row for <paramref name="latency"/>; the ratio cells read "floor" for the floor itself and stay empty without one.</summary>
    public static string[] Row(string label, LatencySummary latency, LatencySummary? floor, DisplayUnit unit = DisplayUnit.Milliseconds)
    {
        ArgumentNullException.ThrowIfNull(latency);
        var isFloor = ReferenceEquals(latency, floor);
        return
        [
            label,
            latency.Runs.ToString("N0", CultureInfo.InvariantCulture),
            ReportCells.Duration(latency.MeanMicroseconds, unit),
            ReportCells.Duration(latency.P50Microseconds, unit),
            ReportCells.Duration(latency.P95Microseconds, unit),
            ReportCells.Duration(latency.P99Microseconds, unit),
            floor is null ? "" : isFloor ? "floor" : ReportCells.Ratio(latency.P50Microseconds / floor.P50Microseconds),
            floor is null ? "" : isFloor ? "floor" : ReportCells.Ratio(latency.P95Microseconds / floor.P95Microseconds),
        ];
    }

    /// <summary>Milliseconds with one decimal: <c>12.3 ms</c>.</summary>
    public static string Milliseconds(double microseconds) => ReportCells.Duration(microseconds, DisplayUnit.Milliseconds);

    /// <summary>Seconds with two decimals: <c>1.23 s</c>.</summary>
    public static string Seconds(double microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:0.00} s");
}
