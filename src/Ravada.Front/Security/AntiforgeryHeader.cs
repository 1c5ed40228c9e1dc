using Microsoft.AspNetCore.Antiforgery;

namespace Ravada.Front.Security;

/// <summary>
/// The antiforgery token travels in a header that htmx adds to every request it sends (the layout puts it in
/// <c>hx-headers</c>); forms carry it as a hidden field. Endpoints that change state validate it with
/// <see cref="RequireAsync"/>.
/// </summary>
internal static class AntiforgeryHeader
{
    public const string Name = "X-CSRF-Token";

    /// <summary>An endpoint filter that answers 400 to a request without a valid token, before the endpoint runs.</summary>
    public static async ValueTask<object?> RequireAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await IsValidAsync(antiforgery, context.HttpContext))
        {
            return Results.Problem("The page was too old or not ours: reload it and try again.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await next(context);
    }

    /// <summary>Whether the token is there and right; a body that claims to be a form but cannot be read is not.</summary>
    private static async Task<bool> IsValidAsync(IAntiforgery antiforgery, HttpContext context)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
