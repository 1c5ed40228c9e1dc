using System.Net.Sockets;
using Ravada.Core.Hypervisor;
using Ravada.Firewall.Tests.Support;

namespace Ravada.Firewall.Tests.Real;

/// <summary>
/// The chain in the kernel, tested with real connections: from network namespaces over veth pairs to
/// listeners standing for a machine's displays on this host.
/// </summary>
public sealed class DisplayChainTests
{
    public static TheoryData<AddressFamily> Families => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    [Theory, MemberData(nameof(Families))]
    public async Task The_owner_reaches_the_displays_of_its_running_machine_and_a_stranger_does_not_even_after_a_flush(AddressFamily family)
    {
        await using var bed = await FirewallBed.CreateAsync();
        await bed.RunMachineAsync(bed.Owner.Client(family));
        Assert.True(await bed.ConvergesAsync(), "the chain was not applied in time");

        await AssertOnlyOwnerAndAdminReachTheMachineAsync(bed, family);
        Assert.False(await NetworkBed.ConnectsAsync(bed.Owner, family, bed.OtherPort), "the owner reached a display port that is not its machine's");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Admin, family, bed.OtherPort), "the admin workstation did not reach every display port");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Stranger, family, bed.PortalPort), "the portal's port in the display range was dropped");

        await FirewallBed.IptablesAsync(family, "-F", bed.Chain);
        Assert.True(await bed.ConvergesAsync(), "the flushed chain was not restored in time");
        await AssertOnlyOwnerAndAdminReachTheMachineAsync(bed, family);

        var jump = Assert.Single(await bed.InputLinesAsync(family));
        await FirewallBed.IptablesAsync(family, ["-D", "INPUT", .. jump["-A INPUT ".Length..].Split(' ')]);
        Assert.True(await bed.ConvergesAsync(), "the deleted jump was not restored in time");
        Assert.False(await NetworkBed.ConnectsAsync(bed.Stranger, family, bed.DisplayPort), "a stranger reached the display after the jump was restored");
    }

    [Theory]
    [InlineData(MachineState.ShutOff)]
    [InlineData(MachineState.Paused)]
    [InlineData(MachineState.Hibernated)]
    public async Task Nobody_but_the_administrators_reaches_the_displays_once_the_machine_stops_pauses_or_hibernates(MachineState state)
    {
        await using var bed = await FirewallBed.CreateAsync();
        await bed.RunMachineAsync(bed.Owner.ClientV4);
        Assert.True(await bed.ConvergesAsync(), "the chain was not applied in time");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Owner, AddressFamily.InterNetwork, bed.DisplayPort), "the owner did not reach its running machine");

        await bed.RecordStateAsync(state);

        Assert.True(await bed.ConvergesAsync(), "the chain did not follow the machine's state in time");
        Assert.False(await NetworkBed.ConnectsAsync(bed.Owner, AddressFamily.InterNetwork, bed.DisplayPort), $"the owner still reached the display of a machine {state}");
        Assert.False(await NetworkBed.ConnectsAsync(bed.Stranger, AddressFamily.InterNetwork, bed.DisplayPort), "a stranger reached the display");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Admin, AddressFamily.InterNetwork, bed.DisplayPort), "the admin workstation lost its access");
    }

    [Fact]
    public async Task After_a_back_end_restart_the_chain_is_what_the_database_says_whatever_happened_meanwhile()
    {
        await using var bed = await FirewallBed.CreateAsync();
        await bed.RunMachineAsync(bed.Owner.ClientV4);
        Assert.True(await bed.ConvergesAsync(), "the chain was not applied in time");

        await bed.StopBackEndAsync();
        await FirewallBed.IptablesAsync(AddressFamily.InterNetwork, "-F", bed.Chain);
        await FirewallBed.IptablesAsync(AddressFamily.InterNetworkV6, "-F", bed.Chain);
        await bed.StartBackEndAsync();
        // While it was away the machine was started again, for another client.
        await bed.RunMachineAsync(bed.Stranger.ClientV6);

        Assert.True(await bed.ConvergesAsync(), "the chain was not right in time after the restart");
        Assert.False(await NetworkBed.ConnectsAsync(bed.Owner, AddressFamily.InterNetwork, bed.DisplayPort), "the previous client kept its access");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Stranger, AddressFamily.InterNetworkV6, bed.DisplayPort), "the new client did not get access");
    }

    [Fact]
    public async Task INPUT_gets_one_jump_for_new_connections_to_the_display_range_and_removing_the_chain_leaves_nothing()
    {
        await using var bed = await FirewallBed.CreateAsync();
        Assert.True(await bed.ConvergesAsync(), "the chain was not applied in time");
        await bed.Firewall.ConvergeAsync(TestContext.Current.CancellationToken);

        foreach (var family in FirewallBed.FamiliesOf)
        {
            Assert.Equal(
                [$"-A INPUT -p tcp -m tcp --dport {bed.FirstPort}:{bed.FirstPort + 9} --tcp-flags FIN,SYN,RST,ACK SYN -j {bed.Chain}"],
                await bed.InputLinesAsync(family));
        }

        await bed.StopBackEndAsync();
        await bed.StartBackEndAsync();
        Assert.True(await bed.ConvergesAsync(), "the chain was not right after the restart");
        await bed.Firewall.RemoveAsync(TestContext.Current.CancellationToken);
        await bed.StopBackEndAsync();

        foreach (var family in FirewallBed.FamiliesOf)
        {
            Assert.Empty(await bed.InputLinesAsync(family));
            Assert.DoesNotContain($"-N {bed.Chain}", await FirewallBed.IptablesAsync(family, "-S"), StringComparison.Ordinal);
        }
    }

    private static async Task AssertOnlyOwnerAndAdminReachTheMachineAsync(FirewallBed bed, AddressFamily family)
    {
        Assert.True(await NetworkBed.ConnectsAsync(bed.Owner, family, bed.DisplayPort), "the owner did not reach its display");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Owner, family, bed.TlsPort), "the owner did not reach its TLS display port");
        Assert.True(await NetworkBed.ConnectsAsync(bed.Admin, family, bed.DisplayPort), "the admin workstation did not reach the display");
        Assert.False(await NetworkBed.ConnectsAsync(bed.Stranger, family, bed.DisplayPort), "a stranger reached the display");
    }
}
