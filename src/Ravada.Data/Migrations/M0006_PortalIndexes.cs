using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>The portal's page reads a user's latest requests and the list of bases.</summary>
[Migration(6, "indexes of requests by user and of machines by base flag")]
public sealed class M0006_PortalIndexes : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        Create.Index("ix_requests_user").OnTable("requests").OnColumn("user_id").Ascending().OnColumn("id").Ascending();
        Create.Index("ix_machines_is_base").OnTable("machines").OnColumn("is_base").Ascending();
    }
}
