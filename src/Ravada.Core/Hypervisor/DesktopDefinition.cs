namespace Ravada.Core.Hypervisor;

/// <summary>The guest operating system family, which selects a hardware template.</summary>
public enum GuestOsFamily
{
    /// <summary>Linux and other guests with virtio drivers: virtio disk and NIC.</summary>
    Linux,

    /// <summary>Windows: SATA disk and e1000e NIC (no drivers needed to install), Hyper-V enlightenments, local-time clock.</summary>
    Windows,
}

/// <summary>A disk attached to a desktop.</summary>
/// <param name="Path">The volume's path on the node.</param>
/// <param name="Format">The image format, normally <c>qcow2</c>.</param>
/// <param name="ReadOnly">Attach read-only.</param>
public sealed record DiskAttachment(string Path, string Format = "qcow2", bool ReadOnly = false);

/// <summary>Direct kernel boot, for appliances and test guests that have no boot loader.</summary>
/// <param name="KernelPath">The kernel image.</param>
/// <param name="InitrdPath">The initial ramdisk.</param>
/// <param name="CommandLine">The kernel command line.</param>
public sealed record KernelBoot(string KernelPath, string? InitrdPath, string CommandLine);

/// <summary>How a desktop's displays are offered.</summary>
/// <param name="ListenAddress">The address SPICE and VNC listen on (an address the broker controls).</param>
/// <param name="Passwords">The display passwords for this start.</param>
/// <param name="Spice">Offer SPICE.</param>
/// <param name="Vnc">Offer VNC.</param>
public sealed record DisplaySettings(string ListenAddress, DisplayPasswords Passwords, bool Spice = true, bool Vnc = true);

/// <summary>Everything needed to define a desktop machine on a hypervisor.</summary>
public sealed record DesktopDefinition
{
    /// <summary>The machine's name; see <see cref="MachineName"/> for the rules.</summary>
    public required string Name { get; init; }

    /// <summary>The machine's UUID; a new one when not given.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Memory in MiB.</summary>
    public required long MemoryMiB { get; init; }

    /// <summary>Virtual CPUs.</summary>
    public int VirtualCpus { get; init; } = 1;

    /// <summary>Hardware template.</summary>
    public GuestOsFamily OsFamily { get; init; } = GuestOsFamily.Linux;

    /// <summary>Disks, in boot order.</summary>
    public IReadOnlyList<DiskAttachment> Disks { get; init; } = [];

    /// <summary>An ISO in the CD-ROM drive; the drive exists even when empty.</summary>
    public string? CdromPath { get; init; }

    /// <summary>Boot from the CD-ROM before the disks.</summary>
    public bool BootFromCdrom { get; init; }

    /// <summary>Direct kernel boot instead of firmware boot from disk or CD-ROM.</summary>
    public KernelBoot? KernelBoot { get; init; }

    /// <summary>The libvirt network of the NIC; null for no NIC.</summary>
    public string? Network { get; init; }

    /// <summary>The NIC's MAC address; libvirt picks one when null.</summary>
    public string? MacAddress { get; init; }

    /// <summary>Display settings.</summary>
    public required DisplaySettings Display { get; init; }

    /// <summary>Number of SPICE USB redirection channels (0 disables USB redirection).</summary>
    public int UsbRedirectionChannels { get; init; } = 2;

    /// <summary>Add the QEMU guest-agent channel.</summary>
    public bool GuestAgent { get; init; } = true;

    /// <summary>Add a serial console.</summary>
    public bool SerialConsole { get; init; } = true;

    /// <summary>Our mark on the machine.</summary>
    public required MachineOwnership Ownership { get; init; }

    /// <summary>Overrides the node's accelerator choice for this machine (tests, benchmarks).</summary>
    public Accelerator? Accelerator { get; init; }
}
