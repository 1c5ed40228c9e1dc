using System.Text.Json;
using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Components;
using Ravada.Front.Live;

namespace Ravada.Front.Portal;

/// <summary>
/// What the portal shows a user, read from the database and rendered to HTML: the bases the user may use,
/// the user's machines with what is happening to them, a request's progress and the back-end banner. Pages
/// and the event stream both use it. Rights are decided here with the same rules as the back end's handlers.
/// </summary>
internal sealed class PortalViews(IMachineStore machines, IRequestQueue requests, BackendStatus backend, FragmentRenderer renderer, TimeProvider timeProvider)
{
    private static readonly IReadOnlySet<string> OpenToAll = new HashSet<string>();

    /// <summary>The commands a machine card may offer.</summary>
    public static readonly IReadOnlyList<string> CardCommands =
    [
        RequestCommands.Start, RequestCommands.Shutdown, RequestCommands.ForceShutdown, RequestCommands.Reboot,
        RequestCommands.Hibernate, RequestCommands.Resume, RequestCommands.Restore, RequestCommands.Remove,
    ];

    private const int RecentRequests = 50;
    private static readonly TimeSpan FailuresShownFor = TimeSpan.FromMinutes(10);

    /// <summary>Whether rvd_back is beating.</summary>
    public bool BackendAlive => backend.Alive;

    /// <summary>The machine, when the user may use it (its owner, or with view_all); otherwise null, as if it did not exist.</summary>
    public async Task<Machine?> FindUsableAsync(UserWithGrants user, long machineId, CancellationToken cancellationToken) =>
        await machines.FindAsync(machineId, cancellationToken) is { } machine && Permissions.CanUse(user, machine) ? machine : null;

    /// <summary>The request, when it is the user's own (or the user is an administrator).</summary>
    public async Task<Request?> FindRequestAsync(UserWithGrants user, long requestId, CancellationToken cancellationToken) =>
        await requests.FindAsync(requestId, cancellationToken) is { } request && (request.UserId == user.User.Id || user.User.IsAdmin) ? request : null;

    /// <summary>The bases the user may clone, and the user's machines.</summary>
    public async Task<(IReadOnlyList<BaseEntry> Bases, IReadOnlyList<MachineEntry> Machines)> HomeAsync(UserWithGrants user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var own = await machines.ListByOwnerAsync(user.User.Id, cancellationToken);
        var accessGroups = await machines.ListAccessGroupsAsync(cancellationToken);
        var bases = (await machines.ListBasesAsync(cancellationToken))
            .Where(candidate => Permissions.CanClone(user, candidate, accessGroups.GetValueOrDefault(candidate.Id, OpenToAll)))
            .ToList();
        var cloned = own.Select(machine => machine.BaseId).OfType<long>().ToHashSet();
        var times = await machines.ThumbnailTimesAsync([.. bases.Select(candidate => candidate.Id)], cancellationToken);
        return ([.. bases.Select(candidate => new BaseEntry(candidate, Version(times, candidate.Id), cloned.Contains(candidate.Id)))],
            await MachineEntriesAsync(user, own, cancellationToken));
    }

    /// <summary>The HTML of the bases list.</summary>
    public Task<string> RenderBasesAsync(IReadOnlyList<BaseEntry> bases) =>
        renderer.RenderAsync<BaseList>(new Dictionary<string, object?> { [nameof(BaseList.Bases)] = bases });

    /// <summary>The HTML of the user's machines.</summary>
    public Task<string> RenderMachinesAsync(IReadOnlyList<MachineEntry> entries) =>
        renderer.RenderAsync<MyMachines>(new Dictionary<string, object?> { [nameof(MyMachines.Machines)] = entries });

    /// <summary>Reads and renders the user's machines.</summary>
    public async Task<string> RenderMachinesAsync(UserWithGrants user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await RenderMachinesAsync(await MachineEntriesAsync(user, await machines.ListByOwnerAsync(user.User.Id, cancellationToken), cancellationToken));
    }

