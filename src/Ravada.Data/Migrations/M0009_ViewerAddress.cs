using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>
/// Machines record the client IP that asked for their start: the firewall lets that address, and no other
/// user's, reach their displays while they run.
/// </summary>
[Migration(9, "viewer address of machines")]
public sealed class M0009_ViewerAddress : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up() =>
        // 45 characters hold the longest textual IPv6 address.
        Alter.Table("machines").AddColumn("viewer_address").AsAnsiString(45).Nullable();
}
