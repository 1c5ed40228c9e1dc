using Ravada.Core.Requests;
using Ravada.Data.Requests;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Requests.QueueScenario;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Requests;

public sealed class RequestQueueTests
{
    [Theory, DatabaseData]
    public async Task A_queued_request_waits_with_its_class_and_canonical_arguments(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var arguments = RequestArguments.Parse("""{ "name": "alice-desktop", "memory_mib": 2048, "start": true }""");

        var queued = await database.EnqueueAsync(new NewRequest
        {
            Command = RequestCommands.Clone,
            UserId = DaemonId,
            MachineId = 7,
            Arguments = arguments,
            MaxAttempts = 3,
        });

        Assert.Equal(queued, await database.FindAsync(queued.Id));
        Assert.Equal(
            (RequestCommands.Clone, RequestStatus.Requested, RequestClass.Interactive, "queued", 0, 3, 7L, database.Time.GetUtcNow()),
            (queued.Command, queued.Status, queued.Class, queued.Phase, queued.Attempts, queued.MaxAttempts, queued.MachineId, queued.CreatedAt));
        Assert.Equal("""{"memory_mib":2048,"name":"alice-desktop","start":true}""", queued.Arguments.ToJson());
        Assert.Null(await database.Get<IRequestQueue>().FindAsync(queued.Id + 100, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Changes_are_listed_after_a_point_in_time_oldest_first(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var before = database.Time.GetUtcNow();
        database.Time.Advance(TimeSpan.FromMilliseconds(5));
        var first = await database.EnqueueAsync(Ping("1"));
        database.Time.Advance(TimeSpan.FromMilliseconds(5));
        var second = await database.EnqueueAsync(Ping("2"));
        database.Time.Advance(TimeSpan.FromMilliseconds(5));
        var claimed = await database.ClaimAsync();

        var queue = database.Get<IRequestQueue>();
        var all = await queue.ListChangedSinceAsync(before, 10, Cancel);
        var sinceSecond = await queue.ListChangedSinceAsync(second.UpdatedAt, 10, Cancel);

        Assert.Equal([second.Id, first.Id], all.Select(request => request.Id));
        Assert.Equal(claimed!.UpdatedAt, all[^1].UpdatedAt);
        Assert.Equal([first.Id], sinceSecond.Select(request => request.Id));
        Assert.Single(await queue.ListChangedSinceAsync(before, 1, Cancel));
    }

    [Theory, DatabaseData]
    public async Task An_unknown_command_is_refused(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var error = await Assert.ThrowsAsync<RequestArgumentException>(() => database.EnqueueAsync(new NewRequest { Command = "format_disk", UserId = DaemonId }));

        Assert.Equal("unknown command 'format_disk'", error.Message);
        Assert.Empty(await database.Get<IRequestQueue>().ListAsync(new RequestFilter(), Cancel));
    }

    [Theory, DatabaseData]
    public async Task Requests_are_claimed_first_in_first_out_and_marked_working(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var first = await database.EnqueueAsync(Ping("1"));
        var second = await database.EnqueueAsync(Ping("2"));
        database.Time.Advance(TimeSpan.FromSeconds(1));

        var claimed = await database.ClaimAsync();
        var next = await database.ClaimAsync(worker: "worker-2");

        var now = database.Time.GetUtcNow();
        Assert.Equal(
            first with { Status = RequestStatus.Working, ClaimedBy = "worker-1", LeaseUntil = now + Lease, Attempts = 1, StartedAt = now, Phase = "started", UpdatedAt = now },
            claimed);
        Assert.Equal(second.Id, next?.Id);
        Assert.Null(await database.ClaimAsync());
    }

    [Theory, DatabaseData]
    public async Task Each_class_is_claimed_by_its_own_workers(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var removal = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Remove, UserId = DaemonId, MachineId = 1 });
        var screenshot = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Screenshot, UserId = DaemonId, MachineId = 2 });
        var start = await database.EnqueueAsync(Start(3));

