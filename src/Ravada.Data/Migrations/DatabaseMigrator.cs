using FluentMigrator.Runner;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Data.Connections;
using Ravada.Data.Dialects;

namespace Ravada.Data.Migrations;

/// <summary>
/// Brings the database schema up to date with the migrations in this assembly. rvd_back and rvd_front call
/// it at start-up; it is safe to run again and from two processes at once (the second waits, then finds
/// nothing to do).
/// </summary>
public sealed partial class DatabaseMigrator
{
    private readonly DatabaseOptions options;
    private readonly IDbConnectionFactory connections;
    private readonly ISqlDialect dialect;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<DatabaseMigrator> logger;

    internal DatabaseMigrator(
        IOptions<DatabaseOptions> options, IDbConnectionFactory connections, ISqlDialect dialect, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        this.options = options.Value;
        this.connections = connections;
        this.dialect = dialect;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<DatabaseMigrator>();
    }

    /// <summary>Applies the migrations the database lacks.</summary>
    public Task MigrateUpAsync(CancellationToken cancellationToken = default) => MigrateAsync(version: null, cancellationToken);

    /// <summary>Applies migrations up to <paramref name="version"/> only (tests of upgrades with data in place).</summary>
    internal Task MigrateUpToAsync(long version, CancellationToken cancellationToken = default) => MigrateAsync(version, cancellationToken);

    private async Task MigrateAsync(long? version, CancellationToken cancellationToken)
    {
        // The first connection creates a SQLite file (and its directory) and switches it to WAL.
        await using (await connections.OpenAsync(cancellationToken))
        {
        }

        await dialect.WithMigrationLockAsync(async () =>
        {
            LogMigrating(options.Driver);
            // FluentMigrator has no asynchronous API: run it off the caller's thread.
            await Task.Run(() => Migrate(version), cancellationToken);
        }, cancellationToken);
    }

    private void Migrate(long? version)
    {
        var services = new ServiceCollection()
            .AddSingleton(timeProvider)
            .AddSingleton(loggerFactory)
            .AddFluentMigratorCore()
            .ConfigureRunner(runner => AddProcessor(runner)
                .WithGlobalConnectionString(ConnectionStrings.ForMigrations(options))
                .ScanIn(typeof(DatabaseMigrator).Assembly).For.Migrations());
        using var provider = services.BuildServiceProvider(validateScopes: false);
        using var scope = provider.CreateScope();
        var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
        if (version is { } target)
        {
            runner.MigrateUp(target);
        }
        else
        {
            runner.MigrateUp();
        }
    }

    private IMigrationRunnerBuilder AddProcessor(IMigrationRunnerBuilder runner) => options.DriverKind switch
    {
        DatabaseDriver.Sqlite => runner.AddSQLite(),
        DatabaseDriver.MySql => runner.AddMySql5(),
        DatabaseDriver.PostgreSql => runner.AddPostgres(),
        _ => throw new InvalidOperationException($"db.driver: '{options.Driver}' has no migration processor"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Bringing the {Driver} database schema up to date")]
    private partial void LogMigrating(string driver);
}
