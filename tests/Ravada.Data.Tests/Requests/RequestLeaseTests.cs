using Ravada.Core.Requests;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Requests.QueueScenario;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Requests;

public sealed class RequestLeaseTests
{
    [Theory, DatabaseData]
    public async Task A_request_whose_lease_expired_goes_back_to_the_queue(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var request = await database.EnqueueAsync(Start(1));
        var renewed = await database.EnqueueAsync(Start(2));
        await database.ClaimAsync(worker: "dead-worker");
        await database.ClaimAsync(worker: "live-worker");
        database.Time.Advance(TimeSpan.FromSeconds(20));
        await queue.RenewLeaseAsync(renewed.Id, "live-worker", Lease, Cancel);

        database.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await queue.ReclaimExpiredAsync(Cancel));
        database.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await queue.ReclaimExpiredAsync(Cancel));

        var reclaimed = await database.FindAsync(request.Id);
        Assert.Equal(
            (RequestStatus.Requested, 1, (string?)null, (DateTimeOffset?)null, "queued"),
            (reclaimed.Status, reclaimed.Attempts, reclaimed.ClaimedBy, reclaimed.LeaseUntil, reclaimed.Phase));
        Assert.Equal(RequestStatus.Working, (await database.FindAsync(renewed.Id)).Status);
        Assert.False(await queue.CompleteAsync(request.Id, "dead-worker", null, "[]", Cancel));
        Assert.Equal((request.Id, 2), ((await database.ClaimAsync(worker: "worker-2"))?.Id, (await database.FindAsync(request.Id)).Attempts));
    }

    [Theory, DatabaseData]
    public async Task A_request_abandoned_as_often_as_it_may_be_attempted_fails(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var request = await database.EnqueueAsync(Start(1) with { MaxAttempts = 2 });

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal(request.Id, (await database.ClaimAsync(worker: $"worker-{attempt}"))?.Id);
            database.Time.Advance(Lease + TimeSpan.FromSeconds(1));
            Assert.Equal(1, await queue.ReclaimExpiredAsync(Cancel));
        }

        var abandoned = await database.FindAsync(request.Id);
        Assert.Equal(
            (RequestStatus.Failed, "abandoned: the worker handling it stopped 2 times", database.Time.GetUtcNow(), 2),
            (abandoned.Status, abandoned.Error, abandoned.FinishedAt, abandoned.Attempts));
        Assert.Null(await database.ClaimAsync());
        Assert.NotEqual(request.Id, (await database.EnqueueAsync(Start(1))).Id);
    }
}
