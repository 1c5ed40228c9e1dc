using Dapper;
using Ravada.Core.Users;
using Ravada.Data.Connections;
using Ravada.Data.Migrations;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class ExternalAccountStoreTests
{
    [Theory, DatabaseData]
    public async Task An_external_user_has_no_password_the_default_grants_and_its_source(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();

        var created = await database.Get<IExternalAccountStore>().CreateExternalAsync("alice", "ldap", Cancel);

        Assert.Equal(new User(created.Id, "alice", false, false, "ldap", database.Time.GetUtcNow()), await users.FindByNameAsync("alice", Cancel));
        Assert.Null(await users.GetPasswordHashAsync(created.Id, Cancel));
        Assert.Equal(GrantNames.DefaultForUsers.Order(), (await users.FindWithGrantsAsync(created.Id, Cancel))!.Grants.Keys.Order());
    }

    [Theory, DatabaseData]
    public async Task An_external_user_cannot_take_a_local_name(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await database.Get<IUserStore>().CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        await Assert.ThrowsAsync<DuplicateNameException>(() => database.Get<IExternalAccountStore>().CreateExternalAsync("alice", "ldap", Cancel));

        Assert.Equal("sql", (await database.Get<IUserStore>().FindByNameAsync("alice", Cancel))!.ExternalAuth);
    }

    [Theory, DatabaseData]
    public async Task Syncing_groups_adds_and_removes_the_directorys_memberships_and_keeps_local_ones(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var accounts = database.Get<IExternalAccountStore>();
        var bob = await accounts.CreateExternalAsync("bob", "ldap", Cancel);
        await users.AddToGroupAsync(bob.Id, await users.EnsureGroupAsync("lab-helpers", Cancel), Cancel);
        await users.AddToGroupAsync(bob.Id, await users.EnsureGroupAsync("staff", Cancel), Cancel);

        await accounts.SyncGroupsAsync(bob.Id, "ldap", ["teachers", "staff"], Cancel);
        Assert.Equal(["lab-helpers", "staff", "teachers"], await users.GroupsOfAsync(bob.Id, Cancel));

        await accounts.SyncGroupsAsync(bob.Id, "ldap", ["projectors"], Cancel);
        Assert.Equal(["lab-helpers", "projectors", "staff"], await users.GroupsOfAsync(bob.Id, Cancel));

        await accounts.SyncGroupsAsync(bob.Id, "ldap", [], Cancel);
        Assert.Equal(["lab-helpers", "staff"], await users.GroupsOfAsync(bob.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Syncing_one_user_leaves_other_members_of_the_same_groups_alone(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var accounts = database.Get<IExternalAccountStore>();
        var alice = await accounts.CreateExternalAsync("alice", "ldap", Cancel);
        var dave = await accounts.CreateExternalAsync("dave", "ldap", Cancel);
        await accounts.SyncGroupsAsync(alice.Id, "ldap", ["students"], Cancel);
        await accounts.SyncGroupsAsync(dave.Id, "ldap", ["students"], Cancel);

        await accounts.SyncGroupsAsync(alice.Id, "ldap", [], Cancel);

        Assert.Equal([], await users.GroupsOfAsync(alice.Id, Cancel));
        Assert.Equal(["students"], await users.GroupsOfAsync(dave.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Upgrading_to_migration_8_makes_existing_memberships_local(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await database.Get<DatabaseMigrator>().MigrateUpToAsync(6, Cancel);
        var users = database.Get<IUserStore>();
        var carol = await users.CreateAsync("carol", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        await users.AddToGroupAsync(carol.Id, await users.EnsureGroupAsync("lab", Cancel), Cancel);

        await database.Get<DatabaseMigrator>().MigrateUpAsync(Cancel);
        await database.Get<IExternalAccountStore>().SyncGroupsAsync(carol.Id, "ldap", [], Cancel);

        Assert.Equal(["lab"], await users.GroupsOfAsync(carol.Id, Cancel));
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel);
        Assert.Equal("local", await connection.ExecuteScalarAsync<string>("SELECT source FROM user_group_members"));
    }
}
