using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using Ravada.Core.Broker;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Front.Auth;
using Ravada.Front.Security;

namespace Ravada.Front.Portal;

/// <summary>
/// The portal's state changes, each a POST with the antiforgery token: one click on a base gives the user's
/// desktop, and the actions on a machine. They write requests for rvd_back and never call libvirt. A machine
/// the user may neither use nor act on answers 404 (its existence is not told); an action the user's grants do not allow
/// answers 403 with the reason. Thumbnails are read here too.
/// </summary>
internal static class PortalEndpoints
{
    private static readonly Dictionary<string, string> ActionCommands = new(StringComparer.Ordinal)
    {
        ["start"] = RequestCommands.Start,
        ["shutdown"] = RequestCommands.Shutdown,
        ["force-off"] = RequestCommands.ForceShutdown,
        ["reboot"] = RequestCommands.Reboot,
        ["hibernate"] = RequestCommands.Hibernate,
        ["resume"] = RequestCommands.Resume,
        ["restore"] = RequestCommands.Restore,
        ["remove"] = RequestCommands.Remove,
    };

    public static void MapPortalEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var changes = endpoints.MapGroup(string.Empty).AddEndpointFilter(AntiforgeryHeader.RequireAsync).DisableAntiforgery();
        changes.MapPost("/bases/{id:long}/desktop", DesktopAsync);
        changes.MapPost("/machines/{id:long}/{action:regex(^(start|shutdown|force-off|reboot|hibernate|resume|restore|remove)$)}", MachineActionAsync);
        endpoints.MapGet("/machines/{id:long}/thumbnail", ThumbnailAsync);
    }

    private static async Task<IResult> DesktopAsync(long id, HttpContext context, IMachineStore machines, IRequestQueue queue)
    {
        var user = context.CurrentUser()!;
        if (await machines.FindAsync(id, context.RequestAborted) is not { IsBase: true } baseMachine
            || !await machines.MayCloneAsync(user, baseMachine, context.RequestAborted))
        {
            return Notice.Problem(StatusCodes.Status404NotFound, "There is no such desktop for you.");
        }

        var arguments = RequestArguments.Empty.With("base_id", baseMachine.Id).With("start", true);
        if (context.Connection.RemoteIpAddress is { } address)
        {
            arguments = arguments.With("remote_ip", Normalize(address));
        }

        var request = await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Clone, UserId = user.User.Id, Arguments = arguments }, context.RequestAborted);
        return Htmx.Redirect(context, $"/requests/{request.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    private static async Task<IResult> MachineActionAsync(long id, string action, HttpContext context, IMachineStore machines, IRequestQueue queue)
    {
        var user = context.CurrentUser()!;
        var command = ActionCommands[action];
        if (await machines.FindAsync(id, context.RequestAborted) is not { IsBase: false } machine
            || !(Permissions.CanUse(user, machine) || Permissions.MayRequest(user, machine, command)))
        {
            return Notice.Problem(StatusCodes.Status404NotFound, "There is no such machine of yours.");
        }

        if (!Permissions.MayRequest(user, machine, command))
        {
            return Notice.Problem(StatusCodes.Status403Forbidden, $"You may not {RequestWords.Of(command)} {machine.Name}.");
        }

        var arguments = command == RequestCommands.Start && context.Connection.RemoteIpAddress is { } address
            ? RequestArguments.Empty.With("remote_ip", Normalize(address))
            : RequestArguments.Empty;
        var request = await queue.EnqueueAsync(
            new NewRequest { Command = command, UserId = user.User.Id, MachineId = machine.Id, Arguments = arguments },
            context.RequestAborted);
        return command == RequestCommands.Start
            ? Htmx.Redirect(context, $"/requests/{request.Id.ToString(CultureInfo.InvariantCulture)}")
            : Notice.Ok($"Asked to {RequestWords.Of(command)} {machine.Name}.");
    }

    private static async Task<IResult> ThumbnailAsync(long id, HttpContext context, IMachineStore machines)
    {
        var user = context.CurrentUser()!;
        if (await machines.FindAsync(id, context.RequestAborted) is not { } machine
            || !(Permissions.CanUse(user, machine) || (machine.IsBase && await machines.MayCloneAsync(user, machine, context.RequestAborted)))
            || await machines.GetThumbnailAsync(id, context.RequestAborted) is not { } thumbnail)
        {
            return Results.NotFound();
        }

        // The page links a thumbnail with its time in the query, so a cached copy is never stale.
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.Bytes(thumbnail.Image, thumbnail.MimeType, lastModified: thumbnail.TakenAt);
    }

    private static string Normalize(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}

/// <summary>The short answers htmx shows in the page's notice area.</summary>
internal static class Notice
{
    public static IResult Ok(string text) =>
        Results.Content($"""<p class="notice ok" role="status">{HtmlEncoder.Default.Encode(text)}</p>""", "text/html; charset=utf-8");

    public static IResult Problem(int statusCode, string text) =>
        Results.Content($"""<p class="notice error" role="alert">{HtmlEncoder.Default.Encode(text)}</p>""", "text/html; charset=utf-8", statusCode: statusCode);
}
