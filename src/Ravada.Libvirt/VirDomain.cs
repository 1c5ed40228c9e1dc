using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>
/// A domain (<c>virDomainPtr</c>). Methods are named after libvirt's <c>virDomain*</c> functions without
/// the prefix; every failure throws a <see cref="LibvirtException"/> read on the calling thread.
/// </summary>
public sealed unsafe class VirDomain : IDisposable
{
    private readonly VirConnect connection;

    internal VirDomain(DomainHandle handle, VirConnect connection)
    {
        Handle = handle;
        this.connection = connection;
    }

    internal DomainHandle Handle { get; }

    /// <summary><c>virDomainGetName</c>.</summary>
    public string GetName() =>
        NativeText.Borrow(NativeMethods.virDomainGetName(Handle)) ?? throw LibvirtException.FromLastError("virDomainGetName");

    /// <summary><c>virDomainGetUUIDString</c>.</summary>
    public Guid GetUUID()
    {
        var buffer = stackalloc byte[37];
        Check(NativeMethods.virDomainGetUUIDString(Handle, buffer), "virDomainGetUUIDString");
        return Guid.Parse(Encoding.ASCII.GetString(buffer, 36));
    }

    /// <summary><c>virDomainGetID</c>: the hypervisor id of a running domain, -1 when shut off.</summary>
    public int GetID() => NativeMethods.virDomainGetID(Handle);

    /// <summary><c>virDomainIsActive</c>.</summary>
    public bool IsActive() => Check(NativeMethods.virDomainIsActive(Handle), "virDomainIsActive") == 1;

    /// <summary><c>virDomainIsPersistent</c>.</summary>
    public bool IsPersistent() => Check(NativeMethods.virDomainIsPersistent(Handle), "virDomainIsPersistent") == 1;

    /// <summary><c>virDomainCreateWithFlags</c>: starts a defined domain.</summary>
    public void CreateWithFlags(VirDomainCreateFlags flags = VirDomainCreateFlags.None) =>
        Check(NativeMethods.virDomainCreateWithFlags(Handle, (uint)flags), "virDomainCreateWithFlags");

    /// <summary><c>virDomainShutdownFlags</c>: asks the guest to shut down.</summary>
    public void ShutdownFlags(VirDomainShutdownFlags flags = VirDomainShutdownFlags.Default) =>
        Check(NativeMethods.virDomainShutdownFlags(Handle, (uint)flags), "virDomainShutdownFlags");

    /// <summary><c>virDomainDestroyFlags</c>: powers the domain off at once.</summary>
    public void DestroyFlags(VirDomainDestroyFlags flags = VirDomainDestroyFlags.Default) =>
        Check(NativeMethods.virDomainDestroyFlags(Handle, (uint)flags), "virDomainDestroyFlags");

    /// <summary><c>virDomainReboot</c>: asks the guest to reboot.</summary>
    public void Reboot(VirDomainShutdownFlags flags = VirDomainShutdownFlags.Default) =>
        Check(NativeMethods.virDomainReboot(Handle, (uint)flags), "virDomainReboot");

    /// <summary><c>virDomainReset</c>: resets the virtual hardware at once.</summary>
    public void Reset() => Check(NativeMethods.virDomainReset(Handle, 0), "virDomainReset");

    /// <summary><c>virDomainSuspend</c>: pauses the vCPUs.</summary>
    public void Suspend() => Check(NativeMethods.virDomainSuspend(Handle), "virDomainSuspend");

    /// <summary><c>virDomainResume</c>.</summary>
    public void Resume() => Check(NativeMethods.virDomainResume(Handle), "virDomainResume");

    /// <summary><c>virDomainManagedSave</c>: saves the memory to disk and stops (hibernate).</summary>
    public void ManagedSave() => Check(NativeMethods.virDomainManagedSave(Handle, 0), "virDomainManagedSave");

    /// <summary><c>virDomainHasManagedSaveImage</c>.</summary>
    public bool HasManagedSaveImage() => Check(NativeMethods.virDomainHasManagedSaveImage(Handle, 0), "virDomainHasManagedSaveImage") == 1;

    /// <summary><c>virDomainManagedSaveRemove</c>.</summary>
    public void ManagedSaveRemove() => Check(NativeMethods.virDomainManagedSaveRemove(Handle, 0), "virDomainManagedSaveRemove");

