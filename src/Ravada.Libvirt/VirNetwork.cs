using System.Runtime.InteropServices;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>A virtual network (<c>virNetworkPtr</c>); methods named after <c>virNetwork*</c>.</summary>
public sealed unsafe class VirNetwork : IDisposable
{
    internal VirNetwork(NetworkHandle handle)
    {
        Handle = handle;
    }

    internal NetworkHandle Handle { get; }

    /// <summary><c>virNetworkGetName</c>.</summary>
    public string GetName() =>
        NativeText.Borrow(NativeMethods.virNetworkGetName(Handle)) ?? throw LibvirtException.FromLastError("virNetworkGetName");

    /// <summary><c>virNetworkGetBridgeName</c>.</summary>
    public string GetBridgeName() =>
        NativeText.Take(NativeMethods.virNetworkGetBridgeName(Handle)) ?? throw LibvirtException.FromLastError("virNetworkGetBridgeName");

    /// <summary><c>virNetworkGetXMLDesc</c>.</summary>
    public string GetXMLDesc() =>
        NativeText.Take(NativeMethods.virNetworkGetXMLDesc(Handle, 0)) ?? throw LibvirtException.FromLastError("virNetworkGetXMLDesc");

    /// <summary><c>virNetworkIsActive</c>.</summary>
    public bool IsActive() => Check(NativeMethods.virNetworkIsActive(Handle), "virNetworkIsActive") == 1;

    /// <summary><c>virNetworkCreate</c>: starts a defined network.</summary>
    public void Create() => Check(NativeMethods.virNetworkCreate(Handle), "virNetworkCreate");

    /// <summary><c>virNetworkDestroy</c>: stops the network.</summary>
    public void Destroy() => Check(NativeMethods.virNetworkDestroy(Handle), "virNetworkDestroy");

    /// <summary><c>virNetworkUndefine</c>.</summary>
    public void Undefine() => Check(NativeMethods.virNetworkUndefine(Handle), "virNetworkUndefine");

    /// <summary><c>virNetworkGetDHCPLeases</c>: current leases, optionally for one MAC address.</summary>
    public IReadOnlyList<VirNetworkDHCPLease> GetDHCPLeases(string? macAddress = null)
    {
        var count = NativeMethods.virNetworkGetDHCPLeases(Handle, macAddress, out var leases, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virNetworkGetDHCPLeases");
        }

        var result = new List<VirNetworkDHCPLease>(count);
        try
        {
            for (var index = 0; index < count; index++)
            {
                var lease = (VirNetworkDHCPLeaseNative*)leases[index];
                result.Add(new VirNetworkDHCPLease(
                    NativeText.Borrow(lease->Iface) ?? string.Empty,
                    DateTimeOffset.FromUnixTimeSeconds(lease->ExpiryTime),
                    (VirIPAddrType)lease->Type,
                    NativeText.Borrow(lease->Mac) ?? string.Empty,
                    NativeText.Borrow(lease->IpAddr) ?? string.Empty,
                    lease->Prefix,
                    NativeText.Borrow(lease->Hostname)));
            }
        }
        finally
        {
            for (var index = 0; index < count; index++)
            {
                NativeMethods.virNetworkDHCPLeaseFree(leases[index]);
            }

            if (leases is not null)
            {
                NativeMemory.Free(leases);
            }
        }

        return result;
    }

    /// <summary>Releases the network reference (<c>virNetworkFree</c>).</summary>
    public void Dispose() => Handle.Dispose();

    private static int Check(int result, string function) =>
        result < 0 ? throw LibvirtException.FromLastError(function) : result;
}

/// <summary>A DHCP lease of a libvirt network (<c>virNetworkDHCPLease</c>).</summary>
/// <param name="Interface">The bridge.</param>
/// <param name="ExpiresAt">Expiry time.</param>
/// <param name="Type">IPv4 or IPv6.</param>
/// <param name="MacAddress">Client MAC address.</param>
/// <param name="IpAddress">Leased address.</param>
/// <param name="Prefix">Network prefix length.</param>
/// <param name="Hostname">Hostname the client sent, if any.</param>
public sealed record VirNetworkDHCPLease(string Interface, DateTimeOffset ExpiresAt, VirIPAddrType Type, string MacAddress, string IpAddress, uint Prefix, string? Hostname);
