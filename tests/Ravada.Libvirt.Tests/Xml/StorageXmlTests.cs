using System.Xml.Linq;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class StorageXmlTests
{
    private const long SixtyFourMiB = 64L * 1024 * 1024;
    private const long OneMiB = 1024L * 1024;
    private const long SixtyFourTiB = 64L * 1024 * 1024 * 1024 * 1024;
    private const string PoolPath = "/var/tmp/ravada-unit-fixtures/pool";

    [Fact]
    public void An_overlay_volume_as_libvirt_reports_it_gives_its_format_and_base()
    {
        var (format, backingPath) = StorageXml.ReadVolume(Fixture.Read("vol-qcow2-overlay.xml"));

        Assert.Equal("qcow2", format);
        Assert.Equal(PoolPath + "/fixture-base.qcow2", backingPath);
    }

    [Fact]
    public void A_base_volume_as_libvirt_reports_it_has_no_backing_file()
    {
        var (format, backingPath) = StorageXml.ReadVolume(Fixture.Read("vol-qcow2-base.xml"));

        Assert.Equal("qcow2", format);
        Assert.Null(backingPath);
    }

    [Fact]
    public void An_empty_backing_path_counts_as_none()
    {
        var (_, backingPath) = StorageXml.ReadVolume("<volume><name>v</name><backingStore><path></path></backingStore></volume>");

        Assert.Null(backingPath);
    }

    [Fact]
    public void The_overlay_we_build_says_what_libvirt_then_reports_for_it()
    {
        var built = StorageXml.Overlay("fixture-clone.qcow2", SixtyFourMiB, PoolPath + "/fixture-base.qcow2", "qcow2").ToString();
        var reported = XDocument.Parse(Fixture.Read("vol-qcow2-overlay.xml")).Root!;

        Assert.Equal(StorageXml.ReadVolume(reported.ToString()), StorageXml.ReadVolume(built));
        Assert.Equal("fixture-clone.qcow2", reported.Element("name")!.Value);
        Assert.Equal(SixtyFourMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), reported.Element("capacity")!.Value);
        Assert.Equal(PoolPath + "/fixture-clone.qcow2", reported.Element("target")!.Element("path")!.Value);
    }

    [Fact]
    public void The_path_of_a_directory_pool_is_read_from_its_target()
    {
        Assert.Equal(PoolPath, StorageXml.ReadPoolPath(Fixture.Read("pool-dir.xml")));
    }

    [Fact]
    public void A_pool_without_a_target_has_no_path()
    {
        Assert.Null(StorageXml.ReadPoolPath("<pool type='logical'><name>vg0</name></pool>"));
    }

    [Fact]
    public async Task A_directory_pool_validates_against_libvirts_storagepool_schema()
    {
        var (valid, output) = await XmlSchema.ValidateAsync(StorageXml.DirectoryPool("ravada-images", "/var/lib/ravada/images").ToString(), "storagepool");

        Assert.True(valid, output);
    }

    [Theory]
    [InlineData("qcow2")]
    [InlineData("raw")]
    public async Task An_empty_volume_validates_against_libvirts_storagevol_schema(string format)
    {
        var (valid, output) = await XmlSchema.ValidateAsync(StorageXml.Volume("alice-desktop-vda." + format, SixtyFourMiB, format).ToString(), "storagevol");

        Assert.True(valid, output);
    }

    [Theory]
    [InlineData("qcow2")]
    [InlineData("raw")]
    public async Task An_overlay_validates_against_libvirts_storagevol_schema(string backingFormat)
    {
        var xml = StorageXml.Overlay("alice-desktop-vda.qcow2", SixtyFourMiB, "/var/lib/ravada/images/base-desktop-vda." + backingFormat, backingFormat).ToString();

        var (valid, output) = await XmlSchema.ValidateAsync(xml, "storagevol");

        Assert.True(valid, output);
    }

    [Fact]
    public void Sizes_from_one_mebibyte_to_sixty_four_tebibytes_are_accepted()
    {
        Assert.Equal("1048576", StorageXml.Volume("small", OneMiB).Root!.Element("capacity")!.Value);
        Assert.Equal("70368744177664", StorageXml.Volume("huge", SixtyFourTiB).Root!.Element("capacity")!.Value);
        Assert.Equal("bytes", (string?)StorageXml.Volume("huge", SixtyFourTiB).Root!.Element("capacity")!.Attribute("unit"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape.qcow2")]
    [InlineData("pool/volume.qcow2")]
    [InlineData("-rf.qcow2")]
    [InlineData(".hidden.qcow2")]
    [InlineData("with space.qcow2")]
    [InlineData("name\n")]
    [InlineData("<volume>")]
    public void Bad_volume_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => StorageXml.Volume(name, SixtyFourMiB));
        Assert.Throws<ArgumentException>(() => StorageXml.Overlay(name, SixtyFourMiB, "/pool/base.qcow2", "qcow2"));
    }

    [Fact]
    public void A_volume_name_of_sixty_five_characters_is_refused()
    {
        Assert.Throws<ArgumentException>(() => StorageXml.Volume(new string('v', 65), SixtyFourMiB));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(OneMiB - 1)]
    [InlineData(SixtyFourTiB + 1)]
    [InlineData(long.MaxValue)]
    public void Sizes_outside_one_mebibyte_to_sixty_four_tebibytes_are_refused(long capacityBytes)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageXml.Volume("v.qcow2", capacityBytes));
        Assert.Equal("capacityBytes", error.ParamName);
        Assert.Throws<ArgumentException>(() => StorageXml.Overlay("v.qcow2", capacityBytes, "/pool/base.qcow2", "qcow2"));
    }

    [Theory]
    [InlineData("vmdk")]
    [InlineData("iso")]
    [InlineData("QCOW2")]
    [InlineData("qcow2'/><evil")]
    [InlineData("")]
    public void Formats_other_than_qcow2_and_raw_are_refused(string format)
    {
        Assert.Throws<ArgumentException>(() => StorageXml.Volume("v.img", SixtyFourMiB, format));
        Assert.Throws<ArgumentException>(() => StorageXml.Overlay("v.qcow2", SixtyFourMiB, "/pool/base.img", format));
    }

    [Theory]
    [InlineData("")]
    [InlineData("base.qcow2")]
    [InlineData("pool/base.qcow2")]
    [InlineData("/pool/../etc/shadow")]
    [InlineData("/pool/./base.qcow2")]
    [InlineData("/pool//base.qcow2")]
    [InlineData("/pool/base.qcow2\n")]
    public void An_overlay_of_a_relative_or_unnormalized_base_path_is_refused(string backingPath)
    {
        Assert.Throws<ArgumentException>(() => StorageXml.Overlay("clone.qcow2", SixtyFourMiB, backingPath, "qcow2"));
    }

    [Theory]
    [InlineData("", "/var/lib/ravada")]
    [InlineData("bad name", "/var/lib/ravada")]
    [InlineData("-pool", "/var/lib/ravada")]
    [InlineData("images", "")]
    [InlineData("images", "var/lib/ravada")]
    [InlineData("images", "/var/lib/../../etc")]
    [InlineData("images", "/var/lib\0/ravada")]
    public void A_directory_pool_with_a_bad_name_or_path_is_refused(string name, string path)
    {
        Assert.Throws<ArgumentException>(() => StorageXml.DirectoryPool(name, path));
    }
}
