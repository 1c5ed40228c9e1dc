using System.Net;
using Ravada.Core.Firewall;

namespace Ravada.Firewall.Tests;

public sealed class IptablesSyntaxTests
{
    private static readonly PortRange Displays = new(5900, 65535);

    [Fact]
    public void Rules_are_written_the_way_iptables_lists_them()
    {
        Assert.Equal(
            [
                "-N ravada",
                "-A ravada -p tcp -m tcp --dport 8081 -j RETURN",
                "-A ravada -i lo -p tcp -m tcp --dport 5900:65535 -j ACCEPT",
                "-A ravada -s 192.168.1.0/24 -p tcp -m tcp --dport 5900:65535 -j ACCEPT",
                "-A ravada -s 2001:db8::20/128 -p tcp -m tcp --dport 5901 -j ACCEPT",
                "-A ravada -p tcp -m tcp --dport 5900:65535 -j DROP",
            ],
            IptablesSyntax.Listing("ravada", [
                new FirewallRule(null, LoopbackOnly: false, PortRange.OnePort(8081), FirewallVerdict.Return),
                new FirewallRule(null, LoopbackOnly: true, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("192.168.1.0/24"), LoopbackOnly: false, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("2001:db8::20/128"), LoopbackOnly: false, PortRange.OnePort(5901), FirewallVerdict.Accept),
                new FirewallRule(null, LoopbackOnly: false, Displays, FirewallVerdict.Drop),
            ]));
    }

    [Fact]
    public void One_transaction_empties_the_chain_refills_it_and_inserts_the_missing_jump_first_in_INPUT()
    {
        var input = IptablesSyntax.RestoreInput("ravada", [new FirewallRule(null, LoopbackOnly: false, Displays, FirewallVerdict.Drop)], Displays, jumpPresent: false, []);

        Assert.Equal(
            """
            *filter
            :ravada - [0:0]
            -A ravada -p tcp -m tcp --dport 5900:65535 -j DROP
            -I INPUT 1 -p tcp -m tcp --dport 5900:65535 --tcp-flags FIN,SYN,RST,ACK SYN -j ravada
            COMMIT

            """,
            input);
    }

    [Fact]
    public void A_present_jump_is_left_alone_and_stray_jumps_are_deleted_in_the_same_transaction()
    {
        var input = IptablesSyntax.RestoreInput("ravada", [], Displays, jumpPresent: true, ["-p tcp -m tcp --dport 5900:5999 -j ravada"]);

        Assert.Equal("*filter\n:ravada - [0:0]\n-D INPUT -p tcp -m tcp --dport 5900:5999 -j ravada\nCOMMIT\n", input);
    }

    [Fact]
    public void Jumps_to_the_chain_are_found_among_the_other_rules_of_INPUT()
    {
        string[] listing =
        [
            "-P INPUT ACCEPT",
            "-A INPUT -p tcp -m tcp --dport 5900:65535 --tcp-flags FIN,SYN,RST,ACK SYN -j ravada",
            "-A INPUT -j LIBVIRT_INP",
            "-A INPUT -p tcp -m tcp --dport 5900:65535 -j ravada-other",
            "-A INPUT -p tcp -m tcp --dport 5900 -j ravada",
        ];

        Assert.Equal(
            ["-p tcp -m tcp --dport 5900:65535 --tcp-flags FIN,SYN,RST,ACK SYN -j ravada", "-p tcp -m tcp --dport 5900 -j ravada"],
            IptablesSyntax.JumpsTo("ravada", listing));
    }
}
