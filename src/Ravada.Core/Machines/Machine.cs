using Ravada.Core.Hypervisor;

namespace Ravada.Core.Machines;

/// <summary>A machine as the broker records it. libvirt is the authority on whether it runs; the database on who owns it.</summary>
public sealed record Machine
{
    /// <summary>Database id.</summary>
    public required long Id { get; init; }

    /// <summary>The libvirt UUID.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>The libvirt name (see <see cref="MachineName"/>).</summary>
    public required string Name { get; init; }

    /// <summary>A display name that may use any characters.</summary>
    public string? Alias { get; init; }

    /// <summary>Free text from the administrator.</summary>
    public string? Description { get; init; }

    /// <summary>The owner's user id.</summary>
    public required long OwnerId { get; init; }

    /// <summary>The base this machine was cloned from.</summary>
    public long? BaseId { get; init; }

    /// <summary>Whether this machine is a base others clone.</summary>
    public bool IsBase { get; init; }

    /// <summary>Whether users with the <c>clone</c> grant see this base.</summary>
    public bool IsPublic { get; init; }

    /// <summary>A volatile machine vanishes, disks included, when it stops.</summary>
    public bool IsVolatile { get; init; }

    /// <summary>For a base: its clones are volatile.</summary>
    public bool VolatileClones { get; init; }

    /// <summary>For a base: its clones keep its CD-ROM and boot from it (live CDs, rescue images).</summary>
    public bool KeepCdrom { get; init; }

    /// <summary>The last state the broker saw.</summary>
    public MachineState State { get; init; }

    /// <summary>The node it lives on.</summary>
    public required long NodeId { get; init; }

    /// <summary>Hardware template.</summary>
    public GuestOsFamily OsFamily { get; init; }

    /// <summary>Memory.</summary>
    public long MemoryMiB { get; init; }

    /// <summary>Virtual CPUs.</summary>
    public int VirtualCpus { get; init; } = 1;

    /// <summary>The libvirt network of its NIC.</summary>
    public string? Network { get; init; }

    /// <summary>Shut it down this long after each start; null for no limit.</summary>
    public int? RunTimeoutSeconds { get; init; }

    /// <summary>How long a shutdown waits for the guest before powering off.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 60;

    /// <summary>Whether a display client is connected now (from libvirt's graphics events).</summary>
    public bool ClientConnected { get; init; }

    /// <summary>The last display client address.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>
    /// The client IP of the request that last started the machine (null when it came from the command line): the
    /// firewall lets it reach the machine's displays while it runs. Only <see cref="IMachineStore.SetViewerAddressAsync"/> writes it.
    /// </summary>
    public string? ViewerAddress { get; init; }

    /// <summary>A hardware change waits for the next start.</summary>
    public bool NeedsRestart { get; init; }

    /// <summary>The request that created this machine, so a re-run of that request finds it.</summary>
    public long? CreatedByRequestId { get; init; }

    /// <summary>When the row was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>When <see cref="State"/> last changed.</summary>
    public DateTimeOffset StateChangedAt { get; init; }
}

/// <summary>A disk or CD-ROM of a machine.</summary>
/// <param name="Target">Guest device name: vda, sda.</param>
/// <param name="Device">disk or cdrom.</param>
/// <param name="Path">The file on the node (null for an empty CD-ROM drive).</param>
/// <param name="Format">qcow2, raw.</param>
/// <param name="CapacityBytes">The size the guest sees.</param>
/// <param name="BackingPath">For a clone, the base image it overlays.</param>
/// <param name="IsBaseImage">This file is a read-only base image that clones overlay.</param>
public sealed record MachineVolume(string Target, string Device, string? Path, string? Format, long CapacityBytes, string? BackingPath, bool IsBaseImage);

/// <summary>A display of a machine, as last started.</summary>
/// <param name="Protocol">SPICE or VNC.</param>
/// <param name="ListenAddress">Where it listens.</param>
/// <param name="Port">Its port while running.</param>
/// <param name="TlsPort">SPICE TLS port, if any.</param>
/// <param name="Password">The ticket of the current start.</param>
public sealed record MachineDisplay(DisplayProtocol Protocol, string ListenAddress, int? Port, int? TlsPort, string Password);

/// <summary>A line of the append-only machine event log.</summary>
/// <param name="Id">Increasing id; readers follow the log with it.</param>
/// <param name="MachineId">The machine, when the broker knows it.</param>
/// <param name="MachineUuid">The libvirt UUID.</param>
/// <param name="Kind">What happened: started, stopped, display-connected, state-repaired…</param>
/// <param name="Detail">The hypervisor's detail or the broker's explanation.</param>
/// <param name="State">The machine's state after the event.</param>
/// <param name="At">When.</param>
public sealed record MachineEvent(long Id, long? MachineId, Guid MachineUuid, string Kind, string? Detail, MachineState State, DateTimeOffset At);

/// <summary>A small picture of a machine's screen.</summary>
/// <param name="Image">Encoded image.</param>
/// <param name="MimeType">Its type.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="TakenAt">When the screenshot was taken.</param>
public sealed record Thumbnail(byte[] Image, string MimeType, int Width, int Height, DateTimeOffset TakenAt);
