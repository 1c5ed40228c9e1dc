using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Ravada.Config.Tests.Support;

namespace Ravada.Config.Tests;

/// <summary>docs/configuration.md and packaging/ravada.conf.example say what the schema says.</summary>
public sealed partial class DocumentationTests : IDisposable
{
    private static readonly SortedSet<string> SchemaKeys = new(RavadaConfigSchema.Keys.Select(key => key.Name), StringComparer.Ordinal);

    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void The_documentation_tables_list_exactly_the_schemas_keys()
    {
        var keysSection = Section(Documents.Read("configuration.md"), "## Keys");

        var documented = new SortedSet<string>(
            keysSection.Split('\n').Select(line => TableRowKey().Match(line)).Where(match => match.Success).Select(match => match.Groups["key"].Value),
            StringComparer.Ordinal);

        Assert.Equal(SchemaKeys, documented);
    }

    [Fact]
    public void The_documentations_complete_example_loads_and_sets_every_key_but_the_sqlite_file()
    {
        var example = YamlBlock().Match(Section(Documents.Read("configuration.md"), "## Complete example")).Groups["yaml"].Value;

        var configuration = files.Load(example);

        Assert.Equal(
            string.Join(' ', SchemaKeys.Where(key => key != "db.file")),
            string.Join(' ', new SortedSet<string>(WrittenKeys.Read(example, marker: "").Select(written => written.Key), StringComparer.Ordinal)));
        Assert.Equal("vdi.example.org", configuration["display:public_address"]);
    }

    [Fact]
    public void The_packaged_example_loads_without_errors_and_sets_nothing()
    {
        var loaded = RavadaConfiguration.Load(Documents.PathOf("ravada.conf.example"));
        var defaults = new ConfigurationBuilder().AddRavadaConfigFile(files.AbsentPath, optional: true).Build();

        Assert.Equal(defaults.AsEnumerable().OrderBy(pair => pair.Key), loaded.Configuration.AsEnumerable().OrderBy(pair => pair.Key));
    }

    [Fact]
    public void The_packaged_example_shows_every_key()
    {
        var shown = WrittenKeys.Read(Documents.Read("ravada.conf.example"), marker: "#");

        Assert.Equal(SchemaKeys, new SortedSet<string>(shown.Select(written => written.Key), StringComparer.Ordinal));
    }

    [Fact]
    public void Each_key_of_the_packaged_example_loads_once_uncommented_and_shows_its_default()
    {
        var defaults = files.Load(string.Empty);
        foreach (var (name, value) in WrittenKeys.Read(Documents.Read("ravada.conf.example"), marker: "#"))
        {
            var key = RavadaConfigSchema.Find(name)!;
            var yaml = key.Section is null
                ? key.Shape == ConfigKeyShape.List ? $"{name}:\n  - {value}\n" : $"{name}: {value}\n"
                : $"{key.Section}:\n  {key.Leaf}: {value}\n";

            var shown = files.Load(yaml)[key.ConfigurationKey];

            var expected = key switch
            {
                { Default: { } literal } when key.Rule.TryNormalize(literal, out var normalized) => normalized,
                { DefaultFrom: { } from } => defaults[RavadaConfigSchema.Find(from)!.ConfigurationKey],
                _ => shown,
            };
            Assert.True(expected == shown, $"ravada.conf.example shows {name}: {value}, but its default is {expected}");
        }
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/configuration.md has no '{heading}' section");
        var end = markdown.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    [GeneratedRegex(@"^\| `(?<key>[a-z_]+(\.[a-z_]+)?)` \|")]
    private static partial Regex TableRowKey();

    [GeneratedRegex("```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
