using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Ravada.Bench.Front;

/// <summary>
/// 6. Another user's page without and during a flood of bad logins (issue 5): the user's <c>GET /</c>, one request
/// at a time as in section 1, in quiet phases and in phases where attackers, each from a loopback address of its
/// own, submit the login form as fast as it answers. The two kinds of phase take turns.
/// </summary>
internal static class LoginFloodBenchmark
{
    public const string Title = "Other users' page during a flood of bad logins";
    private const double TargetRatio = 2;

    public static async Task<BenchmarkSection> RunAsync(PortalBed bed, SeededPortal seed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        using var user = new PortalSession(bed.BaseAddress);
        await user.LoginAsync(seed.Heavy.Name, PortalSeed.Password, cancellationToken);
        for (var run = 0; run < sizes.PageWarmup; run++)
        {
            await UserPageBenchmark.MeasureAsync(user, cancellationToken);
        }

        var quiet = new Samples();
        var flooded = new Samples();
        var answers = new AnswerTally();
        var floodCpu = TimeSpan.Zero;
        var benchCpu = TimeSpan.Zero;
        var floodTime = TimeSpan.Zero;
        var quietThreads = 0L;
        var floodThreads = 0L;
        using var benchmarkProcess = Process.GetCurrentProcess();
        for (var round = 0; round < sizes.FloodRounds; round++)
        {
            await MeasureForAsync(user, sizes.FloodPhase, quiet, cancellationToken);
            quietThreads = Math.Max(quietThreads, front.Threads());

            var stopAttack = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var attacking = new Countdown(sizes.FloodAttackers);
            var attackers = new List<Task>(sizes.FloodAttackers);
            for (var attacker = 0; attacker < sizes.FloodAttackers; attacker++)
            {
                attackers.Add(AttackAsync(bed, seed, attacker, answers, attacking, stopAttack.Token));
            }

            try
            {
                // The measurement starts once every attacker has had its first answer, so the whole phase is flooded.
                var allAttackers = Task.WhenAll(attackers);
                if (await Task.WhenAny(attacking.Done, allAttackers).WaitAsync(cancellationToken) == allAttackers)
                {
                    await allAttackers;
                }

                var cpuBefore = front.CpuTime();
                benchmarkProcess.Refresh();
                var benchCpuBefore = benchmarkProcess.TotalProcessorTime;
                var started = Elapsed.Now();
                await MeasureForAsync(user, sizes.FloodPhase, flooded, cancellationToken);
                floodTime += TimeSpan.FromMilliseconds(Elapsed.MillisecondsSince(started));
                floodCpu += front.CpuTime() - cpuBefore;
                benchmarkProcess.Refresh();
                benchCpu += benchmarkProcess.TotalProcessorTime - benchCpuBefore;
                floodThreads = Math.Max(floodThreads, front.Threads());
            }
            finally
            {
                await stopAttack.CancelAsync();
                await Task.WhenAll(attackers);
                stopAttack.Dispose();
            }
        }

        if (answers.Other > 0)
        {
            throw new BenchmarkException($"{answers.Other} bad logins were answered with neither 401 nor 429");
        }

        // The user's session outlived the flood, the lockout of the user's own account included.
        await UserPageBenchmark.MeasureAsync(user, cancellationToken);

        var quietClient = LatencySummary.Of(quiet.Client);
        var floodedClient = LatencySummary.Of(flooded.Client);
        var quietServer = LatencySummary.Of(quiet.Server);
        var floodedServer = LatencySummary.Of(flooded.Server);
        var ratio = floodedClient.P95 / quietClient.P95;
        var attempts = answers.Unauthorized + answers.Throttled;
        var summary = new[]
        {
            new SummaryRow(
                $"GET / as {seed.Heavy.Name} during a flood of bad logins ({sizes.FloodAttackers} attackers): client p50 / p95, during ÷ without",
                $"{Cells.Ms(floodedClient.P50)} / {Cells.Ms(floodedClient.P95)} ÷ {Cells.Ms(quietClient.P50)} / {Cells.Ms(quietClient.P95)}: p95 × {Cells.Number(ratio, "0.00")}",
                $"p95 within {TargetRatio:0}× of without",
                ratio <= TargetRatio),
        };
        var rows = new List<string[]>
        {
            Cells.Latencies("without a flood: client, to the last byte", quietClient),
            Cells.Latencies("during the flood: client, to the last byte", floodedClient),
            Cells.Latencies("without a flood: server (Server-Timing)", quietServer),
            Cells.Latencies("during the flood: server (Server-Timing)", floodedServer),
        };
        var perSecond = attempts / floodTime.TotalSeconds;
        var description = $"""
            {Cells.Count(sizes.FloodAttackers)} attackers, each a client of its own connecting from its own loopback address (127.0.1.1, 127.0.1.2, …, so that
            rvd_front's limit per client address applies to each separately, as for a botnet), fetch the login form once and then
            submit it again and again, each as soon as the previous answer is in: a wrong password for {seed.Typical.Name},
            for {seed.Heavy.Name} (the user measured here, who is already logged in) and for the administrator bench-admin, and unknown names, in turn.
            rvd_front runs with its defaults: 10 tries a minute per client address and per account name, and an account
            locked for 15 minutes after 5 failures in a row. Meanwhile {seed.Heavy.Name} asks for `/` one request at a time
            as in section 1 (the heaviest user's page). Quiet phases and flooded phases of {sizes.FloodPhase.TotalSeconds:0} s take turns,
            {sizes.FloodRounds} times each; a flooded phase is measured from the moment every attacker has had its first answer.
            The target (issue 5) compares the p95 of the client's time to the last byte during the flood with its p95
            without one. The attackers got {Cells.Count(attempts)} answers in {Cells.Number(floodTime.TotalSeconds, "0.0")} s of measured flood
            ({Cells.Number(perSecond, "0")} a second): {Cells.Count(answers.Unauthorized)} × 401 (a wrong password, or an unknown name,
            checked against a hash), {Cells.Count(answers.Throttled)} × 429 (over a limit, or the account locked), nothing else. Every
            refusal is answered at once (nothing waits in rvd_front), and every one of them is written to the login audit
            log. The 401s are the dear ones: each is a PBKDF2 check of the password (also for an unknown name, so that
            the answer does not tell names apart), computed on a thread of the pool; the limits let through 10 a minute per
            address and per known name, so a botnet of many addresses buys as many checks as it has addresses. A 429 costs
            a limiter check and the audit row. rvd_front's own CPU time (from /proc) during the flooded phases: {Cells.Number(floodCpu.TotalSeconds / floodTime.TotalSeconds * 100, "0")} % of one core,
            {Cells.Ms(floodCpu.TotalMilliseconds / Math.Max(1, attempts))} per bad login with the user's pages included; its threads (from /proc, at the end of each
            phase): up to {Cells.Count(quietThreads)} after the quiet phases, up to {Cells.Count(floodThreads)} after the flooded ones. This benchmark's own process,
            the attackers' clients and the user's, used {Cells.Number(benchCpu.TotalSeconds / floodTime.TotalSeconds * 100, "0")} % of one core during the flooded phases, on the same
            {Environment.ProcessorCount} cores as rvd_front: real attackers' clients would not run on the portal's host. *Server* is the time inside
            rvd_front's pipeline; *client* adds the wait for a core and a thread on both sides. The user's session was still valid after the flood.
            """;
        return new BenchmarkSection(Title, description, summary,
            [new DetailTable($"GET / as {seed.Heavy.Name}, per request", Cells.LatencyHeaders, Cells.LatencyAlignments, rows)]);
    }

