using Ravada.Core.Hypervisor;

namespace Ravada.Bench;

/// <summary>
/// The idle test guest built by tests/guests/build-idle-guest.sh: a Debian kernel and a busybox initramfs
/// that boot in seconds under TCG and then idle, so that starting it costs what starting QEMU costs.
/// </summary>
/// <param name="KernelPath">vmlinuz.</param>
/// <param name="InitrdPath">initramfs.gz.</param>
/// <param name="IsoPath">idle.iso: the same, as a bootable CD for machines that boot from a CD-ROM as a user's desktop does.</param>
internal sealed record IdleGuest(string KernelPath, string InitrdPath, string IsoPath)
{
    /// <summary>Finds the guest in <paramref name="directory"/>, or explains how to build it.</summary>
    public static IdleGuest Locate(string directory)
    {
        var guest = new IdleGuest(Path.Combine(directory, "vmlinuz"), Path.Combine(directory, "initramfs.gz"), Path.Combine(directory, "idle.iso"));
        if (!File.Exists(guest.KernelPath) || !File.Exists(guest.InitrdPath) || !File.Exists(guest.IsoPath))
        {
            throw new BenchmarkException($"the idle test guest is not in {directory}: build it with tests/guests/build-idle-guest.sh {directory} (bench/run.sh does)");
        }

        return guest;
    }

    /// <summary>A desktop that boots this guest's kernel directly, with <paramref name="diskPath"/> as its disk and SPICE and VNC on the loopback.</summary>
    public DesktopDefinition Desktop(string name, string diskPath) => new()
    {
        Name = name,
        MemoryMiB = 256,
        VirtualCpus = 1,
        Disks = [new DiskAttachment(diskPath)],
        KernelBoot = new KernelBoot(KernelPath, InitrdPath, "console=ttyS0 quiet"),
        Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("bench-spice", "benchvnc")),
        Ownership = new MachineOwnership("bench", BaseName: null, Volatile: false),
    };
}
