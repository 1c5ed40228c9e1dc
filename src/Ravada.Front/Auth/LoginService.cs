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
}

/// <summary>
/// Checks logins against the local users, and people unknown here (or known as theirs) against the external
/// directory when one is configured (<see cref="ExternalSignIn"/>: LDAP never speaks for a local account). Attempts are limited per minute per client address and per account
/// name, and a refused attempt is answered at once: nothing sleeps in a server thread, so a flood of bad
/// logins leaves every other user's requests as fast as before.
/// </summary>
internal sealed class LoginService : IDisposable
{
    private static readonly string DummyHash = Passwords.Hash("timing-equalizer-password");

    private readonly IUserStore users;
    private readonly ExternalSignIn externalSignIn;
    private readonly PartitionedRateLimiter<string> byAddress;
    private readonly PartitionedRateLimiter<string> byAccount;

    public LoginService(IUserStore users, ExternalSignIn externalSignIn, IOptions<FrontOptions> options)
    {
        this.users = users;
        this.externalSignIn = externalSignIn;
        var perMinute = options.Value.LoginAttemptsPerMinute;
        byAddress = Limiter(perMinute);
        byAccount = Limiter(perMinute);
    }

    public async Task<(LoginOutcome Outcome, User? User, string? PasswordHash)> LoginAsync(string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        using var addressLease = byAddress.AttemptAcquire(clientAddress);
        using var accountLease = byAccount.AttemptAcquire(userName.Trim().ToLowerInvariant());
        if (!addressLease.IsAcquired || !accountLease.IsAcquired)
        {
            return (LoginOutcome.Throttled, null, null);
        }

        var user = UserName.IsValid(userName) ? await users.FindByNameAsync(userName, cancellationToken) : null;
        if (UserName.IsValid(userName) && externalSignIn.MayAuthenticate(user))
        {
            var external = await externalSignIn.SignInAsync(userName, password, cancellationToken);
            return external is null ? (LoginOutcome.Wrong, null, null) : (LoginOutcome.Success, external, null);
        }

        var hash = user is null ? null : await users.GetPasswordHashAsync(user.Id, cancellationToken);
        if (user is null || hash is null)
        {
            // Hash anyway, so that the answer takes as long for an unknown user as for a wrong password.
            Passwords.Verify(DummyHash, password);
            return (LoginOutcome.Wrong, null, null);
        }

        switch (Passwords.Verify(hash, password))
        {
            case PasswordCheck.Right:
                return (LoginOutcome.Success, user, hash);
            case PasswordCheck.RightButRehash:
                var rehashed = Passwords.Hash(password);
                await users.SetPasswordHashAsync(user.Id, rehashed, user.MustChangePassword, cancellationToken);
                return (LoginOutcome.Success, user, rehashed);
            default:
                return (LoginOutcome.Wrong, null, null);
        }
    }

    public void Dispose()
    {
        byAddress.Dispose();
        byAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Limiter(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
