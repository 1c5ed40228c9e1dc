using System.Data;
using System.Data.Common;
using Dapper;
using MySqlConnector;
using Ravada.Data.Connections;

namespace Ravada.Data.Dialects;

/// <summary>
/// MySQL 8 and MariaDB 10.6+: <c>LAST_INSERT_ID()</c> (MySQL has no <c>INSERT … RETURNING</c> and neither has
/// <c>UPDATE … RETURNING</c>), <c>ON DUPLICATE KEY UPDATE</c>, <c>FOR UPDATE SKIP LOCKED</c>, <c>GET_LOCK</c>.
/// </summary>
internal sealed class MySqlDialect(IDbConnectionFactory connections) : ISqlDialect
{
    private const int MigrationLockTimeoutSeconds = 600;

    public string? NotifyRequestQueued => null;

    public string InsertReturningId(string insert) => $"{insert}; SELECT LAST_INSERT_ID()";

    public string Upsert(string insert, string conflictColumns, params string[] updatedColumns) =>
        $"{insert} ON DUPLICATE KEY UPDATE {string.Join(", ", updatedColumns.Select(column => $"{column} = VALUES({column})"))}";

    public string InsertUnlessExists(string insert, string conflictColumns)
    {
        // INSERT IGNORE would also swallow foreign key and other errors; assigning a key column to itself does nothing.
        var firstColumn = conflictColumns.Split(',')[0].Trim();
        return $"{insert} ON DUPLICATE KEY UPDATE {firstColumn} = {firstColumn}";
    }

    public bool IsUniqueViolation(DbException exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.RowIsReferenced2 or MySqlErrorCode.NoReferencedRow2 };

    /// <summary>
    /// Every claim first locks the one row of <c>request_claim_lock</c>, so claims run one after another
    /// (<c>SKIP LOCKED</c> alone would let two claimers both see a machine with no working request). READ
    /// COMMITTED makes each statement see what the previous claimer committed.
    /// </summary>
    public async Task<long?> ClaimAsync(DbConnection connection, string candidate, string markWorking, object parameters, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT id FROM request_claim_lock WHERE id = 1 FOR UPDATE", transaction: transaction, cancellationToken: cancellationToken));
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"{candidate} FOR UPDATE SKIP LOCKED", parameters, transaction, cancellationToken: cancellationToken));
        if (id is { } claimed)
        {
            var arguments = new DynamicParameters(parameters);
            arguments.Add("ClaimedId", claimed);
            await connection.ExecuteAsync(new CommandDefinition($"{markWorking} WHERE id = @ClaimedId", arguments, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// A named lock per database (<c>GET_LOCK</c> names are server-wide and at most 64 characters); the server
    /// releases it if the process dies.
    /// </summary>
    public async Task WithMigrationLockAsync(Func<Task> migrate, CancellationToken cancellationToken)
    {
        const string LockName = "CONCAT('ravada_migrations.', MD5(DATABASE()))";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var locked = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT GET_LOCK({LockName}, @Timeout)", new { Timeout = MigrationLockTimeoutSeconds }, cancellationToken: cancellationToken));
        if (locked != 1)
        {
            throw new TimeoutException($"another process has been migrating the database for more than {MigrationLockTimeoutSeconds} s");
        }

        try
        {
            await migrate();
        }
        finally
        {
            await connection.ExecuteAsync($"SELECT RELEASE_LOCK({LockName})");
        }
    }
}
