using System.Net;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>The state changes of the portal: one click for a desktop and the actions on a machine, with their rights.</summary>
public sealed class PortalActionTests : IAsyncLifetime
{
    private static readonly string[] Actions = ["start", "shutdown", "force-off", "reboot", "hibernate", "resume", "restore", "remove"];

    private readonly TestPortal portal = new();
    private User alice = null!;
    private User admin = null!;
    private Machine publicBase = null!;
    private Machine privateBase = null!;
    private Machine aliceDesktop = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        (admin, alice, _, publicBase, privateBase, aliceDesktop) = await portal.CastAsync();
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task One_click_on_a_base_asks_for_the_users_desktop_and_leads_to_its_run_page()
    {
        using var browser = portal.Browser("127.0.0.7");
        await browser.LogInToPortalAsync("bob");

        var response = await browser.PostHtmxAsync($"/bases/{publicBase.Id}/desktop");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var request = Assert.Single(await portal.RequestsAsync());
        Assert.Equal($"/requests/{request.Id}", response.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal(RequestCommands.Clone, request.Command);
        Assert.Equal(publicBase.Id, request.Arguments.GetInt64("base_id"));
        Assert.True(request.Arguments.GetBoolean("start"));
        Assert.Equal("127.0.0.7", request.Arguments.GetString("remote_ip"));
        var (runPage, document) = await browser.PageAsync($"/requests/{request.Id}");
        Assert.Equal(HttpStatusCode.OK, runPage.StatusCode);
        Assert.NotNull(document.QuerySelector("#progress"));
    }

    [Fact]
    public async Task A_base_the_user_may_not_clone_is_not_found_and_nothing_is_asked()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("bob");

        var privateOne = await browser.PostHtmxAsync($"/bases/{privateBase.Id}/desktop");
        var notABase = await browser.PostHtmxAsync($"/bases/{aliceDesktop.Id}/desktop");
        var missing = await browser.PostHtmxAsync("/bases/999999/desktop");

        Assert.Equal(HttpStatusCode.NotFound, privateOne.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notABase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_is_asked()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var desktop = await browser.PostHtmxAsync($"/bases/{publicBase.Id}/desktop", withToken: false);
        var shutdown = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/shutdown", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, desktop.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shutdown.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Fact]
    public async Task The_token_of_one_session_does_not_work_for_another()
    {
        using var attacker = portal.Browser();
        using var victim = portal.Browser();
        await attacker.LogInToPortalAsync("bob");
        await victim.LogInToPortalAsync("alice");

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/machines/{aliceDesktop.Id}/remove");
        forged.Headers.Add("X-CSRF-Token", attacker.CsrfToken);
        forged.Headers.Add("HX-Request", "true");
        var response = await victim.Http.SendAsync(forged, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Theory]
    [MemberData(nameof(EveryAction))]
    public async Task The_owner_may_ask_for_each_action_on_their_machine(string action)
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var response = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/{action}");

        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode}");
        var request = Assert.Single(await portal.RequestsAsync());
        Assert.Equal(aliceDesktop.Id, request.MachineId);
        Assert.Equal(alice.Id, request.UserId);
    }

    [Theory]
    [MemberData(nameof(EveryAction))]
    public async Task Another_user_cannot_ask_for_any_action_on_a_machine_not_theirs(string action)
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("bob");

        var response = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/{action}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
        Assert.Equal(MachineState.Running, (await portal.Get<IMachineStore>().FindAsync(aliceDesktop.Id, TestContext.Current.CancellationToken))!.State);
    }

    [Theory]
    [MemberData(nameof(EveryAction))]
    public async Task An_administrator_may_ask_for_each_action_on_anyones_machine(string action)
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("root");

        var response = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/{action}");

        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode}");
        Assert.Equal(admin.Id, Assert.Single(await portal.RequestsAsync()).UserId);
    }

    [Fact]
    public async Task A_user_without_the_remove_grant_is_told_so_and_nothing_is_asked()
    {
        var carol = await portal.UserAsync("carol");
        await portal.Get<IUserStore>().SetGrantAsync(carol.Id, Grant.Remove, 0, TestContext.Current.CancellationToken);
        var desktop = await portal.MachineAsync("debian-desktop-carol", carol, MachineState.ShutOff, publicBase);
        using var browser = portal.Browser();
        var page = await browser.LogInToPortalAsync("carol");

        var response = await browser.PostHtmxAsync($"/machines/{desktop.Id}/remove");

        Assert.Null(page.QuerySelector($"[data-action='remove']"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Fact]
    public async Task An_unknown_action_is_not_a_route()
    {
        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");

        var response = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/prepare-base");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await portal.RequestsAsync());
    }

    [Fact]
    public async Task Starting_from_the_card_leads_to_the_run_page_and_records_the_client_address()
    {
        using var browser = portal.Browser("127.0.0.8");
        await browser.LogInToPortalAsync("alice");

        var response = await browser.PostHtmxAsync($"/machines/{aliceDesktop.Id}/start");

        var request = Assert.Single(await portal.RequestsAsync());
        Assert.Equal($"/requests/{request.Id}", response.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal("127.0.0.8", request.Arguments.GetString("remote_ip"));
    }

    public static TheoryData<string> EveryAction() => [.. Actions];
}
