namespace Ravada.Core.Users;

/// <summary>
/// The ids of portal sessions ended by a logout, kept until the session would have expired anyway. A session
/// cookie is self-contained, so a copy kept from before the logout stays valid unless its id is found here;
/// the list is in the database, so that it survives a restart and every portal process sharing it sees it.
/// </summary>
public interface IEndedSessionStore
{
    /// <summary>The longest session id the store holds.</summary>
    public const int MaxSessionIdLength = 32;

    /// <summary>Records that the session has ended, to be forgotten at <paramref name="forgetAt"/>. Ending it again changes nothing.</summary>
    Task EndAsync(string sessionId, DateTimeOffset forgetAt, CancellationToken cancellationToken = default);

    /// <summary>Whether the session was ended and is not yet to be forgotten at <paramref name="now"/>.</summary>
    Task<bool> HasEndedAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sessions whose time to be forgotten has come at <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
