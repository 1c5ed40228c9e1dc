namespace Ravada.Core.Requests;

/// <summary>Where a request is in its life: <c>requested → working → done | failed</c>.</summary>
public enum RequestStatus
{
    /// <summary>Waiting to be claimed (also after a retry or a crash).</summary>
    Requested,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Working,

    /// <summary>Finished successfully.</summary>
    Done,

    /// <summary>Finished with an error a user can read.</summary>
    Failed,
}

/// <summary>
/// Concurrency classes: each has its own workers, so a long disk job never delays a user's start.
/// </summary>
public enum RequestClass
{
    /// <summary>What a user waits for: start, clone, shutdown, display.</summary>
    Interactive,

    /// <summary>Long disk work: create from ISO, prepare base, remove base, restore, remove.</summary>
    Disk,

    /// <summary>Background upkeep: screenshots, refresh, reconcile.</summary>
    Maintenance,
}

/// <summary>What a caller asks for.</summary>
public sealed record NewRequest
{
    /// <summary>The command, one of <see cref="RequestCommands"/>.</summary>
    public required string Command { get; init; }

    /// <summary>The arguments.</summary>
    public RequestArguments Arguments { get; init; } = RequestArguments.Empty;

    /// <summary>The requesting user.</summary>
    public required long UserId { get; init; }

    /// <summary>The machine it acts on; requests on one machine run one at a time.</summary>
    public long? MachineId { get; init; }

    /// <summary>Not before this time.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Wait until this request has finished.</summary>
    public long? AfterRequestId { get; init; }

    /// <summary>…and only run if it finished successfully (else fail with its error).</summary>
    public bool AfterRequestOk { get; init; }

    /// <summary>How many times a transient failure is retried, in total attempts.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Queue a new request even when an identical one is pending.</summary>
    public bool AllowDuplicate { get; init; }
}

/// <summary>A request row.</summary>
public sealed record Request
{
    /// <summary>Database id.</summary>
    public required long Id { get; init; }

    /// <summary>The command.</summary>
    public required string Command { get; init; }

    /// <summary>The arguments.</summary>
    public required RequestArguments Arguments { get; init; }

    /// <summary>The requesting user.</summary>
    public required long UserId { get; init; }

    /// <summary>The machine it acts on.</summary>
    public long? MachineId { get; init; }

    /// <summary>Its status.</summary>
    public required RequestStatus Status { get; init; }

    /// <summary>Its concurrency class.</summary>
    public required RequestClass Class { get; init; }

    /// <summary>What the handler is doing now (queued, cloning, defining, starting, display ready).</summary>
    public string? Phase { get; init; }

    /// <summary>The error of a failed request, or the last transient error of a retried one.</summary>
    public string? Error { get; init; }

    /// <summary>The result, as JSON.</summary>
    public string? Result { get; init; }

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Attempts allowed.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>Not before this time.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>The request this one waits for.</summary>
    public long? AfterRequestId { get; init; }

    /// <summary>Whether it needs that request to have succeeded.</summary>
    public bool AfterRequestOk { get; init; }

    /// <summary>The worker holding it.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>The worker's lease ends here; after it, the request goes back to the queue.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>When it was queued.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its last attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the row last changed (status, phase, lease).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Time spent per phase, as JSON: [{"phase":"cloning","ms":12.5},…].</summary>
    public string? Timings { get; init; }

    /// <summary>Whether it has finished.</summary>
    public bool IsFinished => Status is RequestStatus.Done or RequestStatus.Failed;
}
