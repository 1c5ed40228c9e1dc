using System.Globalization;
using System.Text;

namespace Ravada.Bench;

/// <summary>The results and the machine's description as docs/benchmarks.md.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchmarkReport report, bool quick)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder()
            .AppendLine("# Benchmarks")
            .AppendLine()
            .AppendLine("Written by `bench/run.sh` (run it as root), which installs what it needs, starts libvirtd, builds the idle")
            .AppendLine("test guest and runs `bench/Ravada.Bench`. Run it again rather than editing this file.")
            .AppendLine()
            .AppendLine("Each benchmark puts Ravada's own path (*ours*) beside the physical floor of the same machine: the same work")
            .AppendLine("done with plain C, `qemu-img` or `virsh`. The ratio ours ÷ floor is the overhead we add. A target is met when")
            .AppendLine("the ratio is within it at p50 and at p95. Each run is timed alone with a monotonic clock (`Stopwatch`,")
            .AppendLine("`CLOCK_MONOTONIC` in C); percentiles are nearest-rank.")
            .AppendLine();
        if (quick)
        {
            text.AppendLine("> **Quick run** (`--quick`): too few runs for these numbers to mean much.").AppendLine();
        }

        AppendSummary(text, report);
        AppendMachine(text, report.Machine, report.LoadAverageAtEnd);
        var number = 1;
        foreach (var benchmark in report.Benchmarks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {number++}. {benchmark.Title}")
                .AppendLine()
                .AppendLine(benchmark.Description.ReplaceLineEndings(Environment.NewLine))
                .AppendLine();
            foreach (var group in benchmark.Groups)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"On `{group.Uri}`, {group.Setting}:").AppendLine();
                AppendTable(text, ReportCells.Headers, "lrrrrrrrl", group.Measurements.Select(measurement => ReportCells.For(benchmark, group, measurement)));
                text.AppendLine();
            }
        }

        return text.ToString();
    }

    private static void AppendSummary(StringBuilder text, BenchmarkReport report)
    {
        text.AppendLine("## Summary").AppendLine();
        var rows = report.Benchmarks
            .SelectMany(benchmark => benchmark.Groups.SelectMany(group => group.Measurements
                .Where(measurement => measurement.Role == MeasurementRole.Ours)
                .Select(measurement =>
                {
                    var (p50Ratio, p95Ratio) = BenchmarkResult.Ratios(group, measurement);
                    return new[]
                    {
                        benchmark.Title,
                        $"`{group.Uri}`",
                        measurement.Label,
                        group.Floor.Label,
                        ReportCells.Ratio(p50Ratio),
                        ReportCells.Ratio(p95Ratio),
                        ReportCells.Verdict(benchmark, group, measurement),
                    };
                })));
        AppendTable(text, ["Benchmark", "On", "Ours", "Floor", "p50 ÷ floor", "p95 ÷ floor", "Target"], "llllrrl", rows);
        text.AppendLine();
    }

    private static void AppendMachine(StringBuilder text, MachineFacts machine, string loadAverageAtEnd)
    {
        text.AppendLine("## Machine").AppendLine();
        AppendTable(text, ["", ""], "ll",
        [
            ["CPU", $"{machine.CpuModel}, {machine.LogicalCpus} logical CPUs"],
            ["Memory", string.Create(CultureInfo.InvariantCulture, $"{machine.MemoryGiB:0.0} GiB")],
            ["Kernel", machine.Kernel],
            ["Operating system", machine.OperatingSystem],
            ["libvirt", machine.LibvirtVersion.ToString()],
            ["QEMU", machine.QemuVersion.ToString()],
            ["Accelerator", machine.AcceleratorReason],
            [".NET", machine.DotnetRuntime],
            ["Load average (1, 5, 15 min) at start / end", $"{machine.LoadAverageAtStart} / {loadAverageAtEnd}"],
            ["Measured", machine.MeasuredAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)],
        ]);
        text.AppendLine();
    }

    // alignments: one letter per column, 'l' for text and 'r' for numbers.
    private static void AppendTable(StringBuilder text, IReadOnlyList<string> headers, string alignments, IEnumerable<string[]> rows)
    {
        text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        text.Append('|').AppendJoin('|', alignments.Select(alignment => alignment == 'r' ? "--:" : "---")).AppendLine("|");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
        }
    }
}
