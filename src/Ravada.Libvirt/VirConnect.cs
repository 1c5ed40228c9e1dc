using System.Runtime.InteropServices;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>
/// A connection to a hypervisor (<c>virConnectPtr</c>). Methods are named after libvirt's C functions
/// without the <c>vir</c> prefix and without the receiver's own prefix:
/// <c>virConnectListAllDomains(conn)</c> is <see cref="ListAllDomains"/>, <c>virDomainLookupByName(conn)</c>
/// is <see cref="DomainLookupByName"/>. Every failure throws a <see cref="LibvirtException"/>.
/// The connection is thread-safe; events arrive on the <see cref="VirEventLoop"/> thread.
/// </summary>
public sealed unsafe class VirConnect : IDisposable
{
    private readonly Lock subscriptionsLock = new();
    private readonly HashSet<int> eventCallbackIds = [];
    private bool closeCallbackRegistered;

    private VirConnect(ConnectHandle handle, string uri)
    {
        Handle = handle;
        Uri = uri;
    }

    internal ConnectHandle Handle { get; }

    /// <summary>The URI this connection was opened with.</summary>
    public string Uri { get; }

    /// <summary><c>virConnectOpen</c>: opens a read-write connection (starts the event loop first).</summary>
    public static VirConnect Open(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        VirEventLoop.EnsureStarted();
        var handle = NativeMethods.virConnectOpen(uri);
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError("virConnectOpen");
            handle.Dispose();
            throw exception;
        }

