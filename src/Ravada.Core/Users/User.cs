namespace Ravada.Core.Users;

/// <summary>A person (or the system) that may log in and own machines.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Name">Login name, unique.</param>
/// <param name="IsAdmin">Administrators may do everything.</param>
/// <param name="MustChangePassword">The next login must set a new password.</param>
/// <param name="ExternalAuth">Where the password is checked: <c>sql</c> (ours) or <c>ldap</c>.</param>
/// <param name="CreatedAt">When the account was created.</param>
public sealed record User(long Id, string Name, bool IsAdmin, bool MustChangePassword, string ExternalAuth, DateTimeOffset CreatedAt)
{
    /// <summary>The built-in account that owns what rvd_back does on its own (reconcile, schedules).</summary>
    public const string DaemonName = "daemon";
}

/// <summary>A user together with the grants it holds, its own and those of its groups.</summary>
/// <param name="User">The user.</param>
/// <param name="Grants">
/// Granted permissions and their values (1 for yes/no grants, the number for numeric ones); a grant held both
/// personally and through groups has the largest of the values.
/// </param>
public sealed record UserWithGrants(User User, IReadOnlyDictionary<Grant, int> Grants)
{
    /// <summary>The names of the groups the user belongs to.</summary>
    public IReadOnlySet<string> Groups { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the user holds <paramref name="grant"/> (administrators hold everything).</summary>
    public bool Has(Grant grant) => User.IsAdmin || (Grants.TryGetValue(grant, out var value) && value != 0);

    /// <summary>The value of a numeric grant, or null when not granted.</summary>
    public int? Value(Grant grant) => Grants.TryGetValue(grant, out var value) ? value : null;
}

/// <summary>Users, passwords, groups and grants.</summary>
public interface IUserStore
{
    /// <summary>Creates a user with the default grants; throws <see cref="DuplicateNameException"/> when the name is taken.</summary>
    Task<User> CreateAsync(string name, string passwordHash, bool isAdmin, bool mustChangePassword, CancellationToken cancellationToken = default);

    /// <summary>The user with this name, or null.</summary>
    Task<User?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The user with this id, or null.</summary>
    Task<User?> FindAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The user with its grants, or null.</summary>
    Task<UserWithGrants?> FindWithGrantsAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The grants given to the user itself, without those of its groups.</summary>
    Task<IReadOnlyDictionary<Grant, int>> OwnGrantsAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored password hash, or null for users without a local password.</summary>
    Task<string?> GetPasswordHashAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new password hash and the forced-change flag.</summary>
    Task SetPasswordHashAsync(long userId, string passwordHash, bool mustChangePassword, CancellationToken cancellationToken = default);

    /// <summary>Makes the user an administrator or a plain user.</summary>
    Task SetAdminAsync(long userId, bool isAdmin, CancellationToken cancellationToken = default);

    /// <summary>Removes the user; returns false when it did not exist.</summary>
    Task<bool> RemoveAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Gives (value ≠ 0) or takes (value = 0) a grant.</summary>
    Task SetGrantAsync(long userId, Grant grant, int value, CancellationToken cancellationToken = default);

    /// <summary>Creates a group, or returns the existing one with that name.</summary>
    Task<long> EnsureGroupAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds the user to the group (no-op when already a member).</summary>
    Task AddToGroupAsync(long userId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>Removes the user from that one group.</summary>
    Task RemoveFromGroupAsync(long userId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>The names of the groups the user belongs to.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>The group names of every user who belongs to a group, by user id; users of no group are absent.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ListMembershipsAsync(CancellationToken cancellationToken = default);

    /// <summary>The id of the group with this name, or null.</summary>
    Task<long?> FindGroupAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every group with its number of members, by name.</summary>
    Task<IReadOnlyList<UserGroup>> ListGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives (value ≠ 0) or takes (value = 0) a grant to every member of a group. <see cref="Grant.Admin"/> is
    /// refused with <see cref="ArgumentException"/>: administrators are marked one by one.
    /// </summary>
    Task SetGroupGrantAsync(long groupId, Grant grant, int value, CancellationToken cancellationToken = default);

    /// <summary>The grants given to a group.</summary>
    Task<IReadOnlyDictionary<Grant, int>> GroupGrantsAsync(long groupId, CancellationToken cancellationToken = default);

    /// <summary>Every group the user belongs to, by name, with the grants it gives (empty for a group that gives none).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<Grant, int>>> GroupGrantsOfMemberAsync(long userId, CancellationToken cancellationToken = default);
}

/// <summary>A group of users, local or copied from a directory.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Name">Unique name (for LDAP groups, their <c>cn</c>).</param>
/// <param name="Members">How many users belong to it.</param>
public sealed record UserGroup(long Id, string Name, int Members);

/// <summary>A unique name is already taken.</summary>
public sealed class DuplicateNameException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateNameException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public DuplicateNameException() { }

    /// <summary>Creates the exception.</summary>
    public DuplicateNameException(string message, Exception innerException) : base(message, innerException) { }
}
