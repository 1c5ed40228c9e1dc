using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Bench.Front;

/// <summary>
/// 2. One click on a base in a real browser (Debian's Chromium driven by Playwright) until the run page shows the
/// desktop ready, against the real rvd_back and rvd_front and a base of the idle guest; the clone is removed
/// between runs, so every click clones, defines and starts a new machine.
/// </summary>
internal static class DesktopClickBenchmark
{
    public const string Title = "One click to a desktop, seen in the browser";
    private const double TargetP50Ms = 1000;
    private const string UserName = "student";

    /// <summary>Debian's Chromium as the portal's browser tests run it: no sandbox (root), no GPU, nothing fetched from the network.</summary>
    /// <summary>
    /// Notes in the page, with the browser's own clock, when the base's button is clicked and when the run page shows
    /// the desktop ready; sessionStorage carries the click across the navigation to the run page.
    /// </summary>
    private const string PageClock = """
        (() => {
          const now = () => Date.now();
          document.addEventListener('click', event => {
            if (event.target.closest('button[data-base]')) sessionStorage.setItem('rvdbench-click', String(now()));
          }, true);
          const watch = () => {
            const seen = () => {
              if (document.getElementById('open-console') && !sessionStorage.getItem('rvdbench-ready')) sessionStorage.setItem('rvdbench-ready', String(now()));
            };
            new MutationObserver(seen).observe(document.documentElement, { childList: true, subtree: true });
            seen();
          };
          if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
        })();
        """;

