using System.Globalization;
using System.Text;
using Ravada.Core.Firewall;

namespace Ravada.Firewall;

/// <summary>
/// The display chain written as iptables writes it back (<c>iptables -S</c>), so that the chain in the kernel
/// can be compared with the wanted one line by line, and as input for <c>iptables-restore --noflush</c>.
/// </summary>
internal static class IptablesSyntax
{
    /// <summary>The chain every jump comes from.</summary>
    public const string InputChain = "INPUT";

    /// <summary>
    /// The jump from INPUT, without <c>-A INPUT</c>: only TCP connection requests (SYN without ACK) to the display
    /// range enter the chain. Replies to the host's own outgoing connections, whose local ports may lie in the
    /// range, never do; nor do packets of connections already accepted.
    /// </summary>
    public static string JumpSpecification(string chain, PortRange displayPorts) =>
        $"-p tcp -m tcp --dport {Ports(displayPorts)} --tcp-flags FIN,SYN,RST,ACK SYN -j {chain}";

    /// <summary>What <c>iptables -S <paramref name="chain"/></c> prints when the chain holds exactly <paramref name="rules"/>.</summary>
    public static IReadOnlyList<string> Listing(string chain, IEnumerable<FirewallRule> rules) =>
        [$"-N {chain}", .. rules.Select(rule => RuleLine(chain, rule))];

    /// <summary>One rule as <c>-A chain …</c>.</summary>
    public static string RuleLine(string chain, FirewallRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var line = new StringBuilder("-A ").Append(chain);
        if (rule.Source is { } source)
        {
            line.Append(" -s ").Append(source.ToString());
        }

        if (rule.LoopbackOnly)
        {
            line.Append(" -i lo");
        }

        line.Append(" -p tcp -m tcp --dport ").Append(Ports(rule.Ports));
        line.Append(rule.Verdict switch
        {
            FirewallVerdict.Accept => " -j ACCEPT",
            FirewallVerdict.Drop => " -j DROP",
            _ => " -j RETURN",
        });
        return line.ToString();
    }

    /// <summary>
    /// One transaction for <c>iptables-restore --noflush</c>: declaring the chain empties it (or creates it), the
    /// rules follow, and the jump from INPUT is inserted when missing. <paramref name="strayJumps"/> are jumps to the
    /// chain other than the wanted one, or its duplicates, given as the text after <c>-A INPUT </c>; they are deleted.
    /// </summary>
    public static string RestoreInput(string chain, IEnumerable<FirewallRule> rules, PortRange displayPorts, bool jumpPresent, IEnumerable<string> strayJumps)
    {
        var input = new StringBuilder("*filter\n");
        input.Append(':').Append(chain).Append(" - [0:0]\n");
        foreach (var rule in rules)
        {
            input.Append(RuleLine(chain, rule)).Append('\n');
        }

        foreach (var stray in strayJumps)
        {
            input.Append("-D ").Append(InputChain).Append(' ').Append(stray).Append('\n');
        }

        if (!jumpPresent)
        {
            input.Append("-I ").Append(InputChain).Append(" 1 ").Append(JumpSpecification(chain, displayPorts)).Append('\n');
        }

        return input.Append("COMMIT\n").ToString();
    }

    /// <summary>The jumps to <paramref name="chain"/> in a listing of INPUT, as the text after <c>-A INPUT </c>.</summary>
    public static IReadOnlyList<string> JumpsTo(string chain, IEnumerable<string> inputListing)
    {
        var prefix = $"-A {InputChain} ";
        var target = $" -j {chain}";
        return [.. inputListing
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith(target, StringComparison.Ordinal))
            .Select(line => line[prefix.Length..])];
    }

    /// <summary>The lines of a listing, without blanks.</summary>
    public static IReadOnlyList<string> Lines(string listing) =>
        [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Ports(PortRange ports) => ports.First == ports.Last
        ? ports.First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{ports.First}:{ports.Last}");
}
