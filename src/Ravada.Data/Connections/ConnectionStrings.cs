using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace Ravada.Data.Connections;

/// <summary>The ADO.NET connection string of each driver, built from <see cref="DatabaseOptions"/>, never concatenated.</summary>
internal static class ConnectionStrings
{
    private const string ApplicationName = "ravada";

    /// <summary>
    /// For the migration runner: not pooled, so that its connections close when it is done instead of idling
    /// in a pool nobody uses again.
    /// </summary>
    public static string ForMigrations(DatabaseOptions options) => options.DriverKind switch
    {
        DatabaseDriver.Sqlite => Sqlite(options, pooling: false),
        DatabaseDriver.MySql => MySql(options, pooling: false),
        DatabaseDriver.PostgreSql => PostgreSql(options, pooling: false),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Driver, "unknown driver"),
    };

    public static string Sqlite(DatabaseOptions options, bool pooling = true) => new SqliteConnectionStringBuilder
    {
        DataSource = options.File,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = pooling,
    }.ConnectionString;

    public static string MySql(DatabaseOptions options, bool pooling = true) => new MySqlConnectionStringBuilder
    {
        Pooling = pooling,
        Server = options.Hostname,
        Port = (uint)options.EffectivePort,
        Database = options.Database,
        UserID = options.User,
        Password = options.Password,
        ApplicationName = ApplicationName,
        // UUIDs are stored as CHAR(36) text; without this MySqlConnector would hand back Guid objects for those columns.
        GuidFormat = MySqlGuidFormat.None,
    }.ConnectionString;

    public static string PostgreSql(DatabaseOptions options, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Pooling = pooling,
        Host = options.Hostname,
        Port = options.EffectivePort,
        Database = options.Database,
        Username = options.User,
        Password = options.Password,
        ApplicationName = ApplicationName,
    }.ConnectionString;
}
