using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Ravada.Data;

/// <summary>
/// Where the database is, bound from the <c>db</c> section of <c>/etc/ravada.conf</c> with Ravada's key names.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "db";

    /// <summary><c>sqlite</c> (the embedded default), <c>mysql</c> (MySQL or MariaDB) or <c>postgresql</c>.</summary>
    [ConfigurationKeyName("driver")]
    public string Driver { get; set; } = "sqlite";

    /// <summary>The SQLite database file.</summary>
    [ConfigurationKeyName("file")]
    public string File { get; set; } = "/var/lib/ravada/ravada.db";

    /// <summary>The database server's host name.</summary>
    [ConfigurationKeyName("hostname")]
    public string Hostname { get; set; } = "localhost";

    /// <summary>The database server's port; null for the driver's default (3306 or 5432).</summary>
    [ConfigurationKeyName("port")]
    public int? Port { get; set; }

    /// <summary>The database name on the server.</summary>
    [ConfigurationKeyName("database")]
    public string Database { get; set; } = "ravada";

    /// <summary>The login on the server.</summary>
    [ConfigurationKeyName("user")]
    public string? User { get; set; }

    /// <summary>Its password.</summary>
    [ConfigurationKeyName("password")]
    public string? Password { get; set; }

    /// <summary>The driver as an enum; call only on validated options.</summary>
    public DatabaseDriver DriverKind => ParseDriver(Driver)
        ?? throw new InvalidOperationException($"db.driver: '{Driver}' is not one of sqlite, mysql, postgresql");

    /// <summary>The port to connect to.</summary>
    public int EffectivePort => Port ?? (DriverKind == DatabaseDriver.PostgreSql ? 5432 : 3306);

    /// <summary>Checks the values; returns the problems, naming the key.</summary>
    public IEnumerable<string> Validate()
    {
        var driver = ParseDriver(Driver);
        if (driver is null)
        {
            yield return $"db.driver: '{Driver}' is not one of sqlite, mysql, postgresql";
            yield break;
        }

        if (driver == DatabaseDriver.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(File) || !Path.IsPathFullyQualified(File))
            {
                yield return $"db.file: '{File}' is not an absolute path such as /var/lib/ravada/ravada.db";
            }

            yield break;
        }

        var driverName = Driver.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(Hostname))
        {
            yield return $"db.hostname: required for the {driverName} driver";
        }

        if (Port is < 1 or > 65535)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"db.port: {Port} is not a port between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return $"db.database: required for the {driverName} driver";
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            yield return $"db.user: required for the {driverName} driver";
        }
    }

    private static DatabaseDriver? ParseDriver(string? driver) => driver?.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseDriver.Sqlite,
        "mysql" => DatabaseDriver.MySql,
        "postgresql" => DatabaseDriver.PostgreSql,
        _ => null,
    };
}

/// <summary>The database engines Ravada runs on.</summary>
public enum DatabaseDriver
{
    /// <summary>SQLite: one host, no server (the default).</summary>
    Sqlite,

    /// <summary>MariaDB 10.6+ or MySQL 8.</summary>
    MySql,

    /// <summary>PostgreSQL 12+.</summary>
    PostgreSql,
}
