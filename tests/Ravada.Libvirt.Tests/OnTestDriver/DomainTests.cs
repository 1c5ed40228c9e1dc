using System.Xml.Linq;
using Ravada.Libvirt.Xml;
using Ravada.Libvirt.Tests.Support;

namespace Ravada.Libvirt.Tests.OnTestDriver;

public sealed class DomainTests
{
    [Fact]
    public async Task A_desktop_goes_through_its_whole_lifecycle_and_every_event_arrives_in_order()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("life");
        var (events, callbackId) = TestDriver.Watch(connection, VirDomainEventId.Lifecycle, name);

        using (var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(name))))
        {
            Assert.Equal((VirDomainState.Shutoff, (int)VirDomainShutoffReason.Unknown), domain.GetState());
            domain.CreateWithFlags();
            Assert.Equal(VirDomainState.Running, domain.GetState().State);
            Assert.True(domain.GetID() > 0);
            domain.Suspend();
            Assert.Equal(VirDomainState.Paused, domain.GetState().State);
            domain.Resume();
            domain.Reboot();
            domain.DestroyFlags();
            Assert.Equal((VirDomainState.Shutoff, (int)VirDomainShutoffReason.Destroyed), domain.GetState());
            domain.UndefineFlags();
        }

        var expected = new (VirDomainEventType, int)[]
        {
            (VirDomainEventType.Defined, 0),
            (VirDomainEventType.Started, 0),
            (VirDomainEventType.Suspended, 0),
            (VirDomainEventType.Resumed, 0),
            (VirDomainEventType.Stopped, (int)VirDomainEventStoppedDetail.Destroyed),
            (VirDomainEventType.Undefined, 0),
        };
        foreach (var (eventType, detail) in expected)
        {
            var lifecycle = Assert.IsType<VirDomainLifecycleEvent>(await TestDriver.NextAsync(events));
            Assert.Equal((eventType, detail), (lifecycle.Event, lifecycle.Detail));
            Assert.Equal(name, lifecycle.DomainName);
        }

        connection.DomainEventDeregisterAny(callbackId);
    }

    [Fact]
    public void Shutdown_managed_save_and_its_removal_work()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("save");
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(name)));
        try
        {
            domain.CreateWithFlags();
            domain.ManagedSave();
            Assert.True(domain.HasManagedSaveImage());
            Assert.Equal((VirDomainState.Shutoff, (int)VirDomainShutoffReason.Saved), domain.GetState());
            domain.ManagedSaveRemove();
            Assert.False(domain.HasManagedSaveImage());
            domain.CreateWithFlags();
            domain.ShutdownFlags();
            Assert.Equal((VirDomainState.Shutoff, (int)VirDomainShutoffReason.Shutdown), domain.GetState());
        }
        finally
        {
            domain.UndefineFlags(VirDomainUndefineFlags.ManagedSave);
        }
    }

    [Fact]
    public void Lookups_by_name_and_uuid_find_the_same_domain_and_report_its_facts()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("look"));
        using var defined = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, definition));
        try
        {
            using var byName = connection.DomainLookupByName(definition.Name);
            using var byUuid = connection.DomainLookupByUUID(definition.Id);

            Assert.Equal(definition.Id, byName.GetUUID());
            Assert.Equal(definition.Name, byUuid.GetName());
            Assert.True(byName.IsPersistent());
            Assert.False(byName.IsActive());
            var info = byUuid.GetInfo();
            Assert.Equal(256UL * 1024, info.MaxMemoryKiB);
            Assert.Equal(1, info.VirtualCpus);
            byName.SetAutostart(true);
            Assert.True(byUuid.GetAutostart());
        }
        finally
        {
            defined.UndefineFlags();
        }
    }

    [Fact]
    public void Listing_with_flags_separates_running_from_stopped_domains()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var name = TestDriver.UniqueName("list");
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(name)));
        try
        {
            Assert.Contains(Names(connection.ListAllDomains(VirConnectListAllDomainsFlags.Inactive)), candidate => candidate == name);
            Assert.DoesNotContain(Names(connection.ListAllDomains(VirConnectListAllDomainsFlags.Active)), candidate => candidate == name);
            domain.CreateWithFlags();
            Assert.Contains(Names(connection.ListAllDomains(VirConnectListAllDomainsFlags.Running)), candidate => candidate == name);
            domain.DestroyFlags();
        }
        finally
        {
            domain.UndefineFlags();
        }
    }

    [Fact]
    public void A_transient_domain_runs_at_once_and_disappears_when_destroyed()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        var definition = Desktops.Linux(TestDriver.UniqueName("volatile"));
        using (var domain = connection.DomainCreateXML(TestDriver.DesktopXml(connection, definition)))
        {
            Assert.True(domain.IsActive());
            Assert.False(domain.IsPersistent());
            domain.DestroyFlags();
        }

        var error = Assert.Throws<LibvirtException>(() => connection.DomainLookupByUUID(definition.Id));
        Assert.Equal(VirErrorCode.NoDomain, error.Code);
    }

    [Fact]
    public void Our_metadata_element_is_stored_and_read_back_by_namespace()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(TestDriver.UniqueName("meta"))));
        try
        {
            var uri = RavadaMetadata.Namespace.NamespaceName;
            // libvirt hands the element back without its namespace: the namespace is the key.
            var stored = XElement.Parse(domain.GetMetadata(VirDomainMetadataType.Element, uri));
            Assert.Equal("alice", stored.Element("owner")?.Value);

            domain.SetMetadata(VirDomainMetadataType.Element, "<machine><owner>bob</owner></machine>", RavadaMetadata.Prefix, uri);
            Assert.Equal("bob", XElement.Parse(domain.GetMetadata(VirDomainMetadataType.Element, uri)).Element("owner")?.Value);

            domain.SetMetadata(VirDomainMetadataType.Element, null, null, uri);
            var error = Assert.Throws<LibvirtException>(() => domain.GetMetadata(VirDomainMetadataType.Element, uri));
            Assert.Equal(VirErrorCode.NoDomainMetadata, error.Code);
        }
        finally
        {
            domain.UndefineFlags();
        }
    }

    [Fact]
    public void The_secure_xml_flag_reveals_display_passwords_that_the_plain_xml_hides()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(TestDriver.UniqueName("secure"))));
        try
        {
            Assert.DoesNotContain("vncpass1", domain.GetXMLDesc(), StringComparison.Ordinal);
            Assert.Contains("vncpass1", domain.GetXMLDesc(VirDomainXmlFlags.Secure), StringComparison.Ordinal);
        }
        finally
        {
            domain.UndefineFlags();
        }
    }

    [Fact]
    public void Interface_addresses_are_reported_for_a_running_domain()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        using var domain = connection.DomainDefineXMLFlags(TestDriver.DesktopXml(connection, Desktops.Linux(TestDriver.UniqueName("nic")) with { Network = "default" }));
        try
        {
            domain.CreateWithFlags();
            var interfaces = domain.InterfaceAddresses(VirDomainInterfaceAddressesSource.Lease);
            var nic = Assert.Single(interfaces);
            Assert.NotNull(nic.HardwareAddress);
            Assert.Contains(nic.Addresses, address => address.Type == VirIPAddrType.IPv4);
            domain.DestroyFlags();
        }
        finally
        {
            domain.UndefineFlags();
        }
    }

    private static List<string> Names(IReadOnlyList<VirDomain> domains)
    {
        var names = domains.Select(domain => domain.GetName()).ToList();
        foreach (var domain in domains)
        {
            domain.Dispose();
        }

        return names;
    }
}
