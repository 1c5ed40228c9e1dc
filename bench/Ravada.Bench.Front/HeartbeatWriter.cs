using Ravada.Core.Nodes;

namespace Ravada.Bench.Front;

/// <summary>
/// Beats in rvd_back's place while the benchmarks run rvd_front without it, so that the portal shows what it shows
/// when the back end runs (no "rvd_back is not running" banner).
/// </summary>
internal sealed class HeartbeatWriter : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task beating;

    public HeartbeatWriter(ISettingsStore settings)
    {
        beating = BeatAsync(settings, stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await beating;
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        stop.Dispose();
    }

    private static async Task BeatAsync(ISettingsStore settings, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(BackendHeartbeat.Interval);
        do
        {
            await BackendHeartbeat.BeatAsync(settings, TimeProvider.System.GetUtcNow(), cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
