using System.Runtime.InteropServices;

namespace Ravada.Libvirt.Native;

// Layouts copied field by field from libvirt's headers (libvirt 9.0, x86_64 Linux LP64:
// C "unsigned long" is 64 bits, hence CULong).

[StructLayout(LayoutKind.Sequential)]
internal struct VirErrorNative
{
    public int Code;
    public int Domain;
    public nint Message;
    public int Level;
    public nint Conn;
    public nint Dom;
    public nint Str1;
    public nint Str2;
    public nint Str3;
    public int Int1;
    public int Int2;
    public nint Net;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirNodeInfoNative
{
    public fixed byte Model[32];
    public CULong Memory;
    public uint Cpus;
    public uint Mhz;
    public uint Nodes;
    public uint Sockets;
    public uint Cores;
    public uint Threads;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInfoNative
{
    public byte State;
    public CULong MaxMem;
    public CULong Memory;
    public ushort NrVirtCpu;
    public ulong CpuTime;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirStoragePoolInfoNative
{
    public int State;
    public ulong Capacity;
    public ulong Allocation;
    public ulong Available;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirStorageVolInfoNative
{
    public int Type;
    public ulong Capacity;
    public ulong Allocation;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInterfaceNative
{
    public nint Name;
    public nint HwAddr;
    public uint NAddrs;
    public nint Addrs;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainIPAddressNative
{
    public int Type;
    public nint Addr;
    public uint Prefix;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirNetworkDHCPLeaseNative
{
    public nint Iface;
    public long ExpiryTime;
    public int Type;
    public nint Mac;
    public nint Iaid;
    public nint IpAddr;
    public uint Prefix;
    public nint Hostname;
    public nint ClientId;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainEventGraphicsAddressNative
{
    public int Family;
    public nint Node;
    public nint Service;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainEventGraphicsSubjectNative
{
    public int NIdentity;
    public nint Identities;
}

[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainEventGraphicsSubjectIdentityNative
{
    public nint Type;
    public nint Name;
}
