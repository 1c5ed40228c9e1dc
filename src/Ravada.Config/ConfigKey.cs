namespace Ravada.Config;

/// <summary>Whether a key holds one value or a list of values.</summary>
public enum ConfigKeyShape
{
    /// <summary>One scalar value.</summary>
    Scalar,

    /// <summary>A YAML sequence of scalar values (a single scalar counts as a list of one).</summary>
    List,
}

/// <summary>
/// One key of <c>/etc/ravada.conf</c>: its name as written in the file (<c>backend.workers_disk</c> is the key
/// <c>workers_disk</c> in the section <c>backend:</c>), what its value may be, its default and what it means.
/// </summary>
/// <param name="Name">The key as written in the file: <c>section.key</c>, or a top-level key such as <c>network</c>.</param>
/// <param name="Rule">What its value may be.</param>
/// <param name="Default">The value used when the file does not set it (spelled as in the file), or null when it has none.</param>
/// <param name="Description">What the key means, in one line.</param>
public sealed record ConfigKey(string Name, ValueRule Rule, string? Default, string Description)
{
    /// <summary>One value or a list.</summary>
    public ConfigKeyShape Shape { get; init; } = ConfigKeyShape.Scalar;

    /// <summary>When set, the key's default is the value of that other key (<c>storage.base_pool</c> follows <c>storage.pool</c>).</summary>
    public string? DefaultFrom { get; init; }

    /// <summary>
    /// The flat <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> key the value is handed on as:
    /// <c>section:key</c>, and list items as <c>key:0</c>, <c>key:1</c>, ….
    /// </summary>
    public string ConfigurationKey { get; init; } = Name.Replace('.', ':');

    /// <summary>The section the key belongs to, or null for a top-level key.</summary>
    public string? Section => Name.Contains('.', StringComparison.Ordinal) ? Name[..Name.IndexOf('.', StringComparison.Ordinal)] : null;

    /// <summary>The key's own name inside its section (the whole name for a top-level key).</summary>
    public string Leaf => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
