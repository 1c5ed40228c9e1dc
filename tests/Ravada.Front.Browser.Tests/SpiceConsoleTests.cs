using Ravada.Front.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ravada.Front.Browser.Tests;

/// <summary>Story 3: the SPICE console in the browser (spice-html5 through the portal's WebSocket proxy) connects, draws the desktop and takes keys.</summary>
[Collection(nameof(Portal))]
public sealed class SpiceConsoleTests(PortalBed bed)
{
    [Fact]
    public async Task The_SPICE_console_connects_draws_the_desktop_and_takes_keys()
    {
        await using var session = await bed.LogInAsync("alice");
        var machineId = await session.OpenDesktopAsync();
        var page = session.Page;

        await page.GotoAsync($"/machines/{machineId}/console/spice");
        await Expect(page.Locator("#console")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync($"() => ({BrowserSession.CountLitPixels})() > 5000", null, new() { Timeout = 120_000, PollingInterval = 250 });

        // Keys reach the guest through SPICE's inputs channel: Escape brings GRUB to its menu (wherever it was), and
        // 'c' turns the menu into the darker command line.
        await page.Locator("#screen canvas").First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        var menu = await session.SettledLitPixelsAsync();
        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync($"menu => ({BrowserSession.CountLitPixels})() < menu / 2", menu, new() { Timeout = 60_000, PollingInterval = 250 });
    }
}
