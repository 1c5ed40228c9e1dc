using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Front.Consoles;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// Console tokens, the WebSocket that pumps a display's bytes, and .vv files; the display is a real TCP
/// server on loopback that greets like VNC and echoes.
/// </summary>
public sealed class ConsoleTests : IAsyncLifetime
{
    private readonly TestPortal portal = new();
    private readonly EchoDisplay display = new();
    private User alice = null!;
    private Machine running = null!;
    private Machine stopped = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        alice = await portal.UserAsync("alice");
        await portal.UserAsync("bob");
        await portal.UserAsync("root", admin: true);
        running = await portal.MachineAsync("alice-desktop", alice, MachineState.Running);
        await portal.Get<IMachineStore>().SetDisplaysAsync(running.Id,
            [
                new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", display.Port, null, "vnc-pass"),
                new MachineDisplay(DisplayProtocol.Spice, "127.0.0.1", display.Port, null, "spice-ticket-0123456789"),
            ],
            TestContext.Current.CancellationToken);
        stopped = await portal.MachineAsync("alice-old", alice, MachineState.ShutOff);
    }

    public async ValueTask DisposeAsync()
    {
        await display.DisposeAsync();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task The_owner_gets_a_token_and_the_display_password_for_a_running_machine()
    {
        using var browser = await LoggedInAsync("alice");

        var response = await browser.PostHtmxAsync($"/machines/{running.Id}/console/vnc/token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("/ws/console/", json.RootElement.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal("vnc-pass", json.RootElement.GetProperty("password").GetString());
    }

    [Fact]
    public async Task No_token_for_a_stopped_machine_another_users_machine_or_without_the_antiforgery_token()
    {
        using var owner = await LoggedInAsync("alice");
        using var other = await LoggedInAsync("bob");

        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostHtmxAsync($"/machines/{stopped.Id}/console/vnc/token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostHtmxAsync($"/machines/{running.Id}/console/vnc/token")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostHtmxAsync($"/machines/{running.Id}/console/vnc/token", withToken: false)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostHtmxAsync($"/machines/{running.Id}/console/rdp/token")).StatusCode);
    }

    [Fact]
    public async Task The_websocket_pumps_the_displays_bytes_both_ways_and_answers_the_binary_subprotocol()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        using var socket = await browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]);

        Assert.Equal("binary", socket.SubProtocol);
        Assert.Equal(EchoDisplay.Banner, await ReceiveTextAsync(socket, EchoDisplay.Banner.Length));
        await socket.SendAsync("RFB 003.008\n"u8.ToArray(), WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);
        Assert.Equal("RFB 003.008\n", await ReceiveTextAsync(socket, 12));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_client_that_offers_no_subprotocol_gets_none()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        using var socket = await browser.OpenWebSocketAsync(path, browser.Origin, []);

        Assert.Null(socket.SubProtocol);
        Assert.Equal(EchoDisplay.Banner, await ReceiveTextAsync(socket, EchoDisplay.Banner.Length));
    }

    [Fact]
    public async Task A_spice_session_opens_its_channels_with_one_token_but_not_more_than_a_session_needs()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "spice");
        var channels = new List<WebSocket>();

        for (var channel = 0; channel < ConsoleTokens.MaxUses; channel++)
        {
            channels.Add(await browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]));
        }

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]), 403);
        Assert.Equal(ConsoleTokens.MaxUses, display.Connections);
        channels.ForEach(socket => socket.Dispose());
    }

    [Fact]
    public async Task A_token_is_refused_from_another_origin()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, "https://evil.example", ["binary"]), 403);
        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, null, ["binary"]), 403);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task A_token_is_refused_to_another_user_even_one_who_may_use_the_machine()
    {
        using var owner = await LoggedInAsync("alice");
        using var administrator = await LoggedInAsync("root");
        var path = await TokenPathAsync(owner, "vnc");

        await AssertRefusedAsync(() => administrator.OpenWebSocketAsync(path, administrator.Origin, ["binary"]), 403);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task A_token_is_refused_from_another_client_address()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, browser.Origin, ["binary"], IPAddress.Parse("127.0.0.66")), 403);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task A_token_expires()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        portal.TokenClock.Advance(TimeSpan.FromSeconds(31));

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]), 403);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task An_invented_token_or_an_anonymous_client_is_refused()
    {
        using var browser = await LoggedInAsync("alice");
        using var anonymous = portal.Browser();
        var path = await TokenPathAsync(browser, "vnc");

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync("/ws/console/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", browser.Origin, ["binary"]), 403);
        await AssertRefusedAsync(() => anonymous.OpenWebSocketAsync(path, anonymous.Origin, ["binary"]), 401);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task A_plain_get_of_the_websocket_address_is_refused()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_machine_that_stopped_after_the_token_was_issued_is_not_reached()
    {
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc");

        await portal.SetStateAsync(running, MachineState.ShutOff);

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]), 409);
        Assert.Equal(0, display.Connections);
    }

    [Fact]
    public async Task A_display_that_does_not_answer_is_a_bad_gateway()
    {
        var silent = await portal.MachineAsync("alice-silent", alice, MachineState.Running);
        var closedPort = UnusedPort();
        await portal.DisplayAsync(silent, DisplayProtocol.Vnc, closedPort);
        using var browser = await LoggedInAsync("alice");
        var path = await TokenPathAsync(browser, "vnc", silent.Id);

        await AssertRefusedAsync(() => browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]), 502);
    }

    [Fact]
    public async Task The_viewer_file_carries_the_spice_display_and_its_password_for_the_owner_only()
    {
        using var owner = await LoggedInAsync("alice");
        using var other = await LoggedInAsync("bob");

        var response = await owner.GetAsync($"/machines/{running.Id}/viewer.vv");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var keys = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-virt-viewer", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("[virt-viewer]", text, StringComparison.Ordinal);
        Assert.Equal("spice", keys["type"]);
        Assert.Equal("127.0.0.1", keys["host"]);
        Assert.Equal(display.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), keys["port"]);
        Assert.Equal("spice-ticket-0123456789", keys["password"]);
        Assert.Equal("1", keys["delete-this-file"]);
        Assert.StartsWith("alice-desktop", keys["title"], StringComparison.Ordinal);
        Assert.Equal("shift+f12", keys["release-cursor"]);
        Assert.Equal("shift+f11", keys["toggle-fullscreen"]);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/machines/{running.Id}/viewer.vv")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.GetAsync($"/machines/{stopped.Id}/viewer.vv")).StatusCode);
    }

    private static int UnusedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task AssertRefusedAsync(Func<Task<WebSocket>> connect, int statusCode)
    {
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(async () => (await connect()).Dispose());
        Assert.Contains(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket, int length)
    {
        var received = new List<byte>();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < length)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            received.AddRange(buffer.AsSpan(0, result.Count).ToArray());
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    private async Task<Browser> LoggedInAsync(string userName)
    {
        var browser = portal.Browser();
        await browser.LogInToPortalAsync(userName);
        return browser;
    }

    private async Task<string> TokenPathAsync(Browser browser, string protocol, long? machineId = null)
    {
        var response = await browser.PostHtmxAsync($"/machines/{machineId ?? running.Id}/console/{protocol}/token");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("path").GetString()!;
    }
}
