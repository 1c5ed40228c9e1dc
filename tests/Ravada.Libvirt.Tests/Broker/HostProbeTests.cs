using Ravada.Libvirt.Broker;

namespace Ravada.Libvirt.Tests.Broker;

public sealed class HostProbeTests
{
    [Theory]
    [InlineData("qemu:///system")]
    [InlineData("qemu:///session")]
    [InlineData("qemu+unix:///system?socket=/run/libvirt/libvirt-sock")]
    [InlineData("test:///default")]
    [InlineData("qemu+tcp://localhost/system")]
    [InlineData("qemu+tcp://LOCALHOST:16509/system")]
    [InlineData("qemu+ssh://root@localhost/system")]
    [InlineData("qemu+tcp://127.0.0.1/system")]
    [InlineData("qemu+tcp://[::1]/system")]
    [InlineData("qemu+tls://[::1]:16514/system")]
    public void Uris_without_a_host_or_naming_this_host_are_local(string uri)
    {
        Assert.True(HostProbe.IsLocal(uri));
    }

    [Theory]
    [InlineData("qemu+ssh://host/system")]
    [InlineData("qemu+ssh://root@node2.example.org/system")]
    [InlineData("qemu+tls://10.0.0.5/system")]
    [InlineData("qemu+tcp://[2001:db8::5]/system")]
    [InlineData("garbage")]
    [InlineData("")]
    public void Remote_hosts_and_garbage_are_not_local(string uri)
    {
        Assert.False(HostProbe.IsLocal(uri));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_remote_nodes_devices_cannot_be_inspected_so_its_libvirt_is_trusted(bool hypervisorOffersKvm)
    {
        var facts = new HostProbe().Probe("qemu+ssh://node2.example.org/system", hypervisorOffersKvm);

        Assert.Equal(hypervisorOffersKvm, facts.KvmDeviceUsable);
        Assert.Equal(hypervisorOffersKvm, facts.CpuHasVirtualizationExtensions);
        Assert.Equal(hypervisorOffersKvm, facts.HypervisorOffersKvm);
        Assert.Null(facts.KvmModule);
    }

    [Fact]
    public void A_local_probe_passes_on_what_libvirt_offers()
    {
        Assert.False(new HostProbe().Probe("qemu:///system", hypervisorOffersKvm: false).HypervisorOffersKvm);
        Assert.True(new HostProbe().Probe("qemu:///system", hypervisorOffersKvm: true).HypervisorOffersKvm);
    }
}
