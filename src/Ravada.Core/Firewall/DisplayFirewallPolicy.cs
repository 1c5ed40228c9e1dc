using System.Net;
using System.Net.Sockets;
using Ravada.Core.Hypervisor;

namespace Ravada.Core.Firewall;

/// <summary>A range of TCP ports, both ends included.</summary>
/// <param name="First">The lowest port.</param>
/// <param name="Last">The highest port.</param>
public readonly record struct PortRange(int First, int Last)
{
    /// <summary>One port.</summary>
    public static PortRange OnePort(int port) => new(port, port);

    /// <summary>Whether <paramref name="port"/> lies in the range.</summary>
    public bool Contains(int port) => port >= First && port <= Last;
}

/// <summary>The displays of a machine that runs, and the client address that asked for it.</summary>
/// <param name="MachineId">The machine.</param>
/// <param name="ViewerAddress">The client IP of the request that started it, as recorded (null when it came from the command line).</param>
/// <param name="Ports">Its display ports: plain and TLS, SPICE and VNC.</param>
public sealed record OpenDisplay(long MachineId, string? ViewerAddress, IReadOnlyList<int> Ports);

/// <summary>What a rule does with a new connection it matches.</summary>
public enum FirewallVerdict
{
    /// <summary>Let it in.</summary>
    Accept,

    /// <summary>Drop it silently.</summary>
    Drop,

    /// <summary>Leave it to the rest of INPUT: not a display's business.</summary>
    Return,
}

/// <summary>One rule of the display chain: TCP connections to <see cref="Ports"/>.</summary>
/// <param name="Source">The client network it matches; null for any source.</param>
/// <param name="LoopbackOnly">It matches only connections that arrive on the loopback interface (the host itself).</param>
/// <param name="Ports">The destination ports it matches.</param>
/// <param name="Verdict">What it does.</param>
public sealed record FirewallRule(IPNetwork? Source, bool LoopbackOnly, PortRange Ports, FirewallVerdict Verdict);

/// <summary>The ordered rules of the display chain, one list per IP version.</summary>
/// <param name="Ipv4">The rules for iptables.</param>
/// <param name="Ipv6">The rules for ip6tables.</param>
public sealed record DisplayRuleSet(IReadOnlyList<FirewallRule> Ipv4, IReadOnlyList<FirewallRule> Ipv6)
{
    /// <summary>The rules of one IP version.</summary>
    public IReadOnlyList<FirewallRule> For(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Ipv6 : Ipv4;
}

/// <summary>
/// Who may open a connection to a display port, computed from the recorded state alone: the host itself and
/// the administrator workstations reach the whole display port range; while a machine runs, the client that
/// asked for it reaches that machine's display ports; every other new connection to the range is dropped.
/// Ports of the range that belong to the host's other services (rvd_front's) are left to the rest of INPUT.
/// The same state always gives the same rules in the same order, so the chain in the kernel can be compared
/// with them line by line.
/// </summary>
public static class DisplayFirewallPolicy
{
    /// <summary>The machine states in which a machine's owner keeps access to its displays.</summary>
    public static IReadOnlyList<MachineState> OpenStates { get; } = [MachineState.Running, MachineState.ShuttingDown, MachineState.GuestSuspended];

    /// <summary>Computes the rules.</summary>
    /// <param name="adminWorkstations">Networks that reach every display port.</param>
    /// <param name="displayPorts">The port range the chain guards.</param>
    /// <param name="openDisplays">The displays of the machines in one of the <see cref="OpenStates"/>.</param>
    /// <param name="servicePorts">Ports on which the host serves something else than displays, such as rvd_front's.</param>
    public static DisplayRuleSet Compute(IEnumerable<IPNetwork> adminWorkstations, PortRange displayPorts, IEnumerable<OpenDisplay> openDisplays, IEnumerable<int>? servicePorts = null)
    {
        ArgumentNullException.ThrowIfNull(adminWorkstations);
        ArgumentNullException.ThrowIfNull(openDisplays);
        var admins = adminWorkstations.ToList();
        var services = (servicePorts ?? []).Where(displayPorts.Contains).Distinct().Order().ToList();
        var viewers = openDisplays
            .Select(display => (Address: ParseViewer(display.ViewerAddress), display.Ports))
            .Where(display => display.Address is not null)
            .SelectMany(display => display.Ports.Where(displayPorts.Contains).Select(port => (Address: display.Address!, Port: port)))
            .Distinct()
            .OrderBy(viewer => viewer.Port)
            .ThenBy(viewer => viewer.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        return new DisplayRuleSet(
            RulesFor(AddressFamily.InterNetwork, services, admins, displayPorts, viewers),
            RulesFor(AddressFamily.InterNetworkV6, services, admins, displayPorts, viewers));
    }

    /// <summary>
    /// The address a viewer's rule is written for, or null when <paramref name="text"/> is no IP address. An IPv4
    /// address seen through a dual-stack socket (<c>::ffff:192.0.2.7</c>) is the IPv4 address it stands for:
    /// the connection to the display arrives as IPv4.
    /// </summary>
    public static IPAddress? ParseViewer(string? text)
    {
        if (text is null || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static List<FirewallRule> RulesFor(
        AddressFamily family, List<int> servicePorts, List<IPNetwork> admins, PortRange displayPorts, List<(IPAddress Address, int Port)> viewers)
    {
        var rules = servicePorts.Select(port => new FirewallRule(null, LoopbackOnly: false, PortRange.OnePort(port), FirewallVerdict.Return)).ToList();
        rules.Add(new FirewallRule(null, LoopbackOnly: true, displayPorts, FirewallVerdict.Accept));
        rules.AddRange(admins
            .Where(network => network.BaseAddress.AddressFamily == family)
            .Distinct()
            .Select(network => new FirewallRule(network, LoopbackOnly: false, displayPorts, FirewallVerdict.Accept)));
        rules.AddRange(viewers
            .Where(viewer => viewer.Address.AddressFamily == family)
            .Select(viewer => new FirewallRule(new IPNetwork(viewer.Address, family == AddressFamily.InterNetwork ? 32 : 128), LoopbackOnly: false, PortRange.OnePort(viewer.Port), FirewallVerdict.Accept)));
        rules.Add(new FirewallRule(null, LoopbackOnly: false, displayPorts, FirewallVerdict.Drop));
        return rules;
    }
}
