using Microsoft.Extensions.Logging;

namespace Ravada.Core.Users;

/// <summary>Who an external directory says a person is, after checking the password or looking the name up.</summary>
/// <param name="UserName">The login name as the directory spells it (the local account gets this name).</param>
/// <param name="DistinguishedName">The person's entry in the directory.</param>
/// <param name="Groups">The names of every group the person belongs to, directly or through nested groups.</param>
public sealed record ExternalIdentity(string UserName, string DistinguishedName, IReadOnlyList<string> Groups);

/// <summary>A directory that checks passwords for accounts Ravada does not hold a password for (LDAP).</summary>
public interface IExternalDirectory
{
    /// <summary>What <see cref="User.ExternalAuth"/> says for the accounts this directory vouches for (<c>ldap</c>).</summary>
    string Source { get; }

    /// <summary>
    /// The person, when <paramref name="password"/> is theirs (and they may log in); null when the name is unknown,
    /// the password wrong or empty. Throws <see cref="ExternalDirectoryException"/> when the directory cannot answer.
    /// </summary>
    Task<ExternalIdentity?> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken = default);

    /// <summary>The person with that login name, without a password check; null when there is none.</summary>
    Task<ExternalIdentity?> FindAsync(string userName, CancellationToken cancellationToken = default);
}

/// <summary>The directory could not be asked: unreachable, a refused certificate, wrong service credentials.</summary>
public sealed class ExternalDirectoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExternalDirectoryException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ExternalDirectoryException() { }

    /// <summary>Creates the exception.</summary>
    public ExternalDirectoryException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Local rows for people an external directory vouches for.</summary>
public interface IExternalAccountStore
{
    /// <summary>
    /// Creates a user without a local password, marked with <paramref name="source"/>, with the default grants; throws
    /// <see cref="DuplicateNameException"/> when the name is taken.
    /// </summary>
    Task<User> CreateExternalAsync(string name, string source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the user's memberships that came from <paramref name="source"/> exactly <paramref name="groups"/> (creating
    /// groups as needed). Memberships given locally are left as they are.
    /// </summary>
    Task SyncGroupsAsync(long userId, string source, IReadOnlyCollection<string> groups, CancellationToken cancellationToken = default);
}

/// <summary>
/// Logins and imports of people from an external directory (LDAP), with one rule above all: a directory never
/// speaks for a local account. A name that exists locally with <c>sql</c> authentication is checked against its
/// local password only, and a directory login that comes back with such a name fails. People the directory
/// vouches for get a local row marked with the directory's <see cref="IExternalDirectory.Source"/> at their first
/// login, and their groups are copied at every login, so group rules on bases and grants see them.
/// </summary>
public sealed partial class ExternalSignIn(
    IUserStore users, IExternalAccountStore accounts, IEnumerable<IExternalDirectory> directories, ILogger<ExternalSignIn> logger)
{
    private readonly IExternalDirectory? directory = directories.FirstOrDefault();

    /// <summary>Whether a directory is configured.</summary>
    public bool IsEnabled => directory is not null;

    /// <summary>Whether the directory may check the password of <paramref name="localUser"/> (null: no local row).</summary>
    public bool MayAuthenticate(User? localUser) => directory is not null && (localUser is null || localUser.ExternalAuth == directory.Source);

    /// <summary>
    /// The local user for a successful directory login, created at the first one, with its groups brought up to
    /// date; null when the directory refuses, cannot answer (logged), or the name belongs to a local account.
    /// </summary>
    public async Task<User?> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (directory is null || !UserName.IsValid(userName) || !MayAuthenticate(await users.FindByNameAsync(userName, cancellationToken)))
        {
            return null;
        }

        ExternalIdentity? identity;
        try
        {
            identity = await directory.AuthenticateAsync(userName, password, cancellationToken);
        }
        catch (ExternalDirectoryException exception)
        {
            LogDirectoryFailed(directory.Source, exception.Message);
            return null;
        }

        if (identity is null)
        {
            return null;
        }

        if (!UserName.IsValid(identity.UserName))
        {
            LogInvalidName(directory.Source, identity.DistinguishedName);
            return null;
        }

        var user = await LocalAccountForAsync(identity, cancellationToken);
        if (user is null)
        {
            LogLocalNameTaken(directory.Source, identity.UserName);
            return null;
        }

        await accounts.SyncGroupsAsync(user.Id, directory.Source, identity.Groups, cancellationToken);
        return user;
    }

    /// <summary>
    /// Creates the local row of a directory user before their first login (<c>rvd_back --add-user-ldap</c>), with
    /// their groups. Throws <see cref="InvalidOperationException"/> when no directory is configured, the directory
    /// has no such person, or the name is a local account's.
    /// </summary>
    public async Task<(User User, ExternalIdentity Identity)> ImportAsync(string userName, CancellationToken cancellationToken = default)
    {
        if (directory is null)
        {
            throw new InvalidOperationException("no external directory is configured (the ldap section of the configuration)");
        }

        var identity = await directory.FindAsync(UserName.Validate(userName), cancellationToken)
            ?? throw new InvalidOperationException($"{directory.Source}: no entry for {userName}");
        UserName.Validate(identity.UserName);
        var user = await LocalAccountForAsync(identity, cancellationToken)
            ?? throw new InvalidOperationException($"{identity.UserName} is a local account: the {directory.Source} user of the same name cannot take it over");
        await accounts.SyncGroupsAsync(user.Id, directory.Source, identity.Groups, cancellationToken);
        return (user, identity);
    }

    /// <summary>The directory's own local row for the person (whose name is valid), created when missing; null when the name is a local account.</summary>
    private async Task<User?> LocalAccountForAsync(ExternalIdentity identity, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(identity.UserName, cancellationToken);
        if (user is null)
        {
            try
            {
                user = await accounts.CreateExternalAsync(identity.UserName, directory!.Source, cancellationToken);
            }
            catch (DuplicateNameException)
            {
                // Two first logins at once: the other one created the row.
                user = await users.FindByNameAsync(identity.UserName, cancellationToken);
            }
        }

        return user is not null && user.ExternalAuth == directory!.Source ? user : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login through {Source} failed: {Reason}")]
    private partial void LogDirectoryFailed(string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Source} login of {DistinguishedName}: its login name is not a valid user name here")]
    private partial void LogInvalidName(string source, string distinguishedName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Source} login as {UserName}: that name is a local account")]
    private partial void LogLocalNameTaken(string source, string userName);
}
