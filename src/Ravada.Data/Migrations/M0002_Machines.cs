using System.Data;
using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>Nodes, machines with their volumes, displays and thumbnails, and the machine event log.</summary>
[Migration(2, "nodes, machines and the machine event log")]
public sealed class M0002_Machines : ForwardOnlyMigration
{
    // MEDIUMBLOB on MySQL (a BLOB stops at 64 KiB - 1), bytea and BLOB elsewhere.
    private const int LargestThumbnailBytes = 16 * 1024 * 1024 - 1;

    /// <inheritdoc />
    public override void Up()
    {
        Create.Table("nodes")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("name").AsText(64).NotNullable()
            .WithColumn("uri").AsText(512).NotNullable()
            .WithColumn("enabled").AsBoolean().NotNullable().WithDefaultValue(true)
            .WithColumn("created_at").AsInt64().NotNullable();
        Create.UniqueIndex("nodes", "name");

        CreateMachines();
        CreateMachineParts();

        Create.Table("machine_events")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            // No foreign key: the log outlives the machines it tells about.
            .WithColumn("machine_id").AsInt64().Nullable()
            .WithColumn("machine_uuid").AsFixedLengthAnsiString(36).NotNullable()
            .WithColumn("kind").AsText(32).NotNullable()
            .WithColumn("detail").AsText(255).Nullable()
            .WithColumn("state").AsText(32).NotNullable()
            .WithColumn("at").AsInt64().NotNullable();
        Create.Index("ix_machine_events_machine").OnTable("machine_events")
            .OnColumn("machine_id").Ascending().OnColumn("id").Ascending();
    }

    private void CreateMachines()
    {
        Create.Table("machines")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("uuid").AsFixedLengthAnsiString(36).NotNullable()
            .WithColumn("name").AsText(64).NotNullable()
            .WithColumn("alias").AsText(255).Nullable()
            .WithColumn("description").AsLongText().Nullable()
            .WithColumn("owner_id").AsInt64().NotNullable().ForeignKey("fk_machines_owner", "users", "id")
            .WithColumn("base_id").AsInt64().Nullable().ForeignKey("fk_machines_base", "machines", "id")
            .WithColumn("is_base").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("is_public").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("is_volatile").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("state").AsText(32).NotNullable()
            .WithColumn("node_id").AsInt64().NotNullable().ForeignKey("fk_machines_node", "nodes", "id")
            .WithColumn("os_family").AsText(16).NotNullable()
            .WithColumn("memory_mib").AsInt64().NotNullable()
            .WithColumn("vcpus").AsInt32().NotNullable()
            .WithColumn("network").AsText(64).Nullable()
            .WithColumn("run_timeout_seconds").AsInt32().Nullable()
            .WithColumn("shutdown_timeout_seconds").AsInt32().NotNullable()
            .WithColumn("client_connected").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("client_address").AsText(64).Nullable()
            .WithColumn("client_changed_at").AsInt64().Nullable()
            .WithColumn("needs_restart").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("created_by_request_id").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("changed_at").AsInt64().NotNullable()
            .WithColumn("state_changed_at").AsInt64().NotNullable();
        Create.UniqueIndex("machines", "uuid");
        Create.UniqueIndex("machines", "name");
        Create.Index("ix_machines_created_by_request").OnTable("machines").OnColumn("created_by_request_id").Ascending();
        Create.Index("ix_machines_owner").OnTable("machines").OnColumn("owner_id").Ascending();
        Create.Index("ix_machines_base").OnTable("machines").OnColumn("base_id").Ascending();
    }

    private void CreateMachineParts()
    {
        // No index on path: 1024 characters are more than a MySQL index key may hold.
        Create.Table("machine_volumes")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("machine_id").AsInt64().NotNullable()
                .ForeignKey("fk_machine_volumes_machine", "machines", "id").OnDelete(Rule.Cascade)
            .WithColumn("target").AsText(16).NotNullable()
            .WithColumn("device").AsText(16).NotNullable()
            .WithColumn("path").AsText(1024).Nullable()
            .WithColumn("format").AsText(16).Nullable()
            .WithColumn("capacity_bytes").AsInt64().NotNullable()
            .WithColumn("backing_path").AsText(1024).Nullable()
            .WithColumn("is_base_image").AsBoolean().NotNullable().WithDefaultValue(false);
        Create.Index("ux_machine_volumes_target").OnTable("machine_volumes")
            .OnColumn("machine_id").Ascending().OnColumn("target").Ascending().WithOptions().Unique();

        Create.Table("machine_displays")
            .WithColumn("machine_id").AsInt64().NotNullable().PrimaryKey("pk_machine_displays")
                .ForeignKey("fk_machine_displays_machine", "machines", "id").OnDelete(Rule.Cascade)
            .WithColumn("protocol").AsText(8).NotNullable().PrimaryKey("pk_machine_displays")
            .WithColumn("listen_address").AsText(64).NotNullable()
            .WithColumn("port").AsInt32().Nullable()
            .WithColumn("tls_port").AsInt32().Nullable()
            .WithColumn("password").AsText(128).NotNullable();

        Create.Table("machine_thumbnails")
            .WithColumn("machine_id").AsInt64().NotNullable().PrimaryKey()
                .ForeignKey("fk_machine_thumbnails_machine", "machines", "id").OnDelete(Rule.Cascade)
            .WithColumn("image").AsBinary(LargestThumbnailBytes).NotNullable()
            .WithColumn("mime_type").AsText(64).NotNullable()
            .WithColumn("width").AsInt32().NotNullable()
            .WithColumn("height").AsInt32().NotNullable()
            .WithColumn("taken_at").AsInt64().NotNullable();
    }
}
