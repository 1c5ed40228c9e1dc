using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ravada.Front.Browser.Tests.Support;

/// <summary>
/// One person's browser window on the portal: its own cookies, one page, and what the page's scripts said on the
/// console (written to the test's output at the end, to explain a failure).
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    /// <summary>How long a desktop may take from the click to "display ready" on a busy TCG host.</summary>
    public static readonly TimeSpan DesktopTimeout = TimeSpan.FromMinutes(3);

    private readonly IBrowserContext context;
    private readonly PortalBed bed;
    private readonly List<string> console = [];
    private readonly Lock consoleLock = new();

    private BrowserSession(IBrowserContext context, IPage page, PortalBed bed)
    {
        this.context = context;
        this.bed = bed;
        Page = page;
        page.Console += (_, message) => Note($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Note($"page error: {error}");
        page.RequestFailed += (_, request) => Note($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Note($"HTTP {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    internal static async Task<BrowserSession> OpenAsync(IBrowserContext context, PortalBed bed) =>
        new(context, await context.NewPageAsync(), bed);

    /// <summary>Logs in through the login form and lands on the user's page.</summary>
    public async Task LogInAsync(string userName, string password)
    {
        await Page.GotoAsync("/login");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.Locator("#login").ClickAsync();
        await Page.WaitForURLAsync(bed.Url + "/");
    }

    /// <summary>
    /// On the user's page, clicks the demo base and waits on the run page until the desktop is ready; returns the
    /// machine's id, read from the run page's console link.
    /// </summary>
    public async Task<long> OpenDesktopAsync()
    {
        if (!Page.Url.Equals(bed.Url + "/", StringComparison.Ordinal))
        {
            await Page.GotoAsync("/");
        }

        await Page.Locator($"button[data-base=\"{bed.DemoBase.Name}\"]").ClickAsync();
        await Page.WaitForURLAsync(RunPage());
        await Expect(Page.Locator("section.progress")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = (float)DesktopTimeout.TotalMilliseconds });
        var href = await Page.Locator("#open-console").GetAttributeAsync("href") ?? throw new InvalidOperationException("the run page has no console link");
        return long.Parse(ConsoleLink().Match(href).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Counts the pixels of the console's canvas that are not black.</summary>
    public Task<int> LitPixelsAsync() => Page.EvaluateAsync<int>(CountLitPixels);

    /// <summary>
    /// The count of lit pixels once the picture has stopped changing (two looks half a second apart differ by less
    /// than a blinking text cursor).
    /// </summary>
    public async Task<int> SettledLitPixelsAsync()
    {
        const int CursorPixels = 50;
        var previous = await LitPixelsAsync();
        for (var look = 0; look < 120; look++)
        {
            await Page.WaitForTimeoutAsync(500);
            var current = await LitPixelsAsync();
            if (Math.Abs(current - previous) < CursorPixels)
            {
                return current;
            }

            previous = current;
        }

        throw new InvalidOperationException("the console's picture never stopped changing");
    }

    /// <summary>The JavaScript that counts the lit pixels of the first canvas in <c>#screen</c> (0 while there is none).</summary>
    public const string CountLitPixels = """
        () => {
            const canvas = document.querySelector('#screen canvas');
            if (!canvas || canvas.width === 0 || canvas.height === 0) {
                return 0;
            }
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let lit = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i] > 16 || pixels[i + 1] > 16 || pixels[i + 2] > 16) {
                    lit++;
                }
            }
            return lit;
        }
        """;

    /// <summary>What the page's scripts reported, and the portal's output, for a failure message.</summary>
    public string Diagnostics()
    {
        lock (consoleLock)
        {
            return $"browser console:\n{string.Join('\n', console)}\nrvd_front output (last lines):\n{Tail(bed.Front.Output)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(Diagnostics());
        await context.DisposeAsync();
    }

    [GeneratedRegex("/requests/[0-9]+$")]
    internal static partial Regex RunPage();

    [GeneratedRegex("^/machines/([0-9]+)/console/vnc$")]
    private static partial Regex ConsoleLink();

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));

    private void Note(string line)
    {
        lock (consoleLock)
        {
            console.Add(line);
        }
    }
}
