using FluentMigrator;

namespace Ravada.Data.Migrations;

/// <summary>The portal follows request progress by the time rows change.</summary>
[Migration(5, "index of requests by change time")]
public sealed class M0005_RequestChanges : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up() =>
        Create.Index("ix_requests_updated").OnTable("requests").OnColumn("updated_at").Ascending().OnColumn("id").Ascending();
}
