namespace Ravada.Bench.Backend;

/// <summary>A table of the report: one header row, then rows of cells.</summary>
/// <param name="Caption">What the table shows, in a sentence.</param>
/// <param name="Headers">The column headers.</param>
/// <param name="Alignments">One letter per column: <c>l</c> for text, <c>r</c> for numbers.</param>
/// <param name="Rows">The cells, row by row.</param>
internal sealed record ReportTable(string Caption, IReadOnlyList<string> Headers, string Alignments, IReadOnlyList<string[]> Rows);

/// <summary>One target of issue 3 and how the run fared against it.</summary>
/// <param name="Target">The target, in words: <c>p50 &lt; 10 ms</c>.</param>
/// <param name="Measured">What was measured against it.</param>
/// <param name="Floor">The same measure of the floor (or of a reference, where there is no floor), for scale.</param>
/// <param name="Met">Whether it is met.</param>
/// <param name="Why">When it is not met: what the measurements say about the reason; empty otherwise.</param>
internal sealed record TargetCheck(string Target, string Measured, string Floor, bool Met, string Why);

/// <summary>One back-end benchmark's outcome.</summary>
/// <param name="Title">The section title.</param>
/// <param name="Description">What is timed, from where to where, in Markdown.</param>
/// <param name="Tables">The measurements.</param>
/// <param name="Targets">The targets and verdicts.</param>
internal sealed record BackendSection(string Title, string Description, IReadOnlyList<ReportTable> Tables, IReadOnlyList<TargetCheck> Targets);

/// <summary>What the back-end suite produced.</summary>
/// <param name="Sections">The benchmarks, in the order they ran.</param>
/// <param name="Configuration">The ravada.conf rvd_back ran with.</param>
/// <param name="Conditions">When it ran and how busy the machine was.</param>
internal sealed record BackendSuiteReport(IReadOnlyList<BackendSection> Sections, string Configuration, SuiteConditions Conditions);
