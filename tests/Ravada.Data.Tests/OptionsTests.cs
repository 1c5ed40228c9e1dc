using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ravada.Core.Machines;
using Ravada.Core.Messages;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data.Connections;
using Ravada.Data.Dialects;
using Ravada.Data.Migrations;
using Ravada.Data.Wakeup;

namespace Ravada.Data.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Without_a_db_section_the_embedded_SQLite_database_is_used()
    {
        var options = Bind([]);

        Assert.Equal(DatabaseDriver.Sqlite, options.DriverKind);
        Assert.Equal("/var/lib/ravada/ravada.db", options.File);
        Assert.Equal("localhost", options.Hostname);
        Assert.Equal("ravada", options.Database);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void The_keys_of_ravada_conf_bind()
    {
        var options = Bind(new()
        {
            ["db:driver"] = "postgresql",
            ["db:hostname"] = "db.example",
            ["db:port"] = "6432",
            ["db:database"] = "vdi",
            ["db:user"] = "rvd",
            ["db:password"] = "secret",
        });

        Assert.Equal(DatabaseDriver.PostgreSql, options.DriverKind);
        Assert.Equal(("db.example", 6432, "vdi", "rvd", "secret"), (options.Hostname, options.EffectivePort, options.Database, options.User, options.Password));
    }

    [Theory]
    [InlineData("mysql", 3306)]
    [InlineData("postgresql", 5432)]
    public void The_port_defaults_to_the_drivers_own(string driver, int port) =>
        Assert.Equal(port, Bind(new() { ["db:driver"] = driver, ["db:user"] = "rvd" }).EffectivePort);

    [Theory]
    [InlineData("db:driver", "oracle", "db.driver: 'oracle' is not one of sqlite, mysql, postgresql")]
    [InlineData("db:file", "ravada.db", "db.file: 'ravada.db' is not an absolute path such as /var/lib/ravada/ravada.db")]
    public void Wrong_values_are_named_by_their_key(string key, string value, string message) =>
        Assert.Equal([message], Bind(new() { [key] = value }).Validate());

    [Fact]
    public void A_database_server_needs_a_user_and_a_real_port()
    {
        var problems = Bind(new() { ["db:driver"] = "mysql", ["db:port"] = "70000" }).Validate();

        Assert.Equal(["db.port: 70000 is not a port between 1 and 65535", "db.user: required for the mysql driver"], problems);
    }

    [Fact]
    public void A_wrong_setting_stops_the_data_layer_with_the_keys_name()
    {
        using var provider = Register(new() { ["db:driver"] = "oracle" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IUserStore>());

        Assert.Contains("db.driver: 'oracle' is not one of sqlite, mysql, postgresql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_wakeup_socket_is_refused() =>
        Assert.Equal(
            ["backend.wakeup_socket: 'rvd_back.sock' is not an absolute path such as /run/ravada/rvd_back.sock"],
            new RequestWakeupOptions { WakeupSocket = "rvd_back.sock" }.Validate());

    [Theory]
    [InlineData("sqlite", typeof(SqliteDialect))]
    [InlineData("mysql", typeof(MySqlDialect))]
    [InlineData("postgresql", typeof(PostgreSqlDialect))]
    public void Every_store_resolves_with_the_dialect_of_the_driver(string driver, Type dialect)
    {
        using var provider = Register(new() { ["db:driver"] = driver, ["db:file"] = "/nonexistent/ravada.db", ["db:user"] = "rvd" });

        Assert.IsType(dialect, provider.GetRequiredService<ISqlDialect>());
        Assert.NotNull(provider.GetRequiredService<IDbConnectionFactory>());
        Assert.NotNull(provider.GetRequiredService<DatabaseMigrator>());
        Assert.NotNull(provider.GetRequiredService<IUserStore>());
        Assert.NotNull(provider.GetRequiredService<IMachineStore>());
        Assert.NotNull(provider.GetRequiredService<IMachineEventLog>());
        Assert.NotNull(provider.GetRequiredService<INodeStore>());
        Assert.NotNull(provider.GetRequiredService<ISettingsStore>());
        Assert.NotNull(provider.GetRequiredService<IMessageStore>());
        Assert.NotNull(provider.GetRequiredService<IRequestQueue>());
        Assert.NotNull(provider.GetRequiredService<IRequestWakeup>());
        Assert.NotNull(provider.GetRequiredService<IRequestWakeupListener>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void PostgreSQL_listens_both_on_the_socket_and_for_NOTIFY()
    {
        using var postgres = Register(new() { ["db:driver"] = "postgresql", ["db:user"] = "rvd" });
        using var sqlite = Register([]);

        Assert.IsType<CombinedWakeupListener>(postgres.GetRequiredService<IRequestWakeupListener>());
        Assert.IsType<UnixDatagramWakeupListener>(sqlite.GetRequiredService<IRequestWakeupListener>());
    }

    private static DatabaseOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()
            ?? new DatabaseOptions();

    private static ServiceProvider Register(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddRavadaData(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
