using System.Globalization;

namespace Ravada.Bench;

/// <summary>The cells both reports show for a measurement, formatted the same way.</summary>
internal static class ReportCells
{
    public static readonly string[] Headers = ["Path", "Runs", "Mean", "p50", "p95", "p99", "p50 ÷ floor", "p95 ÷ floor", "Target"];

    public static string[] For(BenchmarkResult benchmark, ComparisonGroup group, Measurement measurement)
    {
        var latency = measurement.Latency;
        var (p50Ratio, p95Ratio) = BenchmarkResult.Ratios(group, measurement);
        var isFloor = measurement.Role == MeasurementRole.Floor;
        return
        [
            measurement.Label,
            latency.Runs.ToString("N0", CultureInfo.InvariantCulture),
            Duration(latency.MeanMicroseconds, benchmark.Unit),
            Duration(latency.P50Microseconds, benchmark.Unit),
            Duration(latency.P95Microseconds, benchmark.Unit),
            Duration(latency.P99Microseconds, benchmark.Unit),
            isFloor ? "floor" : Ratio(p50Ratio),
            isFloor ? "floor" : Ratio(p95Ratio),
            Verdict(benchmark, group, measurement),
        ];
    }

    public static string Verdict(BenchmarkResult benchmark, ComparisonGroup group, Measurement measurement) =>
        measurement.Role switch
        {
            MeasurementRole.Floor => "",
            MeasurementRole.Reference => "reference",
            _ => benchmark.MeetsTarget(group, measurement) switch
            {
                true => $"met (≤ {Ratio(benchmark.TargetRatio!.Value)})",
                false => $"NOT met (≤ {Ratio(benchmark.TargetRatio!.Value)})",
                null => "no target",
            },
        };

    public static string Duration(double microseconds, DisplayUnit unit) => unit switch
    {
        DisplayUnit.Microseconds => string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.0} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.0} ms"),
    };

    /// <summary>"1 round", "5 rounds".</summary>
    public static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    public static string Ratio(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}×");
}
