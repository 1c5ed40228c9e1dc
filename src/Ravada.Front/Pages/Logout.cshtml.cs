using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages;

/// <summary>Ends the session. Only a POST does; a GET shows the button.</summary>
[AllowAnonymous]
internal sealed class LogoutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(Session.Scheme);
        return LocalRedirect("/login");
    }
}
