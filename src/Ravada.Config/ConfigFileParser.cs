using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Ravada.Config.RavadaConfigSchema;

namespace Ravada.Config;

/// <summary>
/// Turns the text of <c>/etc/ravada.conf</c> into flat configuration keys (<c>db:driver</c>,
/// <c>admin_workstations:0</c>), every key of <see cref="RavadaConfigSchema"/> present with its value or its
/// default. Anything the schema does not allow stops it with a <see cref="RavadaConfigurationException"/>.
/// </summary>
internal static class ConfigFileParser
{
    private static readonly string[] DatabaseServerKeys = ["db.hostname", "db.port", "db.database", "db.user", "db.password"];

    /// <summary>Parses <paramref name="text"/>; <paramref name="filePath"/> names the file in error messages.</summary>
    public static Dictionary<string, string?> Parse(string text, string filePath)
    {
        var file = new FileValues(filePath);
        var root = LoadRoot(text, filePath);
        if (root is not null)
        {
            file.ReadRoot(root);
        }

        return file.Resolve();
    }

    /// <summary>The flat configuration of a file that sets nothing: every default.</summary>
    public static Dictionary<string, string?> Defaults(string filePath) => new FileValues(filePath).Resolve();

    private static YamlNode? LoadRoot(string text, string filePath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            if (YamlEventScan.FirstDuplicateOrUnknownAlias(text) is { } finding)
            {
                throw new RavadaConfigurationException(filePath, finding.Problem, finding.Key, finding.Line, exception);
            }

            if (FirstLineIndentedWithTab(text) is { } tabbed)
            {
                throw new RavadaConfigurationException(
                    filePath, $"not valid YAML at line {tabbed}: it is indented with a tab; YAML indents with spaces", line: tabbed, innerException: exception);
            }

            var line = (int)exception.Start.Line;
            var reason = exception.Message.ReplaceLineEndings(" ").TrimEnd('.');
            throw new RavadaConfigurationException(
                filePath, $"not valid YAML at line {line}, column {exception.Start.Column}: {reason}", line: line, innerException: exception);
        }

        if (stream.Documents.Count > 1)
        {
            var line = (int)stream.Documents[1].RootNode.Start.Line;
            throw new RavadaConfigurationException(
                filePath, $"holds {stream.Documents.Count} YAML documents (a second one starts at line {line}); write one", line: line);
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is null || IsNull(root))
        {
            return null;
        }

        RefuseAnchors(root, filePath);
        if (root is not YamlMappingNode)
        {
            throw new RavadaConfigurationException(
                filePath, $"the top level must be a mapping of sections such as 'db:', not {Describe(root)}", line: (int)root.Start.Line);
        }

