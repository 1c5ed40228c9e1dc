using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Front.Auth;
using Ravada.Front.Portal;
using Ravada.Front.Security;

namespace Ravada.Front.Consoles;

/// <summary>
/// The consoles: a token for the browser (POST), the WebSocket that pumps the browser's bytes to the machine's
/// display and back, and the <c>.vv</c> file for remote-viewer. The WebSocket checks the token, the session and
/// the <c>Origin</c> before it upgrades; it never decodes what it carries.
/// </summary>
internal static partial class ConsoleEndpoints
{
    public const string Subprotocol = "binary";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public static void MapConsoleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/machines/{id:long}/console/{protocol:regex(^(vnc|spice)$)}/token", IssueTokenAsync)
            .AddEndpointFilter(AntiforgeryHeader.RequireAsync).DisableAntiforgery();
        endpoints.MapGet("/ws/console/{token}", ProxyAsync);
        endpoints.MapGet("/machines/{id:long}/viewer.vv", VirtViewerFileAsync);
    }

    /// <summary>The display of this protocol of a running machine the user may use, or why there is none.</summary>
    internal static async Task<(Machine? Machine, MachineDisplay? Display, IResult? Refusal)> FindDisplayAsync(
        HttpContext context, PortalViews views, IMachineStore machines, long machineId, DisplayProtocol protocol)
    {
        var user = context.CurrentUser()!;
        if (await views.FindUsableAsync(user, machineId, context.RequestAborted) is not { } machine)
        {
            return (null, null, Results.NotFound("There is no such machine of yours."));
        }

        if (machine.State != MachineState.Running)
        {
            return (machine, null, Results.Conflict($"{machine.Name} is not running: start it first."));
        }

        var display = (await machines.ListDisplaysAsync(machine.Id, context.RequestAborted)).FirstOrDefault(candidate => candidate.Protocol == protocol && candidate.Port is not null);
        return display is null
            ? (machine, null, Results.Conflict($"{machine.Name} has no {protocol.ToString().ToUpperInvariant()} display."))
            : (machine, display, null);
    }

    private static async Task<IResult> IssueTokenAsync(long id, string protocol, HttpContext context, PortalViews views, IMachineStore machines, ConsoleTokens tokens)
    {
        var displayProtocol = protocol == "spice" ? DisplayProtocol.Spice : DisplayProtocol.Vnc;
        var (machine, display, refusal) = await FindDisplayAsync(context, views, machines, id, displayProtocol);
        if (refusal is not null)
        {
            return refusal;
        }

        var token = tokens.Issue(context.CurrentUser()!.User.Id, machine!.Id, displayProtocol, context.Connection.RemoteIpAddress ?? IPAddress.None);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { path = $"/ws/console/{token}", password = display!.Password, title = machine.Alias ?? machine.Name });
    }

    private static async Task ProxyAsync(string token, HttpContext context, ConsoleTokens tokens, PortalViews views, IMachineStore machines, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(ConsoleEndpoints));
        var user = context.CurrentUser()!;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "This address only takes WebSocket connections.");
            return;
        }

        var expectedOrigin = $"{context.Request.Scheme}://{context.Request.Host}";
        if (!string.Equals(context.Request.Headers.Origin.ToString(), expectedOrigin, StringComparison.OrdinalIgnoreCase))
        {
            LogRefused(logger, user.User.Name, "origin", context.Request.Headers.Origin.ToString());
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "The console may only be opened from this portal's own pages.");
            return;
        }

        var (check, grant) = tokens.Redeem(token, user.User.Id, context.Connection.RemoteIpAddress);
        if (check != ConsoleTokenCheck.Accepted)
        {
            LogRefused(logger, user.User.Name, check.ToString(), context.Connection.RemoteIpAddress?.ToString());
            await RefuseAsync(context, StatusCodes.Status403Forbidden, check switch
            {
                ConsoleTokenCheck.Expired => "The console link expired: reload the console page.",
                ConsoleTokenCheck.UsedUp => "The console link was already used: reload the console page.",
                _ => "This console link is not yours.",
            });
            return;
        }

        var (_, display, refusal) = await FindDisplayAsync(context, views, machines, grant!.MachineId, grant.Protocol);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        using var tcp = new TcpClient(AddressFamily.InterNetworkV6) { NoDelay = true };
        tcp.Client.DualMode = true;
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            connectTimeout.CancelAfter(ConnectTimeout);
            await tcp.ConnectAsync(DisplayAddress(display!), display!.Port!.Value, connectTimeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            LogUnreachable(logger, display!.ListenAddress, display.Port!.Value, exception.Message);
            await RefuseAsync(context, StatusCodes.Status502BadGateway, "The machine's display does not answer: it may be shutting down.");
            return;
        }

        var subprotocol = context.WebSockets.WebSocketRequestedProtocols.Contains(Subprotocol, StringComparer.Ordinal) ? Subprotocol : null;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol });
        LogOpened(logger, user.User.Name, grant.MachineId, grant.Protocol);
        await PumpAsync(webSocket, tcp.GetStream(), context.RequestAborted);
    }

    /// <summary>Copies bytes both ways until either side ends, then closes the other.</summary>
    internal static async Task PumpAsync(WebSocket webSocket, NetworkStream display, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var browser = WebSocketStream.Create(webSocket, WebSocketMessageType.Binary, ownsWebSocket: false);
        var toDisplay = CopyAsync(browser, display, stop.Token);
        var toBrowser = CopyAsync(display, browser, stop.Token);
        await Task.WhenAny(toDisplay, toBrowser);
        await stop.CancelAsync();
        await Task.WhenAll(toDisplay, toBrowser);
        if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var closeTimeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "display closed", closeTimeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The browser went away first: nothing left to tell it.
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 64 * 1024, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed or broke; the pump ends both.
        }
    }

    private static async Task<IResult> VirtViewerFileAsync(long id, HttpContext context, PortalViews views, IMachineStore machines, IOptions<DisplayOptions> displayOptions)
    {
        var (machine, display, refusal) = await FindDisplayAsync(context, views, machines, id, DisplayProtocol.Spice);
        if (refusal is not null)
        {
            return refusal;
        }

        var host = displayOptions.Value.PublicAddress
            ?? (IPAddress.TryParse(display!.ListenAddress, out var listen) && (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any))
                ? context.Request.Host.Host
                : display!.ListenAddress);
        var file = VirtViewerFile.Write(machine!.Alias ?? machine.Name, host, display!);
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(file), VirtViewerFile.MimeType, $"{machine.Name}.vv");
    }

    private static IPAddress DisplayAddress(MachineDisplay display)
    {
        var address = IPAddress.Parse(display.ListenAddress);
        return address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
    }

    private static async Task RefuseAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console refused to {User}: {Reason} ({Detail})")]
    private static partial void LogRefused(ILogger logger, string user, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Display {Address}:{Port} unreachable: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string address, int port, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console opened by {User} to machine {MachineId} ({Protocol})")]
    private static partial void LogOpened(ILogger logger, string user, long machineId, DisplayProtocol protocol);
}
