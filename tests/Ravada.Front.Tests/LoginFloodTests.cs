using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// Issue 5: a failed login never ties up a server thread, so a flood of bad logins leaves every other user's
/// requests as they were. Nothing here is timed. The portal's whole clock stands still, and the portal can only
/// wait through that clock (BannedSymbols.txt bans Thread.Sleep and blocking on a task), so a refusal that waited
/// on a timer would never be answered. And refused logins held inside the login, at their audit write (by a gate
/// of this test, standing in for a slow database), are hundreds at once on fewer pool threads than that, while
/// another user's pages, actions and login go through; only then are they let go.
/// </summary>
public sealed class LoginFloodTests : IAsyncLifetime
{
    /// <summary>Every attacker's address is in 127.66.0.0/16 (loopback: the portal serves plain HTTP to this host only).</summary>
    private const string AttackerNetwork = "127.66.";
    private const int LockoutFailures = 3;
    private const int LockoutMinutes = 15;

    /// <summary>
    /// Were a refusal waiting on the portal's clock, it would never be answered: this guard only turns that hang into
    /// a failure, and is far longer than a flood needs on any machine.
    /// </summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    private static readonly HttpStatusCode[] Refusals = [HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests];

    private readonly AuditGate gate = new();
    private readonly TestPortal portal;
    private Cast cast = null!;

