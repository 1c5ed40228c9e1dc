using System.Globalization;
using System.Text;

namespace Ravada.Bench.Front;

/// <summary>
/// The front-end suite's block of docs/benchmarks.md, between <c>&lt;!-- suite:front --&gt;</c> and
/// <c>&lt;!-- /suite:front --&gt;</c>. Writing it replaces only that block (or appends it when the file has none)
/// and keeps every other byte of the file, so the other suites' blocks stay as they were.
/// </summary>
internal static class MarkdownBlock
{
    public const string Opening = "<!-- suite:front -->";
    public const string Closing = "<!-- /suite:front -->";

    /// <summary><paramref name="document"/> with the front-end block replaced by (or appended as) <paramref name="block"/>.</summary>
    public static string Replace(string? document, string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var wrapped = $"{Opening}\n{block.TrimEnd('\n')}\n\n{Closing}";
        if (string.IsNullOrEmpty(document))
        {
            return "# Benchmarks\n\n" + wrapped + "\n";
        }

        var start = document.IndexOf(Opening, StringComparison.Ordinal);
        var end = start < 0 ? -1 : document.IndexOf(Closing, start, StringComparison.Ordinal);
        return end < 0
            ? document.TrimEnd('\n') + "\n\n" + wrapped + "\n"
            : string.Concat(document.AsSpan(0, start), wrapped, document.AsSpan(end + Closing.Length));
    }

    /// <summary>The block's Markdown for a run.</summary>
    public static string Render(FrontSuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var conditions = report.Conditions;
        var text = new StringBuilder()
            .AppendLine("## Front-end suite: rvd_front, the portal")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture,
                $"`sudo bench/run.sh --suite front` (`bench/Ravada.Bench.Front`), measured {conditions.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} on {report.Machine}.")
            .AppendLine(CultureInfo.InvariantCulture,
                $"Load average (1, 5, 15 min) at the start {conditions.LoadAverageAtStart}, at the end {conditions.LoadAverageAtEnd}: the machine is shared, and every")
            .AppendLine("client, server and guest of these benchmarks runs on its cores too.")
            .AppendLine();
        if (conditions.Quick)
        {
            text.AppendLine("> **Quick run** (`--quick`): too few runs for these numbers to mean much.").AppendLine();
        }

        text.AppendLine("""
            rvd_front runs as it is deployed: the published Release build started with `dotnet rvd_front.dll --config FILE`, on a
            loopback port, with a ravada.conf of its own (SQLite database, every other key at its default, so `log_level` is
            `information`) in a directory under /var/tmp that is removed at the end. The benchmark stands in for the browsers,
            and for rvd_back where it is not running, writing through the Data layer's stores what rvd_back would write.
            The targets are issue 4's (section 6's, issue 5's). Percentiles are nearest-rank; times are taken with a monotonic clock (`Stopwatch`).
            """.ReplaceLineEndings("\n"))
            .AppendLine();

        text.AppendLine("### Summary").AppendLine();
        AppendTable(text, ["Measure", "Result", "Target", "Met?"], "llll",
            report.Sections.SelectMany(section => section.Summary).Select(SummaryCells));
        text.AppendLine();

        var number = 1;
        foreach (var section in report.Sections)
        {
            AppendSection(text, number++, section, note: null);
        }

        return text.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with the sections of a run of one benchmark (<c>--only</c>) put into its front-end
    /// block: each section replaces the one of the same title (or comes last), each of its summary rows replaces the
    /// row of the same measure (or comes last in the summary), and the section says when it was measured and how
    /// busy the machine was, since the block's header speaks of another run. The rest of the block stays as it was.
    /// </summary>
    public static string Merge(string? document, FrontSuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var start = document?.IndexOf(Opening, StringComparison.Ordinal) ?? -1;
        var end = start < 0 ? -1 : document!.IndexOf(Closing, start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new BenchmarkException("the file has no front-end block to put the section into: run the whole suite first");
        }

        var lines = document![(start + Opening.Length)..end].Trim('\n').Split('\n').ToList();
        var conditions = report.Conditions;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"Measured on its own (`--only`) {conditions.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}{(conditions.Quick ? ", a **quick run**" : string.Empty)}; load average (1, 5, 15 min) at the start {conditions.LoadAverageAtStart}, at the end {conditions.LoadAverageAtEnd}.");
        foreach (var section in report.Sections)
        {
            MergeSummaryRows(lines, section.Summary);
            MergeSection(lines, section, note);
        }

