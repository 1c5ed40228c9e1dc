using Ravada.Core.Users;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class LoginRecordTests
{
    [Theory, DatabaseData]
    public async Task The_audit_log_keeps_attempts_newest_first_without_passwords_and_outlives_the_account(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var records = database.Get<ILoginRecords>();
        var users = database.Get<IUserStore>();
        var alice = await users.CreateAsync("alice", Passwords.Hash("secret-password"), isAdmin: false, mustChangePassword: false, Cancel);
        var at = database.Time.GetUtcNow();

        await records.AppendAsync(new LoginAttempt(0, "alice", alice.Id, "192.0.2.1", LoginResult.WrongPassword, at), Cancel);
        await records.AppendAsync(new LoginAttempt(0, "  mallory-with-a-name-far-too-long-for-any-account-" + new string('x', 80), null, "2001:db8::1", LoginResult.UnknownUser, at.AddSeconds(1)), Cancel);
        await records.AppendAsync(new LoginAttempt(0, "alice", alice.Id, "192.0.2.1", LoginResult.Success, at.AddSeconds(2)), Cancel);
        await users.RemoveAsync(alice.Id, Cancel);

        var recent = await records.ListRecentAsync(10, Cancel);
        Assert.Equal([LoginResult.Success, LoginResult.UnknownUser, LoginResult.WrongPassword], recent.Select(attempt => attempt.Result));
        Assert.Equal(64, recent[1].UserName.Length);
        Assert.StartsWith("mallory", recent[1].UserName, StringComparison.Ordinal);
        Assert.Equal(new LoginAttempt(recent[0].Id, "alice", alice.Id, "192.0.2.1", LoginResult.Success, at.AddSeconds(2)), recent[0]);
        Assert.Single(await records.ListRecentAsync(1, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Failures_lock_the_account_when_they_reach_the_limit_and_a_clear_forgets_them(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var records = database.Get<ILoginRecords>();
        var alice = await database.Get<IUserStore>().CreateAsync("alice", Passwords.Hash("secret-password"), isAdmin: false, mustChangePassword: false, Cancel);
        var until = database.Time.GetUtcNow().AddMinutes(15);

        Assert.Equal(new AccountLock(0, null), await records.GetLockAsync(alice.Id, Cancel));
        Assert.Equal(new AccountLock(1, null), await records.AddFailureAsync(alice.Id, 3, until, Cancel));
        Assert.Equal(new AccountLock(2, null), await records.AddFailureAsync(alice.Id, 3, until, Cancel));
        var locked = await records.AddFailureAsync(alice.Id, 3, until, Cancel);

        Assert.Equal(new AccountLock(3, until), locked);
        Assert.Equal([alice.Id], await records.ListLockedAsync(until.AddSeconds(-1), Cancel));
        Assert.Empty(await records.ListLockedAsync(until, Cancel));
        Assert.True(locked.IsLockedAt(until.AddSeconds(-1)));
        Assert.False(locked.IsLockedAt(until));
        Assert.Equal(locked, await records.GetLockAsync(alice.Id, Cancel));
        await records.ClearFailuresAsync(alice.Id, Cancel);
        Assert.Equal(new AccountLock(0, null), await records.GetLockAsync(alice.Id, Cancel));
        Assert.Empty(await records.ListLockedAsync(until.AddSeconds(-1), Cancel));
    }

    [Theory, DatabaseData]
    public async Task Concurrent_failures_are_all_counted(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var records = database.Get<ILoginRecords>();
        var alice = await database.Get<IUserStore>().CreateAsync("alice", Passwords.Hash("secret-password"), isAdmin: false, mustChangePassword: false, Cancel);
        var until = database.Time.GetUtcNow().AddMinutes(15);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => records.AddFailureAsync(alice.Id, 100, until, Cancel)));

        Assert.Equal(new AccountLock(20, null), await records.GetLockAsync(alice.Id, Cancel));
    }
}
