using System.Net;
using System.Text.RegularExpressions;

namespace Ravada.Bench.Front;

/// <summary>
/// A browser's session with rvd_front over HTTP: its cookies (session and antiforgery), the login form and
/// the antiforgery token the pages carry for htmx (<c>&lt;meta name="csrf-token"&gt;</c>, sent as <c>X-CSRF-Token</c>).
/// </summary>
internal sealed partial class PortalSession : IDisposable
{
    public const string AntiforgeryHeader = "X-CSRF-Token";

    private readonly HttpClient client;

    public PortalSession(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        Cookies = new CookieContainer();
        client = new HttpClient(
            new SocketsHttpHandler
            {
                CookieContainer = Cookies,
                UseCookies = true,
                AllowAutoRedirect = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            },
            disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http => client;

    /// <summary>The <c>Origin</c> a browser sends from the portal's own pages.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Logs in through the login form, as a browser does.</summary>
    public async Task LoginAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(new Uri("/login", UriKind.Relative), cancellationToken);
        var token = FormToken().Match(form);
        if (!token.Success)
        {
            throw new BenchmarkException("the login page carries no antiforgery token");
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = string.Empty,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new BenchmarkException($"logging in as {userName} answered {(int)response.StatusCode}, not a redirect");
        }
    }

    /// <summary>The antiforgery token of the user's page, for the <c>X-CSRF-Token</c> header.</summary>
    public async Task<string> AntiforgeryTokenAsync(CancellationToken cancellationToken)
    {
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative), cancellationToken);
        var token = MetaToken().Match(page);
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new BenchmarkException("the user's page carries no csrf-token meta element (is the user logged in?)");
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"[^>]*>""")]
    private static partial Regex FormToken();

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]+)"\s*/?>""")]
    private static partial Regex MetaToken();
}
