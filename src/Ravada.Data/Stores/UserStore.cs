using System.Data.Common;
using Ravada.Core.Users;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="IUserStore"/> on the <c>users</c>, <c>user_groups</c> and <c>user_grants</c> tables.</summary>
internal sealed class UserStore(SqlExecutor sql, ISqlDialect dialect, TimeProvider timeProvider) : IUserStore
{
    private const string UserColumns =
        "id, name, is_admin AS IsAdmin, must_change_password AS MustChangePassword, external_auth AS ExternalAuth, created_at AS CreatedAt";

    public async Task<User> CreateAsync(string name, string passwordHash, bool isAdmin, bool mustChangePassword, CancellationToken cancellationToken = default)
    {
        var now = EpochTime.Now(timeProvider);
        var insert = dialect.InsertReturningId("""
            INSERT INTO users (name, password_hash, is_admin, must_change_password, external_auth, created_at, changed_at)
            VALUES (@Name, @PasswordHash, @IsAdmin, @MustChangePassword, 'sql', @Now, @Now)
            """);
        try
        {
            var id = await sql.InTransactionAsync(async transaction =>
            {
                var userId = await transaction.ScalarAsync<long>(insert, new { Name = name, PasswordHash = passwordHash, IsAdmin = isAdmin, MustChangePassword = mustChangePassword, Now = now });
                await transaction.ExecuteAsync(
                    "INSERT INTO user_grants (user_id, grant_type_id, value) SELECT @UserId, id, default_user FROM grant_types WHERE default_user <> 0",
                    new { UserId = userId });
                return userId;
            }, cancellationToken);
            return new User(id, name, isAdmin, mustChangePassword, "sql", EpochTime.FromMilliseconds(now));
        }
        catch (DbException exception) when (dialect.IsUniqueViolation(exception))
        {
            throw new DuplicateNameException($"a user named '{name}' already exists", exception);
        }
    }

    public async Task<User?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        (await sql.SingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE name = @Name", new { Name = name }, cancellationToken))?.ToUser();

    public async Task<User?> FindAsync(long id, CancellationToken cancellationToken = default) =>
        (await sql.SingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken))?.ToUser();

    public async Task<UserWithGrants?> FindWithGrantsAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(id, cancellationToken);
        if (user is null)
        {
            return null;
        }

