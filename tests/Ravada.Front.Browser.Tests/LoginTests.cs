using System.Text.RegularExpressions;
using Ravada.Front.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Ravada.Front.Browser.Tests;

/// <summary>Story 1: a person logs in (after a typo in the password), sees the portal, and logs out.</summary>
[Collection(nameof(Portal))]
public sealed class LoginTests(PortalBed bed)
{
    [Fact]
    public async Task A_wrong_password_is_told_the_right_one_opens_the_portal_and_logging_out_closes_it()
    {
        await using var session = await bed.OpenAsync();
        var page = session.Page;

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login(\\?|$)"));

        await page.GetByLabel("User name").FillAsync("bob");
        await page.GetByLabel("Password").FillAsync("not-bobs-password");
        await page.Locator("#login").ClickAsync();
        await Expect(page.Locator("#login-problem")).ToHaveTextAsync("Wrong user name or password.");
        await Expect(page.GetByLabel("User name")).ToHaveValueAsync("bob");

        await page.GetByLabel("Password").FillAsync(PortalBed.PasswordOf("bob"));
        await page.Locator("#login").ClickAsync();
        await page.WaitForURLAsync(bed.Url + "/");
        await Expect(page.Locator("header .who")).ToHaveTextAsync("bob");
        await Expect(page.Locator($"button[data-base=\"{bed.DemoBase.Name}\"]")).ToBeVisibleAsync();

        await page.Locator("#logout").ClickAsync();
        await page.WaitForURLAsync(bed.Url + "/login");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login(\\?|$)"));
        await Expect(page.Locator("header .who")).ToHaveCountAsync(0);
    }
}
