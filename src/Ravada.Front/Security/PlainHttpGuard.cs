using System.Net;
using Microsoft.Extensions.Options;

namespace Ravada.Front.Security;

/// <summary>
/// Passwords and session cookies do not cross a network in clear text: over plain HTTP only browsers on this
/// host are served (unless <see cref="FrontOptions.AllowPlainHttp"/> says otherwise); others are told to use
/// the HTTPS address of the reverse proxy. Cookies are <c>Secure</c> whenever the request is HTTPS.
/// </summary>
internal sealed class PlainHttpGuard(RequestDelegate next, IOptions<FrontOptions> options)
{
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>HTTPS needed · Ravada</title></head>
        <body><h1>This portal needs HTTPS</h1>
        <p>Your password would cross the network in clear text. Open the portal through its HTTPS address;
        if there is none, ask your administrator (docs/operations.md, "Serving other hosts").</p></body></html>
        """;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps || options.Value.AllowPlainHttp || context.Connection.RemoteIpAddress is { } client && IPAddress.IsLoopback(client))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Page, context.RequestAborted);
    }
}
