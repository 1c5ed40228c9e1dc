namespace Ravada.Libvirt;

// libvirt's enums and flag sets used by the binding; values are libvirt's ABI (libvirt-domain.h,
// libvirt-host.h, libvirt-storage.h, libvirt-network.h).

/// <summary><c>virDomainState</c>.</summary>
public enum VirDomainState
{
    /// <summary>No state.</summary>
    NoState = 0,
    /// <summary>The domain is running.</summary>
    Running = 1,
    /// <summary>The domain is blocked on a resource.</summary>
    Blocked = 2,
    /// <summary>The domain is paused by the user.</summary>
    Paused = 3,
    /// <summary>The domain is being shut down.</summary>
    Shutdown = 4,
    /// <summary>The domain is shut off.</summary>
    Shutoff = 5,
    /// <summary>The domain has crashed.</summary>
    Crashed = 6,
    /// <summary>The domain is suspended by guest power management.</summary>
    PmSuspended = 7,
}

/// <summary><c>virDomainPausedReason</c>: why a domain is paused (the values the broker looks at).</summary>
public enum VirDomainPausedReason
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Paused by a user or program.</summary>
    User = 1,
    /// <summary>QEMU runs but libvirt has not let its CPUs go yet: the domain is being started.</summary>
    StartingUp = 11,
}

/// <summary><c>virDomainShutoffReason</c>: why a domain is shut off.</summary>
public enum VirDomainShutoffReason
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Normal shutdown.</summary>
    Shutdown = 1,
    /// <summary>Forced poweroff.</summary>
    Destroyed = 2,
    /// <summary>The domain crashed.</summary>
    Crashed = 3,
    /// <summary>Migrated to another host.</summary>
    Migrated = 4,
    /// <summary>Saved to a file (managed save: hibernated).</summary>
    Saved = 5,
    /// <summary>The domain failed to start.</summary>
    Failed = 6,
    /// <summary>Restored from a snapshot taken while the domain was shut off.</summary>
    FromSnapshot = 7,
    /// <summary>The daemon decided to kill the domain during reconnection.</summary>
    Daemon = 8,
}

/// <summary><c>virDomainEventType</c>: the lifecycle transition of a lifecycle event.</summary>
public enum VirDomainEventType
{
    /// <summary>Defined (persistent configuration added or updated).</summary>
    Defined = 0,
    /// <summary>Undefined (persistent configuration removed).</summary>
    Undefined = 1,
    /// <summary>Started.</summary>
    Started = 2,
    /// <summary>Suspended (paused).</summary>
    Suspended = 3,
    /// <summary>Resumed.</summary>
    Resumed = 4,
    /// <summary>Stopped.</summary>
    Stopped = 5,
    /// <summary>A shutdown was requested or completed inside the guest.</summary>
    Shutdown = 6,
    /// <summary>Suspended by guest power management.</summary>
    PmSuspended = 7,
    /// <summary>Crashed.</summary>
    Crashed = 8,
}

/// <summary><c>virDomainEventStoppedDetailType</c>: details of a <see cref="VirDomainEventType.Stopped"/> event.</summary>
public enum VirDomainEventStoppedDetail
{
    /// <summary>Normal shutdown.</summary>
    Shutdown = 0,
    /// <summary>Forced poweroff from the host.</summary>
    Destroyed = 1,
    /// <summary>Guest crashed.</summary>
    Crashed = 2,
    /// <summary>Migrated off to another host.</summary>
    Migrated = 3,
    /// <summary>Saved to a state file (managed save).</summary>
    Saved = 4,
    /// <summary>Host emulator or hypervisor failed.</summary>
    Failed = 5,
    /// <summary>Offline snapshot loaded.</summary>
    FromSnapshot = 6,
}

/// <summary><c>virDomainEventID</c>: the kinds of domain events the binding subscribes to.</summary>
public enum VirDomainEventId
{
    /// <summary>Lifecycle changes (<c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c>).</summary>
    Lifecycle = 0,
    /// <summary>Guest reboots (<c>VIR_DOMAIN_EVENT_ID_REBOOT</c>).</summary>
    Reboot = 1,
    /// <summary>Display client connects and disconnects (<c>VIR_DOMAIN_EVENT_ID_GRAPHICS</c>).</summary>
    Graphics = 5,
    /// <summary>Guest agent connects and disconnects (<c>VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE</c>).</summary>
    AgentLifecycle = 18,
}

