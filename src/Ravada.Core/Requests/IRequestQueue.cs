namespace Ravada.Core.Requests;

/// <summary>
/// The durable request queue in the database, shared by every rvd_back and rvd_front process. Claiming is
/// atomic, so no request is ever run by two workers at once; a worker that dies loses its lease and the
/// request is handed to another.
/// </summary>
public interface IRequestQueue
{
    /// <summary>
    /// Queues a request. Unless <see cref="NewRequest.AllowDuplicate"/>, an identical pending request
    /// (same command, machine and arguments, not yet finished) is returned instead of a new one.
    /// </summary>
    Task<Request> EnqueueAsync(NewRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the next due request of <paramref name="requestClass"/>: status requested, <c>at</c> passed, its
    /// predecessor finished, and no other request of the same machine working. Null when there is none.
    /// </summary>
    Task<Request?> ClaimAsync(RequestClass requestClass, string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Claims one given request if it is claimable now (used by the command line to run a request itself).</summary>
    Task<Request?> ClaimByIdAsync(long requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when the worker no longer holds the request.</summary>
    Task<bool> RenewLeaseAsync(long requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records what the handler is doing now.</summary>
    Task SetPhaseAsync(long requestId, string workerId, string phase, CancellationToken cancellationToken = default);

    /// <summary>Finishes a request successfully; false when the worker no longer held it.</summary>
    Task<bool> CompleteAsync(long requestId, string workerId, string? result, string timings, CancellationToken cancellationToken = default);

    /// <summary>Finishes a request with an error; false when the worker no longer held it.</summary>
    Task<bool> FailAsync(long requestId, string workerId, string errorMessage, string timings, CancellationToken cancellationToken = default);

    /// <summary>Puts a request back for another attempt at <paramref name="at"/>, counting the attempt.</summary>
    Task<bool> RetryAsync(long requestId, string workerId, string errorMessage, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Puts a request back untouched, without counting an attempt (the worker is stopping).</summary>
    Task<bool> ReleaseAsync(long requestId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Hands requests whose lease has expired back to the queue; returns how many.</summary>
    Task<int> ReclaimExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>Fails requests that wait for a failed predecessor with <see cref="NewRequest.AfterRequestOk"/>; returns how many.</summary>
    Task<int> FailDependentsOfFailedAsync(CancellationToken cancellationToken = default);

    /// <summary>The request with this id, or null.</summary>
    Task<Request?> FindAsync(long requestId, CancellationToken cancellationToken = default);

    /// <summary>Recent requests, newest first, optionally only unfinished ones or those of one machine.</summary>
    Task<IReadOnlyList<Request>> ListAsync(RequestFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Requests changed after <paramref name="since"/>, oldest change first (the portal follows progress with it).</summary>
    Task<IReadOnlyList<Request>> ListChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest future <c>at</c> among requested requests, so workers can sleep until then.</summary>
    Task<DateTimeOffset?> NextScheduledAsync(CancellationToken cancellationToken = default);
}

/// <summary>Which requests to list.</summary>
/// <param name="PendingOnly">Only requested or working ones.</param>
/// <param name="MachineId">Only those of this machine.</param>
/// <param name="UserId">Only those of this user.</param>
/// <param name="Limit">At most this many.</param>
public sealed record RequestFilter(bool PendingOnly = false, long? MachineId = null, long? UserId = null, int Limit = 100);

/// <summary>
/// Wakes the back end as soon as a request is queued, so that latency is not bound by polling; polling
/// remains the fallback when the signal is lost.
/// </summary>
public interface IRequestWakeup
{
    /// <summary>Tells the back end that a request of <paramref name="requestClass"/> may be due. Never throws.</summary>
    ValueTask NotifyAsync(RequestClass requestClass, CancellationToken cancellationToken = default);
}

/// <summary>The back end's side of <see cref="IRequestWakeup"/>.</summary>
public interface IRequestWakeupListener
{
    /// <summary>Yields a class each time a wake-up arrives, until <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<RequestClass> ListenAsync(CancellationToken cancellationToken);
}
