using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Back.Daemon;

/// <summary>
/// Housekeeping on timers: hands requests of dead workers back to the queue, fails requests whose
/// predecessor failed, and queues a thumbnail of every running machine every screenshot interval.
/// </summary>
internal sealed partial class MaintenanceService(
    IRequestQueue queue,
    IMachineStore machines,
    IUserStore users,
    WorkSignals signals,
    IOptions<BackendOptions> options,
    TimeProvider timeProvider,
    ILogger<MaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan QueueCheckInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var screenshotInterval = TimeSpan.FromSeconds(options.Value.ScreenshotIntervalSeconds);
        var nextScreenshots = timeProvider.GetUtcNow() + screenshotInterval;
        using var timer = new PeriodicTimer(QueueCheckInterval, timeProvider);
        try
        {
            do
            {
                await CheckQueueAsync(stoppingToken);
                if (screenshotInterval > TimeSpan.Zero && timeProvider.GetUtcNow() >= nextScreenshots)
                {
                    nextScreenshots = timeProvider.GetUtcNow() + screenshotInterval;
                    await QueueScreenshotsAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckQueueAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reclaimed = await queue.ReclaimExpiredAsync(cancellationToken);
            var failed = await queue.FailDependentsOfFailedAsync(cancellationToken);
            if (reclaimed > 0)
            {
                LogReclaimed(reclaimed);
                signals.WakeAll();
            }

            if (failed > 0)
            {
                LogDependentsFailed(failed);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCheckFailed(exception);
        }
    }

    private async Task QueueScreenshotsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var daemon = await users.FindByNameAsync(User.DaemonName, cancellationToken);
            if (daemon is null)
            {
                return;
            }

            foreach (var machine in (await machines.ListAsync(cancellationToken)).Where(machine => machine.State == MachineState.Running))
            {
                await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Screenshot, UserId = daemon.Id, MachineId = machine.Id, MaxAttempts = 1 }, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCheckFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} request(s) of stopped workers went back to the queue")]
    private partial void LogReclaimed(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} request(s) failed because the request they waited for failed")]
    private partial void LogDependentsFailed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue housekeeping failed; trying again shortly")]
    private partial void LogCheckFailed(Exception exception);
}
