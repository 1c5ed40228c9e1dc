using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.OnTestDriver;

public sealed class ConnectionTests
{
    [Fact]
    public void A_connection_reports_driver_versions_node_and_capabilities()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);

        Assert.Equal("TEST", connection.GetTypeName());
        Assert.Equal(TestDriver.Uri, connection.GetUri());
        Assert.True(connection.GetLibVersion() >= new Version(9, 0, 0));
        Assert.Equal(connection.GetLibVersion(), VirLibrary.GetVersion());
        Assert.True(connection.IsAlive());
        var node = connection.GetNodeInfo();
        Assert.Equal(16u, node.Cpus);
        Assert.True(node.MemoryKiB > 0);
        var features = HostFeatures.Parse(connection.GetCapabilities(), null);
        Assert.Contains("test", features.DomainTypes);
    }

    [Fact]
    public void The_test_driver_has_no_keepalive_and_says_so_without_throwing()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);

        Assert.False(connection.SetKeepAlive(5, 3));
    }

    [Fact]
    public void A_read_only_connection_reads_but_refuses_to_define()
    {
        using var connection = VirConnect.OpenReadOnly(TestDriver.Uri);

        Assert.NotEmpty(connection.ListAllDomains());
        var error = Assert.Throws<LibvirtException>(() => connection.DomainDefineXMLFlags("<domain type='test'><name>x</name><memory>1024</memory><os><type>hvm</type></os></domain>"));
        Assert.Equal(VirErrorCode.OperationDenied, error.Code);
    }

    [Fact]
    public void Opening_an_unknown_uri_fails_with_libvirts_code_and_message()
    {
        var error = Assert.Throws<LibvirtException>(() => VirConnect.Open("nosuchdriver:///nowhere"));

        Assert.Equal("virConnectOpen", error.Function);
        Assert.Equal(VirErrorCode.NoConnect, error.Code);
        Assert.False(string.IsNullOrEmpty(error.LibvirtMessage));
    }

    [Fact]
    public void The_event_loop_runs_on_one_dedicated_thread()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);

        Assert.NotNull(VirEventLoop.ThreadId);
        Assert.NotEqual(Environment.CurrentManagedThreadId, VirEventLoop.ThreadId);
    }

    [Fact]
    public async Task Work_can_be_run_on_the_event_loop_thread()
    {
        int? ranOn = null;

        await VirEventLoop.RunOnLoopAsync(() => ranOn = Environment.CurrentManagedThreadId);

        Assert.Equal(VirEventLoop.ThreadId, ranOn);
    }
}