    public LoginFloodTests() =>
        portal = new TestPortal($"  lockout_failures: {LockoutFailures}\n  lockout_minutes: {LockoutMinutes}", wholeClockFake: true, testServices: services =>
        {
            var store = services.Single(service => service.ServiceType == typeof(ILoginRecords));
            services.Remove(store);
            services.AddSingleton<ILoginRecords>(provider =>
                new GatedLoginRecords((ILoginRecords)ActivatorUtilities.CreateInstance(provider, store.ImplementationType!), gate));
        });

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        cast = await portal.CastAsync();
    }

    public async ValueTask DisposeAsync()
    {
        gate.Release();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task A_flood_on_a_clock_that_stands_still_is_answered_in_full_and_locks_the_accounts_it_targets()
    {
        using var alice = portal.Browser("127.0.0.2");
        await alice.LogInToPortalAsync("alice");
        var now = portal.TokenClock.GetUtcNow();
        const int attempts = 400;

        var answers = await Task.WhenAll(Flood(attempts)).WaitAsync(HangGuard, TimeProvider.System, Cancellation);

        Assert.All(answers, answer => Assert.Contains(answer, Refusals));
        Assert.Contains(HttpStatusCode.Unauthorized, answers);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        var records = portal.Get<ILoginRecords>();
        foreach (var target in new[] { cast.Admin, cast.Bob })
        {
            var accountLock = await records.GetLockAsync(target.Id, Cancellation);
            Assert.True(accountLock.ConsecutiveFailures >= LockoutFailures, $"{target.Name}: {accountLock}");
            // The database keeps milliseconds.
            Assert.Equal(now.AddMinutes(LockoutMinutes).ToUnixTimeMilliseconds(), accountLock.LockedUntil?.ToUnixTimeMilliseconds());
        }

        var audit = await records.ListRecentAsync(10 * attempts, Cancellation);
        Assert.Equal(attempts, audit.Count(attempt => attempt.ClientAddress.StartsWith(AttackerNetwork, StringComparison.Ordinal)));
        Assert.Empty(await portal.RequestsAsync());
        await AssertAliceUntouchedAsync(alice);
    }

    [Fact]
    public async Task While_hundreds_of_bad_logins_are_outstanding_another_users_pages_actions_and_login_go_through()
    {
        using var alice = portal.Browser("127.0.0.2");
        await alice.LogInToPortalAsync("alice");
        await portal.UserAsync("carol");
        const int outstanding = 256;
        gate.Hold(outstanding);

        var flood = Flood(outstanding);
        var answeredEarly = Task.WhenAny(flood);
        if (await Task.WhenAny(gate.AllHeld, answeredEarly).WaitAsync(HangGuard, TimeProvider.System, Cancellation) == answeredEarly)
        {
            Assert.Fail($"a bad login was answered {(int)await await answeredEarly} before its attempt was written to the audit log");
        }

        // Every one of them is inside its login, waiting on the database: were it holding a thread while it waits,
        // the pool would need one thread per login.
        var threads = ThreadPool.ThreadCount;
        Assert.True(threads < outstanding, $"{threads} pool threads for {outstanding} outstanding logins");
        await AssertAliceUntouchedAsync(alice);
        using (var shutdown = await alice.PostHtmxAsync($"/machines/{cast.AliceDesktop.Id}/shutdown"))
        {
            Assert.True(shutdown.IsSuccessStatusCode, $"shutdown: {(int)shutdown.StatusCode}");
        }

        using var carol = portal.Browser("127.0.0.3");
        using (var login = await carol.LogInAsync("carol"))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        var (carolsPage, _) = await carol.PageAsync("/");
        Assert.Equal(HttpStatusCode.OK, carolsPage.StatusCode);
        Assert.All(flood, login => Assert.False(login.IsCompleted));

        gate.Release();
        var answers = await Task.WhenAll(flood).WaitAsync(HangGuard, TimeProvider.System, Cancellation);

        Assert.All(answers, answer => Assert.Contains(answer, Refusals));
        var request = Assert.Single(await portal.RequestsAsync());
        Assert.Equal(RequestCommands.Shutdown, request.Command);
        Assert.Equal(cast.Alice.Id, request.UserId);
        await AssertAliceUntouchedAsync(alice);
    }

    /// <summary>
    /// Bad logins, all at once: wrong passwords for root and bob, each from an address of its own (so the account's
    /// own limit and lockout answer them), and unknown names from twenty addresses in turn (so the address limit
    /// answers most of them).
    /// </summary>
    private List<Task<HttpStatusCode>> Flood(int attempts) => [.. Enumerable.Range(0, attempts).Select(BadLoginAsync)];

    private async Task<HttpStatusCode> BadLoginAsync(int attempt)
    {
        var (name, address) = (attempt % 4) switch
        {
            0 => ("root", $"{AttackerNetwork}{attempt / 250}.{(attempt % 250) + 1}"),
            1 => ("bob", $"{AttackerNetwork}{attempt / 250}.{(attempt % 250) + 1}"),
            _ => ($"intruder-{attempt}", $"{AttackerNetwork}255.{(attempt % 20) + 1}"),
        };
        using var attacker = portal.Browser(address);
        using var answer = await attacker.LogInAsync(name, $"guess-{attempt}-password");
        return answer.StatusCode;
    }

    private async Task AssertAliceUntouchedAsync(Browser alice)
    {
        var (response, page) = await alice.PageAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("running", page.QuerySelector($"#machine-{cast.AliceDesktop.Id}")?.GetAttribute("data-state"));
        Assert.Equal(MachineState.Running, (await portal.Get<IMachineStore>().FindAsync(cast.AliceDesktop.Id, Cancellation))?.State);
        Assert.Equal(new AccountLock(0, null), await portal.Get<ILoginRecords>().GetLockAsync(cast.Alice.Id, Cancellation));
    }

    /// <summary>Holds the attackers' audit writes until released, and tells when a given number of them are held.</summary>
    private sealed class AuditGate
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource allHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int expected;
        private int held;

        public Task AllHeld => allHeld.Task;

        public void Hold(int count) => expected = count;

        public void Release() => released.TrySetResult();

        public async Task PassAsync(LoginAttempt attempt, CancellationToken cancellationToken)
        {
            if (expected == 0 || !attempt.ClientAddress.StartsWith(AttackerNetwork, StringComparison.Ordinal))
            {
                return;
            }

            if (Interlocked.Increment(ref held) == expected)
            {
                allHeld.TrySetResult();
            }

            await released.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The portal's login records, with the audit write going through the gate first.</summary>
    private sealed class GatedLoginRecords(ILoginRecords inner, AuditGate gate) : ILoginRecords
    {
        public async Task AppendAsync(LoginAttempt attempt, CancellationToken cancellationToken = default)
        {
            await gate.PassAsync(attempt, cancellationToken);
            await inner.AppendAsync(attempt, cancellationToken);
        }

        public Task<IReadOnlyList<LoginAttempt>> ListRecentAsync(int limit, CancellationToken cancellationToken = default) =>
            inner.ListRecentAsync(limit, cancellationToken);

        public Task<AccountLock> GetLockAsync(long userId, CancellationToken cancellationToken = default) => inner.GetLockAsync(userId, cancellationToken);

        public Task<IReadOnlySet<long>> ListLockedAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.ListLockedAsync(now, cancellationToken);

        public Task<AccountLock> AddFailureAsync(long userId, int lockAfter, DateTimeOffset lockUntil, CancellationToken cancellationToken = default) =>
            inner.AddFailureAsync(userId, lockAfter, lockUntil, cancellationToken);

        public Task ClearFailuresAsync(long userId, CancellationToken cancellationToken = default) => inner.ClearFailuresAsync(userId, cancellationToken);
    }
}
