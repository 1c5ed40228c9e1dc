using System.Net;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>The event stream: the user's machines, a request's progress and the back end's banner, live.</summary>
public sealed class LiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TestPortal portal = new();
    private User alice = null!;
    private User bob = null!;
    private Machine aliceDesktop = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        alice = await portal.UserAsync("alice");
        bob = await portal.UserAsync("bob");
        aliceDesktop = await portal.MachineAsync("alice-desktop", alice, MachineState.ShutOff);
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_state_change_of_the_users_machine_reaches_the_users_stream_and_no_one_elses()
    {
        using var owner = portal.Browser();
        using var other = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        await other.LogInToPortalAsync("bob");
        using var ownerStream = await OpenAsync(owner, "/events");
        using var otherStream = await OpenAsync(other, "/events");
        await ownerStream.WaitForAsync("machines", html => html.Contains("data-state=\"shutoff\"", StringComparison.Ordinal), Patience);
        await otherStream.WaitForAsync("machines", _ => true, Patience);

        await portal.SetStateAsync(aliceDesktop, MachineState.Running);

        await ownerStream.WaitForAsync("machines", html => html.Contains("data-state=\"running\"", StringComparison.Ordinal), Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            otherStream.WaitForAsync("machines", html => html.Contains(aliceDesktop.Name, StringComparison.Ordinal), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_requests_progress_follows_its_phases_to_the_end()
    {
        var queue = portal.Get<IRequestQueue>();
        var request = await queue.EnqueueAsync(
            new NewRequest { Command = RequestCommands.Start, UserId = alice.Id, MachineId = aliceDesktop.Id }, TestContext.Current.CancellationToken);
        using var owner = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        using var stream = await OpenAsync(owner, $"/events?request={request.Id}");
        await stream.WaitForAsync("request", html => html.Contains("data-phase=\"queued\"", StringComparison.Ordinal), Patience);

        var claimed = await queue.ClaimByIdAsync(request.Id, "test-worker", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.NotNull(claimed);
        await queue.SetPhaseAsync(request.Id, "test-worker", "starting", TestContext.Current.CancellationToken);
        await stream.WaitForAsync("request", html => html.Contains("data-phase=\"starting\"", StringComparison.Ordinal), Patience);
        await queue.FailAsync(request.Id, "test-worker", "Not enough memory on the host for alice-desktop.", "{}", TestContext.Current.CancellationToken);

        var failed = await stream.WaitForAsync("request", html => html.Contains("Not enough memory", StringComparison.Ordinal), Patience);
        Assert.Contains("role=\"alert\"", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_click_that_finds_the_users_desktop_of_the_base_says_it_is_started_not_cloned()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queue = portal.Get<IRequestQueue>();
        var admin = await portal.UserAsync("root", admin: true);
        var shared = await portal.PublicBaseAsync("shared-base", admin);
        await portal.MachineAsync("shared-base-alice", alice, MachineState.ShutOff, shared);
        var clone = new NewRequest { Command = RequestCommands.Clone, UserId = alice.Id, Arguments = RequestArguments.Empty.With("base_id", shared.Id), AllowDuplicate = true };
        var reusing = await queue.EnqueueAsync(clone, cancellationToken);
        var cloning = await queue.EnqueueAsync(clone, cancellationToken);
        var node = await portal.Get<Ravada.Core.Nodes.INodeStore>().EnsureAsync("localhost", "qemu:///system", cancellationToken);
        await portal.Get<IMachineStore>().CreateAsync(new Machine
        {
            Id = 0, Uuid = Guid.NewGuid(), Name = "shared-base-alice-2", OwnerId = alice.Id, BaseId = shared.Id, NodeId = node.Id,
            MemoryMiB = 256, CreatedByRequestId = cloning.Id,
        }, cancellationToken);
        foreach (var request in new[] { reusing, cloning })
        {
            Assert.NotNull(await queue.ClaimByIdAsync(request.Id, "test-worker", TimeSpan.FromMinutes(1), cancellationToken));
            await queue.SetPhaseAsync(request.Id, "test-worker", "starting", cancellationToken);
        }

        using var owner = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        var (_, reusingPage) = await owner.PageAsync($"/requests/{reusing.Id}");
        var (_, cloningPage) = await owner.PageAsync($"/requests/{cloning.Id}");

        Assert.NotNull(reusingPage.QuerySelector("#reused-desktop"));
        Assert.Equal(["queued", "starting", "display ready"], reusingPage.QuerySelectorAll(".phases li").Select(phase => phase.TextContent));
        Assert.Null(cloningPage.QuerySelector("#reused-desktop"));
        Assert.Equal(["queued", "cloning", "defining", "starting", "display ready"], cloningPage.QuerySelectorAll(".phases li").Select(phase => phase.TextContent));
        Assert.Equal("done", cloningPage.QuerySelectorAll(".phases li")[1].ClassName);

        await queue.CompleteAsync(reusing.Id, "test-worker", "{\"machine\":1,\"name\":\"shared-base-alice\",\"reused\":true}", "{}", cancellationToken);
        var (_, donePage) = await owner.PageAsync($"/requests/{reusing.Id}");
        Assert.NotNull(donePage.QuerySelector("#reused-desktop"));
        Assert.Equal(["queued", "starting", "display ready"], donePage.QuerySelectorAll(".phases li").Select(phase => phase.TextContent));
    }

    [Fact]
    public async Task Another_users_request_cannot_be_followed()
    {
        var request = await portal.Get<IRequestQueue>().EnqueueAsync(
            new NewRequest { Command = RequestCommands.Start, UserId = alice.Id, MachineId = aliceDesktop.Id }, TestContext.Current.CancellationToken);
        using var other = portal.Browser();
        await other.LogInToPortalAsync("bob");

        var response = await other.GetAsync($"/events?request={request.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_stream_is_refused_without_a_redirect()
    {
        using var browser = portal.Browser();

        var response = await browser.GetAsync("/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_page_says_the_back_end_is_down_when_its_heartbeat_stops_and_clears_when_it_beats_again()
    {
        using var owner = portal.Browser();
        await owner.LogInToPortalAsync("alice");
        using var stream = await OpenAsync(owner, "/events");
        await stream.WaitForAsync("backend", html => !html.Contains("not running", StringComparison.Ordinal), Patience);

        await portal.StopBeatingAsync();
        await stream.WaitForAsync("backend", html => html.Contains("not running", StringComparison.Ordinal), Patience);
        await portal.BeatAsync();
        await stream.WaitForAsync("backend", html => !html.Contains("not running", StringComparison.Ordinal), Patience);
    }

    private static async Task<EventStream> OpenAsync(Browser browser, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/event-stream");
        var response = await browser.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return new EventStream(response);
    }
}
