using Ravada.Front.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ravada.Front.Browser.Tests;

/// <summary>Story 5: the user shuts the desktop down from its card on the portal and watches its state change live.</summary>
[Collection(nameof(Portal))]
public sealed class MachineCardTests(PortalBed bed)
{
    // Records in the page every state the machine's card shows, and marks the page so that a reload would be seen.
    private const string StateRecorder = """
        id => {
            window.__states = [];
            const look = () => {
                const state = document.querySelector(`#machine-${id}`)?.dataset.state;
                if (state && window.__states.at(-1) !== state) {
                    window.__states.push(state);
                }
            };
            look();
            new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
        }
        """;

    [Fact]
    public async Task Shutting_down_from_the_card_turns_the_machine_off_live()
    {
        await using var session = await bed.LogInAsync("alice");
        var machineId = await session.OpenDesktopAsync();
        var page = session.Page;
        await page.GotoAsync("/");
        var card = page.Locator($"#machine-{machineId}");
        await Expect(card).ToHaveAttributeAsync("data-state", "running");
        await page.EvaluateAsync(StateRecorder, machineId);

        await card.Locator("button[data-action=shutdown]").ClickAsync();
        await Expect(page.Locator("#notice .notice.ok")).ToContainTextAsync("Asked to shut down");

        // GRUB does not listen to ACPI: the back end powers it off after its shutdown timeout.
        await Expect(page.Locator($"#machine-{machineId}")).ToHaveAttributeAsync("data-state", "shutoff", new() { Timeout = 120_000 });
        await Expect(page.Locator($"#machine-{machineId} .state")).ToHaveTextAsync("off");
        await Expect(page.Locator($"#machine-{machineId} button[data-action=start]")).ToBeVisibleAsync();
        await Expect(page.Locator($"#machine-{machineId} a[href$=\"/console/vnc\"]")).ToHaveCountAsync(0);
        var states = await page.EvaluateAsync<string[]>("() => window.__states");
        TestContext.Current.TestOutputHelper?.WriteLine($"states seen on the card: {string.Join(" → ", states)}");
        Assert.Equal("running", states[0]);
        Assert.Equal("shutoff", states[^1]);

        // A console opened now (an old bookmark) says why there is no picture instead of trying to connect.
        await page.GotoAsync($"/machines/{machineId}/console/vnc");
        await Expect(page.Locator("#console")).ToHaveAttributeAsync("data-state", "failed");
        await Expect(page.Locator("#console-status")).ToContainTextAsync("is not running: start it from your desktops.");
    }
}
