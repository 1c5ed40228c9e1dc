using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;

namespace Ravada.Core.Broker;

/// <summary>What reconciling one machine did.</summary>
public enum ReconcileOutcome
{
    /// <summary>The record was right.</summary>
    Unchanged,

    /// <summary>The recorded state was wrong and has been corrected.</summary>
    Repaired,

    /// <summary>A volatile machine had stopped and vanished: its volumes and record are gone now.</summary>
    VolatileRemoved,

    /// <summary>The hypervisor has no such domain; the machine is marked unknown.</summary>
    Missing,
}

/// <summary>Repairs a machine's record from what the hypervisor says (after a reconnect, or on demand).</summary>
public sealed class MachineReconciler(MachineOperations operations, MachineStateTracker tracker, TimeProvider timeProvider)
{
    /// <summary>A machine still being created has no domain yet; it is only treated as gone after this long.</summary>
    private static readonly TimeSpan CreationGrace = TimeSpan.FromHours(1);

    /// <summary>Brings the record of <paramref name="machine"/> in line with <paramref name="live"/> (null: the hypervisor has no such domain).</summary>
    public async Task<ReconcileOutcome> ReconcileAsync(Machine machine, MachineDescription? live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (live is null)
        {
            var beingCreated = machine.State == MachineState.Unknown && timeProvider.GetUtcNow() - machine.CreatedAt < CreationGrace;
            if (beingCreated)
            {
                return ReconcileOutcome.Unchanged;
            }

            if (machine.IsVolatile)
            {
                await operations.RemoveAsync(machine, cancellationToken);
                await tracker.AppendUnknownAsync(machine.Uuid, "volatile-removed", $"volatile machine {machine.Name} had stopped", cancellationToken);
                return ReconcileOutcome.VolatileRemoved;
            }

            return await tracker.RecordAsync(machine, MachineState.Unknown, "missing", "the hypervisor has no such domain", cancellationToken)
                ? ReconcileOutcome.Missing
                : ReconcileOutcome.Unchanged;
        }

        return await tracker.RecordAsync(machine, live.State, "state-repaired", $"the hypervisor says {live.State}", cancellationToken)
            ? ReconcileOutcome.Repaired
            : ReconcileOutcome.Unchanged;
    }
}
