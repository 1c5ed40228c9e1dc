using System.Globalization;

namespace Ravada.Bench;

/// <summary>Which benchmarks a run measures; each suite owns its own block of docs/benchmarks.md.</summary>
internal enum BenchSuite
{
    /// <summary>The binding and the hypervisor layer: native calls, clone disks, define + start.</summary>
    Binding,

    /// <summary>The whole back end: rvd_back as a process, its request queue, clones, bursts, idle cost.</summary>
    Backend,

    /// <summary>Both, binding first.</summary>
    All,
}

/// <summary>The command line of the benchmark.</summary>
/// <param name="OutputPath">Where to write the Markdown report; null to print the tables only.</param>
/// <param name="IdleGuestDirectory">Where build-idle-guest.sh put vmlinuz, initramfs.gz and idle.iso.</param>
/// <param name="Quick">Few runs, to check that everything works; the numbers are not for publishing.</param>
/// <param name="Suite">The suites to run.</param>
/// <param name="RvdBackProgram">The published rvd_back the back-end suite starts.</param>
/// <param name="IdleMinutes">How long the back-end suite leaves rvd_back idle before it reads its memory and CPU time.</param>
internal sealed record BenchOptions(string? OutputPath, string IdleGuestDirectory, bool Quick, BenchSuite Suite, string RvdBackProgram, int IdleMinutes)
{
    public const string Usage = """
        usage: Ravada.Bench [--suite binding|backend|all] [--output FILE.md] [--idle-guest DIR] [--rvd-back PROGRAM]
                            [--idle-minutes N] [--quick]
          --suite NAME         binding: native calls, clone disks, define + start (about 3 minutes);
                               backend: rvd_back as a process: request floor, click-to-running, burst, idle cost
                               (about 30 minutes); all: both (the default)
          --output FILE.md     also write the results as Markdown: only the blocks of the suites that ran are
                               replaced, the machine's description always
          --idle-guest DIR     where tests/guests/build-idle-guest.sh put the idle guest (default /var/tmp/ravada-idle-guest)
          --rvd-back PROGRAM   the published rvd_back the back-end suite starts (default artifacts/rvd_back/rvd_back,
                               where bench/run.sh publishes it)
          --idle-minutes N     how long rvd_back idles before its memory and CPU are read (default 10; 1 with --quick)
          --quick              a few runs only, to check that everything works; not for publishing
        Runs as root against qemu:///system; bench/run.sh installs and starts what it needs.
        """;

    private const string DefaultIdleGuestDirectory = "/var/tmp/ravada-idle-guest";
    private const string DefaultRvdBackProgram = "artifacts/rvd_back/rvd_back";
    private const int DefaultIdleMinutes = 10;
    private const int QuickIdleMinutes = 1;

    /// <summary>Whether the binding suite runs.</summary>
    public bool RunsBinding => Suite is BenchSuite.Binding or BenchSuite.All;

    /// <summary>Whether the back-end suite runs.</summary>
    public bool RunsBackend => Suite is BenchSuite.Backend or BenchSuite.All;

    /// <summary>Reads the arguments; null when they are wrong or help was asked for.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new BenchOptions(null, DefaultIdleGuestDirectory, Quick: false, BenchSuite.All, DefaultRvdBackProgram, DefaultIdleMinutes);
        int? idleMinutes = null;
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
                case "--rvd-back" when index + 1 < arguments.Count:
                    options = options with { RvdBackProgram = arguments[++index] };
                    break;
                case "--suite" when index + 1 < arguments.Count:
                    if (ParseSuite(arguments[++index]) is not { } suite)
                    {
                        return null;
                    }

                    options = options with { Suite = suite };
                    break;
                case "--idle-minutes" when index + 1 < arguments.Count:
                    if (!int.TryParse(arguments[++index], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
                    {
                        return null;
                    }

                    idleMinutes = minutes;
                    break;
                case "--quick":
                    options = options with { Quick = true };
                    break;
                default:
                    return null;
            }
        }

        return options with { IdleMinutes = idleMinutes ?? (options.Quick ? QuickIdleMinutes : DefaultIdleMinutes) };
    }

    private static BenchSuite? ParseSuite(string name) => name switch
    {
        "binding" => BenchSuite.Binding,
        "backend" => BenchSuite.Backend,
        "all" => BenchSuite.All,
        _ => null,
    };
}
