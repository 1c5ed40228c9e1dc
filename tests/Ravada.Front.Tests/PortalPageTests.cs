using System.Net;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>The user's page and the pages behind it, for the owner, another user, an administrator and nobody.</summary>
public sealed class PortalPageTests : IAsyncLifetime
{
    private readonly TestPortal portal = new();
    private User alice = null!;
    private User bob = null!;
    private User admin = null!;
    private Machine publicBase = null!;
    private Machine privateBase = null!;
    private Machine aliceDesktop = null!;
    private Machine bobDesktop = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        (admin, alice, bob, publicBase, privateBase, aliceDesktop) = await portal.CastAsync();
        bobDesktop = await portal.MachineAsync("debian-desktop-bob", bob, MachineState.ShutOff, publicBase);
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_user_sees_the_bases_offered_to_everyone_and_only_their_own_machines()
    {
        using var browser = portal.Browser();

        var page = await browser.LogInToPortalAsync("alice");

        Assert.NotNull(page.QuerySelector($"button[data-base='{publicBase.Name}']"));
        Assert.Null(page.QuerySelector($"button[data-base='{privateBase.Name}']"));
        Assert.NotNull(page.QuerySelector($"#machine-{aliceDesktop.Id}"));
        Assert.Equal("running", page.QuerySelector($"#machine-{aliceDesktop.Id}")!.GetAttribute("data-state"));
        Assert.Null(page.QuerySelector($"#machine-{bobDesktop.Id}"));
        Assert.DoesNotContain(bobDesktop.Name, page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_sees_every_base_but_on_this_page_only_their_own_machines()
    {
        using var browser = portal.Browser();

        var page = await browser.LogInToPortalAsync("root");

        Assert.NotNull(page.QuerySelector($"button[data-base='{publicBase.Name}']"));
        Assert.NotNull(page.QuerySelector($"button[data-base='{privateBase.Name}']"));
        Assert.Null(page.QuerySelector($"#machine-{aliceDesktop.Id}"));
    }

    [Fact]
    public async Task A_running_machine_offers_its_consoles_and_a_stopped_one_offers_start()
    {
        using var aliceBrowser = portal.Browser();
        using var bobBrowser = portal.Browser();

        var alicePage = await aliceBrowser.LogInToPortalAsync("alice");
        var bobPage = await bobBrowser.LogInToPortalAsync("bob");

        var running = alicePage.QuerySelector($"#machine-{aliceDesktop.Id}")!;
        Assert.NotNull(running.QuerySelector($"a[href='/machines/{aliceDesktop.Id}/console/vnc']"));
        Assert.NotNull(running.QuerySelector($"[data-action='shutdown']"));
        Assert.Null(running.QuerySelector($"[data-action='start']"));
        var stopped = bobPage.QuerySelector($"#machine-{bobDesktop.Id}")!;
        Assert.NotNull(stopped.QuerySelector($"[data-action='start']"));
        Assert.Null(stopped.QuerySelector("a[href$='/console/vnc']"));
    }

    [Fact]
    public async Task Restore_and_remove_ask_for_a_confirmation_that_says_what_is_lost()
    {
        using var browser = portal.Browser();

        var page = await browser.LogInToPortalAsync("bob");

        var card = page.QuerySelector($"#machine-{bobDesktop.Id}")!;
        Assert.Contains("lost", card.QuerySelector($"[data-action='restore']")!.GetAttribute("hx-confirm"), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(card.QuerySelector($"[data-action='remove']")!.GetAttribute("hx-confirm"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/requests/1")]
    [InlineData("/password")]
    [InlineData("/machines/1/console/vnc")]
    [InlineData("/machines/1/viewer.vv")]
    [InlineData("/machines/1/thumbnail")]
    public async Task Nobody_anonymous_reaches_a_page_past_the_login(string path)
    {
        using var browser = portal.Browser();

        var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task An_htmx_call_without_a_session_is_told_to_load_the_login_page()
    {
        using var browser = portal.Browser();

        var response = await browser.GetAsync("/", htmx: true);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/login", response.Headers.GetValues("HX-Redirect").Single());
    }

    [Fact]
    public async Task Another_users_machine_pages_are_not_found_and_an_administrators_are()
    {
        var request = await portal.Get<IRequestQueue>().EnqueueAsync(
            new NewRequest { Command = RequestCommands.Start, UserId = alice.Id, MachineId = aliceDesktop.Id }, TestContext.Current.CancellationToken);
        using var owner = portal.Browser();
        using var other = portal.Browser();
        using var administrator = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        await other.LogInToPortalAsync("bob");
        await administrator.LogInToPortalAsync("root");

        foreach (var path in new[] { $"/machines/{aliceDesktop.Id}/console/vnc", $"/machines/{aliceDesktop.Id}/console/spice", $"/requests/{request.Id}" })
        {
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task A_thumbnail_is_shown_to_whoever_may_use_the_machine_or_clone_the_base()
    {
        var picture = new Thumbnail([0x89, 0x50, 0x4E, 0x47], "image/png", 320, 200, DateTimeOffset.UtcNow);
        await portal.Get<IMachineStore>().SetThumbnailAsync(aliceDesktop.Id, picture, TestContext.Current.CancellationToken);
        await portal.Get<IMachineStore>().SetThumbnailAsync(publicBase.Id, picture, TestContext.Current.CancellationToken);
        await portal.Get<IMachineStore>().SetThumbnailAsync(privateBase.Id, picture, TestContext.Current.CancellationToken);
        using var owner = portal.Browser();
        using var other = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        await other.LogInToPortalAsync("bob");

        var own = await owner.GetAsync($"/machines/{aliceDesktop.Id}/thumbnail");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType!.MediaType);
        Assert.Equal(picture.Image, await own.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/machines/{aliceDesktop.Id}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/machines/{publicBase.Id}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/machines/{privateBase.Id}/thumbnail")).StatusCode);
    }

    [Fact]
    public async Task No_get_of_any_page_changes_anything()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        var before = await portal.RequestsAsync();

        foreach (var path in new[]
        {
            "/", "/password", "/logout", $"/machines/{aliceDesktop.Id}/console/vnc", $"/machines/{aliceDesktop.Id}/console/spice",
            $"/machines/{aliceDesktop.Id}/viewer.vv", $"/bases/{publicBase.Id}/desktop", $"/machines/{aliceDesktop.Id}/shutdown",
            $"/machines/{aliceDesktop.Id}/start", $"/machines/{aliceDesktop.Id}/remove",
        })
        {
            var response = await browser.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Equal(before.Count, (await portal.RequestsAsync()).Count);
        Assert.Equal(MachineState.Running, (await portal.Get<IMachineStore>().FindAsync(aliceDesktop.Id, TestContext.Current.CancellationToken))!.State);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Error_pages_say_what_happened_without_internals()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var response = await browser.GetAsync("/no/such/page");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/work/", body, StringComparison.Ordinal);
    }
}
