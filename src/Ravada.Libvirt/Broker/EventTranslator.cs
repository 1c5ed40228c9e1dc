using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>Turns libvirt's domain events and states into the broker's words.</summary>
public static class EventTranslator
{
    /// <summary>The broker event for a libvirt domain event.</summary>
    public static HypervisorEvent Translate(VirDomainEvent domainEvent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return domainEvent switch
        {
            VirDomainLifecycleEvent lifecycle => new MachineLifecycleEvent(
                at, lifecycle.DomainUuid, lifecycle.DomainName, Transition(lifecycle.Event), Detail(lifecycle.Event, lifecycle.Detail)),
            VirDomainRebootEvent reboot => new MachineRebootedEvent(at, reboot.DomainUuid, reboot.DomainName),
            VirDomainGraphicsEvent graphics => new DisplayClientEvent(
                at,
                graphics.DomainUuid,
                graphics.DomainName,
                graphics.Phase switch
                {
                    VirDomainEventGraphicsPhase.Connect => DisplayClientPhase.Connected,
                    VirDomainEventGraphicsPhase.Initialize => DisplayClientPhase.Authenticated,
                    _ => DisplayClientPhase.Disconnected,
                },
                graphics.Remote is { Node.Length: > 0 } remote ? remote.Node : null),
            VirDomainAgentLifecycleEvent agent => new GuestAgentEvent(at, agent.DomainUuid, agent.DomainName, agent.State == VirAgentLifecycleState.Connected),
            _ => throw new ArgumentOutOfRangeException(nameof(domainEvent), domainEvent.GetType().Name, "unknown domain event"),
        };
    }

    /// <summary>The broker's state for a libvirt state; a shut-off machine with a managed save image is hibernated.</summary>
    public static MachineState State(VirDomainState state, bool hasManagedSave) => state switch
    {
        VirDomainState.Running or VirDomainState.Blocked => MachineState.Running,
        VirDomainState.Paused => MachineState.Paused,
        VirDomainState.Shutdown => MachineState.ShuttingDown,
        VirDomainState.Shutoff => hasManagedSave ? MachineState.Hibernated : MachineState.ShutOff,
        VirDomainState.Crashed => MachineState.Crashed,
        VirDomainState.PmSuspended => MachineState.GuestSuspended,
        _ => MachineState.Unknown,
    };

    private static MachineTransition Transition(VirDomainEventType eventType) => eventType switch
    {
        VirDomainEventType.Defined => MachineTransition.Defined,
        VirDomainEventType.Undefined => MachineTransition.Undefined,
        VirDomainEventType.Started => MachineTransition.Started,
        VirDomainEventType.Suspended => MachineTransition.Paused,
        VirDomainEventType.Resumed => MachineTransition.Resumed,
        VirDomainEventType.Stopped => MachineTransition.Stopped,
        VirDomainEventType.Shutdown => MachineTransition.ShuttingDown,
        VirDomainEventType.PmSuspended => MachineTransition.GuestSuspended,
        VirDomainEventType.Crashed => MachineTransition.Crashed,
        _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "unknown lifecycle event"),
    };

    private static string Detail(VirDomainEventType eventType, int detail)
    {
        string[] names = eventType switch
        {
            VirDomainEventType.Defined => ["added", "updated", "renamed", "from-snapshot"],
            VirDomainEventType.Undefined => ["removed", "renamed"],
            VirDomainEventType.Started => ["booted", "migrated", "restored", "from-snapshot", "wakeup"],
            VirDomainEventType.Suspended => ["paused", "migrated", "io-error", "watchdog", "restored", "from-snapshot", "api-error", "postcopy", "postcopy-failed"],
            VirDomainEventType.Resumed => ["unpaused", "migrated", "from-snapshot", "postcopy", "postcopy-failed"],
            VirDomainEventType.Stopped => ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from-snapshot"],
            VirDomainEventType.Shutdown => ["finished", "guest", "host"],
            VirDomainEventType.PmSuspended => ["memory", "disk"],
            VirDomainEventType.Crashed => ["panicked", "crashloaded"],
            _ => [],
        };
        return detail >= 0 && detail < names.Length ? names[detail] : $"detail-{detail}";
    }
}