        return Replace(document, string.Join('\n', lines));
    }

    private static void MergeSummaryRows(List<string> lines, IReadOnlyList<SummaryRow> rows)
    {
        var heading = lines.IndexOf("### Summary");
        var header = heading < 0 ? -1 : lines.FindIndex(heading, line => line.StartsWith('|'));
        if (header < 0)
        {
            throw new BenchmarkException("the front-end block has no summary table");
        }

        var tableEnd = header + 2;
        while (tableEnd < lines.Count && lines[tableEnd].StartsWith('|'))
        {
            tableEnd++;
        }

        foreach (var row in rows)
        {
            var rendered = TableRow(SummaryCells(row));
            var measure = rendered[..(rendered.IndexOf(" | ", 2, StringComparison.Ordinal) + 3)];
            var existing = lines.FindIndex(header + 2, tableEnd - header - 2, line => line.StartsWith(measure, StringComparison.Ordinal));
            if (existing >= 0)
            {
                lines[existing] = rendered;
            }
            else
            {
                lines.Insert(tableEnd++, rendered);
            }
        }
    }

    private static void MergeSection(List<string> lines, BenchmarkSection section, string note)
    {
        var heading = lines.FindIndex(line => IsSectionHeading(line) && line.EndsWith($". {section.Title}", StringComparison.Ordinal));
        int number;
        if (heading >= 0)
        {
            number = int.Parse(lines[heading]["### ".Length..lines[heading].IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var next = lines.FindIndex(heading + 1, line => line.StartsWith("### ", StringComparison.Ordinal));
            lines.RemoveRange(heading, (next < 0 ? lines.Count : next) - heading);
        }
        else
        {
            number = lines.Count(IsSectionHeading) + 1;
            lines.Add(string.Empty);
            heading = lines.Count;
        }

        var text = new StringBuilder();
        AppendSection(text, number, section, note);
        var sectionLines = text.ToString().TrimEnd('\n').Split('\n').ToList();
        if (heading < lines.Count)
        {
            sectionLines.Add(string.Empty);
        }

        lines.InsertRange(heading, sectionLines);
    }

    private static bool IsSectionHeading(string line) =>
        line.StartsWith("### ", StringComparison.Ordinal) && line.Length > 4 && char.IsAsciiDigit(line[4]);

    private static void AppendSection(StringBuilder text, int number, BenchmarkSection section, string? note)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"### {number}. {section.Title}").AppendLine();
        if (note is not null)
        {
            text.AppendLine(note).AppendLine();
        }

        text.AppendLine(section.Description.ReplaceLineEndings("\n").TrimEnd('\n')).AppendLine();
        foreach (var table in section.Tables)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{table.Caption}:").AppendLine();
            AppendTable(text, table.Headers, table.Alignments, table.Rows);
            text.AppendLine();
        }
    }

    private static string[] SummaryCells(SummaryRow row) =>
    [
        row.Measure,
        row.Result,
        row.Target,
        row.Met switch { true => "met", false => "**NOT met**", null => "" },
    ];

    private static void AppendTable(StringBuilder text, IReadOnlyList<string> headers, string alignments, IEnumerable<string[]> rows)
    {
        text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        text.Append('|').AppendJoin('|', alignments.Select(alignment => alignment == 'r' ? "--:" : "---")).AppendLine("|");
        foreach (var row in rows)
        {
            text.AppendLine(TableRow(row));
        }
    }

    private static string TableRow(IEnumerable<string> cells) =>
        "| " + string.Join(" | ", cells.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))) + " |";
}
