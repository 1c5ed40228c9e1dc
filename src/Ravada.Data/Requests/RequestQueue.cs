using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ravada.Core.Requests;
using Ravada.Data.Connections;
using Ravada.Data.Dialects;

namespace Ravada.Data.Requests;

/// <summary>
/// <see cref="IRequestQueue"/> on the <c>requests</c> table. Every state change is one conditional UPDATE
/// (on status and, for a worker, on <c>claimed_by</c>), so two processes racing on a request cannot both win;
/// the claim itself is made atomic and serialised by the dialect.
/// </summary>
internal sealed class RequestQueue(
    SqlExecutor sql, IDbConnectionFactory connections, ISqlDialect dialect, IRequestWakeup wakeup, TimeProvider timeProvider) : IRequestQueue
{
    private const string QueuedPhase = "queued";
    private const int LongestWorkerId = 128;
    private const int LongestPhase = 64;

    private const string RequestColumns = """
        id, command, args, user_id AS UserId, machine_id AS MachineId, status, request_class AS RequestClass, phase, error, result,
        attempts, max_attempts AS MaxAttempts, at_time AS AtTime, after_request_id AS AfterRequestId, after_request_ok AS AfterRequestOk,
        claimed_by AS ClaimedBy, lease_until AS LeaseUntil, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt,
        updated_at AS UpdatedAt, timings
        """;

    // Due, its predecessor (if it still exists) finished as required, and its machine not busy with another request.
    private const string Claimable = """
        r.status = 'requested'
        AND (r.at_time IS NULL OR r.at_time <= @Now)
        AND (r.after_request_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM requests p WHERE p.id = r.after_request_id
            AND (p.status NOT IN ('done', 'failed') OR (r.after_request_ok = TRUE AND p.status <> 'done'))))
        AND (r.machine_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM requests w WHERE w.machine_id = r.machine_id AND w.status = 'working'))
        """;

    private const string MarkWorking = """
        UPDATE requests SET status = 'working', claimed_by = @WorkerId, lease_until = @LeaseUntil, attempts = attempts + 1,
            started_at = @Now, updated_at = @Now, phase = 'started'
        """;

    private const string HeldBy = "WHERE id = @Id AND claimed_by = @WorkerId AND status = 'working'";

    public async Task<Request> EnqueueAsync(NewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxAttempts, 1, nameof(request));
        var requestClass = RequestCommands.ClassOf(request.Command);
        var arguments = request.Arguments.ToJson();
        // Stored arguments are parsed back when the request is read, so they must fit what parsing accepts.
        if (arguments.Length > RequestArguments.MaxJsonLength)
        {
            throw new RequestArgumentException($"the arguments are longer than {RequestArguments.MaxJsonLength} characters");
        }

        var dedupKey = request.AllowDuplicate ? null : DedupKey(request.Command, request.MachineId, request.UserId, arguments);
        var parameters = new
        {
            request.Command,
            Arguments = arguments,
            request.UserId,
            request.MachineId,
            Class = RequestNames.Of(requestClass),
            request.MaxAttempts,
            At = EpochTime.ToMilliseconds(request.At),
            request.AfterRequestId,
            request.AfterRequestOk,
            DedupKey = dedupKey,
            Now = EpochTime.Now(timeProvider),
        };

        // A pending duplicate wins; if it finishes between our failed insert and the look-up, insert again.
        const int Tries = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var id = await InsertAsync(parameters, cancellationToken);
                await wakeup.NotifyAsync(requestClass, cancellationToken);
                return (await FindAsync(id, cancellationToken))!;
            }
            catch (DbException exception) when (dedupKey is not null && attempt < Tries && dialect.IsUniqueViolation(exception))
            {
                var pending = await FindWhereAsync("dedup_key = @DedupKey", new { DedupKey = dedupKey }, cancellationToken);
                if (pending is not null)
                {
                    return pending;
                }
            }
        }
    }

    public Task<Request?> ClaimAsync(RequestClass requestClass, string workerId, TimeSpan lease, CancellationToken cancellationToken = default) =>
        ClaimWhereAsync("r.request_class = @Class", RequestNames.Of(requestClass), 0, workerId, lease, cancellationToken);

    public Task<Request?> ClaimByIdAsync(long requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken = default) =>
        ClaimWhereAsync("r.id = @Id", null, requestId, workerId, lease, cancellationToken);

    public async Task<bool> RenewLeaseAsync(long requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        return await sql.ExecuteAsync(
            $"UPDATE requests SET lease_until = @LeaseUntil, updated_at = @Now {HeldBy}",
            new { Id = requestId, WorkerId = workerId, LeaseUntil = EpochTime.ToMilliseconds(now + lease), Now = EpochTime.ToMilliseconds(now) },
            cancellationToken) > 0;
    }

    public Task SetPhaseAsync(long requestId, string workerId, string phase, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(phase.Length, LongestPhase, nameof(phase));
        return sql.ExecuteAsync(
            $"UPDATE requests SET phase = @Phase, updated_at = @Now {HeldBy}",
            new { Id = requestId, WorkerId = workerId, Phase = phase, Now = EpochTime.Now(timeProvider) }, cancellationToken);
    }

    public async Task<bool> CompleteAsync(long requestId, string workerId, string? result, string timings, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            $"""
            UPDATE requests SET status = 'done', result = @Result, timings = @Timings, finished_at = @Now, updated_at = @Now,
                dedup_key = NULL, lease_until = NULL
            {HeldBy}
            """,
            new { Id = requestId, WorkerId = workerId, Result = result, Timings = timings, Now = EpochTime.Now(timeProvider) },
            cancellationToken) > 0;

    public async Task<bool> FailAsync(long requestId, string workerId, string errorMessage, string timings, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            $"""
            UPDATE requests SET status = 'failed', error = @Error, timings = @Timings, finished_at = @Now, updated_at = @Now,
                dedup_key = NULL, lease_until = NULL
            {HeldBy}
            """,
            new { Id = requestId, WorkerId = workerId, Error = errorMessage, Timings = timings, Now = EpochTime.Now(timeProvider) },
            cancellationToken) > 0;

    public async Task<bool> RetryAsync(long requestId, string workerId, string errorMessage, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            $"""
            UPDATE requests SET status = 'requested', at_time = @At, error = @Error, claimed_by = NULL, lease_until = NULL,
                phase = '{QueuedPhase}', updated_at = @Now
            {HeldBy}
            """,
            new { Id = requestId, WorkerId = workerId, Error = errorMessage, At = EpochTime.ToMilliseconds(at), Now = EpochTime.Now(timeProvider) },
            cancellationToken) > 0;

    public async Task<bool> ReleaseAsync(long requestId, string workerId, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            $"""
            UPDATE requests SET status = 'requested', attempts = attempts - 1, claimed_by = NULL, lease_until = NULL,
                phase = '{QueuedPhase}', updated_at = @Now
            {HeldBy}
            """,
            new { Id = requestId, WorkerId = workerId, Now = EpochTime.Now(timeProvider) }, cancellationToken) > 0;

    public async Task<int> ReclaimExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = EpochTime.Now(timeProvider);
        var expired = await sql.ListAsync<ExpiredRow>(
            "SELECT id, attempts, max_attempts AS MaxAttempts FROM requests WHERE status = 'working' AND lease_until < @Now",
            new { Now = now }, cancellationToken);
        var reclaimed = 0;
        foreach (var request in expired)
        {
            reclaimed += request.Attempts >= request.MaxAttempts
                ? await FinishAsFailedAsync(
                    request.Id, "status = 'working' AND lease_until < @Now",
                    string.Create(CultureInfo.InvariantCulture, $"abandoned: the worker handling it stopped {request.Attempts} times"), now, cancellationToken)
                : await sql.ExecuteAsync(
                    $"""
                    UPDATE requests SET status = 'requested', claimed_by = NULL, lease_until = NULL, phase = '{QueuedPhase}', updated_at = @Now
                    WHERE id = @Id AND status = 'working' AND lease_until < @Now
                    """,
                    new { request.Id, Now = now }, cancellationToken);
        }

        return reclaimed;
    }

    public async Task<int> FailDependentsOfFailedAsync(CancellationToken cancellationToken = default)
    {
        var failed = 0;
        while (true)
        {
            // Repeated so that a chain of dependents fails in one call.
            var dependents = await sql.ListAsync<DependentRow>(
                """
                SELECT r.id, p.id AS PredecessorId, p.error AS PredecessorError
                FROM requests r JOIN requests p ON p.id = r.after_request_id
                WHERE r.status = 'requested' AND r.after_request_ok = TRUE AND p.status = 'failed'
                """,
                null, cancellationToken);
            if (dependents.Count == 0)
            {
                return failed;
            }

            var now = EpochTime.Now(timeProvider);
            foreach (var dependent in dependents)
            {
                failed += await FinishAsFailedAsync(
                    dependent.Id, "status = 'requested'",
                    string.Create(CultureInfo.InvariantCulture, $"not run: request {dependent.PredecessorId} failed: {dependent.PredecessorError}"),
                    now, cancellationToken);
            }
        }
    }

    public Task<Request?> FindAsync(long requestId, CancellationToken cancellationToken = default) =>
        FindWhereAsync("id = @Id", new { Id = requestId }, cancellationToken);

    public async Task<IReadOnlyList<Request>> ListAsync(RequestFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<string> { "1 = 1" };
        if (filter.PendingOnly)
        {
            conditions.Add("status IN ('requested', 'working')");
        }

        if (filter.MachineId is not null)
        {
            conditions.Add("machine_id = @MachineId");
        }

        if (filter.UserId is not null)
        {
            conditions.Add("user_id = @UserId");
        }

        var rows = await sql.ListAsync<RequestRow>(
            $"SELECT {RequestColumns} FROM requests WHERE {string.Join(" AND ", conditions)} ORDER BY id DESC LIMIT @Limit",
            new { filter.MachineId, filter.UserId, filter.Limit }, cancellationToken);
        return [.. rows.Select(row => row.ToRequest())];
    }

    public async Task<IReadOnlyList<Request>> ListChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await sql.ListAsync<RequestRow>(
            $"SELECT {RequestColumns} FROM requests WHERE updated_at > @Since ORDER BY updated_at, id LIMIT @Limit",
            new { Since = since.ToUnixTimeMilliseconds(), Limit = limit }, cancellationToken);
        return [.. rows.Select(row => row.ToRequest())];
    }

    public async Task<DateTimeOffset?> NextScheduledAsync(CancellationToken cancellationToken = default) =>
        EpochTime.FromMilliseconds(await sql.ScalarAsync<long?>(
            "SELECT MIN(at_time) FROM requests WHERE status = 'requested' AND at_time > @Now",
            new { Now = EpochTime.Now(timeProvider) }, cancellationToken));

    /// <summary>
    /// Hex SHA-256 of what makes two requests the same: command, machine, requesting user and canonical arguments.
    /// The user counts: two users asking for a clone of the same base want two clones.
    /// </summary>
    internal static string DedupKey(string command, long? machineId, long userId, string canonicalArguments)
    {
        var identity = string.Create(CultureInfo.InvariantCulture, $"{command}\n{machineId}\n{userId}\n{canonicalArguments}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    private Task<long> InsertAsync(object parameters, CancellationToken cancellationToken)
    {
        var insert = dialect.InsertReturningId($"""
            INSERT INTO requests (command, args, user_id, machine_id, status, request_class, phase, attempts, max_attempts,
                at_time, after_request_id, after_request_ok, dedup_key, created_at, updated_at)
            VALUES (@Command, @Arguments, @UserId, @MachineId, 'requested', @Class, '{QueuedPhase}', 0, @MaxAttempts,
                @At, @AfterRequestId, @AfterRequestOk, @DedupKey, @Now, @Now)
            """);
        return sql.InTransactionAsync(async transaction =>
        {
            var id = await transaction.ScalarAsync<long>(insert, parameters);
            if (dialect.NotifyRequestQueued is { } notify)
            {
                await transaction.ExecuteAsync(notify, parameters);
            }

            return id;
        }, cancellationToken);
    }

    private async Task<Request?> ClaimWhereAsync(
        string candidateCondition, string? requestClass, long requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerId.Length, LongestWorkerId, nameof(workerId));
        var now = timeProvider.GetUtcNow();
        var parameters = new
        {
            Class = requestClass,
            Id = requestId,
            WorkerId = workerId,
            Now = EpochTime.ToMilliseconds(now),
            LeaseUntil = EpochTime.ToMilliseconds(now + lease),
        };
        long? claimed;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            claimed = await dialect.ClaimAsync(
                connection, $"SELECT r.id FROM requests r WHERE {candidateCondition} AND {Claimable} ORDER BY r.id LIMIT 1",
                MarkWorking, parameters, cancellationToken);
        }

        return claimed is { } id ? await FindAsync(id, cancellationToken) : null;
    }

    private Task<int> FinishAsFailedAsync(long id, string stillCondition, string error, long now, CancellationToken cancellationToken) =>
        sql.ExecuteAsync(
            $"""
            UPDATE requests SET status = 'failed', error = @Error, finished_at = @Now, updated_at = @Now,
                dedup_key = NULL, claimed_by = NULL, lease_until = NULL
            WHERE id = @Id AND {stillCondition}
            """,
            new { Id = id, Error = error, Now = now }, cancellationToken);

    private async Task<Request?> FindWhereAsync(string condition, object parameters, CancellationToken cancellationToken) =>
        (await sql.SingleOrDefaultAsync<RequestRow>($"SELECT {RequestColumns} FROM requests WHERE {condition}", parameters, cancellationToken))
            ?.ToRequest();

    private sealed class RequestRow
    {
        public long Id { get; init; }

        public string Command { get; init; } = "";

        public string Args { get; init; } = "";

        public long UserId { get; init; }

        public long? MachineId { get; init; }

        public string Status { get; init; } = "";

        public string RequestClass { get; init; } = "";

        public string? Phase { get; init; }

        public string? Error { get; init; }

        public string? Result { get; init; }

        public int Attempts { get; init; }

        public int MaxAttempts { get; init; }

        public long? AtTime { get; init; }

        public long? AfterRequestId { get; init; }

        public bool AfterRequestOk { get; init; }

        public string? ClaimedBy { get; init; }

        public long? LeaseUntil { get; init; }

        public long CreatedAt { get; init; }

        public long? StartedAt { get; init; }

        public long? FinishedAt { get; init; }

        public long UpdatedAt { get; init; }

        public string? Timings { get; init; }

        public Request ToRequest() => new()
        {
            Id = Id,
            Command = Command,
            Arguments = RequestArguments.Parse(Args),
            UserId = UserId,
            MachineId = MachineId,
            Status = RequestNames.ParseStatus(Status),
            Class = RequestNames.ParseClass(RequestClass),
            Phase = Phase,
            Error = Error,
            Result = Result,
            Attempts = Attempts,
            MaxAttempts = MaxAttempts,
            At = EpochTime.FromMilliseconds(AtTime),
            AfterRequestId = AfterRequestId,
            AfterRequestOk = AfterRequestOk,
            ClaimedBy = ClaimedBy,
            LeaseUntil = EpochTime.FromMilliseconds(LeaseUntil),
            CreatedAt = EpochTime.FromMilliseconds(CreatedAt),
            StartedAt = EpochTime.FromMilliseconds(StartedAt),
            FinishedAt = EpochTime.FromMilliseconds(FinishedAt),
            UpdatedAt = EpochTime.FromMilliseconds(UpdatedAt),
            Timings = Timings,
        };
    }

    private sealed class ExpiredRow
    {
        public long Id { get; init; }

        public int Attempts { get; init; }

        public int MaxAttempts { get; init; }
    }

    private sealed class DependentRow
    {
        public long Id { get; init; }

        public long PredecessorId { get; init; }

        public string? PredecessorError { get; init; }
    }
}
