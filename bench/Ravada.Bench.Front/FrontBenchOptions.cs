namespace Ravada.Bench.Front;

/// <summary>The command line of the front-end suite.</summary>
/// <param name="RvdFront">The published rvd_front.dll.</param>
/// <param name="RvdBack">The published rvd_back.dll (for the click-to-display benchmark).</param>
/// <param name="IdleGuest">The directory of the built idle guest (idle.iso).</param>
/// <param name="Chromium">The browser Playwright drives.</param>
/// <param name="OutputPath">docs/benchmarks.md, whose front-end block is rewritten; null to print only.</param>
/// <param name="Quick">A smoke test: few runs, numbers not for publishing.</param>
/// <param name="Only">Run only this benchmark; its section and summary rows replace theirs in the existing block.</param>
internal sealed record FrontBenchOptions(string RvdFront, string RvdBack, string IdleGuest, string Chromium, string? OutputPath, bool Quick, string? Only)
{
    public static readonly string[] BenchmarkNames = ["memory", "page", "sse", "console", "click", "flood"];

    public const string Usage = """
        usage: Ravada.Bench.Front --rvd-front DLL --rvd-back DLL --idle-guest DIR [--chromium PATH] [--output FILE] [--quick] [--only NAME]
          --rvd-front DLL   the published rvd_front.dll (bench/run.sh publishes it to artifacts/rvd_front)
          --rvd-back DLL    the published rvd_back.dll (artifacts/rvd_back)
          --idle-guest DIR  the idle test guest's directory (tests/guests/build-idle-guest.sh DIR)
          --chromium PATH   the browser (default /usr/bin/chromium, Debian's package)
          --output FILE     rewrite the front-end block of FILE (docs/benchmarks.md), keeping everything else
          --quick           a smoke test in a few minutes: too few runs for the numbers to mean much
          --only NAME       run one benchmark (memory, page, sse, console, click, flood) and print it; with --output,
                            its section and summary rows replace theirs in the block, the rest of the block stays
                            (not for memory, whose numbers depend on the benchmarks run before it)
        """;

    public static FrontBenchOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? front = null, back = null, idle = null, output = null, only = null;
        var chromium = "/usr/bin/chromium";
        var quick = false;
        for (var index = 0; index < args.Length; index++)
        {
            var value = index + 1 < args.Length ? args[index + 1] : null;
            switch (args[index])
            {
                case "--rvd-front" when value is not null: front = value; index++; break;
                case "--rvd-back" when value is not null: back = value; index++; break;
                case "--idle-guest" when value is not null: idle = value; index++; break;
                case "--chromium" when value is not null: chromium = value; index++; break;
                case "--output" when value is not null: output = value; index++; break;
                case "--only" when value is not null && BenchmarkNames.Contains(value): only = value; index++; break;
                case "--quick": quick = true; break;
                default: return null;
            }
        }

        // The memory section's second row speaks of the load of the sections run before it in the same process.
        return front is null || back is null || idle is null || (only == "memory" && output is not null) ? null : new FrontBenchOptions(front, back, idle, chromium, output, quick, only);
    }

    public bool Runs(string benchmark) => Only is null || Only == benchmark;
}

/// <summary>How much each benchmark does, for a published run and for a smoke test.</summary>
internal sealed record FrontBenchSizes(
    int Bases,
    int Machines,
    int PageWarmup,
    int PageRuns,
    int SseClients,
    int SseChanges,
    int ConsoleSessionsPerCore,
    TimeSpan ConsolePhase,
    int ConsoleRounds,
    TimeSpan Idle,
    int ClickRuns,
    int FloodAttackers,
    TimeSpan FloodPhase,
    int FloodRounds)
{
    public static readonly FrontBenchSizes Full = new(200, 1000, 100, 1000, 500, 30, 250, TimeSpan.FromSeconds(5), 6, TimeSpan.FromSeconds(60), 20, 20, TimeSpan.FromSeconds(5), 6);

    public static readonly FrontBenchSizes Quick = new(200, 1000, 20, 100, 500, 5, 250, TimeSpan.FromSeconds(3), 1, TimeSpan.FromSeconds(10), 2, 20, TimeSpan.FromSeconds(3), 1);
}