/// <summary><c>virDomainEventGraphicsPhase</c>.</summary>
public enum VirDomainEventGraphicsPhase
{
    /// <summary>Initial socket connection established.</summary>
    Connect = 0,
    /// <summary>Authentication and setup completed.</summary>
    Initialize = 1,
    /// <summary>Final socket disconnection.</summary>
    Disconnect = 2,
}

/// <summary><c>virConnectDomainEventAgentLifecycleState</c>.</summary>
public enum VirAgentLifecycleState
{
    /// <summary>The guest agent connected.</summary>
    Connected = 1,
    /// <summary>The guest agent disconnected.</summary>
    Disconnected = 2,
}

/// <summary><c>virConnectDomainEventAgentLifecycleReason</c>.</summary>
public enum VirAgentLifecycleReason
{
    /// <summary>Unknown reason.</summary>
    Unknown = 0,
    /// <summary>The state changed because the domain was started.</summary>
    DomainStarted = 1,
    /// <summary>The channel changed state.</summary>
    Channel = 2,
}

/// <summary><c>virConnectCloseReason</c>: why a connection was closed.</summary>
public enum VirConnectCloseReason
{
    /// <summary>Misc I/O error.</summary>
    Error = 0,
    /// <summary>End of file from the server (daemon stopped or restarted).</summary>
    Eof = 1,
    /// <summary>Keepalive timer triggered.</summary>
    KeepAlive = 2,
    /// <summary>Client requested it.</summary>
    Client = 3,
}

/// <summary><c>virConnectListAllDomainsFlags</c>.</summary>
[Flags]
public enum VirConnectListAllDomainsFlags : uint
{
    /// <summary>All domains.</summary>
    All = 0,
    /// <summary>Running or paused domains.</summary>
    Active = 1 << 0,
    /// <summary>Shut-off domains.</summary>
    Inactive = 1 << 1,
    /// <summary>Domains with a persistent configuration.</summary>
    Persistent = 1 << 2,
    /// <summary>Transient domains.</summary>
    Transient = 1 << 3,
    /// <summary>Running domains.</summary>
    Running = 1 << 4,
    /// <summary>Paused domains.</summary>
    Paused = 1 << 5,
    /// <summary>Shut-off domains.</summary>
    Shutoff = 1 << 6,
    /// <summary>Domains in other states.</summary>
    Other = 1 << 7,
    /// <summary>Domains with a managed save image.</summary>
    ManagedSave = 1 << 8,
    /// <summary>Domains without a managed save image.</summary>
    NoManagedSave = 1 << 9,
}

/// <summary><c>virDomainCreateFlags</c>: how to start a domain.</summary>
[Flags]
public enum VirDomainCreateFlags : uint
{
    /// <summary>Default.</summary>
    None = 0,
    /// <summary>Launch the guest paused.</summary>
    StartPaused = 1 << 0,
    /// <summary>Destroy the guest when the connection closes.</summary>
    AutoDestroy = 1 << 1,
    /// <summary>Avoid the file system cache when restoring.</summary>
    BypassCache = 1 << 2,
    /// <summary>Boot, discarding any managed save image.</summary>
    ForceBoot = 1 << 3,
    /// <summary>Validate the XML against the schema.</summary>
    Validate = 1 << 4,
}

/// <summary><c>virDomainDefineFlags</c>.</summary>
[Flags]
public enum VirDomainDefineFlags : uint
{
    /// <summary>Default.</summary>
    None = 0,
    /// <summary>Validate the XML against the schema.</summary>
    Validate = 1 << 0,
}

/// <summary><c>virDomainUndefineFlagsValues</c>.</summary>
[Flags]
public enum VirDomainUndefineFlags : uint
{
    /// <summary>Default.</summary>
    None = 0,
    /// <summary>Also remove any managed save image.</summary>
    ManagedSave = 1 << 0,
    /// <summary>Also remove snapshot metadata.</summary>
    SnapshotsMetadata = 1 << 1,
    /// <summary>Also remove the UEFI NVRAM file.</summary>
    Nvram = 1 << 2,
    /// <summary>Keep the UEFI NVRAM file.</summary>
    KeepNvram = 1 << 3,
    /// <summary>Also remove checkpoint metadata.</summary>
    CheckpointsMetadata = 1 << 4,
}

/// <summary><c>virDomainShutdownFlagValues</c> (also used for reboot).</summary>
[Flags]
public enum VirDomainShutdownFlags : uint
{
    /// <summary>Hypervisor's choice.</summary>
    Default = 0,
    /// <summary>Send ACPI power button.</summary>
    AcpiPowerButton = 1 << 0,
    /// <summary>Use the guest agent.</summary>
    GuestAgent = 1 << 1,
}