    /// <summary><c>virDomainGetState</c>: the state and the reason for it (a state-specific enum).</summary>
    public (VirDomainState State, int Reason) GetState()
    {
        Check(NativeMethods.virDomainGetState(Handle, out var state, out var reason, 0), "virDomainGetState");
        return ((VirDomainState)state, reason);
    }

    /// <summary><c>virDomainGetInfo</c>.</summary>
    public VirDomainInfo GetInfo()
    {
        Check(NativeMethods.virDomainGetInfo(Handle, out var info), "virDomainGetInfo");
        return new VirDomainInfo((VirDomainState)info.State, (ulong)info.MaxMem.Value, (ulong)info.Memory.Value, info.NrVirtCpu, info.CpuTime);
    }

    /// <summary><c>virDomainGetXMLDesc</c>; <see cref="VirDomainXmlFlags.Secure"/> includes display passwords.</summary>
    public string GetXMLDesc(VirDomainXmlFlags flags = VirDomainXmlFlags.None) =>
        NativeText.Take(NativeMethods.virDomainGetXMLDesc(Handle, (uint)flags)) ?? throw LibvirtException.FromLastError("virDomainGetXMLDesc");

    /// <summary><c>virDomainSetAutostart</c>.</summary>
    public void SetAutostart(bool autostart) =>
        Check(NativeMethods.virDomainSetAutostart(Handle, autostart ? 1 : 0), "virDomainSetAutostart");

    /// <summary><c>virDomainGetAutostart</c>.</summary>
    public bool GetAutostart()
    {
        Check(NativeMethods.virDomainGetAutostart(Handle, out var autostart), "virDomainGetAutostart");
        return autostart != 0;
    }

    /// <summary>
    /// <c>virDomainSetMetadata</c>. For <see cref="VirDomainMetadataType.Element"/>, <paramref name="metadata"/>
    /// is one XML element stored under namespace <paramref name="uri"/> with prefix <paramref name="key"/>;
    /// null removes it.
    /// </summary>
    public void SetMetadata(VirDomainMetadataType type, string? metadata, string? key, string? uri, VirDomainModificationImpact impact = VirDomainModificationImpact.Current) =>
        Check(NativeMethods.virDomainSetMetadata(Handle, (int)type, metadata, key, uri, (uint)impact), "virDomainSetMetadata");

    /// <summary><c>virDomainGetMetadata</c>; throws with <see cref="VirErrorCode.NoDomainMetadata"/> when absent.</summary>
    public string GetMetadata(VirDomainMetadataType type, string? uri, VirDomainModificationImpact impact = VirDomainModificationImpact.Current) =>
        NativeText.Take(NativeMethods.virDomainGetMetadata(Handle, (int)type, uri, (uint)impact)) ?? throw LibvirtException.FromLastError("virDomainGetMetadata");

    /// <summary><c>virDomainUndefineFlags</c>: removes the persistent configuration.</summary>
    public void UndefineFlags(VirDomainUndefineFlags flags = VirDomainUndefineFlags.None) =>
        Check(NativeMethods.virDomainUndefineFlags(Handle, (uint)flags), "virDomainUndefineFlags");

    /// <summary><c>virDomainInterfaceAddresses</c>: the guest's NICs and their IP addresses.</summary>
    public IReadOnlyList<VirDomainInterface> InterfaceAddresses(VirDomainInterfaceAddressesSource source)
    {
        var count = NativeMethods.virDomainInterfaceAddresses(Handle, out var interfaces, (uint)source, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virDomainInterfaceAddresses");
        }

        var result = new List<VirDomainInterface>(count);
        try
        {
            for (var index = 0; index < count; index++)
            {
                var native = (VirDomainInterfaceNative*)interfaces[index];
                var addresses = new List<VirIPAddress>((int)native->NAddrs);
                var nativeAddresses = (VirDomainIPAddressNative*)native->Addrs;
                for (var addressIndex = 0; addressIndex < native->NAddrs; addressIndex++)
                {
                    addresses.Add(new VirIPAddress(
                        (VirIPAddrType)nativeAddresses[addressIndex].Type,
                        NativeText.Borrow(nativeAddresses[addressIndex].Addr) ?? string.Empty,
                        nativeAddresses[addressIndex].Prefix));
                }

                result.Add(new VirDomainInterface(NativeText.Borrow(native->Name) ?? string.Empty, NativeText.Borrow(native->HwAddr), addresses));
            }
        }
        finally
        {
            for (var index = 0; index < count; index++)
            {
                NativeMethods.virDomainInterfaceFree(interfaces[index]);
            }

            NativeMemory.Free(interfaces);
        }

        return result;
    }

