using System.Net;
using Ravada.Core.Hypervisor;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>Security headers, scripts that a strict CSP allows, plain HTTP from other hosts and forwarded headers.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private readonly TestPortal portal = new("  trusted_proxies: [127.0.0.1]");

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        await portal.UserAsync("alice");
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Theory]
    [InlineData("/login")]
    [InlineData("/")]
    [InlineData("/lib/htmx/htmx.min.js")]
    [InlineData("/no/such/page")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var response = await browser.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Https_answers_ask_browsers_to_stay_on_https()
    {
        using var browser = portal.Browser(https: true);

        var response = await browser.GetAsync("/login");

        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_page_has_an_inline_script_or_event_handler()
    {
        var owner = await portal.UserAsync("dave");
        var machine = await portal.MachineAsync("dave-desktop", owner, MachineState.Running);
        await portal.DisplayAsync(machine, DisplayProtocol.Vnc, 5900);
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("dave");

        foreach (var path in new[] { "/login", "/", "/password", $"/machines/{machine.Id}/console/vnc", $"/machines/{machine.Id}/console/spice" })
        {
            var (_, document) = await browser.PageAsync(path);
            Assert.All(document.Scripts, script => Assert.False(string.IsNullOrEmpty(script.Source), $"{path}: inline script"));
            Assert.DoesNotContain(document.All, element => element.Attributes.Any(attribute => attribute.Name.StartsWith("on", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Plain_http_from_another_host_is_refused_with_advice_and_never_sees_the_login_form()
    {
        using var remote = portal.Browser("192.0.2.10");

        var response = await remote.GetAsync("/login");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("HTTPS", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_from_another_host_is_served()
    {
        using var remote = portal.Browser("192.0.2.10", https: true);

        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task A_trusted_proxy_tells_the_client_address_and_scheme_and_nobody_else_does()
    {
        using var throughProxy = portal.Browser("127.0.0.1");
        using var direct = portal.Browser("192.0.2.20", https: true);

        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/login");
        proxied.Headers.Add("X-Forwarded-For", "192.0.2.30");
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        var viaProxy = await throughProxy.Http.SendAsync(proxied, TestContext.Current.CancellationToken);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/login");
        spoofed.Headers.Add("X-Forwarded-For", "127.0.0.1");
        spoofed.Headers.Add("X-Forwarded-Proto", "http");
        var spoofAttempt = await direct.Http.SendAsync(spoofed, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, viaProxy.StatusCode);
        Assert.True(viaProxy.Headers.Contains("Strict-Transport-Security"), "the proxy said https");
        Assert.Equal(HttpStatusCode.OK, spoofAttempt.StatusCode);
        Assert.True(spoofAttempt.Headers.Contains("Strict-Transport-Security"), "a direct client cannot downgrade itself to a loopback client");
    }

    [Fact]
    public async Task The_desktop_request_records_the_address_the_trusted_proxy_forwarded()
    {
        var admin = await portal.UserAsync("root", admin: true);
        var published = await portal.PublicBaseAsync("debian-desktop", admin);
        using var browser = portal.Browser("127.0.0.1");
        await browser.LogInToPortalAsync("alice");

        using var click = new HttpRequestMessage(HttpMethod.Post, $"/bases/{published.Id}/desktop");
        click.Headers.Add("X-Forwarded-For", "192.0.2.40");
        click.Headers.Add("X-Forwarded-Proto", "https");
        click.Headers.Add("X-CSRF-Token", browser.CsrfToken);
        click.Headers.Add("HX-Request", "true");
        var response = await browser.Http.SendAsync(click, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("192.0.2.40", Assert.Single(await portal.RequestsAsync()).Arguments.GetString("remote_ip"));
    }
}

/// <summary>An administrator who serves other hosts over plain HTTP on purpose.</summary>
public sealed class PlainHttpAllowedTests : IAsyncLifetime
{
    private readonly TestPortal portal = new("  allow_plain_http: true");

    public async ValueTask InitializeAsync() => await portal.StartAsync();

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Plain_http_from_another_host_is_served_when_the_configuration_allows_it()
    {
        using var remote = portal.Browser("192.0.2.10");

        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/login")).StatusCode);
    }
}
