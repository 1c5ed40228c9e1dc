namespace Ravada.Bench;

/// <summary>When a suite ran and how busy the machine was meanwhile: other work skews the numbers.</summary>
/// <param name="StartedAt">When the suite began.</param>
/// <param name="LoadAverageAtStart">The 1, 5 and 15-minute load averages when it began.</param>
/// <param name="LoadAverageAtEnd">The same when it ended.</param>
/// <param name="Quick">Whether it ran with <c>--quick</c>: too few runs for the numbers to mean much.</param>
internal sealed record SuiteConditions(DateTimeOffset StartedAt, string LoadAverageAtStart, string LoadAverageAtEnd, bool Quick)
{
    /// <summary>Notes the start of a suite; <see cref="SuiteStart.End"/> completes the record.</summary>
    public static SuiteStart Begin(bool quick) => new(TimeProvider.System.GetUtcNow(), MachineFacts.ReadLoadAverage(), quick);
}

/// <summary>The start of a suite, waiting for its end.</summary>
internal sealed record SuiteStart(DateTimeOffset StartedAt, string LoadAverageAtStart, bool Quick)
{
    /// <summary>The conditions, with the load average now.</summary>
    public SuiteConditions End() => new(StartedAt, LoadAverageAtStart, MachineFacts.ReadLoadAverage(), Quick);
}
