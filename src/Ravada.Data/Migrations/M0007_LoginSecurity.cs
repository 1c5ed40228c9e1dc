using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>Account lockout that survives restarts, and the login audit log.</summary>
[Migration(7, "failed logins and lock of users; login audit log")]
public sealed class M0007_LoginSecurity : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        Alter.Table("users")
            .AddColumn("failed_logins").AsInt32().NotNullable().WithDefaultValue(0)
            .AddColumn("locked_until").AsInt64().Nullable();

        // No foreign key to users: the log outlives the accounts it mentions.
        Create.Table("login_audit")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("user_name").AsText(64).NotNullable()
            .WithColumn("user_id").AsInt64().Nullable()
            .WithColumn("client_address").AsText(64).NotNullable()
            .WithColumn("result").AsText(16).NotNullable()
            .WithColumn("at").AsInt64().NotNullable();
        Create.Index("ix_login_audit_at").OnTable("login_audit").OnColumn("at").Ascending();
    }
}
