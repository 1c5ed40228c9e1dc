using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Users;
using Ravada.Data.Connections;
using Ravada.Data.Migrations;
using Ravada.Data.Tests.Support;

namespace Ravada.Data.Tests.Migrations;

public sealed class MigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Migrating_an_up_to_date_database_again_changes_nothing(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await database.Get<IUserStore>().CreateAsync("kept", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var before = await AppliedVersionsAsync(database);

        await database.Get<DatabaseMigrator>().MigrateUpAsync(Cancel);

        Assert.Equal([1, 2, 3], before);
        Assert.Equal(before, await AppliedVersionsAsync(database));
        Assert.NotNull(await database.Get<IUserStore>().FindByNameAsync("kept", Cancel));
    }

    [Theory, DatabaseData]
    public async Task Two_processes_starting_at_once_both_end_with_one_schema(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var first = database.CreateServices(database.Time);
        await using var second = database.CreateServices(database.Time);

        await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(Cancel), Cancel),
            Task.Run(() => second.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(Cancel), Cancel));

        Assert.Equal([1, 2, 3], await AppliedVersionsAsync(database));
        Assert.Single(await database.Get<IUserStore>().ListAsync(Cancel), user => user.Name == User.DaemonName);
    }

    [Theory, DatabaseData]
    public async Task The_schema_starts_with_the_daemon_user_and_every_grant_type(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();

        var daemon = Assert.Single(await users.ListAsync(Cancel));

        Assert.Equal((User.DaemonName, true, "sql"), (daemon.Name, daemon.IsAdmin, daemon.ExternalAuth));
        Assert.Null(await users.GetPasswordHashAsync(daemon.Id, Cancel));
        Assert.Equal(GrantNames.All.Count, await SqlProbe.CountAsync(database, "grant_types"));
        Assert.Equal(GrantNames.DefaultForUsers.Count, await SqlProbe.CountAsync(database, "grant_types", "default_user = 1"));
        Assert.Equal(1, await SqlProbe.CountAsync(database, "grant_types", "is_numeric = TRUE AND name = 'start_limit'"));
    }

    private static async Task<IReadOnlyList<long>> AppliedVersionsAsync(TestDatabase database)
    {
        var quote = database.Engine == DatabaseEngine.MariaDb ? "`" : "\"";
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel);
        return [.. await connection.QueryAsync<long>($"SELECT {quote}Version{quote} FROM {quote}VersionInfo{quote} ORDER BY 1")];
    }
}
