using System.Data.Common;

namespace Ravada.Data.Dialects;

/// <summary>
/// What differs between SQLite, MySQL/MariaDB and PostgreSQL. Everything else is plain SQL that all three
/// accept, written out in the stores.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>Turns an INSERT into a statement whose scalar result is the new row's id.</summary>
    string InsertReturningId(string insert);

    /// <summary>
    /// Turns an INSERT into one that, when a row with the same <paramref name="conflictColumns"/> exists,
    /// sets <paramref name="updatedColumns"/> of that row to the values being inserted.
    /// </summary>
    string Upsert(string insert, string conflictColumns, params string[] updatedColumns);

    /// <summary>Turns an INSERT into one that does nothing when a row with the same key exists.</summary>
    string InsertUnlessExists(string insert, string conflictColumns);

    /// <summary>
    /// A statement to run inside the transaction that queues a request, telling listeners its class
    /// (parameter <c>@Class</c>); null when the database has no such channel.
    /// </summary>
    string? NotifyRequestQueued { get; }

    /// <summary>Whether the exception is a unique or primary key violation.</summary>
    bool IsUniqueViolation(DbException exception);

    /// <summary>Whether the exception is a foreign key violation.</summary>
    bool IsForeignKeyViolation(DbException exception);

    /// <summary>
    /// Runs one claim: selects the first id of <paramref name="candidate"/> (a <c>SELECT r.id … ORDER BY r.id
    /// LIMIT 1</c> over <c>requests r</c>) and applies <paramref name="markWorking"/> (an <c>UPDATE requests SET
    /// …</c> without WHERE) to it, atomically and serialised against every other claim, so that two claimers
    /// never both see a machine as free. Returns the claimed id, or null.
    /// </summary>
    Task<long?> ClaimAsync(DbConnection connection, string candidate, string markWorking, object parameters, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="migrate"/> holding a lock, across processes, that makes migrations run one at a time.</summary>
    Task WithMigrationLockAsync(Func<Task> migrate, CancellationToken cancellationToken);
}
