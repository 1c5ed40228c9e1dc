using System.Net;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Xml;

public sealed class NetworkXmlTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("192.168.130.1");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_nat_or_isolated_network_validates_against_libvirts_network_schema(bool isolated)
    {
        var (valid, output) = await XmlSchema.ValidateAsync(NetworkXml.Nat("ravada", "virbr-ravada", Gateway, isolated).ToString(), "network");

        Assert.True(valid, output);
    }

    [Fact]
    public void A_nat_network_forwards_and_serves_dhcp_on_the_gateways_slash_24()
    {
        var network = NetworkXml.Nat("ravada", "virbr-ravada", Gateway, isolated: false).Root!;

        Assert.Equal("ravada", network.Element("name")!.Value);
        Assert.Equal("nat", (string?)network.Element("forward")!.Attribute("mode"));
        Assert.Equal("virbr-ravada", (string?)network.Element("bridge")!.Attribute("name"));
        var ip = network.Element("ip")!;
        Assert.Equal("192.168.130.1", (string?)ip.Attribute("address"));
        Assert.Equal("255.255.255.0", (string?)ip.Attribute("netmask"));
        var range = ip.Element("dhcp")!.Element("range")!;
        Assert.Equal("192.168.130.10", (string?)range.Attribute("start"));
        Assert.Equal("192.168.130.250", (string?)range.Attribute("end"));
    }

    [Fact]
    public void An_isolated_network_has_no_forward_element()
    {
        var network = NetworkXml.Nat("ravada-isolated", "virbr-iso", Gateway, isolated: true).Root!;

        Assert.Null(network.Element("forward"));
        Assert.NotNull(network.Element("ip")!.Element("dhcp"));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("fd00:52:54::1")]
    [InlineData("::ffff:192.168.130.1")]
    public void An_ipv6_gateway_is_refused_even_when_it_maps_an_ipv4_address(string gateway)
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkXml.Nat("ravada", "virbr-ravada", IPAddress.Parse(gateway), isolated: false));

        Assert.Equal("gateway", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("virbr-sixteen-ch")]
    [InlineData("vir br0")]
    [InlineData("br/0")]
    [InlineData("br0;reboot")]
    [InlineData("br.0")]
    [InlineData("brü0")]
    [InlineData("br0\n")]
    public void Bad_bridge_names_are_refused(string bridge)
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkXml.Nat("ravada", bridge, Gateway, isolated: false));

        Assert.Equal("bridge", error.ParamName);
    }

    [Fact]
    public void A_bridge_name_of_fifteen_characters_the_kernel_limit_is_accepted()
    {
        var network = NetworkXml.Nat("ravada", "virbr-fifteen15", Gateway, isolated: false).Root!;

        Assert.Equal("virbr-fifteen15", (string?)network.Element("bridge")!.Attribute("name"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("../default")]
    [InlineData("<network>")]
    public void Bad_network_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => NetworkXml.Nat(name, "virbr-ravada", Gateway, isolated: false));
    }

    [Fact]
    public void A_gateway_is_required()
    {
        Assert.Throws<ArgumentNullException>(() => NetworkXml.Nat("ravada", "virbr-ravada", null!, isolated: false));
    }
}
