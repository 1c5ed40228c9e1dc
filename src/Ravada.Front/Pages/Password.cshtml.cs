using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Core.Users;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages;

/// <summary>
/// Changes the user's own password (and lifts the forced-change flag). The session goes on with the new
/// password; every other session of the user ends, because its stamp no longer matches.
/// </summary>
internal sealed class PasswordModel(IUserStore users, TimeProvider timeProvider) : PageModel
{
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public bool Forced { get; private set; }

    public bool Changed { get; private set; }

    public string? Problem { get; private set; }

    public void OnGet() => Forced = HttpContext.CurrentUser()!.User.MustChangePassword;

    public async Task<IActionResult> OnPostAsync()
    {
        var user = HttpContext.CurrentUser()!.User;
        Forced = user.MustChangePassword;
        var cancellationToken = HttpContext.RequestAborted;
        var hash = await users.GetPasswordHashAsync(user.Id, cancellationToken);
        if (hash is null)
        {
            Problem = "Your password is kept by another service (such as LDAP): change it there.";
        }
        else if (Passwords.Verify(hash, Current ?? string.Empty) == PasswordCheck.Wrong)
        {
            Problem = "The current password is wrong.";
        }
        else if (NewPassword != Confirm)
        {
            Problem = "The two new passwords differ.";
        }
        else if (Passwords.Problem(NewPassword ?? string.Empty) is { } weakness)
        {
            Problem = $"{char.ToUpperInvariant(weakness[0])}{weakness[1..]}.";
        }
        else if (NewPassword == Current)
        {
            Problem = "The new password must differ from the current one.";
        }

        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var newHash = Passwords.Hash(NewPassword!);
        await users.SetPasswordHashAsync(user.Id, newHash, mustChangePassword: false, cancellationToken);
        await HttpContext.SignInAsync(Session.Scheme, Session.Principal(user, newHash, timeProvider.GetUtcNow()), new AuthenticationProperties { IsPersistent = false });
        if (Forced)
        {
            return LocalRedirect("/");
        }

        Changed = true;
        return Page();
    }
}
