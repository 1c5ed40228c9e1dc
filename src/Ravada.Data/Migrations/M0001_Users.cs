using FluentMigrator;
using Ravada.Core.Users;

namespace Ravada.Data.Migrations;

/// <summary>Users, groups and grants, with the built-in <c>daemon</c> user and Ravada's grant types.</summary>
[Migration(1, "users, groups and grants")]
public sealed class M0001_Users(TimeProvider timeProvider) : ForwardOnlyMigration
{
    private static readonly Dictionary<Grant, string> Descriptions = new()
    {
        [Grant.Admin] = "can do everything",
        [Grant.CreateMachine] = "can create machines from an ISO",
        [Grant.CreateBase] = "can turn own machines into bases",
        [Grant.Clone] = "can clone public bases",
        [Grant.CloneAll] = "can clone any machine, and choose names and counts",
        [Grant.ChangeSettings] = "can change own machines",
        [Grant.ChangeSettingsAll] = "can change any machine",
        [Grant.Remove] = "can remove own machines",
        [Grant.RemoveAll] = "can remove any machine",
        [Grant.Shutdown] = "can start, shut down, reboot and pause own machines",
        [Grant.ShutdownAll] = "can start, shut down, reboot and pause any machine",
        [Grant.Hibernate] = "can hibernate own machines",
        [Grant.HibernateAll] = "can hibernate any machine",
        [Grant.StartMany] = "has no limit on running machines",
        [Grant.StartLimit] = "may run at most this many machines at once",
        [Grant.ViewAll] = "can see and use the display of any machine",
        [Grant.ManageUsers] = "can create, change and remove users",
        [Grant.GrantPermissions] = "can give and take permissions",
    };

    /// <inheritdoc />
    public override void Up()
    {
        // Names compare case-sensitively on every database, as libvirt's do; MySQL's default collation would not.
        IfDatabase("MySql").Execute.Sql("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");

        Create.Table("users")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("name").AsText(64).NotNullable()
            .WithColumn("password_hash").AsText(512).Nullable()
            .WithColumn("is_admin").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("must_change_password").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("external_auth").AsText(16).NotNullable().WithDefaultValue("sql")
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("changed_at").AsInt64().NotNullable();
        Create.UniqueIndex("users", "name");

        Create.Table("user_groups")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("name").AsText(128).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable();
        Create.UniqueIndex("user_groups", "name");

        Create.Table("user_group_members")
            .WithColumn("user_id").AsInt64().NotNullable().PrimaryKey("pk_user_group_members")
                .ForeignKey("fk_user_group_members_user", "users", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("group_id").AsInt64().NotNullable().PrimaryKey("pk_user_group_members")
                .ForeignKey("fk_user_group_members_group", "user_groups", "id").OnDelete(System.Data.Rule.Cascade);

        Create.Table("grant_types")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("name").AsText(64).NotNullable()
            .WithColumn("description").AsText(255).NotNullable()
            .WithColumn("is_numeric").AsBoolean().NotNullable()
            .WithColumn("default_user").AsInt32().NotNullable()
            .WithColumn("default_admin").AsInt32().NotNullable();
        Create.UniqueIndex("grant_types", "name");

        Create.Table("user_grants")
            .WithColumn("user_id").AsInt64().NotNullable().PrimaryKey("pk_user_grants")
                .ForeignKey("fk_user_grants_user", "users", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("grant_type_id").AsInt64().NotNullable().PrimaryKey("pk_user_grants")
                .ForeignKey("fk_user_grants_grant_type", "grant_types", "id")
            .WithColumn("value").AsInt32().NotNullable();

        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        Insert.IntoTable("users").Row(new
        {
            name = User.DaemonName,
            is_admin = true,
            must_change_password = false,
            external_auth = "sql",
            created_at = now,
            changed_at = now,
        });

        // Grants added to Core later need a migration of their own that inserts only the new names.
        foreach (var grant in GrantNames.All)
        {
            var isNumeric = GrantNames.IsNumeric(grant);
            Insert.IntoTable("grant_types").Row(new
            {
                name = GrantNames.Name(grant),
                description = Descriptions[grant],
                is_numeric = isNumeric,
                default_user = GrantNames.DefaultForUsers.Contains(grant) ? 1 : 0,
                default_admin = isNumeric ? 0 : 1,
            });
        }
    }
}
