using System.Xml.Linq;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class HostFeaturesTests
{
    [Theory]
    [InlineData("domcapabilities-qemu-debian12.xml")]
    [InlineData("domcapabilities-kvm-debian12.xml")]
    public void A_debian_12_qemu_host_offers_x86_64_kvm_and_qemu_q35_spice_and_qxl(string domainCapabilities)
    {
        var host = HostFeatures.Parse(Fixture.Read("capabilities-qemu-debian12.xml"), Fixture.Read(domainCapabilities));

        Assert.Equal("x86_64", host.Arch);
        Assert.Equal(new HashSet<string> { "kvm", "qemu" }, host.DomainTypes);
        Assert.Contains("q35", host.Machines);
        Assert.Contains("pc-q35-7.2", host.Machines);
        Assert.Contains("pc", host.Machines);
        Assert.Equal("q35", host.MachineType);
        Assert.True(host.IsQ35);
        Assert.True(host.SupportsSpice);
        Assert.Equal("qxl", host.VideoModel);
        Assert.Superset(new HashSet<string> { "qxl", "virtio", "vga", "bochs", "ramfb" }, new HashSet<string>(host.VideoModels));
    }

    [Fact]
    public void The_x86_64_guest_is_chosen_over_the_i686_guest_listed_first()
    {
        var capabilities = XDocument.Parse(Fixture.Read("capabilities-qemu-debian12.xml")).Root!;
        var archs = capabilities.Elements("guest").Select(guest => (string?)guest.Element("arch")!.Attribute("name")).ToList();

        var host = HostFeatures.Parse(capabilities.ToString(), null);

        Assert.Equal("i686", archs[0]);
        Assert.Equal("x86_64", host.Arch);
    }

    [Fact]
    public void The_test_driver_offers_only_the_test_domain_type_on_i686_without_machine_types()
    {
        var host = HostFeatures.Parse(Fixture.Read("capabilities-test-driver.xml"), null);

        Assert.Equal("i686", host.Arch);
        Assert.Equal(new HashSet<string> { "test" }, host.DomainTypes);
        Assert.Empty(host.Machines);
        Assert.Null(host.MachineType);
        Assert.False(host.IsQ35);
    }

    [Fact]
    public void Without_domain_capabilities_spice_and_qxl_are_assumed()
    {
        var host = HostFeatures.Parse(Fixture.Read("capabilities-test-driver.xml"), null);

        Assert.True(host.SupportsSpice);
        Assert.Equal("qxl", host.VideoModel);
    }

    [Fact]
    public void A_qemu_built_without_spice_and_qxl_falls_back_to_vnc_and_virtio_video()
    {
        var domainCapabilities = XDocument.Parse(Fixture.Read("domcapabilities-qemu-debian12.xml"));
        domainCapabilities.Descendants("value").Where(value => value.Value is "spice" or "qxl").Remove();

        var host = HostFeatures.Parse(Fixture.Read("capabilities-qemu-debian12.xml"), domainCapabilities.ToString());

        Assert.False(host.SupportsSpice);
        Assert.Equal("virtio", host.VideoModel);
    }

    [Fact]
    public void A_qemu_offering_only_vga_gets_vga()
    {
        var domainCapabilities = XDocument.Parse(Fixture.Read("domcapabilities-qemu-debian12.xml"));
        domainCapabilities.Descendants("video").Descendants("value").Where(value => value.Value != "vga").Remove();

        var host = HostFeatures.Parse(Fixture.Read("capabilities-qemu-debian12.xml"), domainCapabilities.ToString());

        Assert.Equal("vga", host.VideoModel);
    }

    [Fact]
    public void Without_q35_the_plain_pc_machine_and_its_ide_cdrom_are_used()
    {
        var capabilities = XDocument.Parse(Fixture.Read("capabilities-qemu-debian12.xml"));
        capabilities.Descendants("machine").Where(machine => machine.Value.Contains("q35", StringComparison.Ordinal)).Remove();

        var host = HostFeatures.Parse(capabilities.ToString(), null);

        Assert.Equal("pc", host.MachineType);
        Assert.False(host.IsQ35);
    }

    [Fact]
    public void Capabilities_without_any_hvm_guest_are_refused()
    {
        var capabilities = XDocument.Parse(Fixture.Read("capabilities-test-driver.xml"));
        capabilities.Descendants("guest").Where(guest => guest.Element("os_type")!.Value == "hvm").Remove();

        var error = Assert.Throws<FormatException>(() => HostFeatures.Parse(capabilities.ToString(), null));

        Assert.Contains("no hvm guest", error.Message, StringComparison.Ordinal);
    }
}
