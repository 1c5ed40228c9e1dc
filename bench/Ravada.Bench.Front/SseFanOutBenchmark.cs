using System.Globalization;
using System.Net;
using Ravada.Core.Broker;
using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;

namespace Ravada.Bench.Front;

/// <summary>
/// 3. Many browsers on <c>/events</c>; one machine's state changes in the database as rvd_back records it; how long
/// until every browser has the fragment that shows the new state.
/// </summary>
internal static class SseFanOutBenchmark
{
    public const string Title = "Live updates: Server-Sent Events fan-out";
    private const double TargetP95Ms = 200;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public static async Task<BenchmarkSection> RunAsync(PortalBed bed, SeededPortal seed, DotnetProcess front, FrontBenchSizes sizes, CancellationToken cancellationToken)
    {
        var machine = seed.TypicalMachines.First(candidate => candidate.State == MachineState.Running);
        using var session = new PortalSession(bed.BaseAddress);
        await session.LoginAsync(seed.Typical.Name, PortalSeed.Password, cancellationToken);

        using var stopStreams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, sizes.SseClients).Select(_ => new EventStreamClient(machine.Id, sizes.SseChanges)).ToList();
        var connectStarted = Elapsed.Now();
        var streams = clients.Select(async client => await client.RunAsync(session.Http, stopStreams.Token)).ToList();
        await WaitAsync(() => clients.All(client => client.Connected) || streams.Any(stream => stream.IsFaulted), TimeSpan.FromSeconds(120), cancellationToken);
        if (streams.FirstOrDefault(stream => stream.IsFaulted) is { } failed)
        {
            throw new BenchmarkException("an event stream failed: " + failed.Exception?.GetBaseException().Message);
        }

        var connectMs = Elapsed.MillisecondsSince(connectStarted);
        var tracker = new MachineStateTracker(bed.Get<IMachineStore>(), bed.Get<IMachineEventLog>(), new DisplayAccessChanges(), TimeProvider.System);
        var allDelivered = new List<double>();
        var firstDelivered = new List<double>();
        var perClient = new List<double>();
        var store = bed.Get<IMachineStore>();
        var cpuBefore = front.CpuTime();
        var deliveryCpu = TimeSpan.Zero;
        for (var change = 0; change < sizes.SseChanges; change++)
        {
            // A pause of 0.3 to 1 s between changes, so that changes fall anywhere in the portal's polling cycle.
            await Task.Delay(TimeSpan.FromMilliseconds(300 + Random.Shared.Next(700)), cancellationToken);
            var state = change % 2 == 0 ? MachineState.Paused : MachineState.Running;
            foreach (var client in clients)
            {
                client.Expect(change, state);
            }

            var current = await store.FindAsync(machine.Id, cancellationToken) ?? throw new BenchmarkException("the machine vanished");
            var cpuAtChange = front.CpuTime();
            var changedAt = Elapsed.Now();
            await tracker.RecordAsync(current, state, state == MachineState.Paused ? "paused" : "resumed", null, cancellationToken);
            await WaitAsync(() => clients.All(client => client.Arrival(change) != 0), DeliveryTimeout, cancellationToken);
            deliveryCpu += front.CpuTime() - cpuAtChange;
            var arrivals = clients.Select(client => Elapsed.Milliseconds(changedAt, client.Arrival(change))).ToList();
            allDelivered.Add(arrivals.Max());
            firstDelivered.Add(arrivals.Min());
            perClient.AddRange(arrivals);
        }

        var cpuPerChange = (front.CpuTime() - cpuBefore).TotalMilliseconds / sizes.SseChanges;
        await stopStreams.CancelAsync();
        await Task.WhenAll(streams.Select(stream => stream.ContinueWith(_ => { }, TaskScheduler.Default)));

        var all = LatencySummary.Of(allDelivered);
        var rows = new List<string[]>
        {
            Cells.Latencies("the first browser has it", LatencySummary.Of(firstDelivered)),
            Cells.Latencies("every browser has it", all),
        };
        var clientSummary = LatencySummary.Of(perClient);
        var description = string.Create(CultureInfo.InvariantCulture, $"""
            {Cells.Count(sizes.SseClients)} event streams (`GET /events`, as the user's page opens it) of one logged-in user, {seed.Typical.Name}, who owns the
            machine; they were all connected in {Cells.Ms(connectMs)}. Then {Cells.Count(sizes.SseChanges)} times, 0.3 to 1 s apart, the benchmark records a state change of
            one of the user's machines (paused, then running again) as rvd_back does, with Core's `MachineStateTracker` (state row +
            a line in `machine_events`), and times from just before that write until each stream has received a `machines`
            fragment showing the new state. rvd_front's one database follower (`LiveFeed`) reads the event log every 100 ms and
            wakes the user's streams, which share one database read and render of the user's machines per change
            (`SharedRenders`) and each write it out. All the streams are the same user's, so every one of them must get it. Per browser and change ({Cells.Count(clientSummary.Count)} deliveries): p50 {Cells.Ms(clientSummary.P50)},
            p95 {Cells.Ms(clientSummary.P95)}, p99 {Cells.Ms(clientSummary.P99)}. rvd_front's CPU time per change (from /proc): {Cells.Ms(deliveryCpu.TotalMilliseconds / sizes.SseChanges)}
            from the write until every stream had it, {Cells.Ms(cpuPerChange)} with the pause before the next change (its polling, and the
            streams' own timers).
            """);
        return new BenchmarkSection(Title, description,
            [
                new SummaryRow(
                    $"One state change delivered to all {Cells.Count(sizes.SseClients)} browsers: p50 / p95",
                    $"{Cells.Ms(all.P50)} / {Cells.Ms(all.P95)}",
                    $"p95 < {TargetP95Ms:0} ms",
                    all.P95 < TargetP95Ms),
            ],
            [new DetailTable("From the database write to the fragment, per change", Cells.LatencyHeaders, Cells.LatencyAlignments, rows)]);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Elapsed.Now();
        while (!condition())
        {
            if (Elapsed.MillisecondsSince(deadline) > timeout.TotalMilliseconds)
            {
                throw new BenchmarkException($"the event streams did not get there within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>One browser's event stream: reads events and notes when the expected machine state arrives.</summary>
    private sealed class EventStreamClient(long machineId, int changes)
    {
        private readonly long[] arrivals = new long[changes];
        private volatile Expectation? expected;
        private volatile bool connected;

        public bool Connected => connected;

        public long Arrival(int change) => Volatile.Read(ref arrivals[change]);

        public void Expect(int change, MachineState state)
        {
            expected = new Expectation(change, $"id=\"machine-{machineId}\" data-state=\"{state.ToString().ToLowerInvariant()}\"");
        }

        public async Task RunAsync(HttpClient http, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/events", UriKind.Relative));
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new BenchmarkException($"GET /events answered {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            string? eventName = null;
            try
            {
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        eventName = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "machines")
                    {
                        connected = true;
                        if (expected is { } expectation && arrivals[expectation.Change] == 0 && line.Contains(expectation.Marker, StringComparison.Ordinal))
                        {
                            Volatile.Write(ref arrivals[expectation.Change], Elapsed.Now());
                        }
                    }
                    else if (line.Length == 0)
                    {
                        eventName = null;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The benchmark is over.
            }
        }

        private sealed record Expectation(int Change, string Marker);
    }
}
