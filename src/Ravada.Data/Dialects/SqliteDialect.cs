using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Ravada.Data.Dialects;

/// <summary>SQLite 3.35+: <c>RETURNING</c>, <c>ON CONFLICT</c>, and <c>BEGIN IMMEDIATE</c> as the claim lock.</summary>
internal sealed class SqliteDialect(IOptions<DatabaseOptions> options) : ISqlDialect
{
    private const int ConstraintViolation = 19;
    private const int ForeignKeyViolation = 787;
    private const int PrimaryKeyViolation = 1555;
    private const int UniqueViolation = 2067;

    private static readonly TimeSpan MigrationLockTimeout = TimeSpan.FromMinutes(10);

    public string? NotifyRequestQueued => null;

    public string InsertReturningId(string insert) => $"{insert} RETURNING id";

    public string Upsert(string insert, string conflictColumns, params string[] updatedColumns) =>
        $"{insert} ON CONFLICT ({conflictColumns}) DO UPDATE SET {string.Join(", ", updatedColumns.Select(column => $"{column} = excluded.{column}"))}";

    public string InsertUnlessExists(string insert, string conflictColumns) => $"{insert} ON CONFLICT ({conflictColumns}) DO NOTHING";

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: ConstraintViolation, SqliteExtendedErrorCode: UniqueViolation or PrimaryKeyViolation };

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: ConstraintViolation, SqliteExtendedErrorCode: ForeignKeyViolation };

    /// <summary>
    /// <c>BEGIN IMMEDIATE</c> takes the database's write lock before reading, so the whole claim runs while
    /// every other writer, in this process or another, waits.
    /// </summary>
    public async Task<long?> ClaimAsync(DbConnection connection, string candidate, string markWorking, object parameters, CancellationToken cancellationToken)
    {
        await using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"{markWorking} WHERE id = ({candidate}) RETURNING id", parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Locks a file beside the database. SQLite's own locks cannot serve: the migration runner writes
    /// through a connection of its own, which would wait for ours forever.
    /// </summary>
    public async Task WithMigrationLockAsync(Func<Task> migrate, CancellationToken cancellationToken)
    {
        await using var lockFile = await LockFileAsync(cancellationToken);
        await migrate();
    }

    private async Task<FileStream> LockFileAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.File + ".migration-lock";
        var deadline = Environment.TickCount64 + (long)MigrationLockTimeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                // FileShare.None takes flock(LOCK_EX) on Linux: another holder makes this throw, and the kernel
                // releases the lock when its holder dies. flock needs no write access, so rvd_front (another user)
                // may lock the file that root's rvd_back created.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }
}
