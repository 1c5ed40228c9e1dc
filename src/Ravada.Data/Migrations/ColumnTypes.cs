using FluentMigrator.Builders.Create.Table;

namespace Ravada.Data.Migrations;

/// <summary>
/// Text columns that behave alike on the three databases. On MySQL, FluentMigrator's <c>AsString</c> means
/// <c>NVARCHAR</c>, which is utf8mb3 with a case-insensitive collation; its "ANSI" strings are plain
/// <c>VARCHAR</c>/<c>LONGTEXT</c> and take the database's utf8mb4_bin. PostgreSQL and SQLite see no difference.
/// </summary>
internal static class ColumnTypes
{
    /// <summary>Text of at most <paramref name="length"/> characters.</summary>
    public static ICreateTableColumnOptionOrWithColumnSyntax AsText(this ICreateTableColumnAsTypeSyntax column, int length) =>
        column.AsAnsiString(length);

    /// <summary>Text of any length (<c>LONGTEXT</c> on MySQL, <c>text</c> elsewhere).</summary>
    public static ICreateTableColumnOptionOrWithColumnSyntax AsLongText(this ICreateTableColumnAsTypeSyntax column) =>
        column.AsAnsiString(int.MaxValue);
}
