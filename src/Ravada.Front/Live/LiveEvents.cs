using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Auth;
using Ravada.Front.Portal;

namespace Ravada.Front.Live;

/// <summary>
/// <c>GET /events[?request=ID]</c>: a Server-Sent Events stream of ready-to-swap HTML for the page that opened
/// it: <c>machines</c> (the user's machines), <c>request</c> (one request's progress) and <c>backend</c> (the
/// banner shown while rvd_back is down). It sends the current fragments on connect, then a fragment each time
/// <see cref="LiveFeed"/> reports a change, and a <c>ping</c> every 20 seconds. The stream ends after ten
/// minutes; the browser reconnects at once, which checks the session again.
/// </summary>
internal static class LiveEvents
{
    public const string MachinesEvent = "machines";
    public const string RequestEvent = "request";
    public const string BackendEvent = "backend";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public static void MapLiveEvents(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/events", StreamAsync);

    private static async Task<IResult> StreamAsync(HttpContext context, long? request, LiveHub hub, PortalViews views, SharedRenders shared, TimeProvider timeProvider)
    {
        var user = context.CurrentUser()!;
        Request? followed = null;
        if (request is { } requestId && (followed = await views.FindRequestAsync(user, requestId, context.RequestAborted)) is null)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(EventsAsync(user, followed?.Id, hub, views, shared, timeProvider, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        UserWithGrants user, long? requestId, LiveHub hub, PortalViews views, SharedRenders shared, TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<string> topics = [Topics.Backend, Topics.MachinesOf(user.User.Id)];
        if (requestId is { } id)
        {
            topics.Add(Topics.Request(id));
        }

        using var subscription = hub.Subscribe(topics);
        var endAt = timeProvider.GetUtcNow() + Lifetime;
        IReadOnlyList<string> changed = topics;
        var connecting = true;
        while (!cancellationToken.IsCancellationRequested && timeProvider.GetUtcNow() < endAt)
        {
            foreach (var topic in changed)
            {
                // On connect every fragment is rendered for this stream alone; after a change, the user's machines
                // come from a render shared with the user's other streams woken by the same change.
                long? changedAt = connecting ? null : subscription.LastPublishedAt(topic);
                if (await RenderAsync(topic, user, requestId, changedAt, views, shared, cancellationToken) is { } item)
                {
                    yield return item;
                }
            }

            connecting = false;

            changed = await subscription.WaitAsync(KeepAlive, cancellationToken);
            if (changed.Count == 0)
            {
                yield return new SseItem<string>(string.Empty, "ping");
            }
            else if (requestId is { } followedId && changed.Contains(Topics.Backend) && !changed.Contains(Topics.Request(followedId)))
            {
                // The progress says whether the back end runs, so it changes with the banner.
                changed = [.. changed, Topics.Request(followedId)];
            }
        }
    }

    private static async Task<SseItem<string>?> RenderAsync(
        string topic, UserWithGrants user, long? requestId, long? changedAt, PortalViews views, SharedRenders shared, CancellationToken cancellationToken)
    {
        if (topic == Topics.Backend)
        {
            return new SseItem<string>(await views.RenderBackendBannerAsync(), BackendEvent);
        }

        if (requestId is { } id && topic == Topics.Request(id))
        {
            return await views.FindRequestAsync(user, id, cancellationToken) is { } request
                ? new SseItem<string>(await views.RenderRequestAsync(request, cancellationToken), RequestEvent)
                : null;
        }

        var machines = changedAt is { } at
            ? await shared.RenderAsync(topic, user.User.Id, at, () => views.RenderMachinesAsync(user, CancellationToken.None)).WaitAsync(cancellationToken)
            : await views.RenderMachinesAsync(user, cancellationToken);
        return new SseItem<string>(machines, MachinesEvent);
    }
}
