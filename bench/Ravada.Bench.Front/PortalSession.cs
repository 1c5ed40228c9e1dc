using System.Net;
using System.Net.Sockets;
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

    /// <param name="baseAddress">rvd_front's address.</param>
    /// <param name="clientAddress">The loopback address this browser connects from (any of 127.0.0.0/8), when not the kernel's choice.</param>
    public PortalSession(Uri baseAddress, IPAddress? clientAddress = null)
    {
        BaseAddress = baseAddress;
        Cookies = new CookieContainer();
        var handler = new SocketsHttpHandler
        {
            CookieContainer = Cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        if (clientAddress is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(clientAddress, context.DnsEndPoint, cancellationToken);
        }

        client = new HttpClient(handler, disposeHandler: true)
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
        var statusCode = await PostLoginAsync(userName, password, await LoginFormTokenAsync(cancellationToken), cancellationToken);
        if (statusCode != HttpStatusCode.Redirect)
        {
            throw new BenchmarkException($"logging in as {userName} answered {(int)statusCode}, not a redirect");
        }
    }

    /// <summary>The antiforgery token of the login form, which a browser sends back with every try.</summary>
    public async Task<string> LoginFormTokenAsync(CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(new Uri("/login", UriKind.Relative), cancellationToken);
        var token = FormToken().Match(form);
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new BenchmarkException("the login page carries no antiforgery token");
    }

    /// <summary>Submits the login form once, with the token of <see cref="LoginFormTokenAsync"/>; returns the answer's status.</summary>
    public async Task<HttpStatusCode> PostLoginAsync(string userName, string password, string formToken, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = string.Empty,
            ["__RequestVerificationToken"] = formToken,
        });
        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), content, cancellationToken);
        return response.StatusCode;
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

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress clientAddress, DnsEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(clientAddress, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"[^>]*>""")]
    private static partial Regex FormToken();

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]+)"\s*/?>""")]
    private static partial Regex MetaToken();
}
