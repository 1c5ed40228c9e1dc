using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Ravada.Data.Connections;

/// <summary>
/// SQLite connections: the database file's directory is created (mode 0750), the journal is switched to WAL
/// once (the setting is stored in the file), and every connection enforces foreign keys and waits up to
/// <see cref="BusyTimeout"/> for a lock instead of failing with "database is locked".
/// </summary>
internal sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    /// <summary>How long a statement waits for another connection's write lock.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private readonly string file;
    private readonly string connectionString;
    private volatile bool fileReady;

    public SqliteConnectionFactory(IOptions<DatabaseOptions> options)
    {
        file = options.Value.File;
        connectionString = ConnectionStrings.Sqlite(options.Value);
    }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!fileReady)
        {
            CreateDirectory();
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};", cancellationToken: cancellationToken));
            if (!fileReady)
            {
                await UseWriteAheadLogAsync(connection, cancellationToken);
                fileReady = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void CreateDirectory()
    {
        var directory = Path.GetDirectoryName(file);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    private async Task UseWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var mode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"db.file: SQLite could not switch '{file}' to write-ahead logging (journal mode stays '{mode}'); keep the database on a local file system");
        }
    }
}