    private static async Task MeasureForAsync(PortalSession user, TimeSpan phase, Samples samples, CancellationToken cancellationToken)
    {
        var started = Elapsed.Now();
        while (Elapsed.MillisecondsSince(started) < phase.TotalMilliseconds)
        {
            var (serverMs, clientMs, _) = await UserPageBenchmark.MeasureAsync(user, cancellationToken);
            samples.Server.Add(serverMs);
            samples.Client.Add(clientMs);
        }
    }

    private static async Task AttackAsync(PortalBed bed, SeededPortal seed, int attacker, AnswerTally answers, Countdown attacking, CancellationToken stop)
    {
        var address = new IPAddress([127, 0, (byte)(1 + (attacker / 250)), (byte)(1 + (attacker % 250))]);
        using var session = new PortalSession(bed.BaseAddress, address);
        string[] names = [seed.Typical.Name, seed.Heavy.Name, "bench-admin", string.Empty];
        try
        {
            var token = await session.LoginFormTokenAsync(stop);
            for (var attempt = 0; ; attempt++)
            {
                var name = names[attempt % names.Length] is { Length: > 0 } known
                    ? known
                    : string.Create(CultureInfo.InvariantCulture, $"intruder-{attacker}-{attempt}");
                answers.Count(await session.PostLoginAsync(name, $"guess-{attacker}-{attempt}-password", token, stop));
                if (attempt == 0)
                {
                    attacking.Signal();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The flooded phase is over.
        }
    }

    /// <summary>Done once every attacker has signalled.</summary>
    private sealed class Countdown(int count)
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int remaining = count;

        public Task Done => done.Task;

        public void Signal()
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.TrySetResult();
            }
        }
    }

    private sealed class Samples
    {
        public List<double> Server { get; } = [];

        public List<double> Client { get; } = [];
    }

    /// <summary>The attackers' answers, counted from all their tasks.</summary>
    private sealed class AnswerTally
    {
        private int unauthorized;
        private int throttled;
        private int other;

        public int Unauthorized => unauthorized;

        public int Throttled => throttled;

        public int Other => other;

        public void Count(HttpStatusCode status)
        {
            switch (status)
            {
                case HttpStatusCode.Unauthorized: Interlocked.Increment(ref unauthorized); break;
                case HttpStatusCode.TooManyRequests: Interlocked.Increment(ref throttled); break;
                default: Interlocked.Increment(ref other); break;
            }
        }
    }
}
