using System.Diagnostics;

namespace Ravada.Bench;

/// <summary>Mean and percentiles of repeated runs of one operation, in microseconds.</summary>
/// <param name="Runs">How many runs were measured.</param>
/// <param name="MeanMicroseconds">Arithmetic mean.</param>
/// <param name="P50Microseconds">Median (nearest rank).</param>
/// <param name="P95Microseconds">95th percentile (nearest rank).</param>
/// <param name="P99Microseconds">99th percentile (nearest rank).</param>
internal sealed record LatencySummary(int Runs, double MeanMicroseconds, double P50Microseconds, double P95Microseconds, double P99Microseconds)
{
    /// <summary>Summarizes durations given in microseconds.</summary>
    public static LatencySummary FromMicroseconds(IReadOnlyCollection<double> durations)
    {
        if (durations.Count == 0)
        {
            throw new ArgumentException("No durations to summarize.", nameof(durations));
        }

        var sorted = durations.Order().ToArray();
        return new LatencySummary(sorted.Length, sorted.Average(), NearestRank(sorted, 50), NearestRank(sorted, 95), NearestRank(sorted, 99));
    }

    /// <summary>The microseconds between two <see cref="Stopwatch.GetTimestamp"/> readings, at the timer's full resolution.</summary>
    public static double MicrosecondsBetween(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1_000_000.0 / Stopwatch.Frequency;

    private static double NearestRank(double[] sorted, int percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
