using System.Net;
using Ravada.Core.Firewall;

namespace Ravada.Firewall.Tests;

public sealed class DisplayFirewallPolicyTests
{
    private static readonly PortRange Displays = new(5900, 65535);

    [Fact]
    public void Without_machines_only_the_host_and_the_administrators_reach_the_range_and_the_rest_is_dropped()
    {
        var rules = DisplayFirewallPolicy.Compute([IPNetwork.Parse("192.168.1.10/32"), IPNetwork.Parse("2001:db8:10::/64"), IPNetwork.Parse("10.0.0.0/8")], Displays, []);

        Assert.Equal(
            [
                new FirewallRule(null, LoopbackOnly: true, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("192.168.1.10/32"), LoopbackOnly: false, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("10.0.0.0/8"), LoopbackOnly: false, Displays, FirewallVerdict.Accept),
                new FirewallRule(null, LoopbackOnly: false, Displays, FirewallVerdict.Drop),
            ],
            rules.Ipv4);
        Assert.Equal(
            [
                new FirewallRule(null, LoopbackOnly: true, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("2001:db8:10::/64"), LoopbackOnly: false, Displays, FirewallVerdict.Accept),
                new FirewallRule(null, LoopbackOnly: false, Displays, FirewallVerdict.Drop),
            ],
            rules.Ipv6);
    }

    [Fact]
    public void A_running_machine_opens_each_of_its_display_ports_to_its_viewer_only_between_the_administrators_and_the_drop()
    {
        var rules = DisplayFirewallPolicy.Compute(
            [IPNetwork.Parse("192.168.1.10/32")],
            Displays,
            [new OpenDisplay(7, "198.51.100.20", [5901, 5900]), new OpenDisplay(8, "2001:db8::20", [5902])]);

        Assert.Equal(
            [
                new FirewallRule(null, LoopbackOnly: true, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("192.168.1.10/32"), LoopbackOnly: false, Displays, FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("198.51.100.20/32"), LoopbackOnly: false, PortRange.OnePort(5900), FirewallVerdict.Accept),
                new FirewallRule(IPNetwork.Parse("198.51.100.20/32"), LoopbackOnly: false, PortRange.OnePort(5901), FirewallVerdict.Accept),
                new FirewallRule(null, LoopbackOnly: false, Displays, FirewallVerdict.Drop),
            ],
            rules.Ipv4);
        Assert.Equal(
            new FirewallRule(IPNetwork.Parse("2001:db8::20/128"), LoopbackOnly: false, PortRange.OnePort(5902), FirewallVerdict.Accept),
            rules.Ipv6[1]);
        Assert.Equal(3, rules.Ipv6.Count);
    }

    [Fact]
    public void A_machine_without_a_viewer_address_opens_nothing()
    {
        var rules = DisplayFirewallPolicy.Compute([], Displays, [new OpenDisplay(7, null, [5900])]);

        Assert.Equal(2, rules.Ipv4.Count);
        Assert.Equal(2, rules.Ipv6.Count);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("fe80::1%2")]
    [InlineData("")]
    public void A_viewer_address_that_is_no_usable_address_opens_nothing(string viewer)
    {
        var rules = DisplayFirewallPolicy.Compute([], Displays, [new OpenDisplay(7, viewer, [5900])]);

        Assert.DoesNotContain(rules.Ipv4.Concat(rules.Ipv6), rule => rule.Source is not null);
    }

    [Fact]
    public void An_IPv4_viewer_seen_through_a_dual_stack_socket_is_written_as_IPv4()
    {
        var rules = DisplayFirewallPolicy.Compute([], Displays, [new OpenDisplay(7, "::ffff:198.51.100.20", [5900])]);

        Assert.Equal(IPNetwork.Parse("198.51.100.20/32"), rules.Ipv4[1].Source);
        Assert.Equal(2, rules.Ipv6.Count);
    }

    [Fact]
    public void Ports_outside_the_guarded_range_need_no_rule_and_duplicates_give_one()
    {
        var rules = DisplayFirewallPolicy.Compute(
            [],
            new PortRange(5900, 5999),
            [new OpenDisplay(7, "198.51.100.20", [5900, 6000]), new OpenDisplay(8, "198.51.100.20", [5900])]);

        Assert.Equal(
            [PortRange.OnePort(5900)],
            rules.Ipv4.Where(rule => rule.Source is not null).Select(rule => rule.Ports));
    }

    [Fact]
    public void The_same_state_in_any_order_gives_the_same_rules()
    {
        OpenDisplay[] displays = [new(7, "198.51.100.20", [5901]), new(8, "198.51.100.3", [5900]), new(9, "2001:db8::1", [5903, 5902])];

        var forwards = DisplayFirewallPolicy.Compute([], Displays, displays);
        var backwards = DisplayFirewallPolicy.Compute([], Displays, displays.Reverse());

        Assert.Equal(forwards.Ipv4, backwards.Ipv4);
        Assert.Equal(forwards.Ipv6, backwards.Ipv6);
    }

    [Fact]
    public void The_portal_port_inside_the_range_is_left_to_the_rest_of_INPUT_before_anything_else()
    {
        var rules = DisplayFirewallPolicy.Compute([], Displays, [], servicePorts: [8081, 443]);

        Assert.Equal(new FirewallRule(null, LoopbackOnly: false, PortRange.OnePort(8081), FirewallVerdict.Return), rules.Ipv4[0]);
        Assert.Equal(new FirewallRule(null, LoopbackOnly: false, PortRange.OnePort(8081), FirewallVerdict.Return), rules.Ipv6[0]);
        Assert.Equal(3, rules.Ipv4.Count);
    }
}
