using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Ravada.Core.Hypervisor;
using Ravada.Core.Messages;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>
/// Runs one claimed request to its end: renews its lease while the handler works, records phases and
/// timings, and turns the handler's outcome into done, failed (with a message to the user), a retry
/// with back-off for transient failures, or a release when the worker is stopping.
/// </summary>
public sealed partial class RequestProcessor
{
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMinutes(1);

    private readonly IRequestQueue queue;
    private readonly IUserStore users;
    private readonly IMessageStore messages;
    private readonly Dictionary<string, IRequestHandler> handlers;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<RequestProcessor> logger;

    /// <summary>Creates the processor with every registered handler.</summary>
    public RequestProcessor(IRequestQueue queue, IUserStore users, IMessageStore messages, IEnumerable<IRequestHandler> handlers, TimeProvider timeProvider, ILogger<RequestProcessor> logger)
    {
        this.queue = queue;
        this.users = users;
        this.messages = messages;
        this.handlers = handlers.ToDictionary(handler => handler.Command, StringComparer.Ordinal);
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>
    /// Processes <paramref name="request"/>, which <paramref name="workerId"/> has claimed with <paramref name="lease"/>.
    /// <paramref name="stopping"/> fires when the worker must give up: the request then goes back to the queue.
    /// </summary>
    public async Task ProcessAsync(Request request, string workerId, TimeSpan lease, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = RenewLeaseAsync(request.Id, workerId, lease, leaseLost);
        var queuedMilliseconds = ((request.StartedAt ?? timeProvider.GetUtcNow()) - request.CreatedAt).TotalMilliseconds;
        RequestContext? context = null;
        try
        {
            var user = await users.FindWithGrantsAsync(request.UserId, CancellationToken.None)
                ?? throw new RequestRefusedException($"The requesting user (id {request.UserId}) no longer exists.");
            if (!handlers.TryGetValue(request.Command, out var handler))
            {
                throw new RequestRefusedException($"Unknown command '{request.Command}'.");
            }

            context = new RequestContext(request, user, async phase => await queue.SetPhaseAsync(request.Id, workerId, phase, CancellationToken.None));
            var started = Stopwatch.GetTimestamp();
            var result = await handler.HandleAsync(context, leaseLost.Token);
            await queue.CompleteAsync(request.Id, workerId, result, context.TimingsJson(queuedMilliseconds), CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogDone(request.Id, request.Command, elapsed);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            if (stopping.IsCancellationRequested)
            {
                await queue.ReleaseAsync(request.Id, workerId, CancellationToken.None);
                LogReleased(request.Id, request.Command);
            }
            else
            {
                LogLeaseLost(request.Id, request.Command);
            }
        }
        catch (Exception exception) when (IsTransient(exception) && request.Attempts < request.MaxAttempts)
        {
            var retryAt = timeProvider.GetUtcNow() + RetryDelay(request.Attempts);
            await queue.RetryAsync(request.Id, workerId, exception.Message, retryAt, CancellationToken.None);
            LogRetry(request.Id, request.Command, request.Attempts, retryAt, exception.Message);
        }
        catch (Exception exception)
        {
            var error = UserVisibleError(exception);
            await queue.FailAsync(request.Id, workerId, error, context?.TimingsJson(queuedMilliseconds) ?? "[]", CancellationToken.None);
            await messages.SendAsync(request.UserId, request.Id, $"{request.Command} failed", error, timeProvider.GetUtcNow(), CancellationToken.None);
            if (IsExpected(exception))
            {
                LogFailed(request.Id, request.Command, error);
            }
            else
            {
                LogCrashed(exception, request.Id, request.Command);
            }
        }
        finally
        {
            await leaseLost.CancelAsync();
            await renewal;
        }
    }

    /// <summary>Exponential back-off: 2 s after the first attempt, doubling, at most a minute.</summary>
    public static TimeSpan RetryDelay(int attemptsMade) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Clamp(attemptsMade, 1, 10)), LongestRetryDelay.TotalSeconds));

    private static bool IsTransient(Exception exception) =>
        exception is RetryLaterException || exception is HypervisorException { IsTransient: true };

    private static bool IsExpected(Exception exception) =>
        exception is RequestDeniedException or RequestRefusedException or RequestArgumentException or ArgumentException
            or HypervisorException or RetryLaterException;

    private static string UserVisibleError(Exception exception) => IsExpected(exception)
        ? exception.Message
        : $"Internal error in rvd_back ({exception.GetType().Name}); the administrator finds the details in its log.";

    private async Task RenewLeaseAsync(long requestId, string workerId, TimeSpan lease, CancellationTokenSource leaseLost)
    {
        var interval = lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, timeProvider, leaseLost.Token);
                if (!await queue.RenewLeaseAsync(requestId, workerId, lease, CancellationToken.None))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} {Command} done in {Milliseconds} ms")]
    private partial void LogDone(long requestId, string command, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} {Command} failed: {Error}")]
    private partial void LogFailed(long requestId, string command, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} {Command} crashed")]
    private partial void LogCrashed(Exception exception, long requestId, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} {Command} attempt {Attempt} will be retried at {RetryAt}: {Error}")]
    private partial void LogRetry(long requestId, string command, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} {Command} went back to the queue: the worker is stopping")]
    private partial void LogReleased(long requestId, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} {Command}: the lease was lost; another worker will take it")]
    private partial void LogLeaseLost(long requestId, string command);
}
