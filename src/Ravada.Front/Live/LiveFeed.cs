using System.Data.Common;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;

namespace Ravada.Front.Live;

/// <summary>
/// The one reader of the database for every browser: ten times a second it reads the machine events and the
/// requests changed since its last look, four times a second the back end's heartbeat, and publishes what
/// changed on <see cref="LiveHub"/>. However many browsers are connected, the database sees one reader per
/// rvd_front. A beat counts as missing after 4 seconds and the portal promises to show a stopped back end
/// within 5, so the heartbeat is read often enough to leave most of the difference to the page.
/// </summary>
internal sealed partial class LiveFeed(
    IMachineEventLog events,
    IRequestQueue requests,
    IMachineStore machines,
    ISettingsStore settings,
    LiveHub hub,
    BackendStatus backend,
    TimeProvider timeProvider,
    ILogger<LiveFeed> logger) : BackgroundService
{
    private const int PageSize = 500;
    private const int OwnerCacheLimit = 100_000;
    // A few indexed reads per look whatever the number of browsers; at 100 ms a change reaches the pages well within
    // the 200 ms the portal promises (docs/benchmarks.md), where 250 ms alone could use it all up.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    // Requests are followed by their change time; clocks of several writers are not exact, so the feed looks a
    // little back and remembers which versions it has already published.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(2);

    private readonly Dictionary<long, long> ownerOfMachine = [];
    private readonly Dictionary<(long Id, DateTimeOffset UpdatedAt), DateTimeOffset> seenRequests = [];
    // Null until the feed has read where the log ends: an empty log's 0 is a real position, not "not read yet".
    private long? lastEventId;
    private DateTimeOffset requestsSince;
    private DateTimeOffset nextHeartbeatRead;
    private bool failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        requestsSince = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
                if (failing)
                {
                    failing = false;
                    LogRecovered();
                }
            }
            catch (DbException exception)
            {
                if (!failing)
                {
                    failing = true;
                    LogDatabaseFailing(exception);
                }
            }

            try
            {
                await Task.Delay(PollInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One look at the database; public to the tests through <see cref="PollOnceAsync"/>.</summary>
    internal Task PollOnceAsync(CancellationToken cancellationToken) => PollAsync(cancellationToken);

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        await PublishMachineEventsAsync(cancellationToken);
        await PublishRequestChangesAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (now < nextHeartbeatRead)
        {
            return;
        }

        nextHeartbeatRead = now + HeartbeatInterval;
        var alive = await BackendHeartbeat.IsAliveAsync(settings, now, cancellationToken);
        if (alive != backend.Alive)
        {
            backend.Alive = alive;
            LogBackend(alive);
            hub.Publish(Topics.Backend);
        }
    }

    private async Task PublishMachineEventsAsync(CancellationToken cancellationToken)
    {
        // Pages render the present when they open, so the feed starts at the end of the log.
        lastEventId ??= await events.LatestIdAsync(cancellationToken);
        IReadOnlyList<MachineEvent> page;
        do
        {
            page = await events.ReadAfterAsync(lastEventId.Value, PageSize, cancellationToken);
            foreach (var machineId in page.Select(machineEvent => machineEvent.MachineId).OfType<long>().Distinct())
            {
                if (await OwnerOfAsync(machineId, cancellationToken) is { } owner)
                {
                    hub.Publish(Topics.MachinesOf(owner));
                }
            }

            if (page.Count > 0)
            {
                lastEventId = page[^1].Id;
            }
        }
        while (page.Count == PageSize);
    }

    private async Task PublishRequestChangesAsync(CancellationToken cancellationToken)
    {
        var changed = await requests.ListChangedSinceAsync(requestsSince - Overlap, PageSize, cancellationToken);
        foreach (var request in changed)
        {
            if (!seenRequests.TryAdd((request.Id, request.UpdatedAt), request.UpdatedAt))
            {
                continue;
            }

            hub.Publish(Topics.Request(request.Id));
            hub.Publish(Topics.MachinesOf(request.UserId));
            if (request.MachineId is { } machineId && await OwnerOfAsync(machineId, cancellationToken) is { } owner && owner != request.UserId)
            {
                hub.Publish(Topics.MachinesOf(owner));
            }
        }

        if (changed.Count > 0)
        {
            requestsSince = changed.Max(request => request.UpdatedAt);
        }

        var forgetBefore = requestsSince - Overlap - Overlap;
        foreach (var old in seenRequests.Where(entry => entry.Value < forgetBefore).Select(entry => entry.Key).ToList())
        {
            seenRequests.Remove(old);
        }
    }

    private async Task<long?> OwnerOfAsync(long machineId, CancellationToken cancellationToken)
    {
        if (ownerOfMachine.TryGetValue(machineId, out var owner))
        {
            return owner;
        }

        if (await machines.FindAsync(machineId, cancellationToken) is not { } machine)
        {
            return null;
        }

        if (ownerOfMachine.Count >= OwnerCacheLimit)
        {
            ownerOfMachine.Clear();
        }

        ownerOfMachine[machineId] = machine.OwnerId;
        return machine.OwnerId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live feed cannot read the database; pages stop updating until it can")]
    private partial void LogDatabaseFailing(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The live feed reads the database again")]
    private partial void LogRecovered();

    [LoggerMessage(Level = LogLevel.Information, Message = "rvd_back alive: {Alive}")]
    private partial void LogBackend(bool alive);
}
