namespace Ravada.Core.Hypervisor;

/// <summary>How guests are executed.</summary>
public enum Accelerator
{
    /// <summary>Hardware-assisted KVM (libvirt domain type <c>kvm</c>).</summary>
    Kvm,

    /// <summary>QEMU's software emulator (libvirt domain type <c>qemu</c>).</summary>
    Tcg,

    /// <summary>libvirt's in-process test driver (domain type <c>test</c>); no guest runs.</summary>
    Test,
}

/// <summary>What the administrator asked for in the configuration.</summary>
public enum AcceleratorPreference
{
    /// <summary>KVM when the host can run it with hardware assistance, TCG otherwise.</summary>
    Auto,

    /// <summary>KVM, even when the probe doubts it.</summary>
    Kvm,

    /// <summary>TCG always.</summary>
    Tcg,
}

/// <summary>Facts about a hypervisor node.</summary>
/// <param name="Uri">The connection URI.</param>
/// <param name="Hostname">The node's host name.</param>
/// <param name="Driver">libvirt's driver name, e.g. <c>QEMU</c>.</param>
/// <param name="HypervisorVersion">The hypervisor's version (QEMU's).</param>
/// <param name="LibvirtVersion">libvirt's version on the node.</param>
/// <param name="Accelerator">How new machines will run.</param>
/// <param name="AcceleratorReason">Why that accelerator, in words for the administrator.</param>
/// <param name="Cpus">Host CPUs.</param>
/// <param name="MemoryBytes">Host memory.</param>
/// <param name="FreeMemoryBytes">Free host memory now.</param>
public sealed record HypervisorInfo(
    string Uri,
    string Hostname,
    string Driver,
    Version HypervisorVersion,
    Version LibvirtVersion,
    Accelerator Accelerator,
    string AcceleratorReason,
    int Cpus,
    long MemoryBytes,
    long FreeMemoryBytes);

/// <summary>The state of a machine as the broker sees it.</summary>
public enum MachineState
{
    /// <summary>The hypervisor does not say.</summary>
    Unknown,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Virtual CPUs paused.</summary>
    Paused,

    /// <summary>The guest is shutting down.</summary>
    ShuttingDown,

    /// <summary>Off.</summary>
    ShutOff,

    /// <summary>Off with its memory saved to disk; the next start resumes it.</summary>
    Hibernated,

    /// <summary>Crashed.</summary>
    Crashed,

    /// <summary>Suspended by the guest's own power management.</summary>
    GuestSuspended,
}

/// <summary>Display protocols.</summary>
public enum DisplayProtocol
{
    /// <summary>SPICE (virt-viewer, spice-html5).</summary>
    Spice,

    /// <summary>VNC (noVNC, any VNC viewer).</summary>
    Vnc,
}

/// <summary>Where a machine's display listens.</summary>
/// <param name="Protocol">SPICE or VNC.</param>
/// <param name="ListenAddress">The address the display server listens on.</param>
/// <param name="Port">The port, once the machine runs (null while off or auto-assigned).</param>
/// <param name="TlsPort">The TLS port of SPICE, if any.</param>
public sealed record DisplayEndpoint(DisplayProtocol Protocol, string ListenAddress, int? Port, int? TlsPort);

/// <summary>Display passwords (tickets). VNC only uses the first 8 characters of its password.</summary>
/// <param name="Spice">The SPICE ticket.</param>
/// <param name="Vnc">The VNC password, at most 8 characters.</param>
public sealed record DisplayPasswords(string Spice, string Vnc);

/// <summary>Our mark on a machine, stored in its definition's metadata.</summary>
/// <param name="Owner">The user who owns it.</param>
/// <param name="BaseName">The base it was cloned from, if any.</param>
/// <param name="Volatile">Whether it vanishes when it stops.</param>
public sealed record MachineOwnership(string Owner, string? BaseName, bool Volatile);

/// <summary>A disk of a machine as the hypervisor reports it.</summary>
/// <param name="Target">The guest's device name (vda, sda).</param>
/// <param name="Device">disk or cdrom.</param>
/// <param name="Path">The host file, if any.</param>
/// <param name="Format">qcow2, raw.</param>
/// <param name="BackingPath">The backing file of a qcow2 overlay, if any.</param>
public sealed record MachineDisk(string Target, string Device, string? Path, string? Format, string? BackingPath);

/// <summary>A machine as the hypervisor reports it.</summary>
/// <param name="Id">Its UUID.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Its state.</param>
/// <param name="IsPersistent">False for volatile (transient) machines.</param>
/// <param name="Ownership">Our metadata, or null for machines the broker does not own.</param>
/// <param name="MemoryMiB">Memory.</param>
/// <param name="VirtualCpus">Virtual CPUs.</param>
/// <param name="Disks">Disks and CD-ROMs.</param>
/// <param name="Displays">Displays.</param>
public sealed record MachineDescription(
    Guid Id,
    string Name,
    MachineState State,
    bool IsPersistent,
    MachineOwnership? Ownership,
    long MemoryMiB,
    int VirtualCpus,
    IReadOnlyList<MachineDisk> Disks,
    IReadOnlyList<DisplayEndpoint> Displays);

/// <summary>A storage pool.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Path">Its directory.</param>
/// <param name="IsActive">Whether it is started.</param>
/// <param name="CapacityBytes">Size.</param>
/// <param name="AvailableBytes">Free space.</param>
public sealed record StoragePoolDescription(string Name, string? Path, bool IsActive, long CapacityBytes, long AvailableBytes);

/// <summary>A volume (a disk image).</summary>
/// <param name="Pool">The pool holding it.</param>
/// <param name="Name">Its file name.</param>
/// <param name="Path">Its full path.</param>
/// <param name="Format">qcow2, raw, iso.</param>
/// <param name="CapacityBytes">The size the guest sees.</param>
/// <param name="AllocationBytes">The space used on the host.</param>
/// <param name="BackingPath">For a clone, the base volume it overlays.</param>
public sealed record VolumeDescription(string Pool, string Name, string Path, string? Format, long CapacityBytes, long AllocationBytes, string? BackingPath);