        return new VirConnect(handle, uri);
    }

    /// <summary><c>virConnectOpenReadOnly</c>: opens a read-only connection.</summary>
    public static VirConnect OpenReadOnly(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        VirEventLoop.EnsureStarted();
        var handle = NativeMethods.virConnectOpenReadOnly(uri);
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError("virConnectOpenReadOnly");
            handle.Dispose();
            throw exception;
        }

        return new VirConnect(handle, uri);
    }

    /// <summary><c>virConnectGetCapabilities</c>: the host capabilities XML.</summary>
    public string GetCapabilities() =>
        NativeText.Take(NativeMethods.virConnectGetCapabilities(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetCapabilities");

    /// <summary><c>virConnectGetDomainCapabilities</c>: what the hypervisor supports for new domains.</summary>
    public string GetDomainCapabilities(string? emulatorBinary = null, string? arch = null, string? machine = null, string? virtType = null) =>
        NativeText.Take(NativeMethods.virConnectGetDomainCapabilities(Handle, emulatorBinary, arch, machine, virtType, 0))
        ?? throw LibvirtException.FromLastError("virConnectGetDomainCapabilities");

    /// <summary><c>virConnectGetHostname</c>.</summary>
    public string GetHostname() =>
        NativeText.Take(NativeMethods.virConnectGetHostname(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetHostname");

    /// <summary><c>virConnectGetURI</c>: the canonical URI of the connection.</summary>
    public string GetUri() =>
        NativeText.Take(NativeMethods.virConnectGetURI(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetURI");

    /// <summary><c>virConnectGetType</c>: the driver name, e.g. <c>QEMU</c> or <c>TEST</c>.</summary>
    public string GetTypeName() =>
        NativeText.Borrow(NativeMethods.virConnectGetType(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetType");

    /// <summary><c>virConnectGetLibVersion</c>: the libvirt version on the daemon side.</summary>
    public Version GetLibVersion() =>
        NativeMethods.virConnectGetLibVersion(Handle, out var version) < 0
            ? throw LibvirtException.FromLastError("virConnectGetLibVersion")
            : VersionNumber.Decode(version.Value);

    /// <summary><c>virConnectGetVersion</c>: the hypervisor's version (QEMU's, for the QEMU driver).</summary>
    public Version GetVersion() =>
        NativeMethods.virConnectGetVersion(Handle, out var version) < 0
            ? throw LibvirtException.FromLastError("virConnectGetVersion")
            : VersionNumber.Decode(version.Value);

    /// <summary><c>virConnectIsAlive</c>.</summary>
    public bool IsAlive() => Check(NativeMethods.virConnectIsAlive(Handle), "virConnectIsAlive") == 1;

    /// <summary>
    /// <c>virConnectSetKeepAlive</c>: probe the daemon every <paramref name="intervalSeconds"/> and close
    /// the connection after <paramref name="count"/> unanswered probes. Returns false when the driver has
    /// no keepalive (local drivers such as <c>test:///</c>).
    /// </summary>
    public bool SetKeepAlive(int intervalSeconds, uint count)
    {
        var result = NativeMethods.virConnectSetKeepAlive(Handle, intervalSeconds, count);
        if (result < 0)
        {
            var exception = LibvirtException.FromLastError("virConnectSetKeepAlive");
            if (exception.Code == VirErrorCode.NoSupport)
            {
                return false;
            }

            throw exception;
        }

        return result == 0;
    }

    /// <summary><c>virNodeGetInfo</c>: CPUs and memory of the host.</summary>
    public VirNodeInfo GetNodeInfo()
    {
        if (NativeMethods.virNodeGetInfo(Handle, out var info) < 0)
        {
            throw LibvirtException.FromLastError("virNodeGetInfo");
        }

        var model = Marshal.PtrToStringUTF8((nint)info.Model, 32).TrimEnd('\0');
        var nullAt = model.IndexOf('\0', StringComparison.Ordinal);
        return new VirNodeInfo(
            nullAt >= 0 ? model[..nullAt] : model,
            (ulong)info.Memory.Value,
            info.Cpus,
            info.Mhz,
            info.Nodes,
            info.Sockets,
            info.Cores,
            info.Threads);
    }

    /// <summary><c>virNodeGetFreeMemory</c>: free host memory in bytes.</summary>
    public ulong GetFreeMemory()
    {
        var free = NativeMethods.virNodeGetFreeMemory(Handle);
        return free == 0 ? throw LibvirtException.FromLastError("virNodeGetFreeMemory") : free;
    }

    /// <summary>
    /// <c>virConnectRegisterCloseCallback</c>: <paramref name="onClose"/> runs on the event-loop thread when
    /// the connection closes for any reason other than <see cref="Dispose"/> (daemon restart, keepalive).
    /// One callback per connection, as in libvirt.
    /// </summary>
    public void RegisterCloseCallback(Action<VirConnectCloseReason> onClose)
    {
        ArgumentNullException.ThrowIfNull(onClose);
        var state = GCHandle.Alloc(onClose);
        if (NativeMethods.virConnectRegisterCloseCallback(Handle, &EventCallbacks.OnClose, GCHandle.ToIntPtr(state), &EventCallbacks.FreeState) < 0)
        {
            var exception = LibvirtException.FromLastError("virConnectRegisterCloseCallback");
            state.Free();
            throw exception;
        }

        lock (subscriptionsLock)
        {
            closeCallbackRegistered = true;
        }
    }

    /// <summary><c>virConnectUnregisterCloseCallback</c>.</summary>
    public void UnregisterCloseCallback()
    {
        lock (subscriptionsLock)
        {
            if (!closeCallbackRegistered)
            {
                return;
            }

            closeCallbackRegistered = false;
        }

        Check(NativeMethods.virConnectUnregisterCloseCallback(Handle, &EventCallbacks.OnClose), "virConnectUnregisterCloseCallback");
    }

    /// <summary>
    /// <c>virConnectDomainEventRegisterAny</c> for every domain: <paramref name="handler"/> receives events of
    /// kind <paramref name="eventId"/> on the event-loop thread, so it must only copy and return.
    /// Returns the callback id for <see cref="DomainEventDeregisterAny"/>.
    /// </summary>
    public int DomainEventRegisterAny(VirDomainEventId eventId, Action<VirDomainEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var callback = eventId switch
        {
            VirDomainEventId.Lifecycle => (nint)(delegate* unmanaged<nint, nint, int, int, nint, void>)&EventCallbacks.OnLifecycle,
            VirDomainEventId.Reboot => (nint)(delegate* unmanaged<nint, nint, nint, void>)&EventCallbacks.OnReboot,
            VirDomainEventId.Graphics => (nint)(delegate* unmanaged<nint, nint, int, VirDomainEventGraphicsAddressNative*, VirDomainEventGraphicsAddressNative*, nint, VirDomainEventGraphicsSubjectNative*, nint, void>)&EventCallbacks.OnGraphics,
            VirDomainEventId.AgentLifecycle => (nint)(delegate* unmanaged<nint, nint, int, int, nint, void>)&EventCallbacks.OnAgentLifecycle,
            _ => throw new ArgumentOutOfRangeException(nameof(eventId), eventId, "unsupported domain event"),
        };

        var state = GCHandle.Alloc(handler);
        var callbackId = NativeMethods.virConnectDomainEventRegisterAny(Handle, 0, (int)eventId, callback, GCHandle.ToIntPtr(state), &EventCallbacks.FreeState);
        if (callbackId < 0)
        {
            var exception = LibvirtException.FromLastError("virConnectDomainEventRegisterAny");
            state.Free();
            throw exception;
        }

        lock (subscriptionsLock)
        {
            eventCallbackIds.Add(callbackId);
        }

        return callbackId;
    }

    /// <summary><c>virConnectDomainEventDeregisterAny</c>.</summary>
    public void DomainEventDeregisterAny(int callbackId)
    {
        lock (subscriptionsLock)
        {
            if (!eventCallbackIds.Remove(callbackId))
            {
                return;
            }
        }

        Check(NativeMethods.virConnectDomainEventDeregisterAny(Handle, callbackId), "virConnectDomainEventDeregisterAny");
    }

    /// <summary><c>virConnectListAllDomains</c>.</summary>
    public IReadOnlyList<VirDomain> ListAllDomains(VirConnectListAllDomainsFlags flags = VirConnectListAllDomainsFlags.All)
    {
        var count = NativeMethods.virConnectListAllDomains(Handle, out var domains, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virConnectListAllDomains");
        }

        return TakeArray(domains, count, pointer => new VirDomain(DomainHandle.FromOwned(pointer), this));
    }

    /// <summary><c>virDomainLookupByName</c>; throws with <see cref="VirErrorCode.NoDomain"/> when absent.</summary>
    public VirDomain DomainLookupByName(string name) =>
        WrapDomain(NativeMethods.virDomainLookupByName(Handle, name), "virDomainLookupByName");

    /// <summary><c>virDomainLookupByUUIDString</c>; throws with <see cref="VirErrorCode.NoDomain"/> when absent.</summary>
    public VirDomain DomainLookupByUUID(Guid uuid) =>
        WrapDomain(NativeMethods.virDomainLookupByUUIDString(Handle, uuid.ToString("D")), "virDomainLookupByUUIDString");

    /// <summary><c>virDomainDefineXMLFlags</c>: defines (or updates) a persistent domain.</summary>
    public VirDomain DomainDefineXMLFlags(string xml, VirDomainDefineFlags flags = VirDomainDefineFlags.None) =>
        WrapDomain(NativeMethods.virDomainDefineXMLFlags(Handle, xml, (uint)flags), "virDomainDefineXMLFlags");

    /// <summary><c>virDomainCreateXML</c>: creates and starts a transient domain that vanishes when it stops.</summary>
    public VirDomain DomainCreateXML(string xml, VirDomainCreateFlags flags = VirDomainCreateFlags.None) =>
        WrapDomain(NativeMethods.virDomainCreateXML(Handle, xml, (uint)flags), "virDomainCreateXML");

    /// <summary><c>virConnectListAllStoragePools</c>.</summary>
    public IReadOnlyList<VirStoragePool> ListAllStoragePools()
    {
        var count = NativeMethods.virConnectListAllStoragePools(Handle, out var pools, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virConnectListAllStoragePools");
        }

        return TakeArray(pools, count, pointer => new VirStoragePool(StoragePoolHandle.FromOwned(pointer), this));
    }

    /// <summary><c>virStoragePoolLookupByName</c>.</summary>
    public VirStoragePool StoragePoolLookupByName(string name) =>
        WrapPool(NativeMethods.virStoragePoolLookupByName(Handle, name), "virStoragePoolLookupByName");

    /// <summary><c>virStoragePoolDefineXML</c>: defines a persistent (inactive) pool.</summary>
    public VirStoragePool StoragePoolDefineXML(string xml) =>
        WrapPool(NativeMethods.virStoragePoolDefineXML(Handle, xml, 0), "virStoragePoolDefineXML");

    /// <summary><c>virStoragePoolCreateXML</c>: creates and starts a transient pool.</summary>
    public VirStoragePool StoragePoolCreateXML(string xml, VirStoragePoolCreateFlags flags = VirStoragePoolCreateFlags.Normal) =>
        WrapPool(NativeMethods.virStoragePoolCreateXML(Handle, xml, (uint)flags), "virStoragePoolCreateXML");

    /// <summary><c>virStorageVolLookupByPath</c>.</summary>
    public VirStorageVol StorageVolLookupByPath(string path)
    {
        var handle = NativeMethods.virStorageVolLookupByPath(Handle, path);
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError("virStorageVolLookupByPath");
            handle.Dispose();
            throw exception;
        }

        return new VirStorageVol(handle, this);
    }

    /// <summary><c>virConnectListAllNetworks</c>.</summary>
    public IReadOnlyList<VirNetwork> ListAllNetworks()
    {
        var count = NativeMethods.virConnectListAllNetworks(Handle, out var networks, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virConnectListAllNetworks");
        }

        return TakeArray(networks, count, pointer => new VirNetwork(NetworkHandle.FromOwned(pointer)));
    }

    /// <summary><c>virNetworkLookupByName</c>.</summary>
    public VirNetwork NetworkLookupByName(string name) =>
        WrapNetwork(NativeMethods.virNetworkLookupByName(Handle, name), "virNetworkLookupByName");

    /// <summary><c>virNetworkDefineXMLFlags</c>: defines a persistent (inactive) network.</summary>
    public VirNetwork NetworkDefineXML(string xml) =>
        WrapNetwork(NativeMethods.virNetworkDefineXMLFlags(Handle, xml, 0), "virNetworkDefineXMLFlags");

    /// <summary><c>virStreamNew</c>: a blocking stream for screenshots, uploads and downloads.</summary>
    public VirStream StreamNew()
    {
        var handle = NativeMethods.virStreamNew(Handle, 0);
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError("virStreamNew");
            handle.Dispose();
            throw exception;
        }

        return new VirStream(handle);
    }

    /// <summary>Deregisters every callback of this connection and closes it (<c>virConnectClose</c>).</summary>
    public void Dispose()
    {
        if (Handle.IsClosed)
        {
            return;
        }

        int[] callbackIds;
        lock (subscriptionsLock)
        {
            callbackIds = [.. eventCallbackIds];
            eventCallbackIds.Clear();
        }

        // Callbacks hold references on the connection: without deregistering, close would not close.
        foreach (var callbackId in callbackIds)
        {
            NativeMethods.virConnectDomainEventDeregisterAny(Handle, callbackId);
        }

        if (closeCallbackRegistered)
        {
            closeCallbackRegistered = false;
            NativeMethods.virConnectUnregisterCloseCallback(Handle, &EventCallbacks.OnClose);
        }

        NativeMethods.virResetLastError();
        Handle.Dispose();
    }

    private static int Check(int result, string function) =>
        result < 0 ? throw LibvirtException.FromLastError(function) : result;

    private static List<T> TakeArray<T>(nint* array, int count, Func<nint, T> wrap)
    {
        try
        {
            var items = new List<T>(count);
            for (var index = 0; index < count; index++)
            {
                items.Add(wrap(array[index]));
            }

            return items;
        }
        finally
        {
            NativeMemory.Free(array);
        }
    }

    private VirDomain WrapDomain(DomainHandle handle, string function)
    {
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError(function);
            handle.Dispose();
            throw exception;
        }

        return new VirDomain(handle, this);
    }

    private VirStoragePool WrapPool(StoragePoolHandle handle, string function)
    {
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError(function);
            handle.Dispose();
            throw exception;
        }

        return new VirStoragePool(handle, this);
    }

    private static VirNetwork WrapNetwork(NetworkHandle handle, string function)
    {
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError(function);
            handle.Dispose();
            throw exception;
        }

        return new VirNetwork(handle);
    }
}

/// <summary>The host's processors and memory (<c>virNodeInfo</c>).</summary>
/// <param name="Model">CPU model.</param>
/// <param name="MemoryKiB">Memory size in KiB.</param>
/// <param name="Cpus">Number of active CPUs.</param>
/// <param name="Mhz">Expected CPU frequency.</param>
/// <param name="Nodes">NUMA nodes.</param>
/// <param name="Sockets">Sockets per node.</param>
/// <param name="Cores">Cores per socket.</param>
/// <param name="Threads">Threads per core.</param>
public sealed record VirNodeInfo(string Model, ulong MemoryKiB, uint Cpus, uint Mhz, uint Nodes, uint Sockets, uint Cores, uint Threads);
