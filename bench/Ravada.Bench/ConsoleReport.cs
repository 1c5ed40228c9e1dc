using System.Globalization;
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
            .AppendLine($"         at the start: load average {machine.LoadAverageAtStart}, {machine.OtherGuestsRunning} other guests running");
        if (report.Binding is { } binding)
        {
            AppendConditions(text, "Binding suite", binding.Conditions);
            foreach (var benchmark in binding.Benchmarks)
            {
                foreach (var group in benchmark.Groups)
                {
                    text.AppendLine()
                        .AppendLine($"{benchmark.Title} — {group.Uri} ({group.Setting})");
                    AppendTable(text, [ReportCells.Headers, .. group.Measurements.Select(measurement => ReportCells.For(benchmark, group, measurement))], "lrrrrrrrl");
                }
            }
        }

        if (report.Backend is { } backend)
        {
            AppendConditions(text, "Back-end suite", backend.Conditions);
            foreach (var section in backend.Sections)
            {
                foreach (var table in section.Tables)
                {
                    text.AppendLine()
                        .AppendLine($"{section.Title} — {table.Caption}");
                    AppendTable(text, [[.. table.Headers], .. table.Rows], table.Alignments);
                }
            }

            text.AppendLine().AppendLine("Back-end targets");
            var targets = backend.Sections.SelectMany(section => section.Targets).ToList();
            AppendTable(text, [["Target", "Measured", "Floor", "Verdict"], .. targets.Select(target => new[]
            {
                target.Target,
                target.Measured,
                target.Floor,
                target.Met ? "met" : "NOT met",
            })], "llll");
            foreach (var target in targets.Where(target => !target.Met))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  not met, {target.Target}: {target.Why}");
            }
        }

        return text.ToString();
    }

    private static void AppendConditions(StringBuilder text, string suite, SuiteConditions conditions) =>
        text.AppendLine()
            .AppendLine($"{suite}{(conditions.Quick ? " (quick run: not for publishing)" : "")}: load average at start {conditions.LoadAverageAtStart}, at end {conditions.LoadAverageAtEnd}");

    // alignments: one letter per column, 'l' for text and 'r' for numbers.
    private static void AppendTable(StringBuilder text, IReadOnlyList<string[]> rows, string alignments)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, column) => alignments[column] == 'r' ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]));
            text.Append("  ").AppendJoin("  ", cells).AppendLine();
        }
    }
}