        Assert.Equal(start.Id, (await database.ClaimAsync(RequestClass.Interactive))?.Id);
        Assert.Equal(screenshot.Id, (await database.ClaimAsync(RequestClass.Maintenance))?.Id);
        Assert.Equal(removal.Id, (await database.ClaimAsync(RequestClass.Disk))?.Id);
        Assert.Null(await database.ClaimAsync(RequestClass.Interactive));
    }

    [Theory, DatabaseData]
    public async Task A_request_for_later_waits_until_its_time(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var at = database.Time.GetUtcNow().AddMinutes(5);
        var later = await database.EnqueueAsync(Ping("later") with { At = at });
        var queue = database.Get<IRequestQueue>();

        Assert.Null(await database.ClaimAsync());
        Assert.Equal(at, await queue.NextScheduledAsync(Cancel));
        database.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await queue.NextScheduledAsync(Cancel));
        Assert.Equal(later.Id, (await database.ClaimAsync())?.Id);
    }

    [Theory, DatabaseData]
    public async Task A_request_after_another_waits_until_that_one_has_finished(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var first = await database.EnqueueAsync(Ping("first"));
        var after = await database.EnqueueAsync(Ping("after") with { AfterRequestId = first.Id });
        var queue = database.Get<IRequestQueue>();

        Assert.Equal(first.Id, (await database.ClaimAsync())?.Id);
        Assert.Null(await database.ClaimAsync());
        Assert.True(await queue.FailAsync(first.Id, "worker-1", "it broke", "[]", Cancel));

        Assert.Equal(after.Id, (await database.ClaimAsync())?.Id);
    }

    [Theory, DatabaseData]
    public async Task A_request_after_a_missing_one_does_not_wait(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var orphan = await database.EnqueueAsync(Ping("orphan") with { AfterRequestId = 999_999, AfterRequestOk = true });

        Assert.Equal(orphan.Id, (await database.ClaimAsync())?.Id);
    }

    [Theory, DatabaseData]
    public async Task A_request_needing_its_predecessors_success_runs_after_success(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var create = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Create, UserId = DaemonId, MachineId = 1 });
        var start = await database.EnqueueAsync(Start(1) with { AfterRequestId = create.Id, AfterRequestOk = true });

        await database.ClaimAndCompleteAsync(create);

        Assert.Equal(start.Id, (await database.ClaimAsync())?.Id);
    }

    [Theory, DatabaseData]
    public async Task Requests_needing_a_failed_predecessor_fail_with_its_error_along_the_chain(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var create = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Create, UserId = DaemonId, MachineId = 1 });
        var prepare = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.PrepareBase, UserId = DaemonId, MachineId = 1, AfterRequestId = create.Id, AfterRequestOk = true });
        var clone = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Clone, UserId = DaemonId, MachineId = 1, AfterRequestId = prepare.Id, AfterRequestOk = true });
        var cleanup = await database.EnqueueAsync(Ping("cleanup") with { AfterRequestId = create.Id });
        await database.ClaimAsync(RequestClass.Disk);
        await queue.FailAsync(create.Id, "worker-1", "no space left on the pool", "[]", Cancel);

        Assert.Null(await database.ClaimAsync(RequestClass.Disk));
        Assert.Equal(2, await queue.FailDependentsOfFailedAsync(Cancel));

        var failedPrepare = await database.FindAsync(prepare.Id);
        Assert.Equal((RequestStatus.Failed, $"not run: request {create.Id} failed: no space left on the pool"), (failedPrepare.Status, failedPrepare.Error));
        Assert.Equal(database.Time.GetUtcNow(), failedPrepare.FinishedAt);
        Assert.Equal($"not run: request {prepare.Id} failed: not run: request {create.Id} failed: no space left on the pool", (await database.FindAsync(clone.Id)).Error);
        Assert.Equal(cleanup.Id, (await database.ClaimAsync())?.Id);
        Assert.Equal(0, await queue.FailDependentsOfFailedAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task Requests_on_one_machine_run_one_at_a_time(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var start = await database.EnqueueAsync(Start(1));
        var shutdown = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Shutdown, UserId = DaemonId, MachineId = 1 });
        var removal = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Remove, UserId = DaemonId, MachineId = 1 });
        var otherMachine = await database.EnqueueAsync(Start(2));

        Assert.Equal(start.Id, (await database.ClaimAsync())?.Id);
        Assert.Equal(otherMachine.Id, (await database.ClaimAsync())?.Id);
        Assert.Null(await database.ClaimAsync(RequestClass.Disk));
        Assert.Null(await database.ClaimAsync());
        Assert.True(await database.Get<IRequestQueue>().CompleteAsync(start.Id, "worker-1", null, "[]", Cancel));

        Assert.Equal(shutdown.Id, (await database.ClaimAsync())?.Id);
        Assert.Null(await database.ClaimAsync(RequestClass.Disk));
        Assert.Equal(RequestStatus.Requested, (await database.FindAsync(removal.Id)).Status);
    }

    [Theory, DatabaseData]
    public async Task A_request_can_be_claimed_by_id_when_it_is_claimable(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var start = await database.EnqueueAsync(Start(1));
        var reboot = await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Reboot, UserId = DaemonId, MachineId = 1 });
        await database.ClaimAsync();

        Assert.Null(await queue.ClaimByIdAsync(reboot.Id, "cli", Lease, Cancel));
        await queue.CompleteAsync(start.Id, "worker-1", null, "[]", Cancel);
        var claimed = await queue.ClaimByIdAsync(reboot.Id, "cli", Lease, Cancel);

        Assert.Equal((reboot.Id, RequestStatus.Working, "cli"), (claimed?.Id, claimed?.Status, claimed?.ClaimedBy));
        Assert.Null(await queue.ClaimByIdAsync(reboot.Id, "cli", Lease, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Completing_and_failing_record_the_outcome(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var done = await database.EnqueueAsync(Ping("done"));
        var failed = await database.EnqueueAsync(Ping("failed"));
        await database.ClaimAsync();
        await database.ClaimAsync();
        database.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(await queue.CompleteAsync(done.Id, "worker-1", """{"port":5900}""", """[{"phase":"started","ms":2000}]""", Cancel));
        Assert.True(await queue.FailAsync(failed.Id, "worker-1", "the base has no disks", """[{"phase":"started","ms":1}]""", Cancel));

        var finishedAt = database.Time.GetUtcNow();
        var completed = await database.FindAsync(done.Id);
        Assert.Equal(
            (RequestStatus.Done, """{"port":5900}""", """[{"phase":"started","ms":2000}]""", finishedAt, (DateTimeOffset?)null, true),
            (completed.Status, completed.Result, completed.Timings, completed.FinishedAt, completed.LeaseUntil, completed.IsFinished));
        var failure = await database.FindAsync(failed.Id);
        Assert.Equal((RequestStatus.Failed, "the base has no disks", finishedAt), (failure.Status, failure.Error, failure.FinishedAt));
    }

    [Theory, DatabaseData]
    public async Task Only_the_worker_holding_a_request_may_change_it(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var request = await database.EnqueueAsync(Ping("held"));
        var later = database.Time.GetUtcNow().AddMinutes(1);

        Assert.False(await queue.CompleteAsync(request.Id, "worker-1", null, "[]", Cancel));
        await database.ClaimAsync();
        await queue.SetPhaseAsync(request.Id, "intruder", "hijacked", Cancel);

        Assert.False(await queue.RenewLeaseAsync(request.Id, "intruder", Lease, Cancel));
        Assert.False(await queue.CompleteAsync(request.Id, "intruder", null, "[]", Cancel));
        Assert.False(await queue.FailAsync(request.Id, "intruder", "no", "[]", Cancel));
        Assert.False(await queue.RetryAsync(request.Id, "intruder", "no", later, Cancel));
        Assert.False(await queue.ReleaseAsync(request.Id, "intruder", Cancel));
        var untouched = await database.FindAsync(request.Id);
        Assert.Equal(("worker-1", "started", RequestStatus.Working), (untouched.ClaimedBy, untouched.Phase, untouched.Status));
        Assert.True(await queue.CompleteAsync(request.Id, "worker-1", null, "[]", Cancel));
        Assert.False(await queue.FailAsync(request.Id, "worker-1", "too late", "[]", Cancel));
        Assert.Equal(RequestStatus.Done, (await database.FindAsync(request.Id)).Status);
    }

    [Theory, DatabaseData]
    public async Task The_holder_renews_its_lease_and_reports_its_phase(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var request = await database.EnqueueAsync(Start(1));
        await database.ClaimAsync();
        database.Time.Advance(TimeSpan.FromSeconds(20));

        await queue.SetPhaseAsync(request.Id, "worker-1", "cloning", Cancel);
        Assert.True(await queue.RenewLeaseAsync(request.Id, "worker-1", Lease, Cancel));

        var renewed = await database.FindAsync(request.Id);
        Assert.Equal(("cloning", database.Time.GetUtcNow() + Lease), (renewed.Phase, renewed.LeaseUntil));
    }

    [Theory, DatabaseData]
    public async Task A_retried_request_comes_back_at_its_time_with_the_transient_error(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var request = await database.EnqueueAsync(Start(1));
        await database.ClaimAsync();
        var at = database.Time.GetUtcNow().AddSeconds(10);

        Assert.True(await queue.RetryAsync(request.Id, "worker-1", "libvirtd is restarting", at, Cancel));

        var retried = await database.FindAsync(request.Id);
        Assert.Equal(
            (RequestStatus.Requested, at, "libvirtd is restarting", 1, (string?)null, (DateTimeOffset?)null),
            (retried.Status, retried.At, retried.Error, retried.Attempts, retried.ClaimedBy, retried.LeaseUntil));
        Assert.Null(await database.ClaimAsync());
        database.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await database.ClaimAsync())?.Attempts);
    }

    [Theory, DatabaseData]
    public async Task A_released_request_goes_back_without_counting_an_attempt(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var request = await database.EnqueueAsync(Start(1));
        await database.ClaimAsync();

        Assert.True(await database.Get<IRequestQueue>().ReleaseAsync(request.Id, "worker-1", Cancel));

        var released = await database.FindAsync(request.Id);
        Assert.Equal((RequestStatus.Requested, 0, (string?)null), (released.Status, released.Attempts, released.ClaimedBy));
        Assert.Equal(1, (await database.ClaimAsync(worker: "worker-2"))?.Attempts);
    }

    [Theory, DatabaseData]
    public async Task A_pending_duplicate_is_returned_instead_of_queued_again(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var first = await database.EnqueueAsync(Start(1));

        var again = await database.EnqueueAsync(Start(1));
        await database.ClaimAsync();
        var whileWorking = await database.EnqueueAsync(Start(1));
        var otherMachine = await database.EnqueueAsync(Start(2));
        var otherArguments = await database.EnqueueAsync(Start(1) with { Arguments = RequestArguments.Empty.With("remote_ip", "192.0.2.9") });
        var allowed = await database.EnqueueAsync(Start(1) with { AllowDuplicate = true });

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, whileWorking.Id);
        Assert.Equal(4, new[] { first.Id, otherMachine.Id, otherArguments.Id, allowed.Id }.Distinct().Count());
    }

    [Theory, DatabaseData]
    public async Task A_finished_request_does_not_block_an_identical_new_one(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var done = await database.EnqueueAsync(Start(1));
        await database.ClaimAndCompleteAsync(done);
        var failed = await database.EnqueueAsync(Start(1));
        await database.ClaimAsync();
        await queue.FailAsync(failed.Id, "worker-1", "no", "[]", Cancel);

        var fresh = await database.EnqueueAsync(Start(1));

        Assert.Equal(3, new[] { done.Id, failed.Id, fresh.Id }.Distinct().Count());
        Assert.Equal(RequestStatus.Requested, fresh.Status);
    }

    [Theory, DatabaseData]
    public async Task Requests_are_listed_newest_first_by_pending_machine_and_user(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var queue = database.Get<IRequestQueue>();
        var done = await database.EnqueueAsync(Start(1));
        await database.ClaimAndCompleteAsync(done);
        var working = await database.EnqueueAsync(Start(2));
        await database.ClaimAsync();
        var waiting = await database.EnqueueAsync(Start(1) with { UserId = 5, Arguments = RequestArguments.Empty.With("again", true) });

        Assert.Equal([waiting.Id, working.Id, done.Id], Ids(await queue.ListAsync(new RequestFilter(), Cancel)));
        Assert.Equal([waiting.Id, working.Id], Ids(await queue.ListAsync(new RequestFilter(PendingOnly: true), Cancel)));
        Assert.Equal([waiting.Id, done.Id], Ids(await queue.ListAsync(new RequestFilter(MachineId: 1), Cancel)));
        Assert.Equal([waiting.Id], Ids(await queue.ListAsync(new RequestFilter(PendingOnly: true, MachineId: 1, UserId: 5), Cancel)));
        Assert.Equal([waiting.Id], Ids(await queue.ListAsync(new RequestFilter(Limit: 1), Cancel)));
    }

    [Fact]
    public void The_dedup_key_is_the_hex_sha256_of_command_machine_and_arguments()
    {
        var key = RequestQueue.DedupKey("start", 7, 1, """{"remote_ip":"192.0.2.9"}""");

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, RequestQueue.DedupKey("start", 7, 1, """{"remote_ip":"192.0.2.9"}"""));
        Assert.NotEqual(key, RequestQueue.DedupKey("start", 8, 1, """{"remote_ip":"192.0.2.9"}"""));
        Assert.NotEqual(RequestQueue.DedupKey("start", null, 1, "{}"), RequestQueue.DedupKey("start", 0, 1, "{}"));
        Assert.NotEqual(RequestQueue.DedupKey("clone", null, 1, "{}"), RequestQueue.DedupKey("clone", null, 2, "{}"));
    }

    private static IEnumerable<long> Ids(IEnumerable<Request> requests) => requests.Select(request => request.Id);
}
