using System.Data.Common;
using Ravada.Core.Users;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="IExternalAccountStore"/> on the <c>users</c>, <c>user_groups</c> and <c>user_group_members</c> tables.</summary>
internal sealed class ExternalAccountStore(SqlExecutor sql, ISqlDialect dialect, TimeProvider timeProvider) : IExternalAccountStore
{
    public async Task<User> CreateExternalAsync(string name, string source, CancellationToken cancellationToken = default)
    {
        var now = EpochTime.Now(timeProvider);
        var insert = dialect.InsertReturningId("""
            INSERT INTO users (name, password_hash, is_admin, must_change_password, external_auth, created_at, changed_at)
            VALUES (@Name, NULL, @No, @No, @Source, @Now, @Now)
            """);
        try
        {
            var id = await sql.InTransactionAsync(async transaction =>
            {
                var userId = await transaction.ScalarAsync<long>(insert, new { Name = name, No = false, Source = source, Now = now });
                await transaction.ExecuteAsync(
                    "INSERT INTO user_grants (user_id, grant_type_id, value) SELECT @UserId, id, default_user FROM grant_types WHERE default_user <> 0",
                    new { UserId = userId });
                return userId;
            }, cancellationToken);
            return new User(id, name, false, false, source, EpochTime.FromMilliseconds(now));
        }
        catch (DbException exception) when (dialect.IsUniqueViolation(exception))
        {
            throw new DuplicateNameException($"a user named '{name}' already exists", exception);
        }
    }

    public async Task SyncGroupsAsync(long userId, string source, IReadOnlyCollection<string> groups, CancellationToken cancellationToken = default)
    {
        var wanted = new HashSet<long>();
        foreach (var name in groups.Distinct(StringComparer.Ordinal))
        {
            await sql.ExecuteAsync(
                dialect.InsertUnlessExists("INSERT INTO user_groups (name, created_at) VALUES (@Name, @Now)", "name"),
                new { Name = name, Now = EpochTime.Now(timeProvider) }, cancellationToken);
            var groupId = await sql.ScalarAsync<long>("SELECT id FROM user_groups WHERE name = @Name", new { Name = name }, cancellationToken);
            wanted.Add(groupId);
            await sql.ExecuteAsync(
                dialect.InsertUnlessExists(
                    "INSERT INTO user_group_members (user_id, group_id, source) VALUES (@UserId, @GroupId, @Source)", "user_id, group_id"),
                new { UserId = userId, GroupId = groupId, Source = source }, cancellationToken);
        }

        var held = await sql.ListAsync<long>(
            "SELECT group_id FROM user_group_members WHERE user_id = @UserId AND source = @Source",
            new { UserId = userId, Source = source }, cancellationToken);
        foreach (var stale in held.Where(groupId => !wanted.Contains(groupId)))
        {
            await sql.ExecuteAsync(
                "DELETE FROM user_group_members WHERE user_id = @UserId AND group_id = @GroupId AND source = @Source",
                new { UserId = userId, GroupId = stale, Source = source }, cancellationToken);
        }
    }
}
