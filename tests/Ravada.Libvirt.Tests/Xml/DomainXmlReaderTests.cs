using System.Xml;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class DomainXmlReaderTests
{
    private const string OverlayPath = "/var/tmp/ravada-unit-fixtures/images/overlay.qcow2";
    private const string BasePath = "/var/tmp/ravada-unit-fixtures/images/base.qcow2";
    private const string GrubIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";

    private static readonly Guid DesktopId = Guid.Parse("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f");

    [Theory]
    [InlineData("domain-desktop-qemu-running.xml")]
    [InlineData("domain-desktop-qemu-running-secure.xml")]
    [InlineData("domain-desktop-qemu-inactive.xml")]
    public void Our_desktop_reads_back_with_its_identity_size_and_owner(string fixture)
    {
        var summary = DomainXmlReader.Read(Fixture.Read(fixture));

        Assert.Equal(DesktopId, summary.Id);
        Assert.Equal("ravada-fixture-desktop", summary.Name);
        Assert.Equal("qemu", summary.DomainType);
        Assert.Equal(256, summary.MemoryMiB);
        Assert.Equal(2, summary.VirtualCpus);
        Assert.Equal(new MachineOwnership("alice", "base-desktop", Volatile: false), summary.Ownership);
        Assert.Equal(["52:54:00:ab:cd:ef"], summary.MacAddresses);
    }

    [Fact]
    public void A_running_desktop_shows_its_overlay_disk_with_the_backing_file_libvirt_probed()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-running.xml"));

        Assert.Equal(
            [
                new MachineDisk("vda", "disk", OverlayPath, "qcow2", BasePath),
                new MachineDisk("sda", "cdrom", GrubIso, "raw", BackingPath: null),
            ],
            summary.Disks);
    }

    [Fact]
    public void An_inactive_desktop_has_no_backing_file_because_libvirt_only_probes_the_chain_at_start()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-inactive.xml"));

        Assert.Equal(
            [
                new MachineDisk("vda", "disk", OverlayPath, "qcow2", BackingPath: null),
                new MachineDisk("sda", "cdrom", GrubIso, "raw", BackingPath: null),
            ],
            summary.Disks);
    }

    [Fact]
    public void A_running_desktop_shows_the_ports_libvirt_assigned_on_the_listen_address()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-running.xml"));

        Assert.Equal(
            [
                new DisplayEndpoint(DisplayProtocol.Spice, "127.0.0.1", 5900, TlsPort: null),
                new DisplayEndpoint(DisplayProtocol.Vnc, "127.0.0.1", 5901, TlsPort: null),
            ],
            summary.Displays);
    }

    [Fact]
    public void An_inactive_desktop_has_no_ports_yet_and_minus_one_means_none()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-inactive.xml"));

        Assert.Equal(
            [
                new DisplayEndpoint(DisplayProtocol.Spice, "127.0.0.1", Port: null, TlsPort: null),
                new DisplayEndpoint(DisplayProtocol.Vnc, "127.0.0.1", Port: null, TlsPort: null),
            ],
            summary.Displays);
    }

    [Theory]
    [InlineData("domain-desktop-qemu-running.xml")]
    [InlineData("domain-desktop-qemu-inactive.xml")]
    public void Display_passwords_are_absent_from_the_plain_xml(string fixture)
    {
        Assert.Empty(DomainXmlReader.Read(Fixture.Read(fixture)).DisplayPasswords);
    }

    [Fact]
    public void Display_passwords_are_read_from_the_secure_xml_by_protocol()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-running-secure.xml"));

        Assert.Equal("fixture-spice-ticket", summary.DisplayPasswords[DisplayProtocol.Spice]);
        Assert.Equal("fixvnc01", summary.DisplayPasswords[DisplayProtocol.Vnc]);
        Assert.Equal(2, summary.DisplayPasswords.Count);
    }

    [Fact]
    public void The_graphics_index_of_our_desktop_is_spice_first_then_vnc()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-desktop-qemu-running.xml"));

        Assert.Equal(0, DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Spice));
        Assert.Equal(1, DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Vnc));
    }

    [Fact]
    public void The_test_drivers_own_domain_is_read_and_is_not_ours()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-test-driver.xml"));

        Assert.Equal(Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"), summary.Id);
        Assert.Equal("test", summary.Name);
        Assert.Equal("test", summary.DomainType);
        Assert.Equal(8192, summary.MemoryMiB);
        Assert.Equal(2, summary.VirtualCpus);
        Assert.Null(summary.Ownership);
        Assert.Equal([new MachineDisk("vda", "disk", "/guest/diskimage1", Format: null, BackingPath: null)], summary.Disks);
        Assert.Empty(summary.Displays);
        Assert.Empty(summary.DisplayPasswords);
        Assert.Equal(["aa:bb:cc:dd:ee:ff"], summary.MacAddresses);
    }

    [Fact]
    public void A_domain_without_displays_has_no_graphics_index()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-test-driver.xml"));

        Assert.Null(DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Spice));
        Assert.Null(DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Vnc));
    }

    [Fact]
    public void A_foreign_machine_keeps_only_spice_and_vnc_among_its_graphics_and_has_no_owner()
    {
        var summary = DomainXmlReader.Read(Fixture.Read("domain-foreign-egl-headless-first-inactive.xml"));

        Assert.Null(summary.Ownership);
        Assert.Equal(1024, summary.MemoryMiB);
        Assert.Equal([DisplayProtocol.Spice, DisplayProtocol.Vnc], summary.Displays.Select(display => display.Protocol));
        Assert.Empty(summary.MacAddresses);
    }

    [Fact]
    public void The_graphics_index_counts_the_graphics_devices_that_are_neither_spice_nor_vnc()
    {
        // libvirt's qemuDomainOpenGraphicsFD indexes every <graphics>, and refuses the egl-headless one.
        var summary = DomainXmlReader.Read(Fixture.Read("domain-foreign-egl-headless-first-inactive.xml"));

        Assert.Equal(1, DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Spice));
        Assert.Equal(2, DomainXmlReader.GraphicsIndex(summary, DisplayProtocol.Vnc));
    }

    [Theory]
    [InlineData("<memory unit='KiB'>1048576</memory>", 1024)]
    [InlineData("<memory>1048576</memory>", 1024)]
    [InlineData("<memory unit='MiB'>512</memory>", 512)]
    [InlineData("<memory unit='GiB'>2</memory>", 2048)]
    [InlineData("<memory unit='bytes'>268435456</memory>", 256)]
    [InlineData("", 0)]
    public void Memory_is_converted_to_mebibytes_from_the_unit_libvirt_states(string memory, long expectedMiB)
    {
        var xml = $"<domain type='kvm'><name>m</name><uuid>{DesktopId}</uuid>{memory}</domain>";

        Assert.Equal(expectedMiB, DomainXmlReader.Read(xml).MemoryMiB);
    }

    [Fact]
    public void A_domain_xml_without_uuid_or_name_is_refused()
    {
        Assert.Throws<FormatException>(() => DomainXmlReader.Read("<domain type='kvm'><name>m</name></domain>"));
        Assert.Throws<FormatException>(() => DomainXmlReader.Read($"<domain type='kvm'><uuid>{DesktopId}</uuid></domain>"));
    }

    [Fact]
    public void Text_that_is_not_xml_is_refused()
    {
        Assert.Throws<XmlException>(() => DomainXmlReader.Read("error: failed to get domain 'x'"));
    }
}
