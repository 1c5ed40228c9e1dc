using System.Net;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>Logging in and out, the session cookie, throttling and the forced password change.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private readonly TestPortal portal = new();

    public async ValueTask InitializeAsync() => await portal.StartAsync();

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page_and_comes_back_after_it()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();

        var home = await browser.GetAsync("/machines/1/console/vnc");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await browser.PageAsync(home.Headers.Location!.PathAndQuery);
        var login = await browser.PostFormAsync(home.Headers.Location!.PathAndQuery, [new("UserName", "alice"), new("Password", TestPortal.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/machines/1/console/vnc", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();

        var wrongPassword = await browser.LogInAsync("alice", "not-the-password");
        var wrongPasswordPage = await browser.ParseAsync(wrongPassword);
        var unknownUser = await browser.LogInAsync("nobody", "not-the-password");
        var unknownUserPage = await browser.ParseAsync(unknownUser);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(wrongPasswordPage.QuerySelector("#login-problem")!.TextContent, unknownUserPage.QuerySelector("#login-problem")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_same_site_and_secure_over_https()
    {
        await portal.UserAsync("alice");
        using var plain = portal.Browser();
        using var secure = portal.Browser(https: true);

        var overHttp = await plain.LogInAsync("alice");
        var overHttps = await secure.LogInAsync("alice");

        var httpCookie = Assert.Single(overHttp.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("ravada_session=", StringComparison.Ordinal));
        var httpsCookie = Assert.Single(overHttps.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("ravada_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", httpCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", httpCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", httpCookie.Replace("samesite", string.Empty, StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", httpsCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_login_without_the_antiforgery_token_is_refused()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();
        await browser.PageAsync("/login");

        var response = await browser.PostFormAsync("/login", [new("UserName", "alice"), new("Password", TestPortal.Password)], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_return_address_must_be_on_this_site()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();
        await browser.PageAsync("/login");

        var response = await browser.PostFormAsync("/login?ReturnUrl=https%3A%2F%2Fevil.example%2F", [new("UserName", "alice"), new("Password", TestPortal.Password)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Too_many_attempts_on_one_account_are_throttled_even_with_the_right_password_and_from_other_addresses()
    {
        await portal.UserAsync("alice");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var attacker = portal.Browser($"127.0.0.{attempt + 2}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LogInAsync("alice", "guess-number-" + attempt)).StatusCode);
        }

        using var owner = portal.Browser("127.0.1.1");
        var response = await owner.LogInAsync("alice");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter!.ToString());
    }

    [Fact]
    public async Task Too_many_attempts_from_one_address_are_throttled_whatever_the_account_while_others_log_in()
    {
        await portal.UserAsync("bob");
        using var attacker = portal.Browser("127.0.0.9");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LogInAsync($"user{attempt}", "whatever-password")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.LogInAsync("bob")).StatusCode);
        var withoutToken = await attacker.PostFormAsync("/login", [new("userName", "carol"), new("password", "whatever-password")], withToken: false);
        Assert.Equal(HttpStatusCode.TooManyRequests, withoutToken.StatusCode);
        Assert.Equal("Too many attempts: wait a minute and try again.", (await attacker.ParseAsync(withoutToken)).QuerySelector("#login-problem")!.TextContent);
        var audited = (await portal.Get<ILoginRecords>().ListRecentAsync(1, TestContext.Current.CancellationToken))[0];
        Assert.Equal(("carol", "127.0.0.9", LoginResult.Throttled), (audited.UserName, audited.ClientAddress, audited.Result));
        using var someoneElse = portal.Browser("127.0.0.10");
        Assert.Equal(HttpStatusCode.Redirect, (await someoneElse.LogInAsync("bob")).StatusCode);
    }

    [Fact]
    public async Task Logging_out_takes_a_post_with_the_token_and_ends_the_session_while_a_get_only_shows_the_button()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var getLogout = await browser.GetAsync("/logout");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var postWithoutToken = await browser.PostFormAsync("/logout", [], withToken: false);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var logout = await browser.PostFormAsync("/logout", []);

        Assert.Equal(HttpStatusCode.OK, getLogout.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, postWithoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_flagged_account_must_change_its_password_before_anything_else()
    {
        var carol = await portal.UserAsync("carol", mustChangePassword: true);
        using var browser = portal.Browser();

        var login = await browser.LogInAsync("carol");
        Assert.Equal("/password", login.Headers.Location!.OriginalString);
        var elsewhere = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.StartsWith("/password", elsewhere.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var (form, _) = await browser.PageAsync("/password");
        form.EnsureSuccessStatusCode();
        var tooShort = await browser.PostFormAsync("/password", [new("Current", TestPortal.Password), new("NewPassword", "short"), new("Confirm", "short")]);
        var changed = await browser.PostFormAsync("/password", [new("Current", TestPortal.Password), new("NewPassword", "a-brand-new-secret"), new("Confirm", "a-brand-new-secret")]);

        Assert.NotEqual(HttpStatusCode.Redirect, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.False((await portal.Get<IUserStore>().FindAsync(carol.Id, TestContext.Current.CancellationToken))!.MustChangePassword);
        Assert.Equal(PasswordCheck.Right, Passwords.Verify((await portal.Get<IUserStore>().GetPasswordHashAsync(carol.Id, TestContext.Current.CancellationToken))!, "a-brand-new-secret"));
    }

    [Fact]
    public async Task A_new_password_ends_the_sessions_opened_with_the_old_one()
    {
        var alice = await portal.UserAsync("alice");
        using var laptop = portal.Browser();
        await laptop.LogInToPortalAsync("alice");

        await portal.Get<IUserStore>().SetPasswordHashAsync(alice.Id, Passwords.Hash("changed-elsewhere"), mustChangePassword: false, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/")).StatusCode);
    }
}
