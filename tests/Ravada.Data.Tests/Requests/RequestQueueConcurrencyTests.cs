using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Requests;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Requests.QueueScenario;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Requests;

/// <summary>Several claimers, each with its own registration (own connection pool), as separate rvd_back processes would be.</summary>
public sealed class RequestQueueConcurrencyTests
{
    private const int Claimers = 4;

    [Theory, DatabaseData]
    public async Task Four_concurrent_claimers_never_claim_one_of_a_thousand_requests_twice(DatabaseEngine engine)
    {
        const int Requests = 1000;
        await using var database = await TestDatabase.CreateAsync(engine);
        var produced = false;
        var producing = Task.Run(async () =>
        {
            for (var index = 0; index < Requests; index++)
            {
                await database.EnqueueAsync(Ping(index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            Volatile.Write(ref produced, true);
        }, Cancel);

        var claims = new ConcurrentBag<long>();
        await RunClaimersAsync(database, async (queue, worker, stop) =>
        {
            while (true)
            {
                // Read before claiming: once everything is produced, an empty claim means everything was claimed.
                var allProduced = Volatile.Read(ref produced);
                if (await queue.ClaimAsync(RequestClass.Interactive, worker, Lease, stop) is { } request)
                {
                    claims.Add(request.Id);
                    Assert.True(await queue.CompleteAsync(request.Id, worker, null, "[]", stop));
                }
                else if (allProduced)
                {
                    return;
                }
            }
        });
        await producing;

        Assert.Equal(Requests, claims.Count);
        Assert.Equal(Requests, claims.Distinct().Count());
        Assert.Equal(Requests, await SqlProbe.CountAsync(database, "requests", "status = 'done' AND attempts = 1"));
    }

    [Theory, DatabaseData]
    public async Task Concurrent_claimers_never_work_on_one_machine_at_once(DatabaseEngine engine)
    {
        const int Machines = 3;
        const int RequestsPerMachine = 30;
        await using var database = await TestDatabase.CreateAsync(engine);
        for (var index = 0; index < RequestsPerMachine; index++)
        {
            for (var machine = 1; machine <= Machines; machine++)
            {
                await database.EnqueueAsync(Start(machine) with { AllowDuplicate = true });
            }
        }

        var busyMachines = new ConcurrentDictionary<long, string>();
        var overlaps = new ConcurrentBag<string>();
        var finished = 0;
        await RunClaimersAsync(database, async (queue, worker, stop) =>
        {
            while (Volatile.Read(ref finished) < Machines * RequestsPerMachine)
            {
                if (await queue.ClaimAsync(RequestClass.Interactive, worker, Lease, stop) is not { } request)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(2), stop);
                    continue;
                }

                var machine = request.MachineId!.Value;
                if (!busyMachines.TryAdd(machine, worker))
                {
                    overlaps.Add($"machine {machine}: {worker} claimed request {request.Id} while {busyMachines.GetValueOrDefault(machine, "another worker")} worked on it");
                }

                await Task.Yield();
                busyMachines.TryRemove(machine, out _);
                Interlocked.Increment(ref finished);
                Assert.True(await queue.CompleteAsync(request.Id, worker, null, "[]", stop));
            }
        });

        Assert.Empty(overlaps);
        Assert.Equal(Machines * RequestsPerMachine, await SqlProbe.CountAsync(database, "requests", "status = 'done'"));
    }

    [Theory, DatabaseData]
    public async Task Twenty_identical_requests_queued_at_once_make_one_row(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queues = Enumerable.Range(0, 4).Select(_ => database.CreateServices(database.Time)).ToList();
        try
        {
            var queued = await Task.WhenAll(Enumerable.Range(0, 20).Select(index =>
                Task.Run(() => queues[index % queues.Count].GetRequiredService<IRequestQueue>().EnqueueAsync(Start(1), Cancel), Cancel)));

            Assert.Single(queued.Select(request => request.Id).Distinct());
            Assert.Equal(1, await SqlProbe.CountAsync(database, "requests"));
        }
        finally
        {
            foreach (var services in queues)
            {
                await services.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Runs the claimers until they return, stopping all of them when one fails (its request would stay
    /// working forever and the others would wait for it) or when the deadline passes.
    /// </summary>
    private static async Task RunClaimersAsync(TestDatabase database, Func<IRequestQueue, string, CancellationToken, Task> claimer)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        stop.CancelAfter(TimeSpan.FromMinutes(3));
        var registrations = Enumerable.Range(0, Claimers).Select(_ => database.CreateServices(database.Time)).ToList();
        try
        {
            await Task.WhenAll(registrations.Select((services, index) => Task.Run(async () =>
            {
                try
                {
                    await claimer(services.GetRequiredService<IRequestQueue>(), $"worker-{index}", stop.Token);
                }
                catch
                {
                    await stop.CancelAsync();
                    throw;
                }
            }, stop.Token)));
        }
        finally
        {
            foreach (var services in registrations)
            {
                await services.DisposeAsync();
            }
        }
    }
}
