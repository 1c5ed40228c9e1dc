namespace Ravada.Bench;

/// <summary>Whose work a measurement times.</summary>
internal enum MeasurementRole
{
    /// <summary>Ravada's own path: the binding or the broker layer.</summary>
    Ours,

    /// <summary>The physical floor: the same work done with plain tools (C, qemu-img, virsh).</summary>
    Floor,

    /// <summary>A variant of the floor that helps explain the difference; not judged against a target.</summary>
    Reference,
}

/// <summary>How a benchmark's durations read best.</summary>
internal enum DisplayUnit
{
    Microseconds,
    Milliseconds,
}

/// <summary>One measured path.</summary>
/// <param name="Label">What was timed, e.g. <c>IHypervisor.CloneDiskAsync</c>.</param>
/// <param name="Role">Ours, the floor, or a reference.</param>
/// <param name="Latency">The durations.</param>
internal sealed record Measurement(string Label, MeasurementRole Role, LatencySummary Latency);

/// <summary>Measurements compared with one floor, measured the same way on the same machine.</summary>
/// <param name="Uri">The libvirt connection they used, e.g. <c>qemu:///system</c>.</param>
/// <param name="Setting">What is behind it, in words.</param>
/// <param name="Measurements">The floor first, then ours and the references.</param>
internal sealed record ComparisonGroup(string Uri, string Setting, IReadOnlyList<Measurement> Measurements)
{
    /// <summary>The floor the others are divided by.</summary>
    public Measurement Floor => Measurements.Single(measurement => measurement.Role == MeasurementRole.Floor);
}

/// <summary>One benchmark's outcome.</summary>
/// <param name="Title">The section title.</param>
/// <param name="Description">What is timed, from where to where, in Markdown.</param>
/// <param name="Unit">How durations are shown.</param>
/// <param name="Groups">The comparisons.</param>
/// <param name="TargetRatio">The most ours may take, as a multiple of the floor (p50 and p95); null when there is no target.</param>
internal sealed record BenchmarkResult(string Title, string Description, DisplayUnit Unit, IReadOnlyList<ComparisonGroup> Groups, double? TargetRatio)
{
    /// <summary>Whether <paramref name="measurement"/> of <paramref name="group"/> is within the target at p50 and at p95.</summary>
    public bool? MeetsTarget(ComparisonGroup group, Measurement measurement)
    {
        if (TargetRatio is not { } target || measurement.Role != MeasurementRole.Ours)
        {
            return null;
        }

        var (p50Ratio, p95Ratio) = Ratios(group, measurement);
        return p50Ratio <= target && p95Ratio <= target;
    }

    /// <summary>Ours (or a reference) divided by the group's floor, at p50 and at p95.</summary>
    public static (double P50Ratio, double P95Ratio) Ratios(ComparisonGroup group, Measurement measurement)
    {
        var floor = group.Floor.Latency;
        return (measurement.Latency.P50Microseconds / floor.P50Microseconds, measurement.Latency.P95Microseconds / floor.P95Microseconds);
    }
}

/// <summary>What the binding suite produced.</summary>
/// <param name="Benchmarks">The results, in the order they ran.</param>
/// <param name="Conditions">When it ran and how busy the machine was.</param>
internal sealed record BindingSuiteReport(IReadOnlyList<BenchmarkResult> Benchmarks, SuiteConditions Conditions);

/// <summary>Everything a run produced.</summary>
/// <param name="Machine">Where it ran.</param>
/// <param name="Binding">The binding suite's results, when it ran.</param>
/// <param name="Backend">The back-end suite's results, when it ran.</param>
internal sealed record BenchmarkReport(MachineFacts Machine, BindingSuiteReport? Binding, Backend.BackendSuiteReport? Backend);
