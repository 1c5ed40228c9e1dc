using System.Net;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>A session cookie is made at login and not before, and a logout ends it even for a copy kept aside.</summary>
public sealed class SessionFixationTests : IAsyncLifetime
{
    private const string SessionCookie = "ravada_session";
    private static readonly Uri Origin = new("http://localhost");
    private readonly TestPortal portal = new();

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        await portal.UserAsync("alice");
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task An_anonymous_visitor_gets_no_session_cookie_and_a_planted_one_is_replaced_at_login()
    {
        using var victim = portal.Browser();
        await victim.PageAsync("/login");
        Assert.Null(victim.Cookies.GetCookies(Origin)[SessionCookie]);
        victim.Cookies.Add(Origin, new Cookie(SessionCookie, "planted-by-an-attacker"));

        Assert.Equal(HttpStatusCode.Redirect, (await victim.LogInAsync("alice")).StatusCode);

        var session = victim.Cookies.GetCookies(Origin)[SessionCookie]?.Value;
        Assert.NotNull(session);
        Assert.NotEqual("planted-by-an-attacker", session);
        using var attacker = portal.Browser();
        attacker.Cookies.Add(Origin, new Cookie(SessionCookie, "planted-by-an-attacker"));
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_second_login_gets_a_new_session_cookie()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        var first = browser.Cookies.GetCookies(Origin)[SessionCookie]!.Value;

        await browser.PostFormAsync("/login", [new("UserName", "alice"), new("Password", TestPortal.Password)]);

        Assert.NotEqual(first, browser.Cookies.GetCookies(Origin)[SessionCookie]!.Value);
    }

    [Fact]
    public async Task A_session_cookie_replayed_after_logout_is_refused()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        var kept = browser.Cookies.GetCookies(Origin)[SessionCookie]!.Value;
        using var replay = portal.Browser();
        replay.Cookies.Add(Origin, new Cookie(SessionCookie, kept));
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", [])).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/events")).StatusCode);
    }
}
