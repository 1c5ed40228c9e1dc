using System.Net;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// Passwords, display passwords and tickets, console tokens and session cookies never reach the logs (captured
/// down to debug) nor the pages that answer a failure.
/// </summary>
public sealed class SecretsInLogsTests : IAsyncLifetime
{
    private const string WrongPassword = "wrong-Secret-Pass-77";
    private const string UnknownUsersPassword = "unknown-user-secret-88";
    private const string VncPassword = "vnc-display-secret-1";
    private const string SpiceTicket = "spice-ticket-secret-2";
    private static readonly Uri Origin = new("http://localhost");

    private readonly CapturedLogs logs = new();
    private readonly EchoDisplay display = new();
    private readonly TestPortal portal;
    private Machine running = null!;

    public SecretsInLogsTests() => portal = new TestPortal(logs: logs);

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        var alice = await portal.UserAsync("alice");
        await portal.UserAsync("bob");
        running = await portal.MachineAsync("alice-desktop", alice, MachineState.Running);
        await portal.Get<IMachineStore>().SetDisplaysAsync(running.Id,
            [
                new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", display.Port, null, VncPassword),
                new MachineDisplay(DisplayProtocol.Spice, "127.0.0.1", display.Port, null, SpiceTicket),
            ],
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await display.DisposeAsync();
        await portal.DisposeAsync();
        logs.Dispose();
    }

    [Fact]
    public async Task Logins_console_tokens_viewer_files_and_logouts_leave_no_secret_in_the_logs_or_the_pages()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var secrets = new List<string> { TestPortal.Password, WrongPassword, UnknownUsersPassword, VncPassword, SpiceTicket };
        var pages = new List<string>();

        using (var stranger = portal.Browser("127.0.0.2"))
        {
            for (var attempt = 0; attempt < 7; attempt++)
            {
                pages.Add(await (await stranger.LogInAsync("bob", WrongPassword)).Content.ReadAsStringAsync(cancellation));
            }

            pages.Add(await (await stranger.LogInAsync("nobody", UnknownUsersPassword)).Content.ReadAsStringAsync(cancellation));
        }

        using var browser = portal.Browser();
        await browser.LogInToPortalAsync("alice");
        secrets.Add(browser.Cookies.GetCookies(Origin)["ravada_session"]!.Value);
        secrets.Add(browser.CsrfToken!);
        secrets.Add((await portal.Get<IUserStore>().GetPasswordHashAsync((await portal.Get<IUserStore>().FindByNameAsync("alice", cancellation))!.Id, cancellation))!);

        var issued = await browser.PostHtmxAsync($"/machines/{running.Id}/console/vnc/token");
        using var json = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(cancellation));
        var path = json.RootElement.GetProperty("path").GetString()!;
        secrets.Add(path[(path.LastIndexOf('/') + 1)..]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => browser.OpenWebSocketAsync(path, "https://evil.example", ["binary"]));
        using (var socket = await browser.OpenWebSocketAsync(path, browser.Origin, ["binary"]))
        {
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", cancellation);
        }

        var viewerFile = await browser.GetAsync($"/machines/{running.Id}/viewer.vv");
        Assert.Equal(HttpStatusCode.OK, viewerFile.StatusCode);
        pages.Add(await (await browser.GetAsync($"/machines/{running.Id}/console/vnc/token")).Content.ReadAsStringAsync(cancellation));
        pages.Add(await (await browser.PostFormAsync("/password", [new("Current", WrongPassword), new("NewPassword", UnknownUsersPassword), new("Confirm", UnknownUsersPassword)])).Content.ReadAsStringAsync(cancellation));
        await browser.PostFormAsync("/logout", []);

        var logged = logs.Text;
        Assert.Contains("alice", logged, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, logged, StringComparison.Ordinal));
        Assert.All(pages, page => Assert.All(secrets, secret => Assert.DoesNotContain(secret, page, StringComparison.Ordinal)));
    }
}
