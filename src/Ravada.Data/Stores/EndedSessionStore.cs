using Ravada.Core.Users;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="IEndedSessionStore"/> on <c>ended_sessions</c>.</summary>
internal sealed class EndedSessionStore(SqlExecutor sql, ISqlDialect dialect) : IEndedSessionStore
{
    public Task EndAsync(string sessionId, DateTimeOffset forgetAt, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        return sql.ExecuteAsync(
            dialect.InsertUnlessExists("INSERT INTO ended_sessions (session_id, forget_at) VALUES (@SessionId, @ForgetAt)", "session_id"),
            new { SessionId = sessionId, ForgetAt = EpochTime.ToMilliseconds(forgetAt) },
            cancellationToken);
    }

    public async Task<bool> HasEndedAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckId(sessionId);
        return await sql.ScalarAsync<long>(
            "SELECT COUNT(*) FROM ended_sessions WHERE session_id = @SessionId AND forget_at > @Now",
            new { SessionId = sessionId, Now = EpochTime.ToMilliseconds(now) },
            cancellationToken) > 0;
    }

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync("DELETE FROM ended_sessions WHERE forget_at <= @Now", new { Now = EpochTime.ToMilliseconds(now) }, cancellationToken);

    // Checked here so that an id too long for the column fails alike on the three databases (SQLite would keep it).
    private static void CheckId(string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sessionId.Length, IEndedSessionStore.MaxSessionIdLength, nameof(sessionId));
    }
}
