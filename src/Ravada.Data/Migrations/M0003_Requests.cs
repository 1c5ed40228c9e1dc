using System.Data;
using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>The request queue and its claim lock, messages to users, and settings.</summary>
[Migration(3, "requests, messages and settings")]
public sealed class M0003_Requests : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        Create.Table("requests")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("command").AsText(32).NotNullable()
            .WithColumn("args").AsLongText().NotNullable()
            .WithColumn("user_id").AsInt64().NotNullable()
            // No foreign key: a request outlives the machine it removed.
            .WithColumn("machine_id").AsInt64().Nullable()
            .WithColumn("status").AsText(16).NotNullable()
            .WithColumn("request_class").AsText(16).NotNullable()
            .WithColumn("phase").AsText(64).Nullable()
            .WithColumn("error").AsLongText().Nullable()
            .WithColumn("result").AsLongText().Nullable()
            .WithColumn("attempts").AsInt32().NotNullable().WithDefaultValue(0)
            .WithColumn("max_attempts").AsInt32().NotNullable()
            .WithColumn("at_time").AsInt64().Nullable()
            .WithColumn("after_request_id").AsInt64().Nullable()
            .WithColumn("after_request_ok").AsBoolean().NotNullable().WithDefaultValue(false)
            // Set while the request is pending; unique, so two identical pending requests cannot both exist.
            .WithColumn("dedup_key").AsText(64).Nullable()
            .WithColumn("claimed_by").AsText(128).Nullable()
            .WithColumn("lease_until").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("started_at").AsInt64().Nullable()
            .WithColumn("finished_at").AsInt64().Nullable()
            .WithColumn("updated_at").AsInt64().NotNullable()
            .WithColumn("timings").AsLongText().Nullable();
        Create.UniqueIndex("requests", "dedup_key");
        Create.Index("ix_requests_claim").OnTable("requests")
            .OnColumn("status").Ascending().OnColumn("request_class").Ascending()
            .OnColumn("at_time").Ascending().OnColumn("id").Ascending();
        Create.Index("ix_requests_machine").OnTable("requests")
            .OnColumn("machine_id").Ascending().OnColumn("status").Ascending();
        Create.Index("ix_requests_after").OnTable("requests").OnColumn("after_request_id").Ascending();

        // The one row every claim locks first, so that claims on MySQL and PostgreSQL run one at a time.
        Create.Table("request_claim_lock")
            .WithColumn("id").AsInt32().PrimaryKey();
        Insert.IntoTable("request_claim_lock").Row(new { id = 1 });

        Create.Table("messages")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("user_id").AsInt64().NotNullable()
                .ForeignKey("fk_messages_user", "users", "id").OnDelete(Rule.Cascade)
            .WithColumn("request_id").AsInt64().Nullable()
            .WithColumn("subject").AsText(255).NotNullable()
            .WithColumn("body").AsLongText().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("read_at").AsInt64().Nullable();
        Create.Index("ix_messages_user").OnTable("messages")
            .OnColumn("user_id").Ascending().OnColumn("id").Ascending();

        Create.Table("settings")
            .WithColumn("name").AsText(128).PrimaryKey()
            .WithColumn("value").AsLongText().NotNullable();
    }
}
