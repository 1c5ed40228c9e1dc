using System.Text.RegularExpressions;

namespace Ravada.Config.Tests.Support;

/// <summary>
/// Reads the keys an example file shows, as <c>(section.key, value)</c>, from its lines: top-level keys at the
/// start of a line, section keys indented by two spaces, list items as <c>  - value</c> (or, under a section
/// key, <c>    - value</c>). With a
/// <c>marker</c> of "#", only the commented-out lines are read (<c>#db:</c>, <c>#  user: rvd_user</c>).
/// </summary>
internal static partial class WrittenKeys
{
    public static List<(string Key, string Value)> Read(string text, string marker)
    {
        var keys = new List<(string, string)>();
        string? parent = null;
        string? sectionList = null;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(marker, StringComparison.Ordinal))
            {
                continue;
            }

            var content = line[marker.Length..];
            if (TopLevel().Match(content) is { Success: true } top)
            {
                parent = top.Groups["name"].Value;
                if (top.Groups["value"].Success)
                {
                    keys.Add((parent, top.Groups["value"].Value));
                }
            }
            else if (Nested().Match(content) is { Success: true } nested && parent is not null)
            {
                keys.Add(($"{parent}.{nested.Groups["name"].Value}", nested.Groups["value"].Value));
            }
            else if (NestedList().Match(content) is { Success: true } list && parent is not null)
            {
                sectionList = $"{parent}.{list.Groups["name"].Value}";
            }
            else if (NestedListItem().Match(content) is { Success: true } nestedItem && sectionList is not null)
            {
                keys.Add((sectionList, nestedItem.Groups["value"].Value));
            }
            else if (ListItem().Match(content) is { Success: true } item && parent is not null)
            {
                keys.Add((parent, item.Groups["value"].Value));
            }
        }

        return keys;
    }

    [GeneratedRegex("^(?<name>[a-z_]+):(?: (?<value>.+))?$")]
    private static partial Regex TopLevel();

    [GeneratedRegex("^  (?<name>[a-z_]+): (?<value>.+)$")]
    private static partial Regex Nested();

    [GeneratedRegex("^  - (?<value>.+)$")]
    private static partial Regex ListItem();

    [GeneratedRegex("^  (?<name>[a-z_]+):$")]
    private static partial Regex NestedList();

    [GeneratedRegex("^    - (?<value>.+)$")]
    private static partial Regex NestedListItem();
}