    public static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<BenchmarkSection> RunAsync(DesktopBed bed, FrontBenchOptions options, FrontBenchSizes sizes, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bed);
        ArgumentNullException.ThrowIfNull(options);
        await bed.Portal.UserAsync(UserName, Passwords.Hash(PortalSeed.Password), admin: false, cancellationToken);
        await bed.StartBackAsync(options.RvdBack, cancellationToken);
        progress("making the base of the idle guest with rvd_back");
        var baseMachine = await bed.MakeIdleBaseAsync(cancellationToken);
        await using var front = await bed.Portal.StartFrontAsync(options.RvdFront, cancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium,
            Headless = true,
            Args = ChromiumArguments,
        });
        var browserVersion = browser.Version;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = bed.Portal.BaseAddress.ToString() });
        await context.AddInitScriptAsync(PageClock);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=userName]", UserName);
        await page.FillAsync("input[name=password]", PortalSeed.Password);
        await page.ClickAsync("#login");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        var clicks = new List<double>();
        var redirects = new List<double>();
        var backEnd = new List<double>();
        var toRequest = new List<double>();
        var toPage = new List<double>();
        var seenByPlaywright = new List<double>();
        var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var run = -1; run < sizes.ClickRuns; run++)
        {
            await page.GotoAsync("/");
            var button = page.Locator($"button[data-base='{baseMachine.Name}']");
            await button.WaitForAsync();
            await page.EvaluateAsync("() => { sessionStorage.removeItem('rvdbench-click'); sessionStorage.removeItem('rvdbench-ready'); }");
            var redirected = 0L;
            var clickedAt = TimeProvider.System.GetUtcNow();
            var started = Elapsed.Now();
            var redirect = page.WaitForURLAsync(url => url.Contains("/requests/", StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit })
                .ContinueWith(_ => redirected = Elapsed.Now(), TaskScheduler.Default);
            await button.ClickAsync();
            try
            {
                await page.Locator("#open-console").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            }
            catch (TimeoutException exception)
            {
                throw new BenchmarkException($"the page never showed the desktop ready; it is at {page.Url} and says:\n{await page.InnerTextAsync("main")}\nrvd_back said:\n{bed.BackOutput}", exception);
            }
            var playwrightMs = Elapsed.MillisecondsSince(started);
            await redirect;
            var clickInPage = double.Parse(await page.EvaluateAsync<string>("() => sessionStorage.getItem('rvdbench-click')"), CultureInfo.InvariantCulture);
            var readyInPage = double.Parse(await page.EvaluateAsync<string>("() => sessionStorage.getItem('rvdbench-ready')"), CultureInfo.InvariantCulture);
            var clickMs = readyInPage - clickInPage;
            var shownAt = DateTimeOffset.FromUnixTimeMilliseconds((long)readyInPage);

            var requestId = long.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1], CultureInfo.InvariantCulture);
            var request = await bed.WaitAsync(requestId, cancellationToken);
            using (var result = JsonDocument.Parse(request.Result ?? throw new BenchmarkException($"request {requestId} has no result")))
            {
                await bed.RunOkAsync(RequestCommands.Remove, result.RootElement.GetProperty("machine").GetInt64(), RequestArguments.Empty, cancellationToken);
            }

            if (run < 0)
            {
                continue;
            }

            clicks.Add(clickMs);
            seenByPlaywright.Add(playwrightMs);
            redirects.Add(Elapsed.Milliseconds(started, redirected));
            backEnd.Add((request.FinishedAt!.Value - request.CreatedAt).TotalMilliseconds);
            toRequest.Add((request.CreatedAt - clickedAt).TotalMilliseconds);
            toPage.Add((shownAt - request.FinishedAt.Value).TotalMilliseconds);
            foreach (var (phase, milliseconds) in Timings(request))
            {
                (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add(milliseconds);
            }

            progress(string.Create(CultureInfo.InvariantCulture, $"click {run + 1}/{sizes.ClickRuns}: {clickMs:0} ms"));
        }

        var click = LatencySummary.Of(clicks);
        var rows = new List<string[]>
        {
            Cells.Latencies("Click → \"Your desktop is ready\" in the page (the page's clock)", click),
            Cells.Latencies("The same, as Playwright sees it", LatencySummary.Of(seenByPlaywright)),
            Cells.Latencies("Click → the run page's address (POST, HX-Redirect)", LatencySummary.Of(redirects)),
            Cells.Latencies("Click → the request row is created", LatencySummary.Of(toRequest)),
            Cells.Latencies("rvd_back: request created → done", LatencySummary.Of(backEnd)),
            Cells.Latencies("Request done → \"ready\" seen in the page", LatencySummary.Of(toPage)),
        };
        rows.AddRange(phases.Select(phase => Cells.Latencies($"rvd_back phase: {phase.Key}", LatencySummary.Of(phase.Value))));
        var description = string.Create(CultureInfo.InvariantCulture, $"""
            Debian's Chromium {browserVersion}, headless, driven by Playwright for .NET (never a downloaded browser), logs in as a user
            with Ravada's default grants and opens `/`. The time runs from the click on the base's button ("Start a desktop")
            until the run page shows "Your desktop is ready" with its console buttons, both noted by the page itself with the
            host's clock (`Date.now()` in a capturing click listener and a MutationObserver that the benchmark adds
            with Playwright's init scripts, which the page's CSP does not govern; sessionStorage carries the click over the
            navigation). Playwright's own view of the same span, from before its click call until its wait returns, is the
            second row. htmx
            POSTs `/bases/ID/desktop` with the antiforgery header, follows `HX-Redirect` to the run page `/requests/ID`,
            which follows the request's phases over `/events?request=ID` until *display ready* and done. Behind it run the
            real rvd_back (published Release build, its own SQLite database, pool and isolated network) and rvd_front; the
            base is the idle guest (Debian kernel + busybox, booting from its CD-ROM, 192 MiB, 1 vCPU) made with rvd_back's
            `create` and `prepare_base`. Each click clones, defines and starts a new machine under TCG (no usable KVM
            here): the clone is removed through rvd_back between runs. One unmeasured click first, then {Cells.Count(sizes.ClickRuns)}.
            The rows about the request come from
            its row: its creation and finish times (milliseconds, the same host clock as the benchmark's) and the phase
            timings rvd_back records (the *queued* phase is the wait for a worker). After the POST the page and rvd_back work
            at the same time, so the click's time is about click → row created, plus rvd_back's time, plus done → seen.
            """);
        return new BenchmarkSection(Title, description,
            [
                new SummaryRow("Click → desktop ready in the browser: p50 / p95", $"{Cells.Ms(click.P50)} / {Cells.Ms(click.P95)}", $"p50 < {TargetP50Ms / 1000:0} s", click.P50 < TargetP50Ms),
            ],
            [new DetailTable("Per click", Cells.LatencyHeaders, Cells.LatencyAlignments, rows)]);
    }

    private static IEnumerable<(string Phase, double Milliseconds)> Timings(Request request)
    {
        if (request.Timings is null)
        {
            yield break;
        }

        using var timings = JsonDocument.Parse(request.Timings);
        foreach (var entry in timings.RootElement.EnumerateArray())
        {
            yield return (entry.GetProperty("phase").GetString() ?? "?", entry.GetProperty("ms").GetDouble());
        }
    }
}
