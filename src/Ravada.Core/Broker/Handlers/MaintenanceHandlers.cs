using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;

namespace Ravada.Core.Broker.Handlers;

/// <summary><c>screenshot</c>: takes a screenshot of a running machine and stores its thumbnail.</summary>
public sealed class ScreenshotHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines, IThumbnailer thumbnailer, TimeProvider timeProvider) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Screenshot;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        var machine = await operations.RequireMachineAsync(context, "see the screen of", cancellationToken);
        var state = await operations.RecordStateAsync(machine, cancellationToken);
        if (state is not (MachineState.Running or MachineState.Paused))
        {
            return JsonSerializer.Serialize(new { machine = machine.Id, taken = false });
        }

        var screenshot = await hypervisor.TakeScreenshotAsync(machine.Uuid, cancellationToken);
        var thumbnail = thumbnailer.Make(screenshot, timeProvider.GetUtcNow());
        await machines.SetThumbnailAsync(machine.Id, thumbnail, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, taken = true, width = thumbnail.Width, height = thumbnail.Height });
    }
}

/// <summary><c>refresh_machine</c>: reads one machine's state from the hypervisor and repairs the record.</summary>
public sealed class RefreshMachineHandler(MachineOperations operations, MachineReconciler reconciler) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.RefreshMachine;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        var machine = await operations.RequireMachineAsync(context, "refresh", cancellationToken);
        var outcome = await reconciler.ReconcileAsync(machine, await operations.DescribeAsync(machine, cancellationToken), cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, outcome = outcome.ToString() });
    }
}

/// <summary><c>refresh_vms</c>: compares every machine with the hypervisor and repairs the records. Administrators only.</summary>
public sealed class ReconcileHandler(IHypervisor hypervisor, IMachineStore machines, MachineReconciler reconciler, MachineStateTracker tracker) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Reconcile;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        Permissions.Demand(context.User.User.IsAdmin, "refresh every machine");
        var live = (await hypervisor.ListMachinesAsync(cancellationToken)).ToDictionary(description => description.Id);
        var recorded = await machines.ListAsync(cancellationToken);
        var outcomes = new Dictionary<ReconcileOutcome, int>();
        foreach (var machine in recorded)
        {
            var outcome = await reconciler.ReconcileAsync(machine, live.GetValueOrDefault(machine.Uuid), cancellationToken);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var known = recorded.Select(machine => machine.Uuid).ToHashSet();
        var orphans = 0;
        foreach (var orphan in live.Values.Where(description => description.Ownership is not null && !known.Contains(description.Id)))
        {
            await tracker.AppendUnknownAsync(orphan.Id, "orphan", $"domain {orphan.Name} carries our mark but has no record", cancellationToken);
            orphans++;
        }

        return JsonSerializer.Serialize(new
        {
            checkedMachines = recorded.Count,
            repaired = outcomes.GetValueOrDefault(ReconcileOutcome.Repaired),
            removed = outcomes.GetValueOrDefault(ReconcileOutcome.VolatileRemoved),
            missing = outcomes.GetValueOrDefault(ReconcileOutcome.Missing),
            orphans,
        });
    }
}
