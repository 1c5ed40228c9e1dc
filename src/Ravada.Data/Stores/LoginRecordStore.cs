using Ravada.Core.Users;

namespace Ravada.Data.Stores;

/// <summary><see cref="ILoginRecords"/> on <c>login_audit</c> and the lock columns of <c>users</c>.</summary>
internal sealed class LoginRecordStore(SqlExecutor sql) : ILoginRecords
{
    private const int UserNameLength = 64;

    public Task AppendAsync(LoginAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var name = attempt.UserName.Trim();
        return sql.ExecuteAsync(
            "INSERT INTO login_audit (user_name, user_id, client_address, result, at) VALUES (@UserName, @UserId, @ClientAddress, @Result, @At)",
            new
            {
                UserName = name.Length > UserNameLength ? name[..UserNameLength] : name,
                attempt.UserId,
                attempt.ClientAddress,
                Result = ResultName(attempt.Result),
                At = attempt.At.ToUnixTimeMilliseconds(),
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<LoginAttempt>> ListRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        var rows = await sql.ListAsync<AttemptRow>(
            "SELECT id, user_name AS UserName, user_id AS UserId, client_address AS ClientAddress, result, at FROM login_audit ORDER BY id DESC LIMIT @Limit",
            new { Limit = limit }, cancellationToken);
        return [.. rows.Select(row => new LoginAttempt(row.Id, row.UserName, row.UserId, row.ClientAddress, ParseResult(row.Result), EpochTime.FromMilliseconds(row.At)))];
    }

    public async Task<AccountLock> GetLockAsync(long userId, CancellationToken cancellationToken = default)
    {
        var row = await sql.SingleOrDefaultAsync<LockRow>(
            "SELECT failed_logins AS FailedLogins, locked_until AS LockedUntil FROM users WHERE id = @Id", new { Id = userId }, cancellationToken);
        return row is null ? new AccountLock(0, null) : new AccountLock(row.FailedLogins, EpochTime.FromMilliseconds(row.LockedUntil));
    }

    public async Task<IReadOnlySet<long>> ListLockedAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await sql.ListAsync<long>("SELECT id FROM users WHERE locked_until > @Now", new { Now = EpochTime.ToMilliseconds(now) }, cancellationToken)).ToHashSet();

    public async Task<AccountLock> AddFailureAsync(long userId, int lockAfter, DateTimeOffset lockUntil, CancellationToken cancellationToken = default)
    {
        // One statement, so that concurrent failures count exactly and the lock comes with the failure that earns it.
        // locked_until is assigned first: MySQL evaluates later assignments with the values of earlier ones.
        await sql.ExecuteAsync(
            """
            UPDATE users SET locked_until = CASE WHEN failed_logins + 1 >= @LockAfter THEN @LockUntil ELSE locked_until END,
                failed_logins = failed_logins + 1
            WHERE id = @Id
            """,
            new { Id = userId, LockAfter = lockAfter, LockUntil = lockUntil.ToUnixTimeMilliseconds() }, cancellationToken);
        return await GetLockAsync(userId, cancellationToken);
    }

    public Task ClearFailuresAsync(long userId, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id", new { Id = userId }, cancellationToken);

    private static string ResultName(LoginResult result) => result switch
    {
        LoginResult.Success => "success",
        LoginResult.WrongPassword => "wrong_password",
        LoginResult.UnknownUser => "unknown_user",
        LoginResult.Throttled => "throttled",
        LoginResult.LockedOut => "locked_out",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "unknown login result"),
    };

    private static LoginResult ParseResult(string name) => name switch
    {
        "success" => LoginResult.Success,
        "wrong_password" => LoginResult.WrongPassword,
        "unknown_user" => LoginResult.UnknownUser,
        "throttled" => LoginResult.Throttled,
        "locked_out" => LoginResult.LockedOut,
        _ => throw new InvalidOperationException($"unknown login result '{name}' in login_audit"),
    };

    private sealed class AttemptRow
    {
        public long Id { get; init; }

        public string UserName { get; init; } = "";

        public long? UserId { get; init; }

        public string ClientAddress { get; init; } = "";

        public string Result { get; init; } = "";

        public long At { get; init; }
    }

    private sealed class LockRow
    {
        public int FailedLogins { get; init; }

        public long? LockedUntil { get; init; }
    }
}
