using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>
/// Turns the hypervisor's events into records as they happen: machine state and the event log, display
/// clients, removal of volatile machines that stopped, and a full reconcile after every reconnection.
/// Events about domains the broker has no record of are ignored.
/// </summary>
public sealed class HypervisorEventRecorder(IMachineStore machines, IUserStore users, MachineStateTracker tracker, IRequestQueue queue)
{
    private long? daemonUserId;

    /// <summary>Records one event.</summary>
    public async Task RecordAsync(HypervisorEvent hypervisorEvent, CancellationToken cancellationToken)
    {
        switch (hypervisorEvent)
        {
            case MachineLifecycleEvent lifecycle:
                await RecordLifecycleAsync(lifecycle, cancellationToken);
                break;
            case DisplayClientEvent display when await machines.FindByUuidAsync(display.MachineId, cancellationToken) is { } machine:
                await machines.SetClientAsync(machine.Id, display.Phase != DisplayClientPhase.Disconnected, display.ClientAddress, display.At, cancellationToken);
                await tracker.AppendAsync(machine, $"display-{display.Phase.ToString().ToLowerInvariant()}", display.ClientAddress, cancellationToken);
                break;
            case MachineRebootedEvent reboot when await machines.FindByUuidAsync(reboot.MachineId, cancellationToken) is { } machine:
                await tracker.AppendAsync(machine, "rebooted", null, cancellationToken);
                break;
            case GuestAgentEvent agent when await machines.FindByUuidAsync(agent.MachineId, cancellationToken) is { } machine:
                await tracker.AppendAsync(machine, agent.Connected ? "agent-connected" : "agent-disconnected", null, cancellationToken);
                break;
            case HypervisorReconnectedEvent:
                await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Reconcile, UserId = await DaemonUserIdAsync(cancellationToken) }, cancellationToken);
                break;
        }
    }

    /// <summary>The state a machine is in after a lifecycle transition, or null when the transition says nothing about it.</summary>
    public static MachineState? StateAfter(MachineTransition transition, string detail) => transition switch
    {
        MachineTransition.Started or MachineTransition.Resumed => MachineState.Running,
        MachineTransition.Paused => MachineState.Paused,
        MachineTransition.Stopped => detail == "saved" ? MachineState.Hibernated : MachineState.ShutOff,
        MachineTransition.ShuttingDown => MachineState.ShuttingDown,
        MachineTransition.Crashed => MachineState.Crashed,
        MachineTransition.GuestSuspended => MachineState.GuestSuspended,
        MachineTransition.Undefined => MachineState.Unknown,
        _ => null,
    };

    private async Task RecordLifecycleAsync(MachineLifecycleEvent lifecycle, CancellationToken cancellationToken)
    {
        var machine = await machines.FindByUuidAsync(lifecycle.MachineId, cancellationToken);
        if (machine is null)
        {
            return;
        }

        var kind = lifecycle.Transition.ToString().ToLowerInvariant();
        if (StateAfter(lifecycle.Transition, lifecycle.Detail) is { } state)
        {
            await tracker.RecordAsync(machine, state, kind, lifecycle.Detail, cancellationToken);
        }
        else
        {
            await tracker.AppendAsync(machine, kind, lifecycle.Detail, cancellationToken);
        }

        if (machine.IsVolatile && lifecycle.Transition == MachineTransition.Stopped)
        {
            await queue.EnqueueAsync(
                new NewRequest { Command = RequestCommands.Remove, UserId = await DaemonUserIdAsync(cancellationToken), MachineId = machine.Id },
                cancellationToken);
        }
    }

    private async Task<long> DaemonUserIdAsync(CancellationToken cancellationToken)
    {
        daemonUserId ??= (await users.FindByNameAsync(User.DaemonName, cancellationToken))?.Id
            ?? throw new InvalidOperationException($"the built-in user '{User.DaemonName}' is missing from the database");
        return daemonUserId.Value;
    }
}
