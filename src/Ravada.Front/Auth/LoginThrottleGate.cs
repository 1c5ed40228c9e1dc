namespace Ravada.Front.Auth;

/// <summary>
/// The cheap answer to a flood of logins: a login posted from a client address that has used up its attempts
/// of the minute is answered 429 here, before the form's antiforgery check, model binding and the page, with
/// only its line in the audit log. A flood then costs the portal little beyond that line, and every other
/// user's requests keep their share of the processors. Addresses with attempts left go on to the login page.
/// </summary>
internal sealed class LoginThrottleGate(RequestDelegate next, LoginService logins)
{
    private const string LoginPath = "/login";

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Log in · Ravada</title><link rel="stylesheet" href="/lib/pico/pico.min.css"><link rel="stylesheet" href="/css/site.css"></head>
        <body><main class="container"><article class="narrow"><h1>Log in</h1>
        <p class="notice error" role="alert" id="login-problem">Too many attempts: wait a minute and try again.</p>
        <p><a href="/login">Back to the login</a></p></article></main></body></html>
        """;

    public async Task InvokeAsync(HttpContext context)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
            || !logins.HasUsedUpAttempts(client))
        {
            await next(context);
            return;
        }

        await logins.AuditThrottledAsync(await PostedUserNameAsync(context.Request), client, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "60";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Page, context.RequestAborted);
    }

    /// <summary>The name the login form carries, for the audit line; empty when the body is no readable form.</summary>
    private static async Task<string> PostedUserNameAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return string.Empty;
        }

        try
        {
            return (await request.ReadFormAsync(request.HttpContext.RequestAborted))["userName"].ToString();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return string.Empty;
        }
    }
}
