using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ravada.Bench.Backend;

namespace Ravada.Bench;

/// <summary>
/// docs/benchmarks.md: a fixed introduction, then one block per part between marker comments
/// (<c>&lt;!-- suite:backend --&gt;</c> … <c>&lt;!-- /suite:backend --&gt;</c>). A run rewrites the machine's block and
/// the blocks of the suites it ran, and keeps the other suites' blocks of the existing file as they were.
/// </summary>
internal static partial class MarkdownReport
{
    private const string MachineBlock = "machine";
    private const string BindingBlock = "suite:binding";
    private const string BackendBlock = "suite:backend";
    private static readonly string[] OwnBlocks = [MachineBlock, BindingBlock, BackendBlock];

    /// <summary>
    /// The document with this run's blocks; the other blocks of <paramref name="existingDocument"/>, those of suites
    /// that did not run now and those other programs write (such as <c>suite:front</c>), are kept as they are.
    /// </summary>
    public static string Render(BenchmarkReport report, string? existingDocument)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fresh = new Dictionary<string, string>(StringComparer.Ordinal) { [MachineBlock] = Machine(report.Machine) };
        if (report.Binding is not null)
        {
            fresh[BindingBlock] = Binding(report.Binding);
        }

        if (report.Backend is not null)
        {
            fresh[BackendBlock] = Backend(report.Backend, report.Machine);
        }

        var existing = ExistingBlocks(existingDocument);
        var text = new StringBuilder()
            .AppendLine("# Benchmarks")
            .AppendLine()
            .AppendLine("Written by the benchmark programs of `bench/` (see bench/README.md): `bench/run.sh` (run it as root)")
            .AppendLine("installs what they need, starts libvirtd, builds the idle test guest, publishes rvd_back and runs")
            .AppendLine("`bench/Ravada.Bench`. Run it again rather than editing this file. Each suite owns a block of it between")
            .AppendLine("marker comments (`<!-- suite:NAME -->` … `<!-- /suite:NAME -->`): a run rewrites the blocks of the suites it")
            .AppendLine("ran and the Machine section, and keeps every other block as it was.")
            .AppendLine()
            .AppendLine("Each benchmark puts Ravada's own path (*ours*) beside the physical floor of the same machine: the same work")
            .AppendLine("done with plain C, `qemu-img`, `virsh` or the database alone. The ratio ours ÷ floor is the overhead we add.")
            .AppendLine("Each run is timed alone with a monotonic clock (`Stopwatch`, `CLOCK_MONOTONIC` in C); percentiles are")
            .AppendLine("nearest-rank.")
            .AppendLine();
        var names = OwnBlocks.Concat(existing.Keys.Where(name => !OwnBlocks.Contains(name, StringComparer.Ordinal)));
        foreach (var name in names)
        {
            var content = fresh.GetValueOrDefault(name) ?? existing.GetValueOrDefault(name) ?? NotMeasuredYet(name);
            text.AppendLine(CultureInfo.InvariantCulture, $"<!-- {name} -->")
                .Append(content)
                .AppendLine(CultureInfo.InvariantCulture, $"<!-- /{name} -->")
                .AppendLine();
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>A Markdown table; alignments hold one letter per column, 'l' for text and 'r' for numbers.</summary>
    public static void AppendTable(StringBuilder text, IReadOnlyList<string> headers, string alignments, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        text.Append('|').AppendJoin('|', alignments.Select(alignment => alignment == 'r' ? "--:" : "---")).AppendLine("|");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
        }
    }

    /// <summary>Every block of <paramref name="document"/>, by name, in the order they appear.</summary>
    private static OrderedDictionary<string, string> ExistingBlocks(string? document)
    {
        var blocks = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Block().Matches(document?.ReplaceLineEndings("\n") ?? ""))
        {
            blocks.TryAdd(match.Groups["name"].Value, match.Groups["content"].Value);
        }

