using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>
/// A group membership says where it came from: <c>local</c> (given in Ravada) or an external directory such as
/// <c>ldap</c>, whose memberships are copied at each login and removed when the directory no longer lists them.
/// </summary>
[Migration(8, "source of group memberships")]
public sealed class M0008_ExternalGroupMemberships : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up() =>
        Alter.Table("user_group_members").AddColumn("source").AsAnsiString(16).NotNullable().WithDefaultValue("local");
}
