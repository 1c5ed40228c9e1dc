namespace Ravada.Data.Tests.Support;

/// <summary>The database servers every repository test runs against.</summary>
public enum DatabaseEngine
{
    Sqlite,
    MariaDb,
    PostgreSql,
}
