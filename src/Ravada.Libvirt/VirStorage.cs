using System.Runtime.InteropServices;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>A storage pool (<c>virStoragePoolPtr</c>); methods named after <c>virStoragePool*</c>.</summary>
public sealed unsafe class VirStoragePool : IDisposable
{
    private readonly VirConnect connection;

    internal VirStoragePool(StoragePoolHandle handle, VirConnect connection)
    {
        Handle = handle;
        this.connection = connection;
    }

    internal StoragePoolHandle Handle { get; }

    /// <summary><c>virStoragePoolGetName</c>.</summary>
    public string GetName() =>
        NativeText.Borrow(NativeMethods.virStoragePoolGetName(Handle)) ?? throw LibvirtException.FromLastError("virStoragePoolGetName");

    /// <summary><c>virStoragePoolGetInfo</c>.</summary>
    public VirStoragePoolInfo GetInfo()
    {
        Check(NativeMethods.virStoragePoolGetInfo(Handle, out var info), "virStoragePoolGetInfo");
        return new VirStoragePoolInfo((VirStoragePoolState)info.State, info.Capacity, info.Allocation, info.Available);
    }

    /// <summary><c>virStoragePoolGetXMLDesc</c>.</summary>
    public string GetXMLDesc() =>
        NativeText.Take(NativeMethods.virStoragePoolGetXMLDesc(Handle, 0)) ?? throw LibvirtException.FromLastError("virStoragePoolGetXMLDesc");

    /// <summary><c>virStoragePoolIsActive</c>.</summary>
    public bool IsActive() => Check(NativeMethods.virStoragePoolIsActive(Handle), "virStoragePoolIsActive") == 1;

    /// <summary><c>virStoragePoolBuild</c>: creates the pool's directory or device layout.</summary>
    public void Build() => Check(NativeMethods.virStoragePoolBuild(Handle, 0), "virStoragePoolBuild");

    /// <summary><c>virStoragePoolCreate</c>: starts a defined pool.</summary>
    public void Create(VirStoragePoolCreateFlags flags = VirStoragePoolCreateFlags.Normal) =>
        Check(NativeMethods.virStoragePoolCreate(Handle, (uint)flags), "virStoragePoolCreate");

    /// <summary><c>virStoragePoolDestroy</c>: stops the pool (its volumes stay on disk).</summary>
    public void Destroy() => Check(NativeMethods.virStoragePoolDestroy(Handle), "virStoragePoolDestroy");

    /// <summary><c>virStoragePoolUndefine</c>.</summary>
    public void Undefine() => Check(NativeMethods.virStoragePoolUndefine(Handle), "virStoragePoolUndefine");

    /// <summary><c>virStoragePoolRefresh</c>: rescans the pool for volumes created outside libvirt.</summary>
    public void Refresh() => Check(NativeMethods.virStoragePoolRefresh(Handle, 0), "virStoragePoolRefresh");

    /// <summary><c>virStoragePoolListAllVolumes</c>.</summary>
    public IReadOnlyList<VirStorageVol> ListAllVolumes()
    {
        var count = NativeMethods.virStoragePoolListAllVolumes(Handle, out var volumes, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virStoragePoolListAllVolumes");
        }

        try
        {
            var result = new List<VirStorageVol>(count);
            for (var index = 0; index < count; index++)
            {
                result.Add(new VirStorageVol(StorageVolHandle.FromOwned(volumes[index]), connection));
            }

            return result;
        }
        finally
        {
            NativeMemory.Free(volumes);
        }
    }

    /// <summary>
    /// <c>virStorageVolCreateXML</c>: creates a volume; a <c>&lt;backingStore&gt;</c> in the XML makes it a
    /// copy-on-write overlay of another volume.
    /// </summary>
    public VirStorageVol StorageVolCreateXML(string xml, VirStorageVolCreateFlags flags = VirStorageVolCreateFlags.None) =>
        WrapVolume(NativeMethods.virStorageVolCreateXML(Handle, xml, (uint)flags), "virStorageVolCreateXML");

    /// <summary><c>virStorageVolCreateXMLFrom</c>: creates a volume as a full copy of <paramref name="source"/>.</summary>
    public VirStorageVol StorageVolCreateXMLFrom(string xml, VirStorageVol source, VirStorageVolCreateFlags flags = VirStorageVolCreateFlags.None)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WrapVolume(NativeMethods.virStorageVolCreateXMLFrom(Handle, xml, source.Handle, (uint)flags), "virStorageVolCreateXMLFrom");
    }

    /// <summary><c>virStorageVolLookupByName</c>.</summary>
    public VirStorageVol StorageVolLookupByName(string name) =>
        WrapVolume(NativeMethods.virStorageVolLookupByName(Handle, name), "virStorageVolLookupByName");

    /// <summary>Releases the pool reference (<c>virStoragePoolFree</c>).</summary>
    public void Dispose() => Handle.Dispose();

    private VirStorageVol WrapVolume(StorageVolHandle handle, string function)
    {
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError(function);
            handle.Dispose();
            throw exception;
        }

        return new VirStorageVol(handle, connection);
    }

    private static int Check(int result, string function) =>
        result < 0 ? throw LibvirtException.FromLastError(function) : result;
}