    /// <summary>The HTML of a request's progress.</summary>
    public async Task<string> RenderRequestAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var result = ResultOf(request);
        return await renderer.RenderAsync<RequestProgress>(new Dictionary<string, object?>
        {
            [nameof(RequestProgress.Request)] = request,
            [nameof(RequestProgress.MachineId)] = MachineOf(request, result),
            [nameof(RequestProgress.ReusedDesktop)] = await ReusesDesktopAsync(request, result, cancellationToken),
            [nameof(RequestProgress.BackendAlive)] = backend.Alive,
        });
    }

    /// <summary>
    /// Whether a clone request starts the user's existing clone of the base instead of making one: its result says
    /// so at the end; before that, a request past cloning that created no machine has found one.
    /// </summary>
    private async Task<bool> ReusesDesktopAsync(Request request, JsonDocument? result, CancellationToken cancellationToken)
    {
        if (request.Command != RequestCommands.Clone)
        {
            return false;
        }

        if (result is not null)
        {
            return result.RootElement.ValueKind == JsonValueKind.Object
                && result.RootElement.TryGetProperty("reused", out var reused) && reused.ValueKind == JsonValueKind.True;
        }

        return request.Phase is "starting" or "display ready"
            && await machines.FindByCreatingRequestAsync(request.Id, cancellationToken) is null;
    }

    /// <summary>The HTML of the back-end banner (empty while it runs).</summary>
    public Task<string> RenderBackendBannerAsync() =>
        renderer.RenderAsync<BackendBanner>(new Dictionary<string, object?> { [nameof(BackendBanner.Alive)] = backend.Alive });

    /// <summary>The machine a request acts on or produced (a clone names it in its result).</summary>
    private static long? MachineOf(Request request, JsonDocument? result) =>
        request.MachineId ?? (result is not null && result.RootElement.ValueKind == JsonValueKind.Object
            && result.RootElement.TryGetProperty("machine", out var machine) && machine.TryGetInt64(out var id)
                ? id
                : null);

    private static JsonDocument? ResultOf(Request request) => request.Result is null ? null : JsonDocument.Parse(request.Result);

    private async Task<IReadOnlyList<MachineEntry>> MachineEntriesAsync(UserWithGrants user, IReadOnlyList<Machine> own, CancellationToken cancellationToken)
    {
        var mine = own.Where(machine => !machine.IsBase).ToList();
        if (mine.Count == 0)
        {
            return [];
        }

        var times = await machines.ThumbnailTimesAsync([.. mine.Select(machine => machine.Id)], cancellationToken);
        var recent = await requests.ListAsync(new RequestFilter(UserId: user.User.Id, Limit: RecentRequests), cancellationToken);
        var entries = new List<MachineEntry>(mine.Count);
        foreach (var machine in mine)
        {
            var hasSpice = machine.State == MachineState.Running
                && (await machines.ListDisplaysAsync(machine.Id, cancellationToken)).Any(display => display.Protocol == DisplayProtocol.Spice && display.Port is not null);
            var latest = recent.FirstOrDefault(request => request.MachineId == machine.Id || request.Id == machine.CreatedByRequestId);
            entries.Add(new MachineEntry(
                machine,
                hasSpice,
                Version(times, machine.Id),
                ActivityOf(latest, machine),
                CardCommands.Where(command => Permissions.MayRequest(user, machine, command)).ToHashSet(StringComparer.Ordinal)));
        }

        return entries;
    }

    private Activity? ActivityOf(Request? request, Machine machine)
    {
        if (request is null)
        {
            return null;
        }

        var what = RequestWords.Of(request.Command);
        return request.Status switch
        {
            RequestStatus.Requested => new Activity($"Waiting to {what}…", Failed: false),
            RequestStatus.Working => new Activity(request.Phase is { } phase and not "started" ? $"{char.ToUpperInvariant(phase[0])}{phase[1..]}…" : $"Working to {what}…", Failed: false),
            RequestStatus.Failed when request.FinishedAt is { } finished && finished > machine.StateChangedAt && timeProvider.GetUtcNow() - finished < FailuresShownFor =>
                new Activity($"Could not {what}: {request.Error}", Failed: true),
            _ => null,
        };
    }

    private static long Version(IReadOnlyDictionary<long, DateTimeOffset> times, long machineId) =>
        times.TryGetValue(machineId, out var takenAt) ? takenAt.ToUnixTimeMilliseconds() : 0;
}
