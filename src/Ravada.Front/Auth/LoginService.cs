using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Ravada.Core.Users;

namespace Ravada.Front.Auth;

/// <summary>The outcome of a login attempt.</summary>
internal enum LoginOutcome
{
    /// <summary>The user may come in.</summary>
    Success,

    /// <summary>Wrong name or password (the two are not told apart).</summary>
    Wrong,

    /// <summary>Too many attempts from this address or for this account; try again in a minute.</summary>
    Throttled,

    /// <summary>The account is locked after repeated failures, until its cool-down ends.</summary>
    LockedOut,
}

/// <summary>
/// Checks logins against the local users. Attempts are limited per minute per client address and per account
/// name (in memory), an account is locked for <see cref="FrontOptions.LockoutMinutes"/> after
/// <see cref="FrontOptions.LockoutFailures"/> failures in a row (in the database, so a restart does not reset
/// it), and every attempt goes to the login audit log. A refused attempt is answered at once: nothing sleeps in
/// a server thread, so a flood of bad logins leaves every other user's requests as fast as before. A hash from
/// Perl Ravada is replaced at the first successful login. Names unknown here, and accounts marked as an
/// external directory's, are checked by that directory when one is configured (<see cref="ExternalSignIn"/>:
/// LDAP never speaks for a local account), with the same lockout and audit.
/// </summary>
internal sealed class LoginService : IDisposable
{
    private static readonly string DummyHash = Passwords.Hash("timing-equalizer-password");

    private readonly IUserStore users;
    private readonly ILoginRecords records;
    private readonly ExternalSignIn externalSignIn;
    private readonly TimeProvider timeProvider;
    private readonly FrontOptions options;
    private readonly PartitionedRateLimiter<string> byAddress;
    private readonly PartitionedRateLimiter<string> byAccount;

    public LoginService(IUserStore users, ILoginRecords records, ExternalSignIn externalSignIn, TimeProvider timeProvider, IOptions<FrontOptions> options)
    {
        this.users = users;
        this.records = records;
        this.externalSignIn = externalSignIn;
        this.timeProvider = timeProvider;
        this.options = options.Value;
        byAddress = Limiter(this.options.LoginAttemptsPerMinute);
        byAccount = Limiter(this.options.LoginAttemptsPerMinute);
    }

    /// <summary>Whether the client address has no login attempt left this minute (nothing is used up by asking).</summary>
    public bool HasUsedUpAttempts(string clientAddress) => byAddress.GetStatistics(clientAddress) is { CurrentAvailablePermits: 0 };

    /// <summary>Writes the audit line of an attempt refused because its address has no attempt left.</summary>
    public Task AuditThrottledAsync(string userName, string clientAddress, CancellationToken cancellationToken) =>
        AuditAsync(userName, null, clientAddress, LoginResult.Throttled, timeProvider.GetUtcNow(), cancellationToken);

