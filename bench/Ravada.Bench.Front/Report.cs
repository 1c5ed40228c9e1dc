using System.Globalization;

namespace Ravada.Bench.Front;

/// <summary>One line of the summary: what was measured, the result, the target and whether it is met (null: no target).</summary>
internal sealed record SummaryRow(string Measure, string Result, string Target, bool? Met);

/// <summary>A table of details under a benchmark's description.</summary>
internal sealed record DetailTable(string Caption, IReadOnlyList<string> Headers, string Alignments, IReadOnlyList<string[]> Rows);

/// <summary>What one benchmark produced.</summary>
internal sealed record BenchmarkSection(string Title, string Description, IReadOnlyList<SummaryRow> Summary, IReadOnlyList<DetailTable> Tables);

/// <summary>How busy the machine was while the suite ran.</summary>
internal sealed record SuiteConditions(DateTimeOffset StartedAt, string LoadAverageAtStart, string LoadAverageAtEnd, bool Quick);

/// <summary>Everything the front-end suite produced.</summary>
internal sealed record FrontSuiteReport(SuiteConditions Conditions, MachineFacts Machine, IReadOnlyList<BenchmarkSection> Sections);

/// <summary>Numbers as the report writes them.</summary>
internal static class Cells
{
    public static string Ms(double milliseconds) => milliseconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:0} µs"),
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.00} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.00} s"),
    };

    public static string SignedMs(double milliseconds) => milliseconds < 0 ? "−" + Ms(-milliseconds) : "+" + Ms(milliseconds);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string MB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string[] Latencies(string label, LatencySummary summary) =>
        [label, Count(summary.Count), Ms(summary.Mean), Ms(summary.P50), Ms(summary.P95), Ms(summary.P99), Ms(summary.Max)];

    public static readonly string[] LatencyHeaders = ["", "Runs", "Mean", "p50", "p95", "p99", "Max"];

    public const string LatencyAlignments = "lrrrrrr";
}
