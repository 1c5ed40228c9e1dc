using System.Net;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>The user pages: giving and taking grants, creating, flagging and removing accounts, groups.</summary>
public sealed class UserAdministrationTests : IAsyncLifetime
{
    private static readonly KeyValuePair<string, string>[] Confirmed = [new("confirm", "yes")];

    private readonly TestPortal portal = new();
    private Cast cast = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IUserStore Users => portal.Get<IUserStore>();

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        cast = await portal.CastAsync();
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task The_users_page_and_its_link_are_there_only_for_those_who_may_administer_users()
    {
        await portal.UserAsync("grantor", extraGrants: Grant.GrantPermissions);
        using var plain = portal.Browser();
        using var grantor = portal.Browser();
        var plainHome = await plain.LogInToPortalAsync("alice");
        var grantorHome = await grantor.LogInToPortalAsync("grantor");

        Assert.Null(plainHome.QuerySelector("#nav-users"));
        Assert.NotNull(grantorHome.QuerySelector("#nav-users"));
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync($"/admin/users/{cast.Bob.Id}")).StatusCode);
        var (list, page) = await grantor.PageAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.NotNull(page.QuerySelector("tr[data-user=bob]"));
        Assert.Equal("admin", page.QuerySelector("tr[data-user=root] td:nth-child(2)")!.TextContent);
        Assert.Null(page.QuerySelector("#create-user"));
        Assert.Equal(HttpStatusCode.NotFound, (await grantor.GetAsync("/admin/users/999999")).StatusCode);
    }

    [Fact]
    public async Task A_grant_holder_gives_and_takes_what_it_holds()
    {
        var grantor = await portal.UserAsync("grantor", extraGrants: [Grant.GrantPermissions, Grant.CloneAll]);
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync(grantor.Name);
        await browser.PageAsync($"/admin/users/{cast.Bob.Id}");

        var given = await browser.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Grant", [new("grant", "clone_all"), new("value", "1")]);
        var afterGiving = (await Users.FindWithGrantsAsync(cast.Bob.Id, Cancel))!;
        var taken = await browser.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Grant", [new("grant", "clone"), new("value", "0")]);
        var afterTaking = (await Users.FindWithGrantsAsync(cast.Bob.Id, Cancel))!;

        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        Assert.True(afterGiving.Has(Grant.CloneAll));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.False(afterTaking.Has(Grant.Clone));
        var page = await browser.ParseAsync(taken);
        Assert.Contains("no longer has clone", page.QuerySelector("#user-done")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("yes", page.QuerySelector("tr[data-grant=clone_all] td:nth-child(2)")!.TextContent);
    }

    [Theory]
    [InlineData("bob", "remove_all", "1", HttpStatusCode.Forbidden)]
    [InlineData("bob", "admin", "1", HttpStatusCode.Forbidden)]
    [InlineData("root", "clone", "0", HttpStatusCode.Forbidden)]
    [InlineData("grantor", "clone", "0", HttpStatusCode.Forbidden)]
    [InlineData("grantor", "grant", "0", HttpStatusCode.Forbidden)]
    [InlineData("bob", "start_limit", "3", HttpStatusCode.Forbidden)]
    [InlineData("bob", "no_such_grant", "1", HttpStatusCode.BadRequest)]
    [InlineData("bob", "clone", "2", HttpStatusCode.BadRequest)]
    [InlineData("bob", "clone", "yes", HttpStatusCode.BadRequest)]
    [InlineData("bob", "clone", "-1", HttpStatusCode.BadRequest)]
    public async Task A_grant_holder_cannot_give_what_it_lacks_nor_admin_nor_touch_an_administrator_or_itself(string target, string grant, string value, HttpStatusCode expected)
    {
        await portal.UserAsync("grantor", extraGrants: Grant.GrantPermissions);
        var targetUser = (await Users.FindByNameAsync(target, Cancel))!;
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("grantor");
        await browser.PageAsync($"/admin/users/{targetUser.Id}");
        var before = await SnapshotAsync();

        var response = await browser.PostFormAsync($"/admin/users/{targetUser.Id}?handler=Grant", [new("grant", grant), new("value", value)]);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotEmpty((await browser.ParseAsync(response)).QuerySelector("#user-problem")!.TextContent);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Only_administrators_make_administrators_and_nobody_drops_their_own_flag()
    {
        using var root = portal.Browser();
        await root.LogInToPortalAsync("root");
        await root.PageAsync($"/admin/users/{cast.Bob.Id}");

        var made = await root.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Grant", [new("grant", "admin"), new("value", "1")]);
        var ownFlag = await root.PostFormAsync($"/admin/users/{cast.Admin.Id}?handler=Grant", [new("grant", "admin"), new("value", "0")]);

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.True((await Users.FindAsync(cast.Bob.Id, Cancel))!.IsAdmin);
        Assert.Equal(HttpStatusCode.Forbidden, ownFlag.StatusCode);
        Assert.True((await Users.FindAsync(cast.Admin.Id, Cancel))!.IsAdmin);
    }

    [Fact]
    public async Task A_user_manager_creates_a_user_who_logs_in_and_is_held_on_the_password_page()
    {
        await portal.UserAsync("manager", extraGrants: Grant.ManageUsers);
        using var manager = portal.Browser();
        await manager.LogInToPortalAsync("manager");
        var (_, form) = await manager.PageAsync("/admin/users");
        Assert.NotNull(form.QuerySelector("#create-user input[name=MustChangePassword][checked]"));
        Assert.Null(form.QuerySelector("#create-user input[name=Admin]"));

        var created = await manager.PostFormAsync("/admin/users", [new("Name", "carol"), new("Password", "carol-secret-1"), new("MustChangePassword", "true")]);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var carol = (await Users.FindByNameAsync("carol", Cancel))!;
        Assert.Equal($"/admin/users/{carol.Id}", created.Headers.Location!.OriginalString);
        Assert.False(carol.IsAdmin);
        Assert.True(carol.MustChangePassword);
        using var browser = portal.Browser("127.0.0.7");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync("carol", "carol-secret-1")).StatusCode);
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/password", home.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_forced_password_change_holds_the_user_on_the_password_page()
    {
        await portal.UserAsync("manager", extraGrants: Grant.ManageUsers);
        using var manager = portal.Browser();
        await manager.LogInToPortalAsync("manager");
        await manager.PageAsync($"/admin/users/{cast.Bob.Id}");

        var forced = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Password", []);

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        using var bob = portal.Browser("127.0.0.8");
        await bob.LogInAsync("bob");
        Assert.Equal("/password", (await bob.GetAsync("/")).Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("", "long-enough-1", HttpStatusCode.BadRequest)]
    [InlineData("-dash-first", "long-enough-1", HttpStatusCode.BadRequest)]
    [InlineData("with space", "long-enough-1", HttpStatusCode.BadRequest)]
    [InlineData("dave", "short", HttpStatusCode.BadRequest)]
    [InlineData("dave", "tab\tinside-it", HttpStatusCode.BadRequest)]
    [InlineData("bob", "long-enough-1", HttpStatusCode.Conflict)]
    public async Task Bad_names_and_passwords_are_refused_and_nothing_changes(string name, string password, HttpStatusCode expected)
    {
        using var root = portal.Browser();
        await root.LogInToPortalAsync("root");
        await root.PageAsync("/admin/users");
        var before = await SnapshotAsync();

        var response = await root.PostFormAsync("/admin/users", [new("Name", name), new("Password", password)]);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotEmpty((await root.ParseAsync(response)).QuerySelector("#users-problem")!.TextContent);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_user_manager_makes_no_administrator_and_leaves_administrators_alone()
    {
        await portal.UserAsync("manager", extraGrants: Grant.ManageUsers);
        using var manager = portal.Browser();
        await manager.LogInToPortalAsync("manager");
        await manager.PageAsync("/admin/users");
        var before = await SnapshotAsync();

        var admin = await manager.PostFormAsync("/admin/users", [new("Name", "dave"), new("Password", "long-enough-1"), new("Admin", "true")]);
        var forceRoot = await manager.PostFormAsync($"/admin/users/{cast.Admin.Id}?handler=Password", []);
        var removeRoot = await manager.PostFormAsync($"/admin/users/{cast.Admin.Id}?handler=Remove", []);
        var groupRoot = await manager.PostFormAsync($"/admin/users/{cast.Admin.Id}?handler=Join", [new("group", "staff")]);

        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forceRoot.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, removeRoot.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, groupRoot.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_locked_account_is_unlocked_by_manage_users_but_not_by_a_grant_holder()
    {
        await portal.UserAsync("manager", extraGrants: Grant.ManageUsers);
        await portal.UserAsync("grantor", extraGrants: Grant.GrantPermissions);
        var records = portal.Get<ILoginRecords>();
        await records.AddFailureAsync(cast.Bob.Id, 1, DateTimeOffset.UtcNow.AddHours(1), Cancel);
        using var grantor = portal.Browser();
        using var manager = portal.Browser();
        await grantor.LogInToPortalAsync("grantor");
        await manager.LogInToPortalAsync("manager");

        var (_, grantorView) = await grantor.PageAsync($"/admin/users/{cast.Bob.Id}");
        var refused = await grantor.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Unlock", []);
        Assert.Null(grantorView.QuerySelector("#unlock-user"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True((await records.GetLockAsync(cast.Bob.Id, Cancel)).IsLockedAt(DateTimeOffset.UtcNow));

        var (_, managerView) = await manager.PageAsync($"/admin/users/{cast.Bob.Id}");
        var unlocked = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Unlock", []);
        Assert.NotNull(managerView.QuerySelector("#unlock-user"));
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal("bob may log in again: the failed attempts are forgotten.", (await manager.ParseAsync(unlocked)).QuerySelector("#user-done")!.TextContent);
        Assert.Equal(new AccountLock(0, null), await records.GetLockAsync(cast.Bob.Id, Cancel));
        using var bob = portal.Browser("127.0.0.20");
        Assert.Equal(HttpStatusCode.Redirect, (await bob.LogInAsync("bob")).StatusCode);
    }

    [Fact]
    public async Task Removing_is_refused_for_an_owner_of_machines_and_done_for_others()
    {
        await portal.UserAsync("manager", extraGrants: Grant.ManageUsers);
        using var manager = portal.Browser();
        await manager.LogInToPortalAsync("manager");
        await manager.PageAsync($"/admin/users/{cast.Alice.Id}");
        var before = await SnapshotAsync();

        var unconfirmed = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Remove", []);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Tick the box to confirm that bob is to be removed", (await manager.ParseAsync(unconfirmed)).QuerySelector("#user-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());

        var refused = await manager.PostFormAsync($"/admin/users/{cast.Alice.Id}?handler=Remove", Confirmed);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("owns 1 machine(s) (debian-desktop-alice)", (await manager.ParseAsync(refused)).QuerySelector("#user-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());

        var removed = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Remove", Confirmed);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null(await Users.FindAsync(cast.Bob.Id, Cancel));
    }

    [Fact]
    public async Task Groups_are_joined_and_left_and_what_they_give_is_shown()
    {
        await portal.UserAsync("manager", extraGrants: [Grant.ManageUsers]);
        var lab = await Users.EnsureGroupAsync("lab", Cancel);
        await Users.SetGroupGrantAsync(lab, Grant.Clone, 1, Cancel);
        var operators = await Users.EnsureGroupAsync("operators", Cancel);
        await Users.SetGroupGrantAsync(operators, Grant.ShutdownAll, 1, Cancel);
        using var manager = portal.Browser();
        await manager.LogInToPortalAsync("manager");
        await manager.PageAsync($"/admin/users/{cast.Bob.Id}");

        var joined = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Join", [new("group", "  lab  ")]);
        var page = await manager.ParseAsync(joined);
        var beyond = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Join", [new("group", "operators")]);
        var created = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Join", [new("group", "new group")]);
        var self = await manager.PostFormAsync($"/admin/users/{(await Users.FindByNameAsync("manager", Cancel))!.Id}?handler=Join", [new("group", "lab")]);

        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal("clone", page.QuerySelector("tr[data-group=lab] td:nth-child(2)")!.TextContent);
        Assert.Equal("lab", page.QuerySelector("tr[data-grant=clone] td:nth-child(3)")!.TextContent);
        Assert.Equal(HttpStatusCode.Forbidden, beyond.StatusCode);
        Assert.Contains("shutdown_all", (await manager.ParseAsync(beyond)).QuerySelector("#user-problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(["lab", "new group"], await Users.GroupsOfAsync(cast.Bob.Id, Cancel));

        var left = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Leave", [new("group", "lab")]);
        var notMember = await manager.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Leave", [new("group", "lab")]);

        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notMember.StatusCode);
        Assert.Equal(["new group"], await Users.GroupsOfAsync(cast.Bob.Id, Cancel));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0001name")]
    public async Task Bad_group_names_are_refused_and_nothing_changes(string group)
    {
        using var root = portal.Browser();
        await root.LogInToPortalAsync("root");
        await root.PageAsync($"/admin/users/{cast.Bob.Id}");
        var before = await SnapshotAsync();

        var response = await root.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Join", [new("group", group)]);
        var tooLong = await root.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Join", [new("group", new string('g', 129))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_change_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var root = portal.Browser();
        await root.LogInToPortalAsync("root");
        await root.PageAsync($"/admin/users/{cast.Bob.Id}");
        var before = await SnapshotAsync();

        var grant = await root.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Grant", [new("grant", "clone_all"), new("value", "1")], withToken: false);
        var create = await root.PostFormAsync("/admin/users", [new("Name", "dave"), new("Password", "long-enough-1")], withToken: false);
        var remove = await root.PostFormAsync($"/admin/users/{cast.Bob.Id}?handler=Remove", [], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var user in await Users.ListAsync(Cancel))
        {
            var grants = await Users.OwnGrantsAsync(user.Id, Cancel);
            lines.Add($"{user} hash={await Users.GetPasswordHashAsync(user.Id, Cancel)} grants={string.Join(',', grants.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}"))} groups={string.Join(',', await Users.GroupsOfAsync(user.Id, Cancel))}");
        }

        lines.AddRange((await Users.ListGroupsAsync(Cancel)).Select(group => group.ToString()));
        return string.Join('\n', lines);
    }
}