/// <summary>A storage volume (<c>virStorageVolPtr</c>); methods named after <c>virStorageVol*</c>.</summary>
public sealed class VirStorageVol : IDisposable
{
    private readonly VirConnect connection;

    internal VirStorageVol(StorageVolHandle handle, VirConnect connection)
    {
        Handle = handle;
        this.connection = connection;
    }

    internal StorageVolHandle Handle { get; }

    /// <summary><c>virStorageVolGetName</c>.</summary>
    public string GetName() =>
        NativeText.Borrow(NativeMethods.virStorageVolGetName(Handle)) ?? throw LibvirtException.FromLastError("virStorageVolGetName");

    /// <summary><c>virStorageVolGetPath</c>.</summary>
    public string GetPath() =>
        NativeText.Take(NativeMethods.virStorageVolGetPath(Handle)) ?? throw LibvirtException.FromLastError("virStorageVolGetPath");

    /// <summary><c>virStorageVolGetInfo</c>.</summary>
    public VirStorageVolInfo GetInfo()
    {
        if (NativeMethods.virStorageVolGetInfo(Handle, out var info) < 0)
        {
            throw LibvirtException.FromLastError("virStorageVolGetInfo");
        }

        return new VirStorageVolInfo((VirStorageVolType)info.Type, info.Capacity, info.Allocation);
    }

    /// <summary><c>virStorageVolGetXMLDesc</c>.</summary>
    public string GetXMLDesc() =>
        NativeText.Take(NativeMethods.virStorageVolGetXMLDesc(Handle, 0)) ?? throw LibvirtException.FromLastError("virStorageVolGetXMLDesc");

    /// <summary><c>virStoragePoolLookupByVolume</c>: the pool holding this volume.</summary>
    public VirStoragePool StoragePoolLookupByVolume()
    {
        var handle = NativeMethods.virStoragePoolLookupByVolume(Handle);
        if (handle.IsInvalid)
        {
            var exception = LibvirtException.FromLastError("virStoragePoolLookupByVolume");
            handle.Dispose();
            throw exception;
        }

        return new VirStoragePool(handle, connection);
    }

    /// <summary><c>virStorageVolDelete</c>: removes the volume from disk.</summary>
    public void Delete()
    {
        if (NativeMethods.virStorageVolDelete(Handle, 0) < 0)
        {
            throw LibvirtException.FromLastError("virStorageVolDelete");
        }
    }

    /// <summary><c>virStorageVolResize</c>: grows the volume's capacity to <paramref name="capacityBytes"/>.</summary>
    public void Resize(ulong capacityBytes)
    {
        if (NativeMethods.virStorageVolResize(Handle, capacityBytes, 0) < 0)
        {
            throw LibvirtException.FromLastError("virStorageVolResize");
        }
    }

    /// <summary>
    /// <c>virStorageVolUpload</c>: prepares <paramref name="stream"/> to receive <paramref name="length"/>
    /// bytes written at <paramref name="offset"/>; send them with <see cref="VirStream.SendAll"/>.
    /// </summary>
    public void Upload(VirStream stream, ulong offset, ulong length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (NativeMethods.virStorageVolUpload(Handle, stream.Handle, offset, length, 0) < 0)
        {
            throw LibvirtException.FromLastError("virStorageVolUpload");
        }
    }

    /// <summary>
    /// <c>virStorageVolDownload</c>: prepares <paramref name="stream"/> to deliver <paramref name="length"/>
    /// bytes from <paramref name="offset"/> (0 = to the end); read them with <see cref="VirStream.ReceiveAll"/>.
    /// </summary>
    public void Download(VirStream stream, ulong offset, ulong length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (NativeMethods.virStorageVolDownload(Handle, stream.Handle, offset, length, 0) < 0)
        {
            throw LibvirtException.FromLastError("virStorageVolDownload");
        }
    }

    /// <summary>Releases the volume reference (<c>virStorageVolFree</c>); the volume stays on disk.</summary>
    public void Dispose() => Handle.Dispose();
}

/// <summary><c>virStoragePoolInfo</c>.</summary>
/// <param name="State">Pool state.</param>
/// <param name="CapacityBytes">Logical size.</param>
/// <param name="AllocationBytes">Current allocation.</param>
/// <param name="AvailableBytes">Remaining free space.</param>
public sealed record VirStoragePoolInfo(VirStoragePoolState State, ulong CapacityBytes, ulong AllocationBytes, ulong AvailableBytes);

/// <summary><c>virStorageVolInfo</c>.</summary>
/// <param name="Type">Volume type.</param>
/// <param name="CapacityBytes">Logical size (what the guest sees).</param>
/// <param name="AllocationBytes">Space used on the host.</param>
public sealed record VirStorageVolInfo(VirStorageVolType Type, ulong CapacityBytes, ulong AllocationBytes);
