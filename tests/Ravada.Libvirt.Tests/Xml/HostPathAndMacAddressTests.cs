using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class HostPathAndMacAddressTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/var/lib/libvirt/images/alice-desktop-vda.qcow2")]
    [InlineData("/usr/lib/grub-rescue/grub-rescue-cdrom.iso")]
    [InlineData("/pool/with space/and-ünïcode.qcow2")]
    [InlineData("/pool/..hidden")]
    public void Absolute_normalized_paths_are_accepted_as_they_are(string path)
    {
        Assert.Equal(path, HostPath.Validate(path, "disk path"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/disk.qcow2")]
    [InlineData("./disk.qcow2")]
    [InlineData("/pool/../etc/shadow")]
    [InlineData("/pool/..")]
    [InlineData("/pool/./disk.qcow2")]
    [InlineData("/pool//disk.qcow2")]
    [InlineData("/pool/disk.qcow2\n")]
    [InlineData("/pool/\u001b[31mred")]
    public void Relative_unnormalized_or_control_character_paths_are_refused(string? path)
    {
        var error = Assert.Throws<ArgumentException>(() => HostPath.Validate(path, "disk path"));

        Assert.StartsWith("Invalid disk path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_longer_than_path_max_are_refused()
    {
        var longest = "/" + new string('a', HostPath.MaxLength - 1);

        Assert.Equal(longest, HostPath.Validate(longest, "disk path"));
        Assert.Throws<ArgumentException>(() => HostPath.Validate(longest + "a", "disk path"));
    }

    [Theory]
    [InlineData("52:54:00:ab:cd:ef", true)]
    [InlineData("AA:BB:CC:DD:EE:FF", true)]
    [InlineData("52:54:00:ab:cd", false)]
    [InlineData("52:54:00:ab:cd:ef:01", false)]
    [InlineData("52-54-00-ab-cd-ef", false)]
    [InlineData("5254.00ab.cdef", false)]
    [InlineData("52:54:00:ab:cd:eg", false)]
    [InlineData("525:4:00:ab:cd:ef", false)]
    [InlineData("", false)]
    public void A_mac_address_is_six_colon_separated_hex_pairs(string value, bool valid)
    {
        Assert.Equal(valid, MacAddress.IsValid(value));
    }
}
