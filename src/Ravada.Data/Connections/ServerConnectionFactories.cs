using System.Data.Common;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Npgsql;

namespace Ravada.Data.Connections;

/// <summary>MySQL and MariaDB connections from one pooled data source.</summary>
internal sealed class MySqlConnectionFactory(IOptions<DatabaseOptions> options) : IDbConnectionFactory, IDisposable
{
    private readonly MySqlDataSource dataSource = new(ConnectionStrings.MySql(options.Value));

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public void Dispose() => dataSource.Dispose();
}

/// <summary>PostgreSQL connections from one pooled data source.</summary>
internal sealed class PostgreSqlConnectionFactory(IOptions<DatabaseOptions> options) : IDbConnectionFactory, IDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionStrings.PostgreSql(options.Value));

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public void Dispose() => dataSource.Dispose();
}
