using System.Globalization;
using System.Net;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// The login page with an <c>ldap</c> section pointing at the test slapd (scripts/lib.sh's <c>start_slapd</c>, whose
/// people have the password <c>NAME-secret-1</c>): LDAP people log in, local accounts keep their own password only.
/// </summary>
public sealed class LdapLoginTests : IAsyncLifetime
{
    private readonly TestPortal portal = new($"""
          lockout_failures: 3
        ldap:
          server: 127.0.0.1
          port: {int.Parse(Variable("RAVADA_TEST_LDAP_PORT"), CultureInfo.InvariantCulture)}
          tls: starttls
          ca_certificates_dir: {Variable("RAVADA_TEST_LDAP_CA_DIR")}
          base: {Variable("RAVADA_TEST_LDAP_BASE")}
          admin_dn: {Variable("RAVADA_TEST_LDAP_READER_DN")}
          admin_password: {Variable("RAVADA_TEST_LDAP_READER_PASSWORD")}
        """);

    public async ValueTask InitializeAsync() => await portal.StartAsync();

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task An_ldap_user_logs_in_and_gets_a_local_account_with_the_ldap_groups()
    {
        using var browser = portal.Browser();

        var login = await browser.LogInAsync("bob", "bob-secret-1");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var bob = (await portal.Get<IUserStore>().FindByNameAsync("bob", TestContext.Current.CancellationToken))!;
        Assert.Equal("ldap", bob.ExternalAuth);
        Assert.Equal(["staff", "teachers"], await portal.Get<IUserStore>().GroupsOfAsync(bob.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_base_restricted_to_an_ldap_group_is_offered_to_its_members_from_their_first_login()
    {
        var users = portal.Get<IUserStore>();
        var owner = await portal.UserAsync("root", admin: true);
        var teachersOnly = await portal.PublicBaseAsync("teachers-desktop", owner);
        var teachers = await users.EnsureGroupAsync("teachers", TestContext.Current.CancellationToken);
        await portal.Get<Ravada.Core.Machines.IMachineStore>().AllowGroupAsync(teachersOnly.Id, teachers, TestContext.Current.CancellationToken);
        using var teacher = portal.Browser();
        using var student = portal.Browser();

        Assert.Equal(HttpStatusCode.Redirect, (await teacher.LogInAsync("bob", "bob-secret-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await student.LogInAsync("carol", "carol-secret-1")).StatusCode);
        var teacherPage = await teacher.ParseAsync(await teacher.GetAsync("/"));
        var studentPage = await student.ParseAsync(await student.GetAsync("/"));

        Assert.NotNull(teacherPage.QuerySelector($"button[data-base='{teachersOnly.Name}']"));
        Assert.Null(studentPage.QuerySelector($"button[data-base='{teachersOnly.Name}']"));
    }

    [Fact]
    public async Task A_local_account_is_never_logged_in_with_the_ldap_password_of_the_same_name()
    {
        await portal.UserAsync("alice");
        using var ldapPassword = portal.Browser();
        using var localPassword = portal.Browser();

        var withLdapPassword = await ldapPassword.LogInAsync("alice", "alice-secret-1");
        var withLocalPassword = await localPassword.LogInAsync("alice");

        Assert.Equal(HttpStatusCode.Unauthorized, withLdapPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ldapPassword.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withLocalPassword.StatusCode);
        Assert.Equal("sql", (await portal.Get<IUserStore>().FindByNameAsync("alice", TestContext.Current.CancellationToken))!.ExternalAuth);
    }

    [Fact]
    public async Task A_wrong_ldap_password_is_refused_like_any_wrong_password()
    {
        using var browser = portal.Browser();

        var login = await browser.LogInAsync("bob", "not-bobs-password");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Null(await portal.Get<IUserStore>().FindByNameAsync("bob", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_ldap_account_is_locked_after_failures_in_a_row_and_every_attempt_is_audited()
    {
        using var browser = portal.Browser("127.0.0.7");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync("bob", "bob-secret-1")).StatusCode);
        using var attacker = portal.Browser("127.0.0.8");

        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LogInAsync("bob", $"guess-{attempt}-password")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.LogInAsync("bob", "bob-secret-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LogInAsync("carol", "not-carols-password")).StatusCode);
        var bob = (await portal.Get<IUserStore>().FindByNameAsync("bob", TestContext.Current.CancellationToken))!;
        var audit = await portal.Get<ILoginRecords>().ListRecentAsync(10, TestContext.Current.CancellationToken);
        Assert.Equal(
            [("carol", null, LoginResult.UnknownUser), ("bob", bob.Id, LoginResult.LockedOut), ("bob", bob.Id, LoginResult.WrongPassword),
             ("bob", bob.Id, LoginResult.WrongPassword), ("bob", bob.Id, LoginResult.WrongPassword), ("bob", (long?)bob.Id, LoginResult.Success)],
            audit.Select(attempt => (attempt.UserName, attempt.UserId, attempt.Result)));
    }

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, or source scripts/lib.sh and run start_slapd first");
}
