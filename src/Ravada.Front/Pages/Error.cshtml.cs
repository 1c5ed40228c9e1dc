using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ravada.Front.Pages;

/// <summary>The page shown for errors and unknown addresses; it tells what happened, never how the server is built.</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = string.Empty;

    // The code comes from the route only: a failed POST is re-executed here with its body, which may be the
    // malformed form that failed, so nothing may be bound from it.
    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        var status = int.TryParse(RouteData.Values["code"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? code
            : StatusCodes.Status404NotFound;
        (Title, Explanation) = status switch
        {
            StatusCodes.Status404NotFound => ("Not found", "There is nothing here, or it is not yours to see."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Your account may not do this. Ask your administrator if you need it."),
            StatusCodes.Status400BadRequest => ("Bad request", "The page was too old or the request was not understood: reload the page and try again."),
            StatusCodes.Status429TooManyRequests => ("Too many requests", "Wait a minute and try again."),
            _ => ("Something went wrong", "The portal could not answer. Try again; if it keeps happening, tell your administrator the time it happened."),
        };
        if (status is >= 400 and < 600)
        {
            Response.StatusCode = status;
        }
    }
}
