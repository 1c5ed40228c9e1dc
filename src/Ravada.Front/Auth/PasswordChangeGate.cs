namespace Ravada.Front.Auth;

/// <summary>A user whose account is flagged for a password change can do nothing else until it is done.</summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    private static readonly PathString[] Allowed = ["/password", "/logout", "/error"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.CurrentUser() is not { User.MustChangePassword: true } || Allowed.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            return next(context);
        }

        if (HttpMethods.IsGet(context.Request.Method) && !Htmx.IsHtmx(context.Request))
        {
            context.Response.Redirect("/password");
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers[Htmx.RedirectHeader] = "/password";
        }

        return Task.CompletedTask;
    }
}
