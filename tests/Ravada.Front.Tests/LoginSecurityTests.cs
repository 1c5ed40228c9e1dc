using System.Net;
using System.Text;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>Account lockout that survives a restart, the login audit log, and hashes from Perl Ravada.</summary>
public sealed class LoginSecurityTests : IAsyncLifetime
{
    private TestPortal portal = new("  login_attempts_per_minute: 100\n  lockout_failures: 3\n  lockout_minutes: 15", wholeClockFake: true);

    public async ValueTask InitializeAsync() => await portal.StartAsync();

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task Failures_in_a_row_lock_the_account_across_a_restart_until_the_cool_down_ends()
    {
        await portal.UserAsync("alice");
        using (var attacker = portal.Browser("127.0.0.5"))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.LogInAsync("alice", $"guess-{attempt}-password")).StatusCode);
            }
        }

        portal = await portal.RestartAsync();
        using var owner = portal.Browser("127.0.0.6");
        var locked = await owner.LogInAsync("alice");
        var lockedPage = await owner.ParseAsync(locked);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("15 minutes", lockedPage.QuerySelector("#login-problem")!.TextContent, StringComparison.Ordinal);
        portal.TokenClock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.LogInAsync("alice")).StatusCode);
        Assert.Equal(new AccountLock(0, null), await portal.Get<ILoginRecords>().GetLockAsync((await portal.Get<IUserStore>().FindByNameAsync("alice", TestContext.Current.CancellationToken))!.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_success_before_the_limit_starts_the_count_again()
    {
        await portal.UserAsync("alice");
        using var browser = portal.Browser();

        await browser.LogInAsync("alice", "wrong-password-1");
        await browser.LogInAsync("alice", "wrong-password-2");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync("alice")).StatusCode);
        await browser.PageAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/logout", [])).StatusCode);
        await browser.LogInAsync("alice", "wrong-password-3");
        await browser.LogInAsync("alice", "wrong-password-4");

        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync("alice")).StatusCode);
    }

    [Fact]
    public async Task Every_attempt_is_audited_with_its_address_and_result_and_no_password_is_stored()
    {
        var alice = await portal.UserAsync("alice");
        using var browser = portal.Browser("127.0.0.9");

        await browser.LogInAsync("alice", "a-wrong-secret-typed");
        await browser.LogInAsync("nobody-here", "another-secret-typed");
        await browser.LogInAsync("alice");

        var audit = await portal.Get<ILoginRecords>().ListRecentAsync(10, TestContext.Current.CancellationToken);
        Assert.Equal(
            [("alice", (long?)alice.Id, LoginResult.Success), ("nobody-here", null, LoginResult.UnknownUser), ("alice", alice.Id, LoginResult.WrongPassword)],
            audit.Select(attempt => (attempt.UserName, attempt.UserId, attempt.Result)));
        Assert.All(audit, attempt => Assert.Equal("127.0.0.9", attempt.ClientAddress));
        var database = await DatabaseBytesAsync();
        foreach (var typed in new[] { "a-wrong-secret-typed", "another-secret-typed", TestPortal.Password })
        {
            Assert.DoesNotContain(typed, database, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_hash_imported_from_perl_ravada_logs_in_and_is_replaced_by_a_modern_one()
    {
        var users = portal.Get<IUserStore>();
        // SHA-1 of "password1234", as Perl Ravada stores it.
        var legacy = await users.CreateAsync("veteran", "e6b6afbd6d76bb5d2041542d7d2e3fac5bb05593", isAdmin: false, mustChangePassword: false, TestContext.Current.CancellationToken);
        using var browser = portal.Browser();

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.LogInAsync("veteran", "password12345")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync("veteran", "password1234")).StatusCode);

        var stored = (await users.GetPasswordHashAsync(legacy.Id, TestContext.Current.CancellationToken))!;
        Assert.False(Passwords.IsLegacyRavadaHash(stored));
        Assert.Equal(PasswordCheck.Right, Passwords.Verify(stored, "password1234"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    private async Task<string> DatabaseBytesAsync()
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.GetFiles(portal.DataDirectory, "ravada.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            builder.Append(await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
        }

        return builder.ToString();
    }
}
