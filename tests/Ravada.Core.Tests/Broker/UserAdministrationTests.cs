using Ravada.Core.Broker;
using Ravada.Core.Users;

namespace Ravada.Core.Tests.Broker;

public sealed class UserAdministrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static User Account(long id, bool admin = false, string name = "", string auth = "sql") =>
        new(id, name.Length == 0 ? $"user{id}" : name, admin, false, auth, Now);

    private static UserWithGrants Person(long id, bool admin = false, params (Grant Grant, int Value)[] grants) =>
        new(Account(id, admin), grants.ToDictionary(pair => pair.Grant, pair => pair.Value));

    private static UserWithGrants Holding(long id, params Grant[] grants) => Person(id, grants: [.. grants.Select(grant => (grant, 1))]);

    [Fact]
    public void Only_holders_of_manage_users_or_grant_and_administrators_see_the_users()
    {
        Assert.True(UserAdministration.MaySee(Holding(1, Grant.ManageUsers)));
        Assert.True(UserAdministration.MaySee(Holding(1, Grant.GrantPermissions)));
        Assert.True(UserAdministration.MaySee(Person(1, admin: true)));
        Assert.False(UserAdministration.MaySee(Holding(1, Grant.CloneAll, Grant.ViewAll, Grant.RemoveAll)));
    }

    [Fact]
    public void A_grant_holder_gives_and_takes_only_what_it_holds_itself()
    {
        var grantor = Holding(1, Grant.GrantPermissions, Grant.Clone);
        var target = Account(2);

        Assert.Null(UserAdministration.GrantRefusal(grantor, target, Grant.Clone, 1));
        Assert.Null(UserAdministration.GrantRefusal(grantor, target, Grant.Clone, 0));
        Assert.Null(UserAdministration.GrantRefusal(grantor, target, Grant.GrantPermissions, 1));
        Assert.Contains("do not hold it", UserAdministration.GrantRefusal(grantor, target, Grant.CloneAll, 1), StringComparison.Ordinal);
        Assert.Contains("do not hold it", UserAdministration.GrantRefusal(grantor, target, Grant.RemoveAll, 0), StringComparison.Ordinal);
        Assert.Contains("only administrators", UserAdministration.GrantRefusal(grantor, target, Grant.Admin, 1), StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_holder_touches_neither_itself_nor_an_administrator_and_others_cannot_grant_at_all()
    {
        var grantor = Holding(1, Grant.GrantPermissions, Grant.Clone);

        Assert.Contains("your own", UserAdministration.GrantRefusal(grantor, grantor.User, Grant.Clone, 0), StringComparison.Ordinal);
        Assert.Contains("administrator", UserAdministration.GrantRefusal(grantor, Account(2, admin: true), Grant.Clone, 1), StringComparison.Ordinal);
        Assert.NotNull(UserAdministration.GrantRefusal(Holding(3, Grant.ManageUsers, Grant.Clone), Account(2), Grant.Clone, 1));
    }

    [Fact]
    public void Start_limit_is_a_number_up_to_the_grantors_own()
    {
        var grantor = Person(1, grants: [(Grant.GrantPermissions, 1), (Grant.StartLimit, 5)]);
        var admin = Person(9, admin: true);
        var target = Account(2);

        Assert.Null(UserAdministration.GrantRefusal(grantor, target, Grant.StartLimit, 5));
        Assert.Contains("above your own", UserAdministration.GrantRefusal(grantor, target, Grant.StartLimit, 6), StringComparison.Ordinal);
        Assert.Null(UserAdministration.GrantRefusal(admin, target, Grant.StartLimit, UserAdministration.MaxGrantValue));
        Assert.NotNull(UserAdministration.GrantRefusal(admin, target, Grant.StartLimit, UserAdministration.MaxGrantValue + 1));
        Assert.NotNull(UserAdministration.GrantRefusal(admin, target, Grant.StartLimit, -1));
        Assert.NotNull(UserAdministration.GrantRefusal(admin, target, Grant.Clone, 2));
    }

    [Fact]
    public void Administrators_change_anyones_grants_and_flag_but_not_their_own_flag()
    {
        var admin = Person(9, admin: true);

        Assert.Null(UserAdministration.GrantRefusal(admin, Account(2), Grant.CloneAll, 1));
        Assert.Null(UserAdministration.GrantRefusal(admin, Account(3, admin: true), Grant.RemoveAll, 0));
        Assert.Null(UserAdministration.GrantRefusal(admin, Account(2), Grant.Admin, 1));
        Assert.Null(UserAdministration.GrantRefusal(admin, Account(3, admin: true), Grant.Admin, 0));
        Assert.Null(UserAdministration.GrantRefusal(admin, admin.User, Grant.Clone, 0));
        Assert.NotNull(UserAdministration.GrantRefusal(admin, admin.User, Grant.Admin, 0));
    }

    [Fact]
    public void Manage_users_creates_plain_users_and_only_administrators_create_administrators()
    {
        Assert.Null(UserAdministration.CreateRefusal(Holding(1, Grant.ManageUsers), admin: false));
        Assert.NotNull(UserAdministration.CreateRefusal(Holding(1, Grant.ManageUsers), admin: true));
        Assert.NotNull(UserAdministration.CreateRefusal(Holding(1, Grant.GrantPermissions), admin: false));
        Assert.Null(UserAdministration.CreateRefusal(Person(9, admin: true), admin: true));
    }

    [Fact]
    public void Manage_users_changes_plain_accounts_but_not_administrators_itself_when_removing_or_the_daemon()
    {
        var manager = Holding(1, Grant.ManageUsers);
        var admin = Person(9, admin: true);

        foreach (var change in Enum.GetValues<AccountChange>())
        {
            Assert.Null(UserAdministration.AccountRefusal(manager, Account(2), change));
            Assert.NotNull(UserAdministration.AccountRefusal(manager, Account(3, admin: true), change));
            Assert.Null(UserAdministration.AccountRefusal(admin, Account(3, admin: true), change));
            Assert.NotNull(UserAdministration.AccountRefusal(admin, Account(4, name: User.DaemonName), change));
            Assert.NotNull(UserAdministration.AccountRefusal(Holding(5, Grant.GrantPermissions), Account(2), change));
        }

        Assert.NotNull(UserAdministration.AccountRefusal(manager, manager.User, AccountChange.Remove));
        Assert.NotNull(UserAdministration.AccountRefusal(admin, admin.User, AccountChange.Remove));
        Assert.NotNull(UserAdministration.AccountRefusal(manager, manager.User, AccountChange.Groups));
        Assert.Null(UserAdministration.AccountRefusal(manager, manager.User, AccountChange.ForcePasswordChange));
        Assert.NotNull(UserAdministration.AccountRefusal(manager, Account(6, auth: "ldap"), AccountChange.ForcePasswordChange));
    }

    [Fact]
    public void A_membership_gives_nothing_the_manager_does_not_hold()
    {
        var manager = Person(1, grants: [(Grant.ManageUsers, 1), (Grant.Clone, 1), (Grant.StartLimit, 2)]);
        var target = Account(2);

        Assert.Null(UserAdministration.JoinRefusal(manager, target, new Dictionary<Grant, int>()));
        Assert.Null(UserAdministration.JoinRefusal(manager, target, new Dictionary<Grant, int> { [Grant.Clone] = 1, [Grant.StartLimit] = 2 }));
        Assert.Contains("remove_all", UserAdministration.JoinRefusal(manager, target, new Dictionary<Grant, int> { [Grant.RemoveAll] = 1 }), StringComparison.Ordinal);
        Assert.Contains("start_limit", UserAdministration.JoinRefusal(manager, target, new Dictionary<Grant, int> { [Grant.StartLimit] = 3 }), StringComparison.Ordinal);
        Assert.Null(UserAdministration.JoinRefusal(Person(9, admin: true), target, new Dictionary<Grant, int> { [Grant.RemoveAll] = 1 }));
    }

    [Theory]
    [InlineData("teachers", "teachers")]
    [InlineData("  lab 2  ", "lab 2")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("tab\there", null)]
    [InlineData("new\nline", null)]
    public void Group_names_are_trimmed_and_checked(string typed, string? expected) =>
        Assert.Equal(expected, UserAdministration.GroupName(typed));

    [Fact]
    public void Group_names_are_at_most_128_characters()
    {
        Assert.NotNull(UserAdministration.GroupName(new string('g', 128)));
        Assert.Null(UserAdministration.GroupName(new string('g', 129)));
        Assert.Null(UserAdministration.GroupName(null));
    }
}
