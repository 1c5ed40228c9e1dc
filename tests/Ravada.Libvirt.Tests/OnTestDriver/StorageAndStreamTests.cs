using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.OnTestDriver;

public sealed class StorageAndStreamTests
{
    private const long OneGiB = 1024L * 1024 * 1024;

    [Fact]
    public void A_qcow2_volume_and_an_overlay_backed_by_it_are_created_listed_and_deleted()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var pool = connection.StoragePoolLookupByName("default-pool");
        var baseName = TestDriver.UniqueName("base") + ".qcow2";
        var cloneName = TestDriver.UniqueName("clone") + ".qcow2";

        using var baseVolume = pool.StorageVolCreateXML(StorageXml.Volume(baseName, OneGiB).ToString());
        var basePath = baseVolume.GetPath();
        using var clone = pool.StorageVolCreateXML(StorageXml.Overlay(cloneName, OneGiB, basePath, "qcow2").ToString());

        Assert.Equal(OneGiB, (long)baseVolume.GetInfo().CapacityBytes);
        Assert.Equal(cloneName, clone.GetName());
        using (var byPath = connection.StorageVolLookupByPath(clone.GetPath()))
        {
            Assert.Equal(cloneName, byPath.GetName());
        }

        var names = pool.ListAllVolumes().Select(volume =>
        {
            using (volume)
            {
                return volume.GetName();
            }
        }).ToList();
        Assert.Contains(baseName, names);
        Assert.Contains(cloneName, names);

        clone.Delete();
        baseVolume.Delete();
        var error = Assert.Throws<LibvirtException>(() => pool.StorageVolLookupByName(cloneName));
        Assert.Equal(VirErrorCode.NoStorageVol, error.Code);
    }

    [Fact]
    public void A_screenshot_arrives_as_a_png_through_a_stream()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainLookupByName("test");
        using var stream = connection.StreamNew();

        var mimeType = domain.Screenshot(stream);
        using var image = new MemoryStream();
        var received = stream.ReceiveAll(image);

        Assert.Equal("image/png", mimeType);
        Assert.Equal(image.Length, received);
        var screenshot = Screenshot.FromEncoded(image.ToArray(), mimeType);
        Assert.True(screenshot.Width > 0 && screenshot.Height > 0);
    }

    [Fact]
    public void A_pool_is_defined_started_refreshed_and_removed()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("pool");

        using var pool = connection.StoragePoolDefineXML(StorageXml.DirectoryPool(name, "/var/tmp/" + name).ToString());
        Assert.False(pool.IsActive());
        pool.Create();
        pool.Refresh();
        Assert.Equal(VirStoragePoolState.Running, pool.GetInfo().State);
        Assert.Equal("/var/tmp/" + name, StorageXml.ReadPoolPath(pool.GetXMLDesc()));
        Assert.Contains(connection.ListAllStoragePools(), candidate =>
        {
            using (candidate)
            {
                return candidate.GetName() == name;
            }
        });
        pool.Destroy();
        pool.Undefine();

        var error = Assert.Throws<LibvirtException>(() => connection.StoragePoolLookupByName(name));
        Assert.Equal(VirErrorCode.NoStoragePool, error.Code);
    }

    [Fact]
    public void A_network_is_defined_started_stopped_and_removed()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("net");

        using var network = connection.NetworkDefineXML(NetworkXml.Nat(name, "virbr-t" + name[^4..], System.Net.IPAddress.Parse("10.99.1.1"), isolated: true).ToString());
        Assert.False(network.IsActive());
        network.Create();
        Assert.True(network.IsActive());
        using (var found = connection.NetworkLookupByName(name))
        {
            Assert.StartsWith("virbr-t", found.GetBridgeName(), StringComparison.Ordinal);
        }

        Assert.Contains(connection.ListAllNetworks(), candidate =>
        {
            using (candidate)
            {
                return candidate.GetName() == name;
            }
        });
        network.Destroy();
        network.Undefine();

        var error = Assert.Throws<LibvirtException>(() => connection.NetworkLookupByName(name));
        Assert.Equal(VirErrorCode.NoNetwork, error.Code);
    }
}
