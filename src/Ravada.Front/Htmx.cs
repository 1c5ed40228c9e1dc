namespace Ravada.Front;

/// <summary>The htmx request and response headers the portal uses.</summary>
internal static class Htmx
{
    /// <summary>Makes htmx load another page.</summary>
    public const string RedirectHeader = "HX-Redirect";

    /// <summary>Whether htmx sent the request (it answers with a fragment or a redirect header, not a page).</summary>
    public static bool IsHtmx(HttpRequest request) => request.Headers.ContainsKey("HX-Request");

    /// <summary>Sends the browser to <paramref name="location"/>: through htmx for its calls, with a 303 otherwise.</summary>
    public static IResult Redirect(HttpContext context, string location)
    {
        if (IsHtmx(context.Request))
        {
            context.Response.Headers[RedirectHeader] = location;
            return Results.NoContent();
        }

        return Results.Redirect(location, permanent: false, preserveMethod: false);
    }
}
