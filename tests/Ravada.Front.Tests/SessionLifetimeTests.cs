using System.Net;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>Sessions end after the idle time, and after the absolute lifetime however busy the user is.</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly TestPortal portal = new("  session_idle_minutes: 30\n  session_max_hours: 2", wholeClockFake: true);

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        await portal.UserAsync("alice");
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_session_idle_for_longer_than_the_idle_time_ends()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        portal.TokenClock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        portal.TokenClock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_busy_session_still_ends_at_its_absolute_lifetime()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        for (var minutes = 0; minutes < 100; minutes += 20)
        {
            portal.TokenClock.Advance(TimeSpan.FromMinutes(20));
            var response = await browser.GetAsync("/");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"after {minutes + 20} minutes: {(int)response.StatusCode} {response.Headers.Location} {string.Join(" | ", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [])}");
        }

        portal.TokenClock.Advance(TimeSpan.FromMinutes(25));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }
}
