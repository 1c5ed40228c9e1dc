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
            The targets are issue 4's. Percentiles are nearest-rank; times are taken with a monotonic clock (`Stopwatch`).
            """.ReplaceLineEndings("\n"))
            .AppendLine();

        text.AppendLine("### Summary").AppendLine();
        AppendTable(text, ["Measure", "Result", "Target", "Met?"], "llll",
            report.Sections.SelectMany(section => section.Summary).Select(row => new[]
            {
                row.Measure,
                row.Result,
                row.Target,
                row.Met switch { true => "met", false => "**NOT met**", null => "" },
            }));
        text.AppendLine();

        var number = 1;
        foreach (var section in report.Sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {number++}. {section.Title}")
                .AppendLine()
                .AppendLine(section.Description.ReplaceLineEndings("\n").TrimEnd('\n'))
                .AppendLine();
            foreach (var table in section.Tables)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{table.Caption}:").AppendLine();
                AppendTable(text, table.Headers, table.Alignments, table.Rows);
                text.AppendLine();
            }
        }

        return text.ToString();
    }

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
