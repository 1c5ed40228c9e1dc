using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;
using Npgsql;
using Ravada.Data.Migrations;

namespace Ravada.Data.Tests.Support;

/// <summary>
/// A fresh, uniquely named database on one engine (a temporary SQLite file, or a database created on the
/// MariaDB or PostgreSQL test server), with the data layer registered as the daemons register it, a fake
/// clock, and a wake-up socket of its own. Disposing it drops the database.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string MySqlVariable = "RAVADA_TEST_MYSQL";
    public const string PostgreSqlVariable = "RAVADA_TEST_POSTGRES";

    private readonly ServiceProvider services;
    private readonly Func<Task> drop;

    private TestDatabase(DatabaseEngine engine, string directory, Dictionary<string, string?> settings, Func<Task> drop)
    {
        Engine = engine;
        Directory = directory;
        Settings = settings;
        this.drop = drop;
        services = CreateServices(Time);
    }

    public DatabaseEngine Engine { get; }

    /// <summary>A private temporary directory (the SQLite file and the wake-up socket live there).</summary>
    public string Directory { get; }

    /// <summary>The configuration keys the data layer was registered with.</summary>
    public Dictionary<string, string?> Settings { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Creates the database and, unless told otherwise, brings its schema up to date.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseEngine engine, bool migrate = true)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ravada-test-").FullName;
        var name = $"ravada_test_{Guid.NewGuid():N}"[..28];
        var settings = new Dictionary<string, string?> { ["backend:wakeup_socket"] = Path.Combine(directory, "rvd_back.sock") };
        Func<Task> drop;
        try
        {
            drop = engine switch
            {
                DatabaseEngine.Sqlite => CreateSqlite(directory, settings),
                DatabaseEngine.MariaDb => await CreateMariaDbAsync(name, settings),
                DatabaseEngine.PostgreSql => await CreatePostgreSqlAsync(name, settings),
                _ => throw new ArgumentOutOfRangeException(nameof(engine)),
            };
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }

        var database = new TestDatabase(engine, directory, settings, drop);
        if (migrate)
        {
            await database.Get<DatabaseMigrator>().MigrateUpAsync(TestContext.Current.CancellationToken);
        }

        return database;
    }

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>A second, independent registration on the same database: another process, as far as the database can tell.</summary>
    public ServiceProvider CreateServices(TimeProvider timeProvider) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(timeProvider)
            .AddRavadaData(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build())
            .BuildServiceProvider(validateScopes: true);

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await drop();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static Func<Task> CreateSqlite(string directory, Dictionary<string, string?> settings)
    {
        var file = Path.Combine(directory, "ravada.db");
        settings["db:driver"] = "sqlite";
        settings["db:file"] = file;
        return () =>
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ConnectionString);
            SqliteConnection.ClearPool(connection);
            return Task.CompletedTask;
        };
    }

    private static async Task<Func<Task>> CreateMariaDbAsync(string name, Dictionary<string, string?> settings)
    {
        var server = new MySqlConnectionStringBuilder(ServerConnectionString(MySqlVariable));
        await using (var connection = new MySqlConnection(server.ConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE {name} CHARACTER SET utf8mb4");
        }

        settings["db:driver"] = "mysql";
        AddServerSettings(settings, server.Server, (int)server.Port, name, server.UserID, server.Password);
        return async () =>
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.ExecuteAsync($"DROP DATABASE {name}");
        };
    }

    private static async Task<Func<Task>> CreatePostgreSqlAsync(string name, Dictionary<string, string?> settings)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString(PostgreSqlVariable));
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }

        settings["db:driver"] = "postgresql";
        AddServerSettings(settings, server.Host!, server.Port, name, server.Username!, server.Password!);
        return async () =>
        {
            // FORCE ends our sessions, but not an autovacuum worker that happens to be in the database (that takes a
            // superuser): the worker is gone a moment later, so the drop is tried again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(server.ConnectionString);
                    await connection.ExecuteAsync($"DROP DATABASE {name} WITH (FORCE)");
                    return;
                }
                catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }
            }
        };
    }

    private static void AddServerSettings(Dictionary<string, string?> settings, string host, int port, string database, string user, string password)
    {
        settings["db:hostname"] = host;
        settings["db:port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["db:database"] = database;
        settings["db:user"] = user;
        settings["db:password"] = password;
    }

    private static string ServerConnectionString(string variable)
    {
        var connectionString = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Fail($"{variable} is not set: run ./test.sh, which starts the database servers");
        }

        return connectionString;
    }
}
