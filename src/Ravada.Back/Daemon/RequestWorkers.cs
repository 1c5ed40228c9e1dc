using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Broker;
using Ravada.Core.Requests;

namespace Ravada.Back.Daemon;

/// <summary>
/// The request workers: for each concurrency class, its own set of loops that claim a due request,
/// process it, and otherwise sleep until a wake-up, the next scheduled request or the polling interval.
/// On SIGTERM they stop claiming; requests in flight get <see cref="BackendOptions.StopGraceSeconds"/> to finish
/// and otherwise go back to the queue.
/// </summary>
internal sealed partial class RequestWorkers(
    IRequestQueue queue,
    RequestProcessor processor,
    WorkSignals signals,
    IOptions<BackendOptions> options,
    TimeProvider timeProvider,
    ILogger<RequestWorkers> logger) : BackgroundService
{
    private readonly string processId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var hardStop = new CancellationTokenSource();
        using var afterGrace = stoppingToken.Register(() => hardStop.CancelAfter(TimeSpan.FromSeconds(options.Value.StopGraceSeconds)));
        var settings = options.Value;
        var workers = new List<Task>();
        foreach (var (requestClass, count) in new[]
        {
            (RequestClass.Interactive, settings.InteractiveWorkers),
            (RequestClass.Disk, settings.DiskWorkers),
            (RequestClass.Maintenance, settings.MaintenanceWorkers),
        })
        {
            for (var index = 0; index < count; index++)
            {
                var workerId = string.Create(CultureInfo.InvariantCulture, $"{processId}:{requestClass}:{index}");
                workers.Add(RunWorkerAsync(requestClass, workerId, stoppingToken, hardStop.Token));
            }
        }

        LogStarted(settings.InteractiveWorkers, settings.DiskWorkers, settings.MaintenanceWorkers);
        await Task.WhenAll(workers);
    }

    private async Task RunWorkerAsync(RequestClass requestClass, string workerId, CancellationToken stopClaiming, CancellationToken hardStop)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        while (!stopClaiming.IsCancellationRequested)
        {
            Request? request;
            try
            {
                request = await queue.ClaimAsync(requestClass, workerId, lease, stopClaiming);
            }
            catch (OperationCanceledException) when (stopClaiming.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogClaimFailed(exception, workerId);
                await SleepAsync(requestClass, poll, stopClaiming);
                continue;
            }

            if (request is null)
            {
                await SleepAsync(requestClass, await UntilNextScheduledAsync(poll, stopClaiming), stopClaiming);
                continue;
            }

            await processor.ProcessAsync(request, workerId, lease, hardStop);
        }
    }

    private async Task<TimeSpan> UntilNextScheduledAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        try
        {
            var next = await queue.NextScheduledAsync(cancellationToken);
            if (next is { } at)
            {
                var wait = at - timeProvider.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < poll ? wait : poll;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogClaimFailed(exception, "scheduler");
        }

        return poll;
    }

    private async Task SleepAsync(RequestClass requestClass, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signals.WaitAsync(requestClass, timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request workers started: {Interactive} interactive, {Disk} disk, {Maintenance} maintenance")]
    private partial void LogStarted(int interactive, int disk, int maintenance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not read the queue; retrying")]
    private partial void LogClaimFailed(Exception exception, string workerId);
}
