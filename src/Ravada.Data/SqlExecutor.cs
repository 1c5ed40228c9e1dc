using System.Data.Common;
using Dapper;
using Ravada.Data.Connections;

namespace Ravada.Data;

/// <summary>Runs one Dapper command on a connection of its own, or several in one transaction.</summary>
internal sealed class SqlExecutor(IDbConnectionFactory connections)
{
    public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<T>> ListAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Runs <paramref name="work"/> in a transaction that commits when it returns and rolls back when it throws.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Transaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(new Transaction(connection, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Commands inside one transaction.</summary>
    internal readonly record struct Transaction(DbConnection Connection, DbTransaction DbTransaction, CancellationToken CancellationToken)
    {
        public Task<int> ExecuteAsync(string sql, object? parameters) =>
            Connection.ExecuteAsync(new CommandDefinition(sql, parameters, DbTransaction, cancellationToken: CancellationToken));

        public Task<T?> ScalarAsync<T>(string sql, object? parameters) =>
            Connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, DbTransaction, cancellationToken: CancellationToken));
    }
}
