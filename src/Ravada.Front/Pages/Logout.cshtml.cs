using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages;

/// <summary>Ends the session. Only a POST does; a GET shows the button.</summary>
[AllowAnonymous]
internal sealed class LogoutModel(EndedSessions endedSessions) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        if (Session.SessionId(User) is { } sessionId)
        {
            await endedSessions.EndAsync(sessionId, HttpContext.RequestAborted);
        }

        await HttpContext.SignOutAsync(Session.Scheme);
        return LocalRedirect("/login");
    }
}
