using Dapper;
using Ravada.Data.Connections;

namespace Ravada.Data.Tests.Support;

/// <summary>Looks at the tables directly, for what no store method shows (rows left behind by a cascade).</summary>
internal static class SqlProbe
{
    public static async Task<long> CountAsync(TestDatabase database, string table, string condition = "1 = 1", object? parameters = null)
    {
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {condition}", parameters);
    }
}
