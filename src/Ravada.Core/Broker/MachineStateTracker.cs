using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;

namespace Ravada.Core.Broker;

/// <summary>
/// Records machine state changes once, with a line in the event log: from libvirt's events as they
/// happen, and from refreshes that repair what was missed while the connection was down.
/// </summary>
public sealed class MachineStateTracker(IMachineStore machines, IMachineEventLog eventLog, DisplayAccessChanges displayAccess, TimeProvider timeProvider)
{
    /// <summary>Sets <paramref name="state"/> and logs <paramref name="kind"/>; returns false when nothing changed.</summary>
    public async Task<bool> RecordAsync(Machine machine, MachineState state, string kind, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var at = timeProvider.GetUtcNow();
        if (!await machines.SetStateAsync(machine.Id, state, at, cancellationToken))
        {
            return false;
        }

        await eventLog.AppendAsync(new MachineEvent(0, machine.Id, machine.Uuid, kind, detail, state, at), cancellationToken);
        displayAccess.Notify();
        return true;
    }

    /// <summary>Logs an event that does not change the state (a display client, a reboot).</summary>
    public Task AppendAsync(Machine machine, string kind, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return eventLog.AppendAsync(new MachineEvent(0, machine.Id, machine.Uuid, kind, detail, machine.State, timeProvider.GetUtcNow()), cancellationToken);
    }

    /// <summary>Logs an event about a domain the broker has no record of.</summary>
    public Task AppendUnknownAsync(Guid uuid, string kind, string? detail, CancellationToken cancellationToken) =>
        eventLog.AppendAsync(new MachineEvent(0, null, uuid, kind, detail, MachineState.Unknown, timeProvider.GetUtcNow()), cancellationToken);
}
