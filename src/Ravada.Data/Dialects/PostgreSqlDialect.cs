using System.Data.Common;
using Dapper;
using Npgsql;
using Ravada.Data.Connections;

namespace Ravada.Data.Dialects;

/// <summary>PostgreSQL: <c>RETURNING</c>, <c>ON CONFLICT</c>, <c>FOR UPDATE SKIP LOCKED</c>, <c>NOTIFY</c>, advisory locks.</summary>
internal sealed class PostgreSqlDialect(IDbConnectionFactory connections) : ISqlDialect
{
    /// <summary>The channel <c>NOTIFY</c> uses when a request is queued; the payload is the request class.</summary>
    public const string RequestChannel = "ravada_requests";

    // An arbitrary application-wide key ("Ravada" in ASCII + 1); advisory locks are scoped to the database.
    private const long MigrationLockKey = 0x526176616461_01;

    public string? NotifyRequestQueued => $"SELECT pg_notify('{RequestChannel}', @Class)";

    public string InsertReturningId(string insert) => $"{insert} RETURNING id";

    public string Upsert(string insert, string conflictColumns, params string[] updatedColumns) =>
        $"{insert} ON CONFLICT ({conflictColumns}) DO UPDATE SET {string.Join(", ", updatedColumns.Select(column => $"{column} = excluded.{column}"))}";

    public string InsertUnlessExists(string insert, string conflictColumns) => $"{insert} ON CONFLICT ({conflictColumns}) DO NOTHING";

    public bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    /// <summary>
    /// Every claim first locks the one row of <c>request_claim_lock</c>, so claims run one after another
    /// (<c>SKIP LOCKED</c> alone would let two claimers both see a machine with no working request). Under
    /// READ COMMITTED the UPDATE's snapshot is taken after that lock is granted, so it sees the previous claim.
    /// </summary>
    public async Task<long?> ClaimAsync(DbConnection connection, string candidate, string markWorking, object parameters, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT id FROM request_claim_lock WHERE id = 1 FOR UPDATE", transaction: transaction, cancellationToken: cancellationToken));
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"{markWorking} WHERE id = ({candidate} FOR UPDATE SKIP LOCKED) RETURNING id", parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>A session-level advisory lock: the server releases it if the process dies.</summary>
    public async Task WithMigrationLockAsync(Func<Task> migrate, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@Key)", new { Key = MigrationLockKey }, cancellationToken: cancellationToken));
        try
        {
            await migrate();
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = MigrationLockKey });
        }
    }
}
