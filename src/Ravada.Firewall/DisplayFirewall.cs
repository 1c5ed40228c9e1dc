using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Firewall;
using Ravada.Core.Machines;

namespace Ravada.Firewall;

/// <summary>
/// Keeps the display chain equal to what the database says: computes the wanted rules, reads the chain back
/// from iptables and ip6tables, and rewrites it in one transaction when they differ.
/// </summary>
public sealed partial class DisplayFirewall
{
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private readonly IMachineStore machines;
    private readonly FirewallOptions options;
    private readonly ILogger<DisplayFirewall> logger;

    /// <summary>A firewall for the machines of <paramref name="machines"/>.</summary>
    public DisplayFirewall(IMachineStore machines, IOptions<FirewallOptions> options, ILogger<DisplayFirewall> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.machines = machines;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>The chain this firewall keeps.</summary>
    public string Chain => options.Chain;

    /// <summary>The rules the database asks for now.</summary>
    public async Task<DisplayRuleSet> WantedAsync(CancellationToken cancellationToken) =>
        DisplayFirewallPolicy.Compute(options.AdminNetworks, options.DisplayPorts, await machines.ListOpenDisplaysAsync(cancellationToken), options.ServicePorts);

    /// <summary>
    /// Brings the chain of both IP versions in line with the database; returns how many of them had to be
    /// rewritten. Both are tried even when one fails; then a <see cref="FirewallException"/> names the failures.
    /// </summary>
    public async Task<int> ConvergeAsync(CancellationToken cancellationToken)
    {
        var wanted = await WantedAsync(cancellationToken);
        var rewritten = 0;
        var failures = new List<string>();
        foreach (var family in Families)
        {
            try
            {
                if (await ConvergeAsync(family, wanted.For(family), cancellationToken))
                {
                    rewritten++;
                }
            }
            catch (FirewallException exception)
            {
                failures.Add(exception.Message);
            }
        }

        return failures.Count == 0 ? rewritten : throw new FirewallException(string.Join("; ", failures));
    }

    /// <summary>Whether the chain of <paramref name="family"/> holds exactly the wanted rules with one jump to it.</summary>
    public async Task<bool> IsConvergedAsync(AddressFamily family, CancellationToken cancellationToken) =>
        Matches(await Iptables.ReadAsync(family, options.Chain, cancellationToken), (await WantedAsync(cancellationToken)).For(family));

    /// <summary>Removes the jumps and the chain from both IP versions (after this, the display ports are open to all).</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        foreach (var family in Families)
        {
            await Iptables.RemoveAsync(family, options.Chain, cancellationToken);
        }
    }

    private async Task<bool> ConvergeAsync(AddressFamily family, IReadOnlyList<FirewallRule> rules, CancellationToken cancellationToken)
    {
        var current = await Iptables.ReadAsync(family, options.Chain, cancellationToken);
        if (Matches(current, rules))
        {
            return false;
        }

        await Iptables.ApplyAsync(family, options.Chain, rules, options.DisplayPorts, current, cancellationToken);
        LogRewritten(logger, options.Chain, family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4", rules.Count, current.ChainListing.Count == 0);
        return true;
    }

    private bool Matches(ChainState current, IReadOnlyList<FirewallRule> rules) =>
        current.ChainListing.SequenceEqual(IptablesSyntax.Listing(options.Chain, rules), StringComparer.Ordinal)
        && current.Jumps.Count == 1
        && current.Jumps[0] == IptablesSyntax.JumpSpecification(options.Chain, options.DisplayPorts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Firewall chain {Chain} ({Version}) rewritten with {Rules} rules (it was missing: {WasMissing})")]
    private static partial void LogRewritten(ILogger logger, string chain, string version, int rules, bool wasMissing);
}
