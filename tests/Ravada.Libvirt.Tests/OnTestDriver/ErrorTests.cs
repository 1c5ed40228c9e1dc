using Ravada.Libvirt.Tests.Support;

namespace Ravada.Libvirt.Tests.OnTestDriver;

public sealed class ErrorTests
{
    [Fact]
    public void A_missing_domain_is_reported_with_no_domain_from_the_test_driver()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);

        var error = Assert.Throws<LibvirtException>(() => connection.DomainLookupByName("no-such-domain"));

        Assert.Equal("virDomainLookupByName", error.Function);
        Assert.Equal(VirErrorCode.NoDomain, error.Code);
        Assert.Equal(VirErrorDomain.Test, error.ErrorDomain);
        Assert.Equal("Domain not found", error.LibvirtMessage);
    }

    [Fact]
    public void A_missing_network_is_reported_with_its_name()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);

        var error = Assert.Throws<LibvirtException>(() => connection.NetworkLookupByName("no-such-network"));

        Assert.Equal(VirErrorCode.NoNetwork, error.Code);
        Assert.Contains("'no-such-network'", error.LibvirtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xml_is_reported_as_an_xml_error_and_defines_nothing()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var before = connection.ListAllDomains().Count;

        var error = Assert.Throws<LibvirtException>(() => connection.DomainDefineXMLFlags("<domain type='test'><name>broken"));

        Assert.Equal(VirErrorCode.XmlDetail, error.Code);
        Assert.Equal(before, connection.ListAllDomains().Count);
    }

    [Fact]
    public void Operations_the_driver_lacks_are_reported_as_no_support()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainLookupByName("test");

        var error = Assert.Throws<LibvirtException>(() => domain.OpenGraphicsFD(0));

        Assert.Equal(VirErrorCode.NoSupport, error.Code);
        Assert.Equal(VirErrorDomain.Domain, error.ErrorDomain);
    }

    [Fact]
    public void Starting_a_running_domain_fails_and_leaves_it_running()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(TestDriver.UniqueName("twice"))));
        try
        {
            domain.CreateWithFlags();
            var error = Assert.Throws<LibvirtException>(() => domain.CreateWithFlags());

            // The test driver reports state conflicts as internal errors; QEMU's driver says
            // operation-invalid (see the real-guest tests).
            Assert.Equal(VirErrorCode.InternalError, error.Code);
            Assert.Equal(VirDomainState.Running, domain.GetState().State);
            domain.DestroyFlags();
        }
        finally
        {
            domain.UndefineFlags();
        }
    }

    [Fact]
    public void Defining_a_second_domain_with_a_taken_name_fails_and_keeps_the_first()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("dup");
        using var first = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(name)));
        try
        {
            var error = Assert.Throws<LibvirtException>(() => connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(name))));
            Assert.Equal(VirErrorCode.OperationFailed, error.Code);
            Assert.Contains("already exists", error.LibvirtMessage, StringComparison.Ordinal);
            Assert.Equal(first.GetUUID(), connection.DomainLookupByName(name).GetUUID());
        }
        finally
        {
            first.UndefineFlags();
        }
    }
}
