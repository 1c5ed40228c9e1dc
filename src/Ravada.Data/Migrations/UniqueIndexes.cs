using FluentMigrator.Builders.Create;

namespace Ravada.Data.Migrations;

/// <summary>
/// Unique constraints as named indexes. FluentMigrator's column-level <c>Unique()</c> would give SQLite two
/// indexes (an inline UNIQUE and the named one).
/// </summary>
internal static class UniqueIndexes
{
    /// <summary>A unique index <c>ux_TABLE_COLUMN</c> on one column.</summary>
    public static void UniqueIndex(this ICreateExpressionRoot create, string table, string column) =>
        create.Index($"ux_{table}_{column}").OnTable(table).OnColumn(column).Ascending().WithOptions().Unique();
}
