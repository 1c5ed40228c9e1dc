using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Users;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class EndedSessionStoreTests
{
    private const string First = "0123456789ABCDEF0123456789ABCDEF";
    private const string Second = "FEDCBA9876543210FEDCBA9876543210";

    [Theory, DatabaseData]
    public async Task An_ended_session_is_ended_until_its_time_to_be_forgotten_and_ending_it_again_changes_nothing(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var sessions = database.Get<IEndedSessionStore>();
        var now = database.Time.GetUtcNow();
        var forgetAt = now.AddHours(12);

        await sessions.EndAsync(First, forgetAt, Cancel);
        await sessions.EndAsync(First, forgetAt.AddHours(1), Cancel);

        Assert.True(await sessions.HasEndedAsync(First, now, Cancel));
        Assert.True(await sessions.HasEndedAsync(First, forgetAt.AddMilliseconds(-1), Cancel));
        Assert.False(await sessions.HasEndedAsync(First, forgetAt, Cancel));
        Assert.False(await sessions.HasEndedAsync(Second, now, Cancel));
        Assert.False(await sessions.HasEndedAsync(First.ToLowerInvariant(), now, Cancel));
        Assert.Equal(1, await SqlProbe.CountAsync(database, "ended_sessions"));
    }

    [Theory, DatabaseData]
    public async Task A_purge_deletes_the_sessions_whose_time_has_come_and_keeps_the_others(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var sessions = database.Get<IEndedSessionStore>();
        var now = database.Time.GetUtcNow();
        await sessions.EndAsync(First, now.AddHours(1), Cancel);
        await sessions.EndAsync(Second, now.AddHours(2), Cancel);

        Assert.Equal(0, await sessions.PurgeAsync(now, Cancel));
        Assert.Equal(1, await sessions.PurgeAsync(now.AddHours(1), Cancel));

        Assert.False(await sessions.HasEndedAsync(First, now, Cancel));
        Assert.True(await sessions.HasEndedAsync(Second, now, Cancel));
        Assert.Equal(1, await SqlProbe.CountAsync(database, "ended_sessions"));
    }

    [Theory, DatabaseData]
    public async Task Another_process_on_the_database_sees_the_session_ended_and_both_may_end_it_at_once(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var other = database.CreateServices(database.Time);
        var here = database.Get<IEndedSessionStore>();
        var there = other.GetRequiredService<IEndedSessionStore>();
        var now = database.Time.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(index => (index % 2 == 0 ? here : there).EndAsync(First, now.AddHours(1), Cancel)));

        Assert.True(await there.HasEndedAsync(First, now, Cancel));
        Assert.Equal(1, await SqlProbe.CountAsync(database, "ended_sessions"));
    }

    [Theory, DatabaseData]
    public async Task An_id_longer_than_the_column_is_refused_alike_on_every_database(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var sessions = database.Get<IEndedSessionStore>();
        var tooLong = First + "0";

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sessions.EndAsync(tooLong, database.Time.GetUtcNow().AddHours(1), Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sessions.HasEndedAsync(tooLong, database.Time.GetUtcNow(), Cancel));
        Assert.Equal(0, await SqlProbe.CountAsync(database, "ended_sessions"));
    }
}
