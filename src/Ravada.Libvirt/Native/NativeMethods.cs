using System.Runtime.InteropServices;

namespace Ravada.Libvirt.Native;

/// <summary>
/// The P/Invoke declarations of <c>libvirt.so.0</c>, named one-to-one after the C API.
/// Rules kept throughout: object pointers travel as SafeHandles so a concurrent Dispose cannot free
/// them mid-call; strings the caller must free come back as <see cref="nint"/> and go through
/// <see cref="NativeText.Take"/>; strings owned by an object go through <see cref="NativeText.Borrow"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "libvirt.so.0";

    // ---- library, errors, event loop -------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial int virInitialize();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virGetVersion(out CULong libVer, string? type, out CULong typeVer);

    [LibraryImport(Library)]
    internal static partial VirErrorNative* virGetLastError();

    [LibraryImport(Library)]
    internal static partial void virResetLastError();

    [LibraryImport(Library)]
    internal static partial void virSetErrorFunc(nint userData, delegate* unmanaged<nint, VirErrorNative*, void> handler);

    [LibraryImport(Library)]
    internal static partial int virEventRegisterDefaultImpl();

    [LibraryImport(Library)]
    internal static partial int virEventRunDefaultImpl();

    [LibraryImport(Library)]
    internal static partial int virEventAddTimeout(int timeout, delegate* unmanaged<int, nint, void> callback, nint opaque, delegate* unmanaged<nint, void> freeCallback);

    [LibraryImport(Library)]
    internal static partial int virEventUpdateTimeout(int timer, int timeout);

    [LibraryImport(Library)]
    internal static partial int virEventRemoveTimeout(int timer);

    // ---- connections ------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ConnectHandle virConnectOpen(string? name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ConnectHandle virConnectOpenReadOnly(string? name);

    [LibraryImport(Library)]
    internal static partial int virConnectClose(nint conn);

    [LibraryImport(Library)]
    internal static partial nint virConnectGetCapabilities(ConnectHandle conn);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virConnectGetDomainCapabilities(ConnectHandle conn, string? emulatorbin, string? arch, string? machine, string? virttype, uint flags);

    [LibraryImport(Library)]
    internal static partial nint virConnectGetHostname(ConnectHandle conn);

    [LibraryImport(Library)]
    internal static partial nint virConnectGetURI(ConnectHandle conn);

    [LibraryImport(Library)]
    internal static partial nint virConnectGetType(ConnectHandle conn);

    [LibraryImport(Library)]
    internal static partial int virConnectGetLibVersion(ConnectHandle conn, out CULong libVer);

    [LibraryImport(Library)]
    internal static partial int virConnectGetVersion(ConnectHandle conn, out CULong hvVer);

    [LibraryImport(Library)]
    internal static partial int virConnectIsAlive(ConnectHandle conn);

    [LibraryImport(Library)]
    internal static partial int virConnectSetKeepAlive(ConnectHandle conn, int interval, uint count);

    [LibraryImport(Library)]
    internal static partial int virNodeGetInfo(ConnectHandle conn, out VirNodeInfoNative info);

    [LibraryImport(Library)]
    internal static partial ulong virNodeGetFreeMemory(ConnectHandle conn);

    [LibraryImport(Library)]
    internal static partial int virConnectRegisterCloseCallback(ConnectHandle conn, delegate* unmanaged<nint, int, nint, void> callback, nint opaque, delegate* unmanaged<nint, void> freeCallback);

    [LibraryImport(Library)]
    internal static partial int virConnectUnregisterCloseCallback(ConnectHandle conn, delegate* unmanaged<nint, int, nint, void> callback);

    [LibraryImport(Library)]
    internal static partial int virConnectDomainEventRegisterAny(ConnectHandle conn, nint dom, int eventID, nint callback, nint opaque, delegate* unmanaged<nint, void> freeCallback);

    [LibraryImport(Library)]
    internal static partial int virConnectDomainEventDeregisterAny(ConnectHandle conn, int callbackID);

    // ---- domains ----------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial int virConnectListAllDomains(ConnectHandle conn, out nint* domains, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainLookupByName(ConnectHandle conn, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainLookupByUUIDString(ConnectHandle conn, string uuid);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainDefineXMLFlags(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainCreateXML(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainRef(nint domain);

    [LibraryImport(Library)]
    internal static partial int virDomainFree(nint domain);

    [LibraryImport(Library)]
    internal static partial int virDomainUndefineFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainCreateWithFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainShutdownFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainDestroyFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainReboot(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainReset(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainSuspend(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainResume(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainManagedSave(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainHasManagedSaveImage(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainManagedSaveRemove(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainGetInfo(DomainHandle domain, out VirDomainInfoNative info);

    [LibraryImport(Library)]
    internal static partial nint virDomainGetXMLDesc(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial nint virDomainGetName(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial nint virDomainGetName(nint domain);

    [LibraryImport(Library)]
    internal static partial int virDomainGetUUIDString(DomainHandle domain, byte* buffer);

    [LibraryImport(Library)]
    internal static partial int virDomainGetUUIDString(nint domain, byte* buffer);

    [LibraryImport(Library)]
    internal static partial int virDomainGetID(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainIsActive(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainIsPersistent(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainSetAutostart(DomainHandle domain, int autostart);

    [LibraryImport(Library)]
    internal static partial int virDomainGetAutostart(DomainHandle domain, out int autostart);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainSetMetadata(DomainHandle domain, int type, string? metadata, string? key, string? uri, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint virDomainGetMetadata(DomainHandle domain, int type, string? uri, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainInterfaceAddresses(DomainHandle domain, out nint* interfaces, uint source, uint flags);

    [LibraryImport(Library)]
    internal static partial void virDomainInterfaceFree(nint iface);

    [LibraryImport(Library)]
    internal static partial int virDomainOpenGraphicsFD(DomainHandle domain, uint idx, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainUpdateDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainAttachDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainDetachDeviceFlags(DomainHandle domain, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainRename(DomainHandle domain, string newName, uint flags);

    [LibraryImport(Library)]
    internal static partial nint virDomainScreenshot(DomainHandle domain, StreamHandle stream, uint screen, uint flags);

    // ---- storage ----------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial int virConnectListAllStoragePools(ConnectHandle conn, out nint* pools, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StoragePoolHandle virStoragePoolLookupByName(ConnectHandle conn, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StoragePoolHandle virStoragePoolDefineXML(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StoragePoolHandle virStoragePoolCreateXML(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolFree(nint pool);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolCreate(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolBuild(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolDestroy(StoragePoolHandle pool);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolUndefine(StoragePoolHandle pool);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolRefresh(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library)]
    internal static partial nint virStoragePoolGetName(StoragePoolHandle pool);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolGetInfo(StoragePoolHandle pool, out VirStoragePoolInfoNative info);

    [LibraryImport(Library)]
    internal static partial nint virStoragePoolGetXMLDesc(StoragePoolHandle pool, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolIsActive(StoragePoolHandle pool);

    [LibraryImport(Library)]
    internal static partial int virStoragePoolListAllVolumes(StoragePoolHandle pool, out nint* volumes, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolHandle virStorageVolCreateXML(StoragePoolHandle pool, string xml, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolHandle virStorageVolCreateXMLFrom(StoragePoolHandle pool, string xml, StorageVolHandle source, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolHandle virStorageVolLookupByName(StoragePoolHandle pool, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial StorageVolHandle virStorageVolLookupByPath(ConnectHandle conn, string path);

    [LibraryImport(Library)]
    internal static partial StoragePoolHandle virStoragePoolLookupByVolume(StorageVolHandle volume);

    [LibraryImport(Library)]
    internal static partial int virStorageVolFree(nint volume);

    [LibraryImport(Library)]
    internal static partial int virStorageVolDelete(StorageVolHandle volume, uint flags);

    [LibraryImport(Library)]
    internal static partial nint virStorageVolGetName(StorageVolHandle volume);

    [LibraryImport(Library)]
    internal static partial nint virStorageVolGetPath(StorageVolHandle volume);

    [LibraryImport(Library)]
    internal static partial int virStorageVolGetInfo(StorageVolHandle volume, out VirStorageVolInfoNative info);

    [LibraryImport(Library)]
    internal static partial nint virStorageVolGetXMLDesc(StorageVolHandle volume, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStorageVolResize(StorageVolHandle volume, ulong capacity, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStorageVolUpload(StorageVolHandle volume, StreamHandle stream, ulong offset, ulong length, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStorageVolDownload(StorageVolHandle volume, StreamHandle stream, ulong offset, ulong length, uint flags);

    // ---- networks ---------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial int virConnectListAllNetworks(ConnectHandle conn, out nint* networks, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkLookupByName(ConnectHandle conn, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkDefineXMLFlags(ConnectHandle conn, string xml, uint flags);

    [LibraryImport(Library)]
    internal static partial int virNetworkFree(nint network);

    [LibraryImport(Library)]
    internal static partial int virNetworkCreate(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial int virNetworkDestroy(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial int virNetworkUndefine(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial int virNetworkIsActive(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial nint virNetworkGetName(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial nint virNetworkGetBridgeName(NetworkHandle network);

    [LibraryImport(Library)]
    internal static partial nint virNetworkGetXMLDesc(NetworkHandle network, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virNetworkGetDHCPLeases(NetworkHandle network, string? mac, out nint* leases, uint flags);

    [LibraryImport(Library)]
    internal static partial void virNetworkDHCPLeaseFree(nint lease);

    // ---- streams ----------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial StreamHandle virStreamNew(ConnectHandle conn, uint flags);

    [LibraryImport(Library)]
    internal static partial int virStreamFree(nint stream);

    [LibraryImport(Library)]
    internal static partial int virStreamSend(StreamHandle stream, byte* data, nuint nbytes);

    [LibraryImport(Library)]
    internal static partial int virStreamRecv(StreamHandle stream, byte* data, nuint nbytes);

    [LibraryImport(Library)]
    internal static partial int virStreamFinish(StreamHandle stream);

    [LibraryImport(Library)]
    internal static partial int virStreamAbort(StreamHandle stream);
}