        // The user's own grants and those of its groups; the largest value wins (a higher start_limit gives more).
        var rows = await sql.ListAsync<GrantRow>(
            """
            SELECT g.name, ug.value FROM user_grants ug JOIN grant_types g ON g.id = ug.grant_type_id WHERE ug.user_id = @Id
            UNION ALL
            SELECT g.name, gg.value FROM group_grants gg
                JOIN grant_types g ON g.id = gg.grant_type_id
                JOIN user_group_members m ON m.group_id = gg.group_id
            WHERE m.user_id = @Id
            """,
            new { Id = id }, cancellationToken);
        var groups = await GroupsOfAsync(id, cancellationToken);
        return new UserWithGrants(user, ToGrants(rows)) { Groups = groups.ToHashSet(StringComparer.Ordinal) };
    }

    public async Task<IReadOnlyDictionary<Grant, int>> OwnGrantsAsync(long userId, CancellationToken cancellationToken = default) =>
        ToGrants(await sql.ListAsync<GrantRow>(
            "SELECT g.name, ug.value FROM user_grants ug JOIN grant_types g ON g.id = ug.grant_type_id WHERE ug.user_id = @UserId",
            new { UserId = userId }, cancellationToken));

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<UserRow>($"SELECT {UserColumns} FROM users ORDER BY name", null, cancellationToken)).Select(row => row.ToUser())];

    public Task<string?> GetPasswordHashAsync(long userId, CancellationToken cancellationToken = default) =>
        sql.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = @Id", new { Id = userId }, cancellationToken);

    public Task SetPasswordHashAsync(long userId, string passwordHash, bool mustChangePassword, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            "UPDATE users SET password_hash = @PasswordHash, must_change_password = @MustChangePassword, changed_at = @Now WHERE id = @Id",
            new { Id = userId, PasswordHash = passwordHash, MustChangePassword = mustChangePassword, Now = EpochTime.Now(timeProvider) },
            cancellationToken);

    public Task SetAdminAsync(long userId, bool isAdmin, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            "UPDATE users SET is_admin = @IsAdmin, changed_at = @Now WHERE id = @Id",
            new { Id = userId, IsAdmin = isAdmin, Now = EpochTime.Now(timeProvider) },
            cancellationToken);

    public async Task<bool> RemoveAsync(long userId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await sql.ExecuteAsync("DELETE FROM users WHERE id = @Id", new { Id = userId }, cancellationToken) > 0;
        }
        catch (DbException exception) when (dialect.IsForeignKeyViolation(exception))
        {
            var machines = await sql.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE owner_id = @Id", new { Id = userId }, cancellationToken);
            throw new InvalidOperationException(
                $"user {userId} owns {machines} machine(s): remove them or give them to another user before removing the user", exception);
        }
    }

    public Task SetGrantAsync(long userId, Grant grant, int value, CancellationToken cancellationToken = default) =>
        SetGrantRowAsync("user_grants", "user_id", userId, grant, value, cancellationToken);

    public async Task<long> EnsureGroupAsync(string name, CancellationToken cancellationToken = default)
    {
        await sql.ExecuteAsync(
            dialect.InsertUnlessExists("INSERT INTO user_groups (name, created_at) VALUES (@Name, @Now)", "name"),
            new { Name = name, Now = EpochTime.Now(timeProvider) }, cancellationToken);
        return await sql.ScalarAsync<long>("SELECT id FROM user_groups WHERE name = @Name", new { Name = name }, cancellationToken);
    }

    public Task AddToGroupAsync(long userId, long groupId, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            dialect.InsertUnlessExists("INSERT INTO user_group_members (user_id, group_id) VALUES (@UserId, @GroupId)", "user_id, group_id"),
            new { UserId = userId, GroupId = groupId }, cancellationToken);

    public Task RemoveFromGroupAsync(long userId, long groupId, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync("DELETE FROM user_group_members WHERE user_id = @UserId AND group_id = @GroupId", new { UserId = userId, GroupId = groupId }, cancellationToken);

    public Task<IReadOnlyList<string>> GroupsOfAsync(long userId, CancellationToken cancellationToken = default) =>
        sql.ListAsync<string>(
            "SELECT g.name FROM user_groups g JOIN user_group_members m ON m.group_id = g.id WHERE m.user_id = @UserId ORDER BY g.name",
            new { UserId = userId }, cancellationToken);

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> ListMembershipsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await sql.ListAsync<(long UserId, string Name)>(
            "SELECT m.user_id AS UserId, g.name AS Name FROM user_group_members m JOIN user_groups g ON g.id = m.group_id ORDER BY g.name",
            null, cancellationToken);
        return rows.GroupBy(row => row.UserId)
            .ToDictionary(group => group.Key, IReadOnlyList<string> (group) => [.. group.Select(row => row.Name)]);
    }

    public Task<long?> FindGroupAsync(string name, CancellationToken cancellationToken = default) =>
        sql.ScalarAsync<long?>("SELECT id FROM user_groups WHERE name = @Name", new { Name = name }, cancellationToken);

    public async Task<IReadOnlyList<UserGroup>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<GroupRow>(
            """
            SELECT g.id, g.name, COUNT(m.user_id) AS members
            FROM user_groups g LEFT JOIN user_group_members m ON m.group_id = g.id
            GROUP BY g.id, g.name ORDER BY g.name
            """,
            null, cancellationToken)).Select(row => new UserGroup(row.Id, row.Name, (int)row.Members))];

    public Task SetGroupGrantAsync(long groupId, Grant grant, int value, CancellationToken cancellationToken = default)
    {
        if (grant == Grant.Admin)
        {
            throw new ArgumentException("admin is not given through groups: make each administrator with --make-admin", nameof(grant));
        }

        return SetGrantRowAsync("group_grants", "group_id", groupId, grant, value, cancellationToken);
    }

    /// <summary>Gives or takes a grant of a user (<c>user_grants</c>) or of a group (<c>group_grants</c>).</summary>
    private Task SetGrantRowAsync(string table, string holderColumn, long holderId, Grant grant, int value, CancellationToken cancellationToken)
    {
        var parameters = new { HolderId = holderId, Name = GrantNames.Name(grant), Value = value };
        return value == 0
            ? sql.ExecuteAsync(
                $"DELETE FROM {table} WHERE {holderColumn} = @HolderId AND grant_type_id = (SELECT id FROM grant_types WHERE name = @Name)",
                parameters, cancellationToken)
            : sql.ExecuteAsync(
                dialect.Upsert(
                    $"INSERT INTO {table} ({holderColumn}, grant_type_id, value) SELECT @HolderId, id, @Value FROM grant_types WHERE name = @Name",
                    $"{holderColumn}, grant_type_id", "value"),
                parameters, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Grant, int>> GroupGrantsAsync(long groupId, CancellationToken cancellationToken = default) =>
        ToGrants(await sql.ListAsync<GrantRow>(
            "SELECT g.name, gg.value FROM group_grants gg JOIN grant_types g ON g.id = gg.grant_type_id WHERE gg.group_id = @GroupId",
            new { GroupId = groupId }, cancellationToken));

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<Grant, int>>> GroupGrantsOfMemberAsync(long userId, CancellationToken cancellationToken = default)
    {
        var rows = await sql.ListAsync<MemberGrantRow>(
            """
            SELECT g.name AS GroupName, t.name AS GrantName, gg.value AS Value
            FROM user_group_members m
                JOIN user_groups g ON g.id = m.group_id
                LEFT JOIN group_grants gg ON gg.group_id = g.id
                LEFT JOIN grant_types t ON t.id = gg.grant_type_id
            WHERE m.user_id = @UserId
            """,
            new { UserId = userId }, cancellationToken);
        return rows.GroupBy(row => row.GroupName, StringComparer.Ordinal).ToDictionary(
            group => group.Key,
            IReadOnlyDictionary<Grant, int> (group) => ToGrants(group
                .Where(row => row.GrantName is not null)
                .Select(row => new GrantRow { Name = row.GrantName!, Value = row.Value ?? 0 })),
            StringComparer.Ordinal);
    }

    private static Dictionary<Grant, int> ToGrants(IEnumerable<GrantRow> rows)
    {
        var grants = new Dictionary<Grant, int>();
        foreach (var row in rows)
        {
            if (GrantNames.Parse(row.Name) is { } grant)
            {
                grants[grant] = grants.TryGetValue(grant, out var held) ? Math.Max(held, row.Value) : row.Value;
            }
        }

        return grants;
    }

    private sealed class UserRow
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public bool IsAdmin { get; init; }

        public bool MustChangePassword { get; init; }

        public string ExternalAuth { get; init; } = "";

        public long CreatedAt { get; init; }

        public User ToUser() => new(Id, Name, IsAdmin, MustChangePassword, ExternalAuth, EpochTime.FromMilliseconds(CreatedAt));
    }

    private sealed class GroupRow
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public long Members { get; init; }
    }

    private sealed class MemberGrantRow
    {
        public string GroupName { get; init; } = "";

        public string? GrantName { get; init; }

        public int? Value { get; init; }
    }

    private sealed class GrantRow
    {
        public string Name { get; init; } = "";

        public int Value { get; init; }
    }
}