        return blocks;
    }

    [GeneratedRegex(@"^<!-- (?<name>[a-z][a-z0-9:_-]*) -->\n(?<content>.*?)^<!-- /\k<name> -->$", RegexOptions.Singleline | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Block();

    private static string NotMeasuredYet(string block) => block switch
    {
        BindingBlock => "## Binding suite\n\nNot measured yet: `sudo bench/run.sh --suite binding`.\n\n",
        BackendBlock => "## Back-end suite\n\nNot measured yet: `sudo bench/run.sh --suite backend`.\n\n",
        _ => "## Machine\n\nNot described yet: run `sudo bench/run.sh`.\n\n",
    };

    private static string Machine(MachineFacts machine)
    {
        var text = new StringBuilder().AppendLine("## Machine").AppendLine();
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
            ["Run started", machine.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)],
            ["Load average (1, 5, 15 min) at the start", machine.LoadAverageAtStart],
            ["Other guests running at the start", machine.OtherGuestsRunning.ToString(CultureInfo.InvariantCulture)],
        ]);
        text.AppendLine()
            .AppendLine("The machine is shared with other engineers' builds, tests and guests: the load average and the guests of")
            .AppendLine("others say how busy it was; each suite also records the load average at its own start and end.");
        return text.AppendLine().ToString();
    }

    private static string Hardware(MachineFacts machine)
    {
        var cpus = string.Create(CultureInfo.InvariantCulture, $"{machine.LogicalCpus} logical CPUs");
        return machine.Accelerator == Ravada.Core.Hypervisor.Accelerator.Tcg
            ? $"Issue 3 asks for real KVM, and this machine has none (see Accelerator above): QEMU emulates every guest's CPU (TCG), on {cpus} that the benchmark shares with rvd_back, libvirtd, the guests it starts and other people's work."
            : $"Guests run with {machine.Accelerator}, on {cpus} shared with rvd_back, libvirtd and the guests it starts.";
    }

    private static void AppendConditions(StringBuilder text, string command, SuiteConditions conditions)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
                $"`{command}`, measured {conditions.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} on the machine above; load average (1, 5, 15 min) at the start {conditions.LoadAverageAtStart}, at the end {conditions.LoadAverageAtEnd}.")
            .AppendLine();
        if (conditions.Quick)
        {
            text.AppendLine("> **Quick run** (`--quick`): too few runs for these numbers to mean much.").AppendLine();
        }
    }

    private static string Binding(BindingSuiteReport report)
    {
        var text = new StringBuilder()
            .AppendLine("## Binding suite: the libvirt binding and the hypervisor layer")
            .AppendLine();
        AppendConditions(text, "sudo bench/run.sh --suite binding", report.Conditions);
        text.AppendLine("A target is met when the ratio is within it at p50 and at p95.").AppendLine();

        text.AppendLine("### Summary").AppendLine();
        var summary = report.Benchmarks
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
        AppendTable(text, ["Benchmark", "On", "Ours", "Floor", "p50 ÷ floor", "p95 ÷ floor", "Target"], "llllrrl", summary);
        text.AppendLine();

        var number = 1;
        foreach (var benchmark in report.Benchmarks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {number++}. {benchmark.Title}")
                .AppendLine()
                .AppendLine(benchmark.Description.ReplaceLineEndings("\n"))
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

    private static string Backend(BackendSuiteReport report, MachineFacts machine)
    {
        var text = new StringBuilder()
            .AppendLine("## Back-end suite: rvd_back, its request queue and the guests it starts")
            .AppendLine();
        AppendConditions(text, "sudo bench/run.sh --suite backend", report.Conditions);
        text.AppendLine("""
            The suite stands up a back end of its own, as the back-end tests do: a directory in /var/tmp with a SQLite
            database, a libvirt storage pool holding the idle guest's ISO, an isolated libvirt network, and rvd_back
            published in Release and started as its own process with this ravada.conf (every other key at its default;
            the firewall is off because the host's iptables chain is not the benchmark's to rewrite, so its upkeep is
            not in these numbers):
            """.ReplaceLineEndings("\n"))
            .AppendLine()
            .AppendLine("```yaml")
            .AppendLine(report.Configuration.ReplaceLineEndings("\n"))
            .AppendLine("```")
            .AppendLine()
            .AppendLine("The benchmark takes rvd_front's place: it queues requests through the Data layer's `IRequestQueue` on the")
            .AppendLine("same database and reads the rows back. Everything it creates is named `rvdbench-XXXXXXXX-…` and removed at the")
            .AppendLine(CultureInfo.InvariantCulture, $"end. The targets are issue 3's. {Hardware(machine)}")
            .AppendLine();

        text.AppendLine("### Summary").AppendLine();
        var targets = report.Sections.SelectMany(section => section.Targets.Select(target => (section.Title, Target: target))).ToList();
        AppendTable(text, ["Benchmark", "Target", "Measured", "Floor", "Verdict"], "lllll",
            targets.Select(row => new[] { row.Title, row.Target.Target, row.Target.Measured, row.Target.Floor, row.Target.Met ? "met" : "**NOT met**" }));
        text.AppendLine();
        var missed = targets.Where(row => !row.Target.Met).ToList();
        if (missed.Count > 0)
        {
            text.AppendLine("Why targets are missed, from the measurements below:").AppendLine();
            foreach (var (_, target) in missed)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {target.Target}: {target.Why}.");
            }

            text.AppendLine();
        }

        var number = 1;
        foreach (var section in report.Sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {number++}. {section.Title}")
                .AppendLine()
                .AppendLine(section.Description.ReplaceLineEndings("\n"))
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
}
