namespace Ravada.Front.Security;

/// <summary>
/// Answers 400 to a request whose <c>Host</c> (or trusted <c>X-Forwarded-Host</c>) cannot be written back into
/// an address, such as an internationalised label longer than DNS allows: the redirects to the login page are
/// built from it and would otherwise fail with a server error.
/// </summary>
internal sealed class HostHeaderGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        try
        {
            _ = context.Request.Host.ToUriComponent();
        }
        catch (ArgumentException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
