using Ravada.Core.Nodes;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="INodeStore"/> on the <c>nodes</c> table.</summary>
internal sealed class NodeStore(SqlExecutor sql, ISqlDialect dialect, TimeProvider timeProvider) : INodeStore
{
    private const string NodeColumns = "id, name, uri, enabled";

    public async Task<Node> EnsureAsync(string name, string uri, CancellationToken cancellationToken = default)
    {
        await sql.ExecuteAsync(
            dialect.Upsert("INSERT INTO nodes (name, uri, enabled, created_at) VALUES (@Name, @Uri, TRUE, @Now)", "name", "uri"),
            new { Name = name, Uri = uri, Now = EpochTime.Now(timeProvider) }, cancellationToken);
        var row = await sql.SingleOrDefaultAsync<NodeRow>($"SELECT {NodeColumns} FROM nodes WHERE name = @Name", new { Name = name }, cancellationToken);
        return row!.ToNode();
    }

    public async Task<IReadOnlyList<Node>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<NodeRow>($"SELECT {NodeColumns} FROM nodes ORDER BY name", null, cancellationToken)).Select(row => row.ToNode())];

    private sealed class NodeRow
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public string Uri { get; init; } = "";

        public bool Enabled { get; init; }

        public Node ToNode() => new(Id, Name, Uri, Enabled);
    }
}
