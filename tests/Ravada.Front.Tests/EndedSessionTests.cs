using System.Net;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>A logged-out session stays refused after a restart of rvd_front and by another rvd_front on the same database.</summary>
public sealed class EndedSessionTests : IAsyncLifetime
{
    private const string SessionCookie = "ravada_session";
    private static readonly Uri Origin = new("http://localhost");
    private TestPortal portal = new("  session_max_hours: 2", wholeClockFake: true);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        await portal.UserAsync("alice");
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_cookie_kept_from_before_logout_is_refused_after_a_restart_and_a_new_login_works()
    {
        string kept;
        using (var browser = portal.Browser())
        {
            await browser.LogInToPortalAsync("alice");
            kept = browser.Cookies.GetCookies(Origin)[SessionCookie]!.Value;
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", [])).StatusCode);
        }

        portal = await portal.RestartAsync();

        using var replay = portal.Browser();
        replay.Cookies.Add(Origin, new Cookie(SessionCookie, kept));
        var page = await replay.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/events")).StatusCode);
        using var fresh = portal.Browser();
        await fresh.LogInToPortalAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_session_ended_by_one_process_is_refused_by_another_that_had_accepted_it()
    {
        await using var second = await portal.SecondProcessAsync();
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        using var replay = second.Browser();
        replay.Cookies.Add(Origin, new Cookie(SessionCookie, browser.Cookies.GetCookies(Origin)[SessionCookie]!.Value));
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", [])).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_logout_purges_the_sessions_whose_time_to_be_forgotten_has_passed()
    {
        var sessions = portal.Get<IEndedSessionStore>();
        var start = portal.TokenClock.GetUtcNow();
        const string Stale = "00000000000000000000000000000001";
        const string Recent = "00000000000000000000000000000002";
        await sessions.EndAsync(Stale, start.AddHours(1), Cancel);
        await sessions.EndAsync(Recent, start.AddHours(3), Cancel);
        portal.TokenClock.Advance(TimeSpan.FromHours(2));

        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", [])).StatusCode);

        // Asked as of the start, when neither was due: only a deleted row answers no.
        Assert.False(await sessions.HasEndedAsync(Stale, start, Cancel));
        Assert.True(await sessions.HasEndedAsync(Recent, start, Cancel));
    }
}
