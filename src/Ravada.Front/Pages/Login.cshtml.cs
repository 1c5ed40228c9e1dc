using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages;

/// <summary>The login form. A wrong name and a wrong password get the same answer.</summary>
internal sealed class LoginModel(LoginService logins, TimeProvider timeProvider) : PageModel
{
    /// <summary>Where to go after the login (a local path only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The name typed, shown again after a failure.</summary>
    [BindProperty]
    public string? UserName { get; set; }

    /// <summary>The password typed.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Why the login failed.</summary>
    public string? Problem { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (outcome, user, hash, lockedUntil) = await logins.LoginAsync(UserName ?? string.Empty, Password ?? string.Empty, client, HttpContext.RequestAborted);
        switch (outcome)
        {
            case LoginOutcome.Success:
                await HttpContext.SignInAsync(Session.Scheme, Session.Principal(user!, hash, timeProvider.GetUtcNow()), new AuthenticationProperties { IsPersistent = false });
                return LocalRedirect(user!.MustChangePassword ? "/password" : SafeReturnUrl);
            case LoginOutcome.Throttled:
                Problem = "Too many attempts: wait a minute and try again.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = "60";
                return Page();
            case LoginOutcome.LockedOut:
                var minutes = (int)Math.Ceiling((lockedUntil!.Value - timeProvider.GetUtcNow()).TotalMinutes);
                Problem = $"Too many failed attempts for this account: try again in {minutes} minute{(minutes == 1 ? string.Empty : "s")}, or ask your administrator.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = (minutes * 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page();
            default:
                Problem = "Wrong user name or password.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }

    private string SafeReturnUrl => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/";
}
