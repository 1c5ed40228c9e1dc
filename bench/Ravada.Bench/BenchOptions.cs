namespace Ravada.Bench;

/// <summary>The command line of the benchmark.</summary>
/// <param name="OutputPath">Where to write the Markdown report; null to print the table only.</param>
/// <param name="IdleGuestDirectory">Where build-idle-guest.sh put vmlinuz and initramfs.gz.</param>
/// <param name="Quick">Few runs, to check that everything works; the numbers are not for publishing.</param>
internal sealed record BenchOptions(string? OutputPath, string IdleGuestDirectory, bool Quick)
{
    public const string Usage = """
        usage: Ravada.Bench [--output FILE.md] [--idle-guest DIR] [--quick]
          --output FILE.md   also write the results, with the machine's description, as Markdown
          --idle-guest DIR   where tests/guests/build-idle-guest.sh put the idle guest (default /var/tmp/ravada-idle-guest)
          --quick            a few runs only, to check that everything works; not for publishing
        Runs as root against qemu:///system; bench/run.sh installs and starts what it needs.
        """;

    private const string DefaultIdleGuestDirectory = "/var/tmp/ravada-idle-guest";

    /// <summary>Reads the arguments; null when they are wrong or help was asked for.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new BenchOptions(null, DefaultIdleGuestDirectory, Quick: false);
        for (var index = 0; index < arguments.Count; index++)
        {
            switch (arguments[index])
            {
                case "--output" when index + 1 < arguments.Count:
                    options = options with { OutputPath = arguments[++index] };
                    break;
                case "--idle-guest" when index + 1 < arguments.Count:
                    options = options with { IdleGuestDirectory = arguments[++index] };
                    break;
                case "--quick":
                    options = options with { Quick = true };
                    break;
                default:
                    return null;
            }
        }

        return options;
    }
}