        return root;
    }

    /// <summary>YamlDotNet reports a tab in indentation at the start of the file; the line helps more.</summary>
    private static int? FirstLineIndentedWithTab(string text)
    {
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            if (lines[index].TakeWhile(char.IsWhiteSpace).Contains('\t'))
            {
                return index + 1;
            }
        }

        return null;
    }

    /// <summary>
    /// An alias makes one value appear under several keys, which hides what a key is set to from whoever reads
    /// the file. The file is short: values are written out.
    /// </summary>
    private static void RefuseAnchors(YamlNode node, string filePath)
    {
        if (!node.Anchor.IsEmpty)
        {
            var line = (int)node.Start.Line;
            throw new RavadaConfigurationException(
                filePath, $"YAML anchors and aliases are not supported ('&{node.Anchor}' at line {line}); write each value out", line: line);
        }

        var children = node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(entry => new[] { entry.Key, entry.Value }),
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        foreach (var child in children)
        {
            RefuseAnchors(child, filePath);
        }
    }

    /// <summary>An empty value, <c>~</c> or <c>null</c>: YAML's null, taken as "not set".</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    /// <summary>Quotes a value in a message: control characters shown as '?', long values cut.</summary>
    private static string Printable(string value)
    {
        const int longest = 60;
        var shown = new string([.. value.Take(longest).Select(character => char.IsControl(character) ? '?' : character)]);
        return value.Length > longest ? shown + "…" : shown;
    }

    /// <summary>The values one file sets, checked one by one as they are read, then completed with defaults and checked together.</summary>
    private sealed class FileValues(string filePath)
    {
        private readonly Dictionary<string, string> singles = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> lists = new(StringComparer.Ordinal);

        public void ReadRoot(YamlNode root)
        {
            foreach (var (keyNode, value) in ((YamlMappingNode)root).Children)
            {
                var name = KeyName(keyNode, parent: null);
                if (Sections.Contains(name))
                {
                    ReadSection(name, value);
                }
                else if (Find(name) is { } key)
                {
                    ReadValue(key, value);
                }
                else
                {
                    throw Unknown(name, value, keyNode);
                }
            }
        }

        private void ReadSection(string section, YamlNode node)
        {
            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlMappingNode mapping)
            {
                var example = Keys.First(key => key.Section == section).Name;
                throw Error($"'{section}' must be a mapping of keys such as '{example}', not {Describe(node)}", section, node);
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = $"{section}.{KeyName(keyNode, section)}";
                ReadValue(Find(name) ?? throw Unknown(name, value, keyNode), value);
            }
        }

        private void ReadValue(ConfigKey key, YamlNode node)
        {
            if (key.Shape == ConfigKeyShape.List)
            {
                ReadList(key, node);
                return;
            }

            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlScalarNode scalar)
            {
                throw Error($"'{key.Name}' must be a single value, not {Describe(node)}", key.Name, node);
            }

            singles[key.Name] = Normalize(key, scalar, $"'{key.Name}'");
        }

        private void ReadList(ConfigKey key, YamlNode node)
        {
            var items = new List<string>();
            lists[key.Name] = items;
            var entries = node switch
            {
                _ when IsNull(node) => [],
                YamlScalarNode scalar => [scalar],
                YamlSequenceNode sequence => sequence.Children,
                _ => throw Error($"'{key.Name}' must be a list, not {Describe(node)}", key.Name, node),
            };
            foreach (var (entry, position) in entries.Select((entry, index) => (entry, index + 1)))
            {
                var label = $"'{key.Name}' entry {position} (line {entry.Start.Line})";
                if (entry is not YamlScalarNode scalar || IsNull(entry))
                {
                    throw Error($"{label} must be {key.Rule.Expectation}, not {(IsNull(entry) ? "empty" : Describe(entry))}", key.Name, entry);
                }

                var item = Normalize(key, scalar, label);
                if (items.Contains(item))
                {
                    throw Error($"'{key.Name}' lists {item} twice (line {entry.Start.Line})", key.Name, entry);
                }

                items.Add(item);
            }
        }

        private string Normalize(ConfigKey key, YamlScalarNode scalar, string label)
        {
            var text = scalar.Value ?? string.Empty;
            return key.Rule.TryNormalize(text, out var normalized)
                ? normalized
                : throw Error($"{label} must be {key.Rule.Expectation}, not '{Printable(text)}'", key.Name, scalar);
        }

        private string KeyName(YamlNode keyNode, string? parent) =>
            keyNode is YamlScalarNode { Value: { Length: > 0 } name }
                ? name
                : throw Error(
                    $"{(parent is null ? "top-level" : $"'{parent}'")} keys must be plain names, not {(keyNode is YamlScalarNode ? "empty" : Describe(keyNode))} (line {keyNode.Start.Line})",
                    parent,
                    keyNode);

        private RavadaConfigurationException Unknown(string name, YamlNode value, YamlNode keyNode)
        {
            var what = value is YamlMappingNode && !name.Contains('.', StringComparison.Ordinal) ? "section" : "key";
            var suggestion = KeySuggestion.For(name) is { } closest ? $" (did you mean '{closest}'?)" : string.Empty;
            return Error($"unknown {what} '{name}'{suggestion}", name, keyNode);
        }

        private RavadaConfigurationException Error(string problem, string? key, YamlNode? node = null) =>
            new(filePath, problem, key, node is null ? null : (int)node.Start.Line);

        /// <summary>Applies the defaults, checks what only makes sense across keys, and flattens to configuration keys.</summary>
        public Dictionary<string, string?> Resolve()
        {
            var values = new Dictionary<string, string>(singles, StringComparer.Ordinal);
            ResolveDatabase(values);
            foreach (var key in Keys.Where(key => key.Shape == ConfigKeyShape.Scalar && key.Section != "db" && !values.ContainsKey(key.Name)))
            {
                if (key.DefaultFrom is not null)
                {
                    values[key.Name] = values[key.DefaultFrom];
                }
                else if (key.Default is not null)
                {
                    values[key.Name] = key.Rule.TryNormalize(key.Default, out var normalized)
                        ? normalized
                        : throw new InvalidOperationException($"the schema's default for {key.Name} breaks its own rule");
                }
            }

            CheckDisplay(values);
            CheckReconnectDelays(values);

            var flat = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in values)
            {
                flat[Find(name)!.ConfigurationKey] = value;
            }

            foreach (var (name, items) in lists)
            {
                for (var index = 0; index < items.Count; index++)
                {
                    flat[$"{Find(name)!.ConfigurationKey}:{index.ToString(CultureInfo.InvariantCulture)}"] = items[index];
                }
            }

            return flat;
        }

        /// <summary>
        /// Without <c>db.driver</c> the set keys decide, as in Ravada, whose only driver was MySQL: server keys
        /// (the seed's <c>db: {user, password}</c>) mean mysql, no keys at all mean the embedded SQLite.
        /// </summary>
        private void ResolveDatabase(Dictionary<string, string> values)
        {
            var serverKey = DatabaseServerKeys.FirstOrDefault(values.ContainsKey);
            var hasFile = values.ContainsKey("db.file");
            if (!values.TryGetValue("db.driver", out var driver))
            {
                if (hasFile && serverKey is not null)
                {
                    throw Error($"'db.file' is for SQLite and '{serverKey}' for a database server: set 'db.driver' to say which", "db.driver");
                }

                driver = serverKey is null ? Drivers.Sqlite : Drivers.MySql;
                values["db.driver"] = driver;
            }
            else if (driver == Drivers.Sqlite && serverKey is not null)
            {
                throw Error($"'{serverKey}' is for a database server but 'db.driver' is sqlite; remove it or set 'db.driver' to mysql or postgresql", serverKey);
            }
            else if (driver != Drivers.Sqlite && hasFile)
            {
                throw Error($"'db.file' is for SQLite but 'db.driver' is {driver}; remove it or set 'db.driver' to sqlite", "db.file");
            }

            if (driver == Drivers.Sqlite)
            {
                values.TryAdd("db.file", Find("db.file")!.Default!);
                return;
            }

            values.TryAdd("db.hostname", Find("db.hostname")!.Default!);
            values.TryAdd("db.port", driver == Drivers.MySql ? "3306" : "5432");
            values.TryAdd("db.database", Find("db.database")!.Default!);
        }

        private void CheckDisplay(Dictionary<string, string> values)
        {
            var listen = IPAddress.Parse(values["display.listen_address"]);
            if ((listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any)) && !singles.ContainsKey("display.public_address"))
            {
                throw Error(
                    $"'display.public_address' must be set when 'display.listen_address' is {listen}: viewers need an address they can reach",
                    "display.public_address");
            }
        }

        private void CheckReconnectDelays(Dictionary<string, string> values)
        {
            var minimum = int.Parse(values["libvirt.reconnect_min_delay_ms"], CultureInfo.InvariantCulture);
            var maximum = int.Parse(values["libvirt.reconnect_max_delay_ms"], CultureInfo.InvariantCulture);
            if (minimum > maximum)
            {
                throw Error(
                    $"'libvirt.reconnect_min_delay_ms' ({minimum}) must not be above 'libvirt.reconnect_max_delay_ms' ({maximum})",
                    "libvirt.reconnect_min_delay_ms");
            }
        }
    }
}
