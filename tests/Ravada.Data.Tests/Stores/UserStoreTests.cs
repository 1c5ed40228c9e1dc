using Ravada.Core.Messages;
using Ravada.Core.Users;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class UserStoreTests
{
    [Theory, DatabaseData]
    public async Task A_created_user_is_found_by_name_and_by_id(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();

        var created = await users.CreateAsync("alice", "hash-1", isAdmin: false, mustChangePassword: true, Cancel);

        var expected = new User(created.Id, "alice", false, true, "sql", database.Time.GetUtcNow());
        Assert.Equal(expected, created);
        Assert.Equal(expected, await users.FindByNameAsync("alice", Cancel));
        Assert.Equal(expected, await users.FindAsync(created.Id, Cancel));
        Assert.Null(await users.FindByNameAsync("bob", Cancel));
        Assert.Null(await users.FindAsync(created.Id + 100, Cancel));
    }

    [Theory, DatabaseData]
    public async Task A_taken_name_is_refused(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        await users.CreateAsync("alice", "hash-1", isAdmin: false, mustChangePassword: false, Cancel);

        var error = await Assert.ThrowsAsync<DuplicateNameException>(() => users.CreateAsync("alice", "hash-2", isAdmin: true, mustChangePassword: false, Cancel));

        Assert.Equal("a user named 'alice' already exists", error.Message);
        Assert.Equal(2, (await users.ListAsync(Cancel)).Count);
    }

    [Theory, DatabaseData]
    public async Task Names_differ_by_case_on_every_database(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();

        await users.CreateAsync("Alice", "hash-1", isAdmin: false, mustChangePassword: false, Cancel);
        await users.CreateAsync("alice", "hash-2", isAdmin: false, mustChangePassword: false, Cancel);

        Assert.Equal(["Alice", "alice", User.DaemonName], (await users.ListAsync(Cancel)).Select(user => user.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Alice", (await users.FindByNameAsync("Alice", Cancel))!.Name);
    }

    [Theory, DatabaseData]
    public async Task Users_are_listed_by_name(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        await users.CreateAsync("zoe", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        await users.CreateAsync("bob", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        Assert.Equal(["bob", "daemon", "zoe"], (await users.ListAsync(Cancel)).Select(user => user.Name));
    }

    [Theory, DatabaseData]
    public async Task A_new_password_hash_replaces_the_old_one_with_its_forced_change_flag(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash-1", isAdmin: false, mustChangePassword: true, Cancel);

        await users.SetPasswordHashAsync(alice.Id, "hash-2", mustChangePassword: false, Cancel);

        Assert.Equal("hash-2", await users.GetPasswordHashAsync(alice.Id, Cancel));
        Assert.False((await users.FindAsync(alice.Id, Cancel))!.MustChangePassword);
    }

    [Theory, DatabaseData]
    public async Task A_user_becomes_an_administrator_and_back(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        await users.SetAdminAsync(alice.Id, isAdmin: true, Cancel);
        var promoted = await users.FindWithGrantsAsync(alice.Id, Cancel);
        await users.SetAdminAsync(alice.Id, isAdmin: false, Cancel);

        Assert.True(promoted!.User.IsAdmin);
        Assert.True(promoted.Has(Grant.ManageUsers));
        Assert.False((await users.FindAsync(alice.Id, Cancel))!.IsAdmin);
    }

    [Theory, DatabaseData]
    public async Task New_users_get_the_default_grants_of_Ravada(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        var withGrants = await users.FindWithGrantsAsync(alice.Id, Cancel);

        Assert.Equal(GrantNames.DefaultForUsers.Order(), withGrants!.Grants.Keys.Order());
        Assert.All(withGrants.Grants.Values, value => Assert.Equal(1, value));
        Assert.Null(await users.FindWithGrantsAsync(alice.Id + 100, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Grants_are_given_with_a_value_and_taken_with_zero(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        await users.SetGrantAsync(alice.Id, Grant.CreateMachine, 1, Cancel);
        await users.SetGrantAsync(alice.Id, Grant.StartLimit, 3, Cancel);
        await users.SetGrantAsync(alice.Id, Grant.StartLimit, 5, Cancel);
        await users.SetGrantAsync(alice.Id, Grant.Clone, 0, Cancel);
        var grants = (await users.FindWithGrantsAsync(alice.Id, Cancel))!;

        Assert.True(grants.Has(Grant.CreateMachine));
        Assert.Equal(5, grants.Value(Grant.StartLimit));
        Assert.False(grants.Has(Grant.Clone));
        Assert.Null(grants.Value(Grant.Clone));
    }

    [Theory, DatabaseData]
    public async Task Groups_are_created_once_and_joined_once(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);

        var students = await users.EnsureGroupAsync("students", Cancel);
        var staff = await users.EnsureGroupAsync("staff", Cancel);
        Assert.Equal(students, await users.EnsureGroupAsync("students", Cancel));
        await users.AddToGroupAsync(alice.Id, students, Cancel);
        await users.AddToGroupAsync(alice.Id, students, Cancel);
        await users.AddToGroupAsync(alice.Id, staff, Cancel);
        var joined = await users.GroupsOfAsync(alice.Id, Cancel);
        await users.RemoveFromGroupAsync(alice.Id, staff, Cancel);

        Assert.Equal(["staff", "students"], joined);
        Assert.Equal(["students"], await users.GroupsOfAsync(alice.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Grants_of_a_group_hold_for_its_members_with_the_largest_value_winning(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var bob = await users.CreateAsync("bob", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var teachers = await users.EnsureGroupAsync("teachers", Cancel);
        var lab = await users.EnsureGroupAsync("lab", Cancel);
        await users.AddToGroupAsync(alice.Id, teachers, Cancel);
        await users.AddToGroupAsync(alice.Id, lab, Cancel);
        await users.SetGrantAsync(alice.Id, Grant.StartLimit, 2, Cancel);

        await users.SetGroupGrantAsync(teachers, Grant.CloneAll, 1, Cancel);
        await users.SetGroupGrantAsync(teachers, Grant.StartLimit, 5, Cancel);
        await users.SetGroupGrantAsync(lab, Grant.StartLimit, 3, Cancel);
        await users.SetGroupGrantAsync(lab, Grant.ViewAll, 1, Cancel);
        await users.SetGroupGrantAsync(lab, Grant.ViewAll, 0, Cancel);
        var aliceGrants = (await users.FindWithGrantsAsync(alice.Id, Cancel))!;
        var bobGrants = (await users.FindWithGrantsAsync(bob.Id, Cancel))!;

        Assert.True(aliceGrants.Has(Grant.CloneAll));
        Assert.Equal(5, aliceGrants.Value(Grant.StartLimit));
        Assert.False(aliceGrants.Has(Grant.ViewAll));
        Assert.Equal(["lab", "teachers"], aliceGrants.Groups.Order(StringComparer.Ordinal));
        Assert.False(bobGrants.Has(Grant.CloneAll));
        Assert.Empty(bobGrants.Groups);
        Assert.Equal(new Dictionary<Grant, int> { [Grant.CloneAll] = 1, [Grant.StartLimit] = 5 }, await users.GroupGrantsAsync(teachers, Cancel));
        var ofAlice = await users.GroupGrantsOfMemberAsync(alice.Id, Cancel);
        Assert.Equal(["lab", "teachers"], ofAlice.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<Grant, int> { [Grant.StartLimit] = 3 }, ofAlice["lab"]);
        Assert.Equal(new Dictionary<Grant, int> { [Grant.CloneAll] = 1, [Grant.StartLimit] = 5 }, ofAlice["teachers"]);
        Assert.Empty(await users.GroupGrantsOfMemberAsync(bob.Id, Cancel));

        Assert.DoesNotContain(Grant.CloneAll, await users.OwnGrantsAsync(alice.Id, Cancel));
        Assert.Equal(2, (await users.OwnGrantsAsync(alice.Id, Cancel))[Grant.StartLimit]);

        await users.RemoveFromGroupAsync(alice.Id, teachers, Cancel);
        var afterLeaving = (await users.FindWithGrantsAsync(alice.Id, Cancel))!;
        Assert.False(afterLeaving.Has(Grant.CloneAll));
        Assert.Equal(3, afterLeaving.Value(Grant.StartLimit));
    }

    [Theory, DatabaseData]
    public async Task Admin_is_never_given_through_a_group(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var staff = await users.EnsureGroupAsync("staff", Cancel);

        await Assert.ThrowsAsync<ArgumentException>(() => users.SetGroupGrantAsync(staff, Grant.Admin, 1, Cancel));

        Assert.Empty(await users.GroupGrantsAsync(staff, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Groups_are_found_by_name_and_listed_with_their_member_count(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var bob = await users.CreateAsync("bob", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var students = await users.EnsureGroupAsync("students", Cancel);
        var empty = await users.EnsureGroupAsync("empty", Cancel);
        await users.AddToGroupAsync(alice.Id, students, Cancel);
        await users.AddToGroupAsync(bob.Id, students, Cancel);

        Assert.Equal([alice.Id, bob.Id], (await users.ListMembershipsAsync(Cancel)).Keys.Order());
        Assert.Equal(["students"], (await users.ListMembershipsAsync(Cancel))[alice.Id]);
        Assert.Equal(students, await users.FindGroupAsync("students", Cancel));
        Assert.Empty((await users.GroupGrantsOfMemberAsync(alice.Id, Cancel))["students"]);
        Assert.Null(await users.FindGroupAsync("Students", Cancel));
        Assert.Equal([new UserGroup(empty, "empty", 0), new UserGroup(students, "students", 2)], await users.ListGroupsAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task Removing_a_user_removes_its_grants_memberships_and_messages(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        await users.AddToGroupAsync(alice.Id, await users.EnsureGroupAsync("students", Cancel), Cancel);
        await database.Get<IMessageStore>().SendAsync(alice.Id, null, "hello", null, database.Time.GetUtcNow(), Cancel);

        Assert.True(await users.RemoveAsync(alice.Id, Cancel));

        Assert.Null(await users.FindAsync(alice.Id, Cancel));
        Assert.Equal(0, await SqlProbe.CountAsync(database, "user_grants", "user_id = @Id", new { alice.Id }));
        Assert.Equal(0, await SqlProbe.CountAsync(database, "user_group_members", "user_id = @Id", new { alice.Id }));
        Assert.Equal(0, await SqlProbe.CountAsync(database, "messages", "user_id = @Id", new { alice.Id }));
        Assert.False(await users.RemoveAsync(alice.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task A_user_who_owns_machines_cannot_be_removed(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        await CreateMachineAsync(database, "alice-desktop", alice, node);
        var users = database.Get<IUserStore>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => users.RemoveAsync(alice.Id, Cancel));

        Assert.Equal($"user {alice.Id} owns 1 machine(s): remove them or give them to another user before removing the user", error.Message);
        Assert.NotNull(await users.FindAsync(alice.Id, Cancel));
    }
}