    /// <summary>Checks a login; for a locked account, also until when it is locked.</summary>
    public async Task<(LoginOutcome Outcome, User? User, string? PasswordHash, DateTimeOffset? LockedUntil)> LoginAsync(
        string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        using var addressLease = byAddress.AttemptAcquire(clientAddress);
        using var accountLease = byAccount.AttemptAcquire(userName.Trim().ToLowerInvariant());
        if (!addressLease.IsAcquired || !accountLease.IsAcquired)
        {
            await AuditThrottledAsync(userName, clientAddress, cancellationToken);
            return (LoginOutcome.Throttled, null, null, null);
        }

        var user = UserName.IsValid(userName) ? await users.FindByNameAsync(userName, cancellationToken) : null;
        if (UserName.IsValid(userName) && externalSignIn.MayAuthenticate(user))
        {
            return await ExternalLoginAsync(userName, password, user, clientAddress, now, cancellationToken);
        }

        var hash = user is null ? null : await users.GetPasswordHashAsync(user.Id, cancellationToken);
        if (user is null || hash is null)
        {
            // Hash anyway, so that the answer takes as long for an unknown user as for a wrong password.
            Passwords.Verify(DummyHash, password);
            await RecordFailureAsync(userName, user, clientAddress, now, cancellationToken);
            return (LoginOutcome.Wrong, null, null, null);
        }

        var accountLock = await records.GetLockAsync(user.Id, cancellationToken);
        if (accountLock.IsLockedAt(now))
        {
            return await LockedOutAsync(userName, user, accountLock, clientAddress, now, cancellationToken);
        }

        var check = Passwords.Verify(hash, password);
        if (check == PasswordCheck.Wrong)
        {
            await RecordFailureAsync(userName, user, clientAddress, now, cancellationToken);
            return (LoginOutcome.Wrong, null, null, null);
        }

        if (check == PasswordCheck.RightButRehash)
        {
            hash = Passwords.Hash(password);
            await users.SetPasswordHashAsync(user.Id, hash, user.MustChangePassword, cancellationToken);
        }

        await RecordSuccessAsync(userName, user, accountLock, clientAddress, now, cancellationToken);
        return (LoginOutcome.Success, user, hash, null);
    }

    /// <summary>A login the external directory checks; <paramref name="user"/> is the directory's account when it has one already.</summary>
    private async Task<(LoginOutcome Outcome, User? User, string? PasswordHash, DateTimeOffset? LockedUntil)> ExternalLoginAsync(
        string userName, string password, User? user, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accountLock = user is null ? null : await records.GetLockAsync(user.Id, cancellationToken);
        if (accountLock is not null && accountLock.IsLockedAt(now))
        {
            return await LockedOutAsync(userName, user!, accountLock, clientAddress, now, cancellationToken);
        }

        var signedIn = await externalSignIn.SignInAsync(userName, password, cancellationToken);
        if (signedIn is null)
        {
            await RecordFailureAsync(userName, user, clientAddress, now, cancellationToken);
            return (LoginOutcome.Wrong, null, null, null);
        }

        await RecordSuccessAsync(userName, signedIn, accountLock, clientAddress, now, cancellationToken);
        return (LoginOutcome.Success, signedIn, null, null);
    }

    public void Dispose()
    {
        byAddress.Dispose();
        byAccount.Dispose();
    }

    private async Task<(LoginOutcome Outcome, User? User, string? PasswordHash, DateTimeOffset? LockedUntil)> LockedOutAsync(
        string userName, User user, AccountLock accountLock, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AuditAsync(userName, user.Id, clientAddress, LoginResult.LockedOut, now, cancellationToken);
        return (LoginOutcome.LockedOut, null, null, accountLock.LockedUntil);
    }

    /// <summary>A wrong password counts towards the account's lock; a name that is no account is only audited.</summary>
    private async Task RecordFailureAsync(string userName, User? user, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (user is not null)
        {
            await records.AddFailureAsync(user.Id, options.LockoutFailures, now.AddMinutes(options.LockoutMinutes), cancellationToken);
        }

        await AuditAsync(userName, user?.Id, clientAddress, user is null ? LoginResult.UnknownUser : LoginResult.WrongPassword, now, cancellationToken);
    }

    private async Task RecordSuccessAsync(string userName, User user, AccountLock? accountLock, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (accountLock is { ConsecutiveFailures: > 0 } or { LockedUntil: not null })
        {
            await records.ClearFailuresAsync(user.Id, cancellationToken);
        }

        await AuditAsync(userName, user.Id, clientAddress, LoginResult.Success, now, cancellationToken);
    }

    private Task AuditAsync(string userName, long? userId, string clientAddress, LoginResult result, DateTimeOffset at, CancellationToken cancellationToken) =>
        records.AppendAsync(new LoginAttempt(0, userName, userId, clientAddress, result, at), cancellationToken);

    private static PartitionedRateLimiter<string> Limiter(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
