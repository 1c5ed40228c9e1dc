namespace Ravada.Core.Nodes;

/// <summary>A hypervisor host rvd_back drives.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uri">Its libvirt URI.</param>
/// <param name="Enabled">Whether new machines may be placed on it.</param>
public sealed record Node(long Id, string Name, string Uri, bool Enabled);

/// <summary>Nodes.</summary>
public interface INodeStore
{
    /// <summary>The node with this name, created with <paramref name="uri"/> when absent (its URI is updated otherwise).</summary>
    Task<Node> EnsureAsync(string name, string uri, CancellationToken cancellationToken = default);

    /// <summary>Every node.</summary>
    Task<IReadOnlyList<Node>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>Settings stored in the database, editable while the system runs.</summary>
public interface ISettingsStore
{
    /// <summary>The value of a setting, or null.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with null, removes) a setting.</summary>
    Task SetAsync(string name, string? value, CancellationToken cancellationToken = default);
}
