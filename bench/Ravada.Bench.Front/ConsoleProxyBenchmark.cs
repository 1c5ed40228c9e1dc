using System.Globalization;
using System.Net;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;

namespace Ravada.Bench.Front;

/// <summary>
/// 4. The console proxy: as many concurrent sessions as the target asks per core, each exchanging small messages
/// with a loopback echo server that stands in for the display, through the proxy and directly, taking turns.
/// </summary>
internal static class ConsoleProxyBenchmark
{
    public const string Title = "Browser consoles: the WebSocket display proxy";
    private const int TargetSessionsPerCore = 250;
    private const double TargetAddedP99Ms = 2;
    private const int MessageBytes = 256;
    private const int Machines = 4;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<BenchmarkSection> RunAsync(PortalBed bed, SeededPortal seed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        var cores = Environment.ProcessorCount;
        var sessions = sizes.ConsoleSessionsPerCore * cores;
        await using var echo = new EchoServer();
        var user = await bed.UserAsync("console-user", Passwords.Hash(PortalSeed.Password), admin: false, cancellationToken);
        var machines = new List<Machine>();
        var store = bed.Get<IMachineStore>();
        for (var index = 0; index < Machines; index++)
        {
            var machine = await store.CreateAsync(
                new Machine
                {
                    Id = 0,
                    Uuid = Guid.NewGuid(),
                    Name = $"console-{index}",
                    OwnerId = user.Id,
                    State = MachineState.Running,
                    NodeId = seed.Node.Id,
                    MemoryMiB = 2048,
                },
                cancellationToken);
            await store.SetDisplaysAsync(machine.Id, [new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", echo.Port, null, PortalSeed.Ticket())], cancellationToken);
            machines.Add(machine);
        }

        using var session = new PortalSession(bed.BaseAddress);
        await session.LoginAsync(user.Name, PortalSeed.Password, cancellationToken);
        var antiforgery = await session.AntiforgeryTokenAsync(cancellationToken);

        var proxied = new List<IEchoChannel>(sessions);
        var direct = new List<IEchoChannel>(sessions);
        try
        {
            var openStarted = Elapsed.Now();
            for (var token = 0; proxied.Count < sessions; token++)
            {
                var path = await TokenAsync(session, antiforgery, machines[token % machines.Count].Id, cancellationToken);
                // A token opens up to eight connections (a SPICE session's channels); a VNC console uses one.
                var opening = Enumerable.Range(0, Math.Min(8, sessions - proxied.Count))
                    .Select(async _ => await WebSocketEchoChannel.ConnectAsync(session, path, cancellationToken))
                    .ToList();
                proxied.AddRange(await Task.WhenAll(opening));
            }

            var openMs = Elapsed.MillisecondsSince(openStarted);
            for (var index = 0; index < sessions; index++)
            {
                direct.Add(await TcpEchoChannel.ConnectAsync(echo.Port, cancellationToken));
            }

            var directTimes = new List<double>();
            var proxiedTimes = new List<double>();
            var frontCpu = TimeSpan.Zero;
            var proxiedWall = TimeSpan.Zero;
            for (var round = 0; round < sizes.ConsoleRounds; round++)
            {
                directTimes.AddRange(await PhaseAsync(direct, sizes.ConsolePhase, cancellationToken));
                var cpuBefore = front.CpuTime();
                var wallBefore = Elapsed.Now();
                proxiedTimes.AddRange(await PhaseAsync(proxied, sizes.ConsolePhase, cancellationToken));
                frontCpu += front.CpuTime() - cpuBefore;
                proxiedWall += TimeSpan.FromMilliseconds(Elapsed.MillisecondsSince(wallBefore));
            }

            var residentWithSessions = front.ResidentBytes();
            var floor = LatencySummary.Of(directTimes);
            var ours = LatencySummary.Of(proxiedTimes);
            var addedP50 = ours.P50 - floor.P50;
            var addedP99 = ours.P99 - floor.P99;
            var cpuShare = frontCpu / proxiedWall;
            var perCore = (double)sessions / cores;
            var cpuPerRoundTrip = frontCpu.TotalMilliseconds * 1000 / proxiedTimes.Count;
            var description = string.Create(CultureInfo.InvariantCulture, $"""
                {Cells.Count(sessions)} sessions ({sizes.ConsoleSessionsPerCore} per core × {cores} cores) open at once, as the browser console opens them: a
                token from `POST /machines/ID/console/vnc/token` (with the antiforgery header; one token for eight sessions), then
                a WebSocket to `/ws/console/TOKEN` with the portal's `Origin` and the `binary` subprotocol. The {Machines} machines'
                VNC displays point at a loopback TCP echo server in the benchmark's process, which stands in for QEMU; all
                {Cells.Count(sessions)} were open in {Cells.Ms(openMs)}. Each session sends a {MessageBytes}-byte binary message every
                {Interval.TotalMilliseconds:0} ms (from a random start, so the sessions do not move in step) and times the round trip until the
                {MessageBytes} bytes are back: {Cells.Count(sessions * 1000 / (int)Interval.TotalMilliseconds)} round trips a second through the proxy. The floor is the same
                number of plain TCP connections straight to the echo server, doing the same; the two take turns,
                {sizes.ConsolePhase.TotalSeconds:0} s each, {sizes.ConsoleRounds} times (so that a busy spell of the shared machine touches both), and the
                idle side stays connected. The added latency is ours minus
                the floor at the same percentile. The clients, the echo server and rvd_front share the machine's {cores} cores. When the
                machine's load average is above its number of cores (see the top of this section), the tail is mostly time spent
                waiting for a core: the floor's own p99 is then many times its p50, and the proxy, which hands every message
                between more threads than the floor does (Kestrel's socket, the WebSocket, the display's socket), waits more often.
                While the proxy carried the sessions, rvd_front used {cpuShare * 100:0} % of one core, {cpuPerRoundTrip:0} µs of CPU per
                round trip (one message each way): one core of rvd_front alone would carry about {Cells.Count((long)(1e6 / cpuPerRoundTrip / (1000 / Interval.TotalMilliseconds)))} such sessions.
                Its resident memory with all sessions open was {Cells.MB(residentWithSessions)}; each session holds two 64 KiB copy buffers.
                """);
            return new BenchmarkSection(Title, description,
                [
                    new SummaryRow("Concurrent console sessions per core", $"{perCore:0} ({Cells.Count(sessions)} on {cores} cores, all working)", $"≥ {TargetSessionsPerCore}", perCore >= TargetSessionsPerCore),
                    new SummaryRow("Added round-trip latency of the proxy: p50 / p99", $"{Cells.SignedMs(addedP50)} / {Cells.SignedMs(addedP99)}", $"p99 < {TargetAddedP99Ms:0} ms", addedP99 < TargetAddedP99Ms),
                ],
                [
                    new DetailTable("Round trip of one message", Cells.LatencyHeaders, Cells.LatencyAlignments,
                    [
                        Cells.Latencies("Direct TCP to the echo server (floor)", floor),
                        Cells.Latencies("Through rvd_front's WebSocket proxy", ours),
                        ["Added by the proxy", "", "", Cells.SignedMs(addedP50), Cells.SignedMs(ours.P95 - floor.P95), Cells.SignedMs(addedP99), ""],
                    ]),
                ]);
        }
        finally
        {
            foreach (var channel in proxied.Concat(direct))
            {
                await channel.DisposeAsync();
            }
        }
    }

    private static async Task<string> TokenAsync(PortalSession session, string antiforgery, long machineId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/machines/{machineId}/console/vnc/token", UriKind.Relative));
        request.Headers.Add(PortalSession.AntiforgeryHeader, antiforgery);
        using var response = await session.Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchmarkException($"the console token request answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("path").GetString() ?? throw new BenchmarkException("the console token has no path");
    }

    /// <summary>Every channel exchanges a message each <see cref="Interval"/> for <paramref name="duration"/>; the round trips in ms.</summary>
    private static async Task<List<double>> PhaseAsync(IReadOnlyList<IEchoChannel> channels, TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = Elapsed.Now() + (long)(duration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var perChannel = await Task.WhenAll(channels.Select(channel => Task.Run(() => ExchangeAsync(channel, end, cancellationToken), cancellationToken)));
        return [.. perChannel.SelectMany(times => times)];
    }

    private static async Task<List<double>> ExchangeAsync(IEchoChannel channel, long end, CancellationToken cancellationToken)
    {
        var message = new byte[MessageBytes];
        Random.Shared.NextBytes(message);
        var buffer = new byte[MessageBytes * 2];
        var times = new List<double>();
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Interval.TotalMilliseconds), cancellationToken);
        using var timer = new PeriodicTimer(Interval);
        while (Elapsed.Now() < end)
        {
            var started = Elapsed.Now();
            await channel.RoundTripAsync(message, buffer, cancellationToken);
            times.Add(Elapsed.MillisecondsSince(started));
            await timer.WaitForNextTickAsync(cancellationToken);
        }

        return times;
    }
}
