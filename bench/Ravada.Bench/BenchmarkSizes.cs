namespace Ravada.Bench;

/// <summary>How many runs each benchmark measures, after how many unmeasured warm-up runs.</summary>
/// <param name="NativeCalls">Measured native calls per path.</param>
/// <param name="NativeBlocks">The native calls are made in this many blocks, the paths taking turns.</param>
/// <param name="NativeWarmupCalls">Unmeasured calls at the start of each C block (and at least, in .NET, before the first).</param>
/// <param name="CloneRuns">Measured clones per path.</param>
/// <param name="CloneWarmupRuns">Unmeasured rounds of clones first.</param>
/// <param name="DefineStartRuns">Measured define + start runs per path.</param>
/// <param name="DefineStartWarmupRuns">Unmeasured rounds of define + start first.</param>
internal sealed record BenchmarkSizes(
    int NativeCalls, int NativeBlocks, int NativeWarmupCalls, int CloneRuns, int CloneWarmupRuns, int DefineStartRuns, int DefineStartWarmupRuns)
{
    /// <summary>The sizes the published numbers use.</summary>
    public static BenchmarkSizes Full { get; } = new(20_000, 10, 200, 200, 5, 20, 1);

    /// <summary>A smoke test of the whole benchmark in about a minute; its numbers are not for publishing.</summary>
    public static BenchmarkSizes Quick { get; } = new(2_000, 2, 100, 20, 1, 3, 1);
}