/// <summary><c>virDomainDestroyFlagsValues</c>.</summary>
[Flags]
public enum VirDomainDestroyFlags : uint
{
    /// <summary>Default: SIGTERM, then SIGKILL.</summary>
    Default = 0,
    /// <summary>Only SIGTERM, no SIGKILL.</summary>
    Graceful = 1 << 0,
}

/// <summary><c>virDomainXMLFlags</c>.</summary>
[Flags]
public enum VirDomainXmlFlags : uint
{
    /// <summary>Default.</summary>
    None = 0,
    /// <summary>Include security-sensitive data such as display passwords.</summary>
    Secure = 1 << 0,
    /// <summary>The persistent configuration rather than the live state.</summary>
    Inactive = 1 << 1,
}

/// <summary><c>virDomainMetadataType</c>.</summary>
public enum VirDomainMetadataType
{
    /// <summary>The &lt;description&gt; element.</summary>
    Description = 0,
    /// <summary>The &lt;title&gt; element.</summary>
    Title = 1,
    /// <summary>An element of our own namespace inside &lt;metadata&gt;.</summary>
    Element = 2,
}

/// <summary><c>virDomainModificationImpact</c> (also <c>virDomainDeviceModifyFlags</c>).</summary>
[Flags]
public enum VirDomainModificationImpact : uint
{
    /// <summary>The current state: live if running, else persistent.</summary>
    Current = 0,
    /// <summary>The running domain.</summary>
    Live = 1 << 0,
    /// <summary>The persistent configuration.</summary>
    Config = 1 << 1,
    /// <summary>Force the change (device update: e.g. eject a locked CD-ROM).</summary>
    Force = 1 << 2,
}

/// <summary><c>virDomainInterfaceAddressesSource</c>.</summary>
public enum VirDomainInterfaceAddressesSource
{
    /// <summary>DHCP leases of libvirt networks.</summary>
    Lease = 0,
    /// <summary>Ask the guest agent.</summary>
    Agent = 1,
    /// <summary>The host's ARP table.</summary>
    Arp = 2,
}

/// <summary><c>virDomainOpenGraphicsFlags</c>.</summary>
[Flags]
public enum VirDomainOpenGraphicsFlags : uint
{
    /// <summary>Default: the client still authenticates with the display password.</summary>
    None = 0,
    /// <summary>Skip the display's authentication.</summary>
    SkipAuth = 1 << 0,
}

/// <summary><c>virStoragePoolState</c>.</summary>
public enum VirStoragePoolState
{
    /// <summary>Not running.</summary>
    Inactive = 0,
    /// <summary>Initializing.</summary>
    Building = 1,
    /// <summary>Running normally.</summary>
    Running = 2,
    /// <summary>Running degraded.</summary>
    Degraded = 3,
    /// <summary>Running, but not accessible.</summary>
    Inaccessible = 4,
}

/// <summary><c>virStorageVolType</c>.</summary>
public enum VirStorageVolType
{
    /// <summary>Regular file.</summary>
    File = 0,
    /// <summary>Block device.</summary>
    Block = 1,
    /// <summary>Directory passthrough.</summary>
    Dir = 2,
    /// <summary>Network volume.</summary>
    Network = 3,
    /// <summary>Network accessible directory.</summary>
    NetDir = 4,
    /// <summary>Ploop based volume.</summary>
    Ploop = 5,
}

/// <summary><c>virStorageVolCreateFlags</c>.</summary>
[Flags]
public enum VirStorageVolCreateFlags : uint
{
    /// <summary>Default.</summary>
    None = 0,
    /// <summary>Preallocate qcow2 metadata.</summary>
    PreallocMetadata = 1 << 0,
    /// <summary>Clone with a copy-on-write reflink.</summary>
    Reflink = 1 << 1,
    /// <summary>Validate the XML against the schema.</summary>
    Validate = 1 << 2,
}

/// <summary><c>virStoragePoolCreateFlags</c>.</summary>
[Flags]
public enum VirStoragePoolCreateFlags : uint
{
    /// <summary>Default.</summary>
    Normal = 0,
    /// <summary>Build the pool (create its directory) before starting it.</summary>
    WithBuild = 1 << 0,
}

/// <summary><c>virIPAddrType</c>.</summary>
public enum VirIPAddrType
{
    /// <summary>IPv4.</summary>
    IPv4 = 0,
    /// <summary>IPv6.</summary>
    IPv6 = 1,
}
