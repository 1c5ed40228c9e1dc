using FluentMigrator;
using Ravada.Core.Users;

namespace Ravada.Data.Migrations;

/// <summary>The sessions ended by a logout, so that a restarted portal, or another one, still refuses them.</summary>
[Migration(11, "sessions ended by logout")]
public sealed class M0011_EndedSessions : ForwardOnlyMigration
{
    /// <inheritdoc />
    public override void Up()
    {
        Create.Table("ended_sessions")
            .WithColumn("session_id").AsText(IEndedSessionStore.MaxSessionIdLength).NotNullable().PrimaryKey()
            .WithColumn("forget_at").AsInt64().NotNullable();
        Create.Index("ix_ended_sessions_forget_at").OnTable("ended_sessions").OnColumn("forget_at").Ascending();
    }
}
