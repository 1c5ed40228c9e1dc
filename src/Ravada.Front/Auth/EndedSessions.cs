using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Ravada.Front.Auth;

/// <summary>
/// The sessions ended by a logout. A session cookie is self-contained, so a copy of it kept from before the
/// logout would still be valid; each session has an id, and an id recorded here is refused until the session
/// would have reached its absolute lifetime anyway. Kept in memory: a restart of rvd_front forgets it, which
/// <c>docs/security.md</c> tells.
/// </summary>
internal sealed class EndedSessions(TimeProvider timeProvider, IOptions<FrontOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> ended = new(StringComparer.Ordinal);

    public void End(string sessionId)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (id, forgetAt) in ended)
        {
            if (forgetAt <= now)
            {
                ended.TryRemove(id, out _);
            }
        }

        ended[sessionId] = now.AddHours(options.Value.SessionMaxHours);
    }

    public bool HasEnded(string sessionId) => ended.ContainsKey(sessionId);
}
