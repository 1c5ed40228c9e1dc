using System.Text;

namespace Ravada.Bench;

/// <summary>The results as aligned text tables for the terminal.</summary>
internal static class ConsoleReport
{
    public static string Render(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var machine = report.Machine;
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine($"Machine: {machine.CpuModel}, {machine.LogicalCpus} CPUs, {machine.MemoryGiB:0.0} GiB, {machine.OperatingSystem}, kernel {machine.Kernel}")
            .AppendLine($"         libvirt {machine.LibvirtVersion}, QEMU {machine.QemuVersion}; {machine.AcceleratorReason}")
            .AppendLine($"         load average at start {machine.LoadAverageAtStart}, at end {report.LoadAverageAtEnd}");
        foreach (var benchmark in report.Benchmarks)
        {
            foreach (var group in benchmark.Groups)
            {
                text.AppendLine()
                    .AppendLine($"{benchmark.Title} — {group.Uri} ({group.Setting})");
                var rows = group.Measurements.Select(measurement => ReportCells.For(benchmark, group, measurement)).ToList();
                AppendTable(text, [ReportCells.Headers, .. rows]);
            }
        }

        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            // The label column reads left-aligned, the numbers right-aligned.
            var cells = row.Select((cell, column) => column == 0 || column == row.Length - 1 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]));
            text.Append("  ").AppendJoin("  ", cells).AppendLine();
        }
    }
}
