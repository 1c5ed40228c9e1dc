using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Data.Connections;
using Ravada.Data.Tests.Support;

namespace Ravada.Data.Tests.Migrations;

public sealed class SqliteFileTests
{
    [Fact]
    public async Task The_database_file_gets_a_private_directory_write_ahead_logging_and_foreign_keys()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite);
        var file = database.Settings["db:file"]!;
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Scenario.Cancel);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.True(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout") >= 5000);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_missing_directory_is_created_with_mode_0750()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite, migrate: false);
        var nested = Path.Combine(database.Directory, "var", "lib", "ravada");
        database.Settings["db:file"] = Path.Combine(nested, "ravada.db");
        await using var services = database.CreateServices(database.Time);

        await using (await services.GetRequiredService<IDbConnectionFactory>().OpenAsync(Scenario.Cancel))
        {
        }

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(nested));
    }
}
