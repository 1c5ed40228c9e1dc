using System.Text.RegularExpressions;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Front.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ravada.Front.Browser.Tests;

/// <summary>
/// Story 2: a first-time user clicks the demo base, watches the run page go through the phases as they happen, opens
/// the console in the browser (noVNC), sees GRUB's screen and types a command into it.
/// </summary>
[Collection(nameof(Portal))]
public sealed class DesktopTests(PortalBed bed)
{
    private static readonly string[] ClonePhases = ["queued", "cloning", "defining", "starting", "display ready"];

    // Records, in the page itself, every phase the run page marks as current and every status it shows, as the
    // server-sent fragments replace the progress; and whether the page was ever reloaded (it must not be).
    private const string PhaseRecorder = """
        (() => {
            const seen = { phases: [], statuses: [] };
            window.__seen = seen;
            const look = () => {
                const progress = document.querySelector('section.progress');
                if (!progress) {
                    return;
                }
                const current = progress.querySelector('li.current');
                if (current && seen.phases.at(-1) !== current.textContent) {
                    seen.phases.push(current.textContent);
                }
                if (seen.statuses.at(-1) !== progress.dataset.status) {
                    seen.statuses.push(progress.dataset.status);
                }
            };
            new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            document.addEventListener('DOMContentLoaded', look);
        })();
        """;

    [Fact]
    public async Task One_click_gives_a_desktop_whose_phases_show_live_and_whose_GRUB_screen_takes_typing_in_the_browser_console()
    {
        const string userName = "carol";
        await using var session = await bed.LogInAsync(userName);
        var page = session.Page;
        await page.AddInitScriptAsync(PhaseRecorder);
        try
        {
            await Expect(page.Locator("#my-machines .empty")).ToBeVisibleAsync();

            await page.Locator($"button[data-base=\"{bed.DemoBase.Name}\"]").ClickAsync();
            await page.WaitForURLAsync(BrowserSession.RunPage());
            await Expect(page.Locator("section.progress")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = (float)BrowserSession.DesktopTimeout.TotalMilliseconds });
            await Expect(page.Locator("ol.phases li")).ToHaveTextAsync(ClonePhases);
            await Expect(page.Locator("ol.phases li.done")).ToHaveCountAsync(ClonePhases.Length);
            await Expect(page.Locator(".outcome.ok")).ToHaveTextAsync("Your desktop is ready.");

            // The page showed the phases one after another in their order, and only live updates brought it to the end.
            var phases = await page.EvaluateAsync<string[]>("() => window.__seen.phases");
            var statuses = await page.EvaluateAsync<string[]>("() => window.__seen.statuses");
            TestContext.Current.TestOutputHelper?.WriteLine($"phases seen: {string.Join(" → ", phases)}; statuses seen: {string.Join(" → ", statuses)}");
            Assert.NotEmpty(phases);
            Assert.Equal(phases.OrderBy(phase => Array.IndexOf(ClonePhases, phase)), phases);
            Assert.All(phases, phase => Assert.Contains(phase, ClonePhases));
            Assert.Equal("done", statuses[^1]);
            Assert.True(statuses.Length > 1, $"the run page never changed without a reload: {string.Join(", ", statuses)}");

            await page.Locator("#open-console").ClickAsync();
            await page.WaitForURLAsync(new Regex("/machines/[0-9]+/console/vnc$"));
            await Expect(page.Locator("#console")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.Locator("#console-status")).ToHaveTextAsync("Connected");

            // GRUB's menu is drawn: the canvas is not black. 'c' opens GRUB's command line (a darker screen); the
            // typed command shows as it is typed, and its output after Enter: each step lights more of the picture.
            await page.WaitForFunctionAsync($"() => ({BrowserSession.CountLitPixels})() > 5000", null, new() { Timeout = 120_000, PollingInterval = 250 });
            var menu = await session.SettledLitPixelsAsync();
            await page.Locator("#screen canvas").ClickAsync();
            await page.Keyboard.PressAsync("c");
            await page.WaitForFunctionAsync($"menu => ({BrowserSession.CountLitPixels})() < menu / 2", menu, new() { Timeout = 60_000, PollingInterval = 250 });
            var commandLine = await session.SettledLitPixelsAsync();
            await page.Keyboard.TypeAsync("echo rvdtest-typed", new() { Delay = 50 });
            await page.WaitForFunctionAsync($"before => ({BrowserSession.CountLitPixels})() > before + 200", commandLine, new() { Timeout = 60_000, PollingInterval = 250 });
            var typed = await session.SettledLitPixelsAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForFunctionAsync($"before => ({BrowserSession.CountLitPixels})() > before + 200", typed, new() { Timeout = 60_000, PollingInterval = 250 });
            var answered = await session.SettledLitPixelsAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"lit pixels: menu {menu}, command line {commandLine}, command typed {typed}, answered {answered}");
        }
        finally
        {
            // GRUB keeps a virtual CPU busy: the desktop goes off once the story is told.
            var carol = await bed.BackEnd.UserAsync(userName);
            foreach (var machine in (await bed.BackEnd.Get<IMachineStore>().ListByOwnerAsync(carol.Id, TestContext.Current.CancellationToken)).Where(machine => machine.State == MachineState.Running))
            {
                await bed.BackEnd.RunOkAsync(RequestCommands.ForceShutdown, carol, machine.Id);
            }
        }
    }
}
