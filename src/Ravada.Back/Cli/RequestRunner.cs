using System.Globalization;
using Microsoft.Extensions.Options;
using Ravada.Back.Daemon;
using Ravada.Core.Broker;
using Ravada.Core.Requests;

namespace Ravada.Back.Cli;

/// <summary>
/// Runs a request for the command line: queued for the daemon when it runs (and waited for), or processed
/// right here when it does not, so the administrator's commands work either way.
/// </summary>
internal sealed class RequestRunner(IRequestQueue queue, IServiceProvider services, IOptions<BackendOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Queues <paramref name="request"/> and returns it finished.</summary>
    public async Task<Request> RunAsync(NewRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var queued = await queue.EnqueueAsync(request, cancellationToken);
        var daemonPid = PidFile.RunningDaemonPid(options.Value.PidFile);
        if (daemonPid is null)
        {
            await ProcessHereAsync(queued, cancellationToken);
        }

        var deadline = timeProvider.GetUtcNow() + timeout;
        while (true)
        {
            var current = await queue.FindAsync(queued.Id, cancellationToken)
                ?? throw new InvalidOperationException($"request {queued.Id} vanished from the queue");
            if (current.IsFinished)
            {
                return current;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                throw new TimeoutException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"request {queued.Id} ({queued.Command}) is still {current.Status.ToString().ToLowerInvariant()} after {timeout.TotalSeconds:0} s; rvd_back (pid {daemonPid ?? "none"}) keeps working on it"));
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task ProcessHereAsync(Request queued, CancellationToken cancellationToken)
    {
        var workerId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:cli");
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var processor = (RequestProcessor?)services.GetService(typeof(RequestProcessor))
            ?? throw new InvalidOperationException("the request processor is not registered");
        for (var attempt = 0; attempt < queued.MaxAttempts; attempt++)
        {
            var claimed = await queue.ClaimByIdAsync(queued.Id, workerId, lease, cancellationToken);
            if (claimed is null)
            {
                return;
            }

            await processor.ProcessAsync(claimed, workerId, lease, cancellationToken);
            var after = await queue.FindAsync(queued.Id, cancellationToken);
            if (after is null || after.IsFinished || after.At is not { } retryAt)
            {
                return;
            }

            var wait = retryAt - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }
        }
    }
}
