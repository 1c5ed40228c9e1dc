using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Tests.Support;

/// <summary>Desktop definitions used across tests.</summary>
internal static class Desktops
{
    public static DesktopDefinition Linux(string name, params DiskAttachment[] disks) => new()
    {
        Name = name,
        MemoryMiB = 256,
        VirtualCpus = 1,
        Disks = disks,
        Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("spice-ticket-1", "vncpass1")),
        Ownership = new MachineOwnership("alice", "base-desktop", Volatile: false),
    };
}
