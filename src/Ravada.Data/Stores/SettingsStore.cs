using Ravada.Core.Nodes;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="ISettingsStore"/> on the <c>settings</c> table.</summary>
internal sealed class SettingsStore(SqlExecutor sql, ISqlDialect dialect) : ISettingsStore
{
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        sql.ScalarAsync<string>("SELECT value FROM settings WHERE name = @Name", new { Name = name }, cancellationToken);

    public Task SetAsync(string name, string? value, CancellationToken cancellationToken = default) =>
        value is null
            ? sql.ExecuteAsync("DELETE FROM settings WHERE name = @Name", new { Name = name }, cancellationToken)
            : sql.ExecuteAsync(
                dialect.Upsert("INSERT INTO settings (name, value) VALUES (@Name, @Value)", "name", "value"),
                new { Name = name, Value = value }, cancellationToken);
}
