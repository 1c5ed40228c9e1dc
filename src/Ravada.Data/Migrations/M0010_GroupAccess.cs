using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>
/// Groups in rights: grants given to a group hold for each of its members, and a base may be restricted to the
/// members of some groups.
/// </summary>
[Migration(10, "grants of groups and bases restricted to groups")]
public sealed class M0010_GroupAccess : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        Create.Table("group_grants")
            .WithColumn("group_id").AsInt64().NotNullable().PrimaryKey("pk_group_grants")
                .ForeignKey("fk_group_grants_group", "user_groups", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("grant_type_id").AsInt64().NotNullable().PrimaryKey("pk_group_grants")
                .ForeignKey("fk_group_grants_grant_type", "grant_types", "id")
            .WithColumn("value").AsInt32().NotNullable();

        Create.Table("base_access_groups")
            .WithColumn("machine_id").AsInt64().NotNullable().PrimaryKey("pk_base_access_groups")
                .ForeignKey("fk_base_access_groups_machine", "machines", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("group_id").AsInt64().NotNullable().PrimaryKey("pk_base_access_groups")
                .ForeignKey("fk_base_access_groups_group", "user_groups", "id").OnDelete(System.Data.Rule.Cascade);
    }
}
