using Microsoft.Win32.SafeHandles;

namespace Ravada.Libvirt.Native;

/// <summary>A <c>virConnectPtr</c>; released with <c>virConnectClose</c>.</summary>
internal sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => NativeMethods.virConnectClose(handle) >= 0;
}

/// <summary>A <c>virDomainPtr</c>; released with <c>virDomainFree</c>.</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(ownsHandle: true) { }

    /// <summary>Wraps a pointer this process already owns a reference to (from a list call or <c>virDomainRef</c>).</summary>
    internal static DomainHandle FromOwned(nint pointer)
    {
        var domainHandle = new DomainHandle();
        domainHandle.SetHandle(pointer);
        return domainHandle;
    }

    protected override bool ReleaseHandle() => NativeMethods.virDomainFree(handle) == 0;
}

/// <summary>A <c>virStoragePoolPtr</c>; released with <c>virStoragePoolFree</c>.</summary>
internal sealed class StoragePoolHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StoragePoolHandle() : base(ownsHandle: true) { }

    internal static StoragePoolHandle FromOwned(nint pointer)
    {
        var poolHandle = new StoragePoolHandle();
        poolHandle.SetHandle(pointer);
        return poolHandle;
    }

    protected override bool ReleaseHandle() => NativeMethods.virStoragePoolFree(handle) == 0;
}

/// <summary>A <c>virStorageVolPtr</c>; released with <c>virStorageVolFree</c>.</summary>
internal sealed class StorageVolHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StorageVolHandle() : base(ownsHandle: true) { }

    internal static StorageVolHandle FromOwned(nint pointer)
    {
        var volumeHandle = new StorageVolHandle();
        volumeHandle.SetHandle(pointer);
        return volumeHandle;
    }

    protected override bool ReleaseHandle() => NativeMethods.virStorageVolFree(handle) == 0;
}

/// <summary>A <c>virNetworkPtr</c>; released with <c>virNetworkFree</c>.</summary>
internal sealed class NetworkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NetworkHandle() : base(ownsHandle: true) { }

    internal static NetworkHandle FromOwned(nint pointer)
    {
        var networkHandle = new NetworkHandle();
        networkHandle.SetHandle(pointer);
        return networkHandle;
    }

    protected override bool ReleaseHandle() => NativeMethods.virNetworkFree(handle) == 0;
}

/// <summary>A <c>virStreamPtr</c>; released with <c>virStreamFree</c>.</summary>
internal sealed class StreamHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StreamHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => NativeMethods.virStreamFree(handle) == 0;
}
