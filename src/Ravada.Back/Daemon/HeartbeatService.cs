using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ravada.Core.Nodes;

namespace Ravada.Back.Daemon;

/// <summary>Tells the portal the back end is alive (<see cref="BackendHeartbeat"/>).</summary>
internal sealed partial class HeartbeatService(ISettingsStore settings, TimeProvider timeProvider, ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(BackendHeartbeat.Interval, timeProvider);
        try
        {
            do
            {
                try
                {
                    await BackendHeartbeat.BeatAsync(settings, timeProvider.GetUtcNow(), stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogBeatFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the heartbeat; the portal may show the back end as stopped")]
    private partial void LogBeatFailed(Exception exception);
}
