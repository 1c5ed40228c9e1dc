using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Ravada.Core.Users;

namespace Ravada.Front.Auth;

/// <summary>
/// The sessions ended by a logout. A session cookie is self-contained, so a copy of it kept from before the
/// logout would still be valid; each session has an id, and an id recorded here is refused until the session
/// would have reached its absolute lifetime anyway. The database (<see cref="IEndedSessionStore"/>) holds the
/// list, so a restart and every other rvd_front on the same database refuse it too. Ids known ended are also
/// kept in memory, so a replayed cookie costs no query; an id not known is asked of the database each time,
/// since another process may have ended it since.
/// </summary>
internal sealed class EndedSessions(IEndedSessionStore store, TimeProvider timeProvider, IOptions<FrontOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> known = new(StringComparer.Ordinal);

    public async Task EndAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var forgetAt = now.AddHours(options.Value.SessionMaxHours);
        ForgetPassed(now);
        known[sessionId] = forgetAt;
        await store.EndAsync(sessionId, forgetAt, cancellationToken);
        await store.PurgeAsync(now, cancellationToken);
    }

    public async Task<bool> HasEndedAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (known.TryGetValue(sessionId, out var forgetAt) && forgetAt > now)
        {
            return true;
        }

        if (!await store.HasEndedAsync(sessionId, now, cancellationToken))
        {
            return false;
        }

        // The row was written at the logout, no later than now: it is forgotten no later than this.
        ForgetPassed(now);
        known[sessionId] = now.AddHours(options.Value.SessionMaxHours);
        return true;
    }

    private void ForgetPassed(DateTimeOffset now)
    {
        foreach (var (id, forgetAt) in known)
        {
            if (forgetAt <= now)
            {
                known.TryRemove(id, out _);
            }
        }
    }
}
