using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Ravada.Core.Users;

namespace Ravada.Front.Auth;

/// <summary>
/// What a session cookie carries (user id, a stamp of the password, the login time, a random session id) and how each request
/// checks it: the user must still exist with the same password, and the session must be younger than
/// <see cref="FrontOptions.SessionMaxHours"/>. The user is loaded with its grants once per request.
/// </summary>
internal static class Session
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string StampClaim = "ravada:stamp";
    private const string LoginTimeClaim = "ravada:login_time";
    private const string SessionIdClaim = "ravada:session";
    private const string CurrentUserKey = "ravada:current_user";

    public static ClaimsPrincipal Principal(User user, string? passwordHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(StampClaim, Stamp(passwordHash)),
                new Claim(LoginTimeClaim, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
                new Claim(SessionIdClaim, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))),
            ],
            Scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>A short fingerprint of the password hash: a new password ends every session made with the old one.</summary>
    public static string Stamp(string? passwordHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash ?? "-")))[..16];

    /// <summary>The signed-in user of this request, with grants (null when anonymous).</summary>
    public static UserWithGrants? CurrentUser(this HttpContext context) =>
        context.Items.TryGetValue(CurrentUserKey, out var user) ? user as UserWithGrants : null;

    /// <summary>The id of the session of <paramref name="principal"/>, if it has one.</summary>
    public static string? SessionId(ClaimsPrincipal principal) => principal.FindFirstValue(SessionIdClaim);

    /// <summary>Cookie validation: rejects the session when it was logged out, or when the user, its password or the session age says so.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<FrontOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = context.Principal;
        if (principal is null
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(principal.FindFirstValue(LoginTimeClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var loginTime)
            || now - DateTimeOffset.FromUnixTimeMilliseconds(loginTime) > TimeSpan.FromHours(options.SessionMaxHours)
            || SessionId(principal) is not { } sessionId
            || await services.GetRequiredService<EndedSessions>().HasEndedAsync(sessionId, context.HttpContext.RequestAborted))
        {
            await RejectAsync(context);
            return;
        }

        var users = services.GetRequiredService<IUserStore>();
        var user = await users.FindWithGrantsAsync(userId, context.HttpContext.RequestAborted);
        if (user is null || principal.FindFirstValue(StampClaim) != Stamp(await users.GetPasswordHashAsync(userId, context.HttpContext.RequestAborted)))
        {
            await RejectAsync(context);
            return;
        }

        context.HttpContext.Items[CurrentUserKey] = user;
    }

    /// <summary>
    /// Anonymous page loads go to the login page and come back; htmx calls are told to load the login page
    /// (<c>HX-Redirect</c>), and event streams, WebSockets and other non-GET calls just get 401.
    /// </summary>
    public static Task RedirectToLoginAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (Htmx.IsHtmx(request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers[Htmx.RedirectHeader] = "/login";
        }
        else if (!HttpMethods.IsGet(request.Method) || request.Path.StartsWithSegments("/events") || request.Path.StartsWithSegments("/ws"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }
}
