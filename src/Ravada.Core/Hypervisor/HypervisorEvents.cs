namespace Ravada.Core.Hypervisor;

/// <summary>Something that happened on a hypervisor node.</summary>
/// <param name="At">When the broker received it.</param>
public abstract record HypervisorEvent(DateTimeOffset At);

/// <summary>Lifecycle transitions of a machine.</summary>
public enum MachineTransition
{
    /// <summary>Its definition was added or changed.</summary>
    Defined,

    /// <summary>Its definition was removed.</summary>
    Undefined,

    /// <summary>It started (booted or resumed from hibernation).</summary>
    Started,

    /// <summary>Its CPUs were paused.</summary>
    Paused,

    /// <summary>Its CPUs resumed.</summary>
    Resumed,

    /// <summary>It stopped (shut down, powered off, crashed or hibernated: see the detail).</summary>
    Stopped,

    /// <summary>The guest began or finished shutting down.</summary>
    ShuttingDown,

    /// <summary>The guest suspended itself (power management).</summary>
    GuestSuspended,

    /// <summary>It crashed.</summary>
    Crashed,
}

/// <summary>A machine changed state.</summary>
/// <param name="At">When.</param>
/// <param name="MachineId">The machine's UUID.</param>
/// <param name="MachineName">The machine's name.</param>
/// <param name="Transition">What happened.</param>
/// <param name="Detail">The hypervisor's detail, e.g. <c>destroyed</c>, <c>saved</c>, <c>booted</c>.</param>
public sealed record MachineLifecycleEvent(DateTimeOffset At, Guid MachineId, string MachineName, MachineTransition Transition, string Detail)
    : HypervisorEvent(At);

/// <summary>The guest rebooted.</summary>
/// <param name="At">When.</param>
/// <param name="MachineId">The machine's UUID.</param>
/// <param name="MachineName">The machine's name.</param>
public sealed record MachineRebootedEvent(DateTimeOffset At, Guid MachineId, string MachineName) : HypervisorEvent(At);

/// <summary>Phases of a display client's connection.</summary>
public enum DisplayClientPhase
{
    /// <summary>The socket connected.</summary>
    Connected,

    /// <summary>The client authenticated.</summary>
    Authenticated,

    /// <summary>The client left.</summary>
    Disconnected,
}

/// <summary>A display client connected to or left a machine.</summary>
/// <param name="At">When.</param>
/// <param name="MachineId">The machine's UUID.</param>
/// <param name="MachineName">The machine's name.</param>
/// <param name="Phase">What happened.</param>
/// <param name="ClientAddress">The client's address as the display server saw it.</param>
public sealed record DisplayClientEvent(DateTimeOffset At, Guid MachineId, string MachineName, DisplayClientPhase Phase, string? ClientAddress)
    : HypervisorEvent(At);

/// <summary>The guest agent inside a machine connected or disconnected.</summary>
/// <param name="At">When.</param>
/// <param name="MachineId">The machine's UUID.</param>
/// <param name="MachineName">The machine's name.</param>
/// <param name="Connected">True when it connected.</param>
public sealed record GuestAgentEvent(DateTimeOffset At, Guid MachineId, string MachineName, bool Connected) : HypervisorEvent(At);

/// <summary>The connection to the node was lost; events may be missed until <see cref="HypervisorReconnectedEvent"/>.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Why, in libvirt's words.</param>
public sealed record HypervisorDisconnectedEvent(DateTimeOffset At, string Reason) : HypervisorEvent(At);

/// <summary>The connection is back; whoever keeps state must reconcile now.</summary>
/// <param name="At">When.</param>
public sealed record HypervisorReconnectedEvent(DateTimeOffset At) : HypervisorEvent(At);
