namespace Ravada.Core.Users;

/// <summary>How a login attempt ended, as the audit log records it.</summary>
public enum LoginResult
{
    /// <summary>The user came in.</summary>
    Success,

    /// <summary>Wrong password for an existing account.</summary>
    WrongPassword,

    /// <summary>No such account.</summary>
    UnknownUser,

    /// <summary>Refused unchecked: too many attempts from the address or for the account in the last minute.</summary>
    Throttled,

    /// <summary>Refused unchecked: the account is locked after repeated failures.</summary>
    LockedOut,
}

/// <summary>One line of the login audit log. The password is never part of it.</summary>
/// <param name="Id">Increasing id.</param>
/// <param name="UserName">The name typed (trimmed and cut to 64 characters).</param>
/// <param name="UserId">The account, when the name is one.</param>
/// <param name="ClientAddress">The client's address.</param>
/// <param name="Result">How it ended.</param>
/// <param name="At">When.</param>
public sealed record LoginAttempt(long Id, string UserName, long? UserId, string ClientAddress, LoginResult Result, DateTimeOffset At);

/// <summary>An account's run of failed logins.</summary>
/// <param name="ConsecutiveFailures">Failures since the last success (or unlock).</param>
/// <param name="LockedUntil">Until when logins are refused unchecked, if locked.</param>
public sealed record AccountLock(int ConsecutiveFailures, DateTimeOffset? LockedUntil)
{
    /// <summary>Whether logins are refused at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>The login audit log and the failure counts behind account lockout; both survive restarts.</summary>
public interface ILoginRecords
{
    /// <summary>Appends an attempt to the audit log (its id is ignored).</summary>
    Task AppendAsync(LoginAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>The latest attempts, newest first.</summary>
    Task<IReadOnlyList<LoginAttempt>> ListRecentAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>The account's failures and lock.</summary>
    Task<AccountLock> GetLockAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>The ids of the accounts locked at <paramref name="now"/>.</summary>
    Task<IReadOnlySet<long>> ListLockedAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Counts one more failure; locks the account until <paramref name="lockUntil"/> when the count reaches <paramref name="lockAfter"/>. Returns the new state.</summary>
    Task<AccountLock> AddFailureAsync(long userId, int lockAfter, DateTimeOffset lockUntil, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures and any lock (after a success, or by an administrator).</summary>
    Task ClearFailuresAsync(long userId, CancellationToken cancellationToken = default);
}