    /// <summary>
    /// <c>virDomainOpenGraphicsFD</c>: a socket already connected to the display server of graphics device
    /// <paramref name="index"/> (local connections only). The caller owns the returned socket.
    /// </summary>
    public Socket OpenGraphicsFD(uint index, VirDomainOpenGraphicsFlags flags = VirDomainOpenGraphicsFlags.None)
    {
        var descriptor = NativeMethods.virDomainOpenGraphicsFD(Handle, index, (uint)flags);
        if (descriptor < 0)
        {
            throw LibvirtException.FromLastError("virDomainOpenGraphicsFD");
        }

        return new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
    }

    /// <summary><c>virDomainUpdateDeviceFlags</c>: changes a device (CD-ROM media, display password).</summary>
    public void UpdateDeviceFlags(string deviceXml, VirDomainModificationImpact flags = VirDomainModificationImpact.Current) =>
        Check(NativeMethods.virDomainUpdateDeviceFlags(Handle, deviceXml, (uint)flags), "virDomainUpdateDeviceFlags");

    /// <summary><c>virDomainAttachDeviceFlags</c>: adds a device (a disk) to the running domain and/or its configuration.</summary>
    public void AttachDeviceFlags(string deviceXml, VirDomainModificationImpact flags = VirDomainModificationImpact.Current) =>
        Check(NativeMethods.virDomainAttachDeviceFlags(Handle, deviceXml, (uint)flags), "virDomainAttachDeviceFlags");

    /// <summary><c>virDomainDetachDeviceFlags</c>: removes a device from the running domain and/or its configuration.</summary>
    public void DetachDeviceFlags(string deviceXml, VirDomainModificationImpact flags = VirDomainModificationImpact.Current) =>
        Check(NativeMethods.virDomainDetachDeviceFlags(Handle, deviceXml, (uint)flags), "virDomainDetachDeviceFlags");

    /// <summary><c>virDomainRename</c>: renames an inactive domain; its UUID stays.</summary>
    public void Rename(string newName) => Check(NativeMethods.virDomainRename(Handle, newName, 0), "virDomainRename");

    /// <summary>
    /// <c>virDomainScreenshot</c>: starts sending the image of <paramref name="screen"/> into
    /// <paramref name="stream"/> and returns its MIME type; read the stream to its end, then finish it.
    /// </summary>
    public string Screenshot(VirStream stream, uint screen = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return NativeText.Take(NativeMethods.virDomainScreenshot(Handle, stream.Handle, screen, 0)) ?? throw LibvirtException.FromLastError("virDomainScreenshot");
    }

    /// <summary>The connection this domain was obtained from.</summary>
    public VirConnect Connection => connection;

    /// <summary>Releases the domain reference (<c>virDomainFree</c>); the domain itself is untouched.</summary>
    public void Dispose() => Handle.Dispose();

    private static int Check(int result, string function) =>
        result < 0 ? throw LibvirtException.FromLastError(function) : result;
}

/// <summary><c>virDomainInfo</c>.</summary>
/// <param name="State">The state.</param>
/// <param name="MaxMemoryKiB">Maximum memory.</param>
/// <param name="MemoryKiB">Current memory.</param>
/// <param name="VirtualCpus">Number of vCPUs.</param>
/// <param name="CpuTimeNanoseconds">CPU time used.</param>
public sealed record VirDomainInfo(VirDomainState State, ulong MaxMemoryKiB, ulong MemoryKiB, ushort VirtualCpus, ulong CpuTimeNanoseconds);

/// <summary>A guest NIC (<c>virDomainInterface</c>).</summary>
/// <param name="Name">Interface name.</param>
/// <param name="HardwareAddress">MAC address.</param>
/// <param name="Addresses">IP addresses.</param>
public sealed record VirDomainInterface(string Name, string? HardwareAddress, IReadOnlyList<VirIPAddress> Addresses);

/// <summary>An IP address of a guest NIC (<c>virDomainIPAddress</c>).</summary>
/// <param name="Type">IPv4 or IPv6.</param>
/// <param name="Address">The address.</param>
/// <param name="Prefix">Network prefix length.</param>
public sealed record VirIPAddress(VirIPAddrType Type, string Address, uint Prefix);
