using System.Net.Sockets;
using Ravada.Core.Firewall;

namespace Ravada.Firewall;

/// <summary>The chain and the jumps to it as the kernel holds them for one IP version.</summary>
/// <param name="ChainListing">The lines of <c>iptables -S chain</c>; empty when the chain does not exist.</param>
/// <param name="Jumps">The jumps from INPUT to the chain, as the text after <c>-A INPUT </c>.</param>
internal sealed record ChainState(IReadOnlyList<string> ChainListing, IReadOnlyList<string> Jumps);

/// <summary>A failure of iptables or ip6tables.</summary>
public sealed class FirewallException(string message) : Exception(message);

/// <summary>iptables and ip6tables, run as programs: <c>-S</c> to read, <c>-restore --noflush</c> to write atomically.</summary>
internal static class Iptables
{
    /// <summary>Reads the chain and INPUT's jumps to it.</summary>
    public static async Task<ChainState> ReadAsync(AddressFamily family, string chain, CancellationToken cancellationToken)
    {
        var input = await RunAsync(family, ["-w", "-S", IptablesSyntax.InputChain], null, cancellationToken);
        // A chain that does not exist makes -S fail; the next converge creates it.
        var listing = await ProcessRunner.RunAsync(Program(family), ["-w", "-S", chain], null, cancellationToken);
        return new ChainState(
            listing.ExitCode == 0 ? IptablesSyntax.Lines(listing.Output) : [],
            IptablesSyntax.JumpsTo(chain, IptablesSyntax.Lines(input.Output)));
    }

    /// <summary>Replaces the chain's rules and repairs the jumps in one transaction.</summary>
    public static async Task ApplyAsync(
        AddressFamily family, string chain, IReadOnlyList<FirewallRule> rules, PortRange displayPorts, ChainState current, CancellationToken cancellationToken)
    {
        var wanted = IptablesSyntax.JumpSpecification(chain, displayPorts);
        var jumpPresent = current.Jumps.Contains(wanted);
        var strays = current.Jumps.Where(jump => jump != wanted).Concat(current.Jumps.Where(jump => jump == wanted).Skip(1));
        var input = IptablesSyntax.RestoreInput(chain, rules, displayPorts, jumpPresent, strays);
        await RunAsync(family, RestoreProgram(family), ["-w", "--noflush"], input, cancellationToken);
    }

    /// <summary>Deletes every jump to the chain, then the chain itself; nothing happens when it is absent.</summary>
    public static async Task RemoveAsync(AddressFamily family, string chain, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(family, chain, cancellationToken);
        foreach (var jump in current.Jumps)
        {
            await RunAsync(family, ["-w", "-D", IptablesSyntax.InputChain, .. jump.Split(' ')], null, cancellationToken);
        }

        if (current.ChainListing.Count > 0)
        {
            await RunAsync(family, ["-w", "-F", chain], null, cancellationToken);
            await RunAsync(family, ["-w", "-X", chain], null, cancellationToken);
        }
    }

    private static string Program(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ip6tables" : "iptables";

    private static string RestoreProgram(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ip6tables-restore" : "iptables-restore";

    private static Task<ProcessResult> RunAsync(AddressFamily family, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken) =>
        RunAsync(family, Program(family), arguments, input, cancellationToken);

    private static async Task<ProcessResult> RunAsync(AddressFamily family, string program, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(program, arguments, input, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new FirewallException($"{program} could not be run ({exception.Message}): install the iptables package");
        }

        if (result.ExitCode != 0)
        {
            var version = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
            throw new FirewallException($"{program} {string.Join(' ', arguments)} failed for {version} (exit {result.ExitCode}): {result.Error.Trim()}");
        }

        return result;
    }
}
