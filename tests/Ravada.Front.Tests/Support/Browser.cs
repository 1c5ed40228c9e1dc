using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Ravada.Front.Tests.Support;

/// <summary>
/// One browser of the portal: its cookies, its client address and what the pages give it (the antiforgery
/// token of forms and of the layout's meta tag). It follows no redirects by itself, so tests see them.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly TestPortal portal;
    private readonly IPAddress clientAddress;
    private readonly Uri origin;

    internal Browser(TestPortal portal, IPAddress clientAddress, bool https)
    {
        this.portal = portal;
        this.clientAddress = clientAddress;
        origin = new Uri(https ? "https://localhost" : "http://localhost");
        var server = portal.Server;
        var handler = new CookieContainerHandler(Cookies) { InnerHandler = server.CreateHandler(context => context.Connection.RemoteIpAddress = clientAddress) };
        Http = new HttpClient(handler) { BaseAddress = origin };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The antiforgery token of the last page that had one.</summary>
    public string? CsrfToken { get; private set; }

    public string Origin => origin.GetLeftPart(UriPartial.Authority);

    public async Task<HttpResponseMessage> GetAsync(string path, bool htmx = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }

        return await SendAsync(request);
    }

    /// <summary>A page, parsed; its antiforgery token is kept for the next POST.</summary>
    public async Task<(HttpResponseMessage Response, IHtmlDocument Document)> PageAsync(string path)
    {
        var response = await GetAsync(path);
        var document = await ParseAsync(response);
        return (response, document);
    }

    public async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var document = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        CsrfToken = document.QuerySelector("meta[name=csrf-token]")?.GetAttribute("content")
            ?? document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? CsrfToken;
        return document;
    }

    /// <summary>Posts a form the way the page's own form does (the token as a hidden field).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var values = fields.ToList();
        if (withToken && CsrfToken is { } token)
        {
            values.Add(new("__RequestVerificationToken", token));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    /// <summary>Posts the way htmx does: the token in the header the layout configures.</summary>
    public async Task<HttpResponseMessage> PostHtmxAsync(string path, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(string.Empty) };
        request.Headers.Add("HX-Request", "true");
        if (withToken && CsrfToken is { } token)
        {
            request.Headers.Add("X-CSRF-Token", token);
        }

        return await SendAsync(request);
    }

    /// <summary>Logs in through the login form; returns the answer to the POST.</summary>
    public async Task<HttpResponseMessage> LogInAsync(string userName, string password = TestPortal.Password)
    {
        await PageAsync("/login");
        return await PostFormAsync("/login", [new("UserName", userName), new("Password", password)]);
    }

    /// <summary>Logs in and loads the portal page, so the antiforgery token is at hand.</summary>
    public async Task<IHtmlDocument> LogInToPortalAsync(string userName)
    {
        var login = await LogInAsync(userName);
        if (login.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"login of {userName} answered {(int)login.StatusCode}");
        }

        var (response, document) = await PageAsync("/");
        response.EnsureSuccessStatusCode();
        return document;
    }

    /// <summary>Opens a WebSocket as this browser (its cookies and address), from <paramref name="pageOrigin"/>.</summary>
    public Task<WebSocket> OpenWebSocketAsync(string path, string? pageOrigin, string[] subprotocols, IPAddress? fromAddress = null)
    {
        var client = portal.Server.CreateWebSocketClient();
        foreach (var subprotocol in subprotocols)
        {
            client.SubProtocols.Add(subprotocol);
        }

        var cookieHeader = Cookies.GetCookieHeader(origin);
        client.ConfigureRequest = request =>
        {
            request.HttpContext.Connection.RemoteIpAddress = fromAddress ?? clientAddress;
            request.Headers.Cookie = cookieHeader;
            if (pageOrigin is not null)
            {
                request.Headers.Origin = pageOrigin;
            }
        };
        var address = new UriBuilder(origin) { Scheme = origin.Scheme == "https" ? "wss" : "ws", Path = path }.Uri;
        return client.ConnectAsync(address, CancellationToken.None);
    }

    public void Dispose() => Http.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return Http.SendAsync(request);
    }
}
