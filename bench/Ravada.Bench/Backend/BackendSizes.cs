namespace Ravada.Bench.Backend;

/// <summary>How many runs each back-end benchmark measures.</summary>
/// <param name="PingRuns">Measured ping requests with wake-ups, and as many floor round trips.</param>
/// <param name="LostWakeupPingRuns">Measured ping requests whose wake-ups are lost (each waits for a poll).</param>
/// <param name="PingWarmupRuns">Unmeasured pings (and floor round trips) first.</param>
/// <param name="ClickRuns">Measured clone + start runs, and as many floor runs.</param>
/// <param name="ClickWarmupRuns">Unmeasured rounds of both first.</param>
/// <param name="BurstUsers">Users who ask for their desktop at the same instant.</param>
/// <param name="BurstRepetitions">How many bursts (and floors) are measured.</param>
/// <param name="IdleMachines">Machines defined while rvd_back idles.</param>
internal sealed record BackendSizes(
    int PingRuns, int LostWakeupPingRuns, int PingWarmupRuns, int ClickRuns, int ClickWarmupRuns, int BurstUsers, int BurstRepetitions, int IdleMachines)
{
    /// <summary>The sizes of issue 3, which the published numbers use.</summary>
    public static BackendSizes Full { get; } = new(500, 100, 20, 50, 2, 20, 3, 100);

    /// <summary>A smoke test of the whole suite in a few minutes; its numbers are not for publishing.</summary>
    public static BackendSizes Quick { get; } = new(50, 10, 5, 5, 1, 5, 1, 10);
}
