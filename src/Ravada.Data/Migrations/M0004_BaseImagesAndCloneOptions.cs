using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>
/// Bases record their base images beside the machine's own disk of the same target, and say what their
/// clones inherit: volatility and the CD-ROM.
/// </summary>
[Migration(4, "base images beside disks; clone options of bases")]
public sealed class M0004_BaseImagesAndCloneOptions : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        // The new index first: MariaDB's foreign key on machine_id needs an index that starts with it at all times.
        Create.Index("ux_machine_volumes_target_role").OnTable("machine_volumes")
            .OnColumn("machine_id").Ascending().OnColumn("target").Ascending().OnColumn("is_base_image").Ascending()
            .WithOptions().Unique();
        Delete.Index("ux_machine_volumes_target").OnTable("machine_volumes");
        Alter.Table("machines")
            .AddColumn("volatile_clones").AsBoolean().NotNullable().WithDefaultValue(false)
            .AddColumn("keep_cdrom").AsBoolean().NotNullable().WithDefaultValue(false);
    }
}
