using System.Xml.Linq;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class DesktopDomainXmlTests
{
    private static readonly HostFeatures QemuHost = HostFeatures.Parse(
        Fixture.Read("capabilities-qemu-debian12.xml"),
        Fixture.Read("domcapabilities-qemu-debian12.xml"));

    private static readonly HostFeatures TestDriverHost = HostFeatures.Parse(Fixture.Read("capabilities-test-driver.xml"), null);

    public static TheoryData<string, GuestOsFamily, Accelerator> Variants => new()
    {
        { "linux-kvm", GuestOsFamily.Linux, Accelerator.Kvm },
        { "linux-tcg", GuestOsFamily.Linux, Accelerator.Tcg },
        { "windows-kvm", GuestOsFamily.Windows, Accelerator.Kvm },
        { "windows-tcg", GuestOsFamily.Windows, Accelerator.Tcg },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_generated_desktop_validates_against_libvirts_domain_schema(string name, GuestOsFamily family, Accelerator accelerator)
    {
        var definition = Desktops.Linux(name, new DiskAttachment("/var/lib/libvirt/images/a.qcow2")) with
        {
            OsFamily = family,
            CdromPath = "/var/lib/libvirt/images/installer.iso",
            Network = "default",
            MacAddress = "52:54:00:12:34:56",
        };

        var xml = DesktopDomainXml.Build(definition, QemuHost, accelerator).ToString();
        var (valid, output) = await XmlSchema.ValidateAsync(xml, "domain");

        Assert.True(valid, output);
    }

    [Fact]
    public async Task A_direct_kernel_boot_desktop_validates_too()
    {
        var definition = Desktops.Linux("idle-guest") with
        {
            KernelBoot = new KernelBoot("/var/tmp/guest/vmlinux", "/var/tmp/guest/initramfs.gz", "console=tty0 console=ttyS0 quiet"),
            Network = "default",
        };

        var (valid, output) = await XmlSchema.ValidateAsync(DesktopDomainXml.Build(definition, QemuHost, Accelerator.Tcg).ToString(), "domain");

        Assert.True(valid, output);
    }

    [Fact]
    public void A_linux_desktop_gets_virtio_disk_and_nic_qxl_video_spice_and_vnc_on_the_listen_address()
    {
        var definition = Desktops.Linux("alice-desktop", new DiskAttachment("/pool/alice.qcow2")) with
        {
            Network = "ravada",
            CdromPath = "/pool/tools.iso",
        };

        var domain = DesktopDomainXml.Build(definition, QemuHost, Accelerator.Kvm).Root!;
        var devices = domain.Element("devices")!;

        Assert.Equal("kvm", (string?)domain.Attribute("type"));
        Assert.Equal("q35", (string?)domain.Element("os")!.Element("type")!.Attribute("machine"));
        var disk = devices.Elements("disk").Single(element => (string?)element.Attribute("device") == "disk");
        Assert.Equal("virtio", (string?)disk.Element("target")!.Attribute("bus"));
        Assert.Equal("qcow2", (string?)disk.Element("driver")!.Attribute("type"));
        Assert.Equal("/pool/alice.qcow2", (string?)disk.Element("source")!.Attribute("file"));
        var cdrom = devices.Elements("disk").Single(element => (string?)element.Attribute("device") == "cdrom");
        Assert.Equal("sata", (string?)cdrom.Element("target")!.Attribute("bus"));
        Assert.NotNull(cdrom.Element("readonly"));
        Assert.Equal("virtio", (string?)devices.Element("interface")!.Element("model")!.Attribute("type"));
        Assert.Equal("ravada", (string?)devices.Element("interface")!.Element("source")!.Attribute("network"));
        Assert.Equal("qxl", (string?)devices.Element("video")!.Element("model")!.Attribute("type"));
        var graphics = devices.Elements("graphics").ToDictionary(element => (string)element.Attribute("type")!);
        Assert.Equal("spice-ticket-1", (string?)graphics["spice"].Attribute("passwd"));
        Assert.Equal("vncpass1", (string?)graphics["vnc"].Attribute("passwd"));
        Assert.All(graphics.Values, element => Assert.Equal("127.0.0.1", (string?)element.Element("listen")!.Attribute("address")));
        Assert.Equal(2, devices.Elements("redirdev").Count());
        Assert.Contains(devices.Elements("channel"), channel => (string?)channel.Element("target")!.Attribute("name") == "org.qemu.guest_agent.0");
        Assert.Contains(devices.Elements("channel"), channel => (string?)channel.Element("target")!.Attribute("name") == "com.redhat.spice.0");
        Assert.Equal("host-model", (string?)domain.Element("cpu")!.Attribute("mode"));
    }

    [Fact]
    public void A_windows_desktop_gets_sata_disk_e1000e_nic_hyperv_and_a_local_clock()
    {
        var definition = Desktops.Linux("win-desktop", new DiskAttachment("/pool/win.qcow2")) with
        {
            OsFamily = GuestOsFamily.Windows,
            Network = "ravada",
        };

        var domain = DesktopDomainXml.Build(definition, QemuHost, Accelerator.Tcg).Root!;

        Assert.Equal("qemu", (string?)domain.Attribute("type"));
        Assert.Null(domain.Element("cpu"));
        var disk = domain.Element("devices")!.Elements("disk").First();
        Assert.Equal("sata", (string?)disk.Element("target")!.Attribute("bus"));
        Assert.Equal("sda", (string?)disk.Element("target")!.Attribute("dev"));
        Assert.Equal("e1000e", (string?)domain.Element("devices")!.Element("interface")!.Element("model")!.Attribute("type"));
        Assert.NotNull(domain.Element("features")!.Element("hyperv"));
        Assert.Equal("localtime", (string?)domain.Element("clock")!.Attribute("offset"));
    }

    [Fact]
    public void Our_metadata_marks_the_machine_and_reads_back()
    {
        var domain = DesktopDomainXml.Build(Desktops.Linux("alice-desktop"), QemuHost, Accelerator.Tcg);

        var ownership = RavadaMetadata.FromMetadata(domain.Root!.Element("metadata"));

        Assert.Equal(new MachineOwnership("alice", "base-desktop", false), ownership);
    }

    [Fact]
    public void Hostile_names_and_paths_are_refused_before_any_xml_is_built()
    {
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("bad'name</name>"), QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok", new DiskAttachment("relative/disk.qcow2")), QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok", new DiskAttachment("/pool/../etc/shadow")), QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok", new DiskAttachment("/pool/disk.vmdk", "vmdk")), QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok") with { MemoryMiB = 1 }, QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok") with { VirtualCpus = 0 }, QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(
            Desktops.Linux("ok") with { Display = new DisplaySettings("0.0.0.0; rm -rf /", new DisplayPasswords("a", "b")) }, QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(
            Desktops.Linux("ok") with { Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("spice", "longer-than-8")) }, QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok") with { MacAddress = "zz:zz" }, QemuHost, Accelerator.Tcg));
        Assert.Throws<ArgumentException>(() => DesktopDomainXml.Build(Desktops.Linux("ok") with { Id = Guid.Empty }, QemuHost, Accelerator.Tcg));
    }

    [Fact]
    public void Characters_that_are_special_in_xml_are_escaped_by_the_writer_not_by_hand()
    {
        var definition = Desktops.Linux("ok") with
        {
            KernelBoot = new KernelBoot("/boot/vmlinuz", null, "root=/dev/vda1 msg=\"<&>\""),
        };

        var xml = DesktopDomainXml.Build(definition, QemuHost, Accelerator.Tcg).ToString();

        Assert.Contains("&lt;&amp;&gt;", xml, StringComparison.Ordinal);
        Assert.Equal("root=/dev/vda1 msg=\"<&>\"", XDocument.Parse(xml).Root!.Element("os")!.Element("cmdline")!.Value);
    }

    [Fact]
    public void On_the_test_driver_the_domain_type_is_test_and_the_cdrom_is_ide()
    {
        var domain = DesktopDomainXml.Build(Desktops.Linux("t"), TestDriverHost, Accelerator.Test).Root!;

        Assert.Equal("test", (string?)domain.Attribute("type"));
        Assert.Equal("i686", (string?)domain.Element("os")!.Element("type")!.Attribute("arch"));
        Assert.Equal("ide", (string?)domain.Element("devices")!.Elements("disk").Single().Element("target")!.Attribute("bus"));
    }
}
