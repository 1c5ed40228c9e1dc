using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Ravada.Core.Firewall;

namespace Ravada.Firewall;

/// <summary>
/// The display firewall: the <c>firewall</c> section of <c>/etc/ravada.conf</c>, and the top-level
/// <c>admin_workstations</c>.
/// </summary>
public sealed partial class FirewallOptions
{
    /// <summary>Whether rvd_back keeps the chain; without it, nothing is written to iptables.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>The name of the chain in the filter table of iptables and ip6tables.</summary>
    [ConfigurationKeyName("chain")]
    public string Chain { get; set; } = "ravada";

    /// <summary>The lowest port of the range the chain guards.</summary>
    [ConfigurationKeyName("display_port_min")]
    public int DisplayPortMin { get; set; } = 5900;

    /// <summary>The highest port of that range.</summary>
    [ConfigurationKeyName("display_port_max")]
    public int DisplayPortMax { get; set; } = 65535;

    /// <summary>How often the chain in the kernel is compared with the wanted one, besides after each change of machine state.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Ports of this host's other services (rvd_front's <c>frontend.port</c>), never dropped by the chain.</summary>
    public IList<int> ServicePorts { get; } = [];

    /// <summary>Networks that reach every display port (<c>admin_workstations</c>, already CIDR networks).</summary>
    public IList<string> AdminWorkstations { get; } = [];

    /// <summary>The guarded port range.</summary>
    public PortRange DisplayPorts => new(DisplayPortMin, DisplayPortMax);

    /// <summary>The administrator workstations as networks.</summary>
    public IEnumerable<IPNetwork> AdminNetworks => AdminWorkstations.Select(text => IPNetwork.Parse(text));

    /// <summary>Checks the values; returns the problems, naming the key.</summary>
    public IEnumerable<string> Validate()
    {
        if (!ChainName().IsMatch(Chain))
        {
            yield return $"firewall.chain: '{Chain}' is not a chain name (1 to 28 letters, digits, '_' or '-', not starting with '-')";
        }

        if (DisplayPortMin is < 1 or > 65535 || DisplayPortMax is < 1 or > 65535 || DisplayPortMin > DisplayPortMax)
        {
            yield return $"firewall.display_port_min and display_port_max: {DisplayPortMin}-{DisplayPortMax} is not a port range";
        }

        if (CheckInterval <= TimeSpan.Zero)
        {
            yield return "the firewall check interval must be positive";
        }

        foreach (var text in AdminWorkstations.Where(text => !IPNetwork.TryParse(text, out _)))
        {
            yield return $"admin_workstations: '{text}' is not a network";
        }
    }

    // iptables takes chain names of at most 28 characters (XT_EXTENSION_MAXNAMELEN - 1 = 28).
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_-]{0,27}$")]
    private static partial Regex ChainName();
}
