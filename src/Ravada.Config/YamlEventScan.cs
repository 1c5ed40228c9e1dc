using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ravada.Config;

/// <summary>
/// Explains the YAML errors whose own message does not say where they are. YamlDotNet's representation model
/// refuses a duplicate key naming only its last part, and an alias to an undeclared anchor (the install guide's
/// <c>password: *****</c>) without a position; walking the parser's events again finds the full key and its line.
/// </summary>
internal static class YamlEventScan
{
    /// <summary>A problem at <paramref name="Key"/> (<c>db.user</c>), described in <paramref name="Problem"/>.</summary>
    public sealed record Finding(string Key, string Problem, int Line);

    /// <summary>
    /// The first duplicate key or alias to an undeclared anchor of <paramref name="text"/>, or null when it has
    /// neither (or is not YAML).
    /// </summary>
    public static Finding? FirstDuplicateOrUnknownAlias(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Collection>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is NodeEvent { Anchor.IsEmpty: false } anchored)
                {
                    anchors.Add(anchored.Anchor.Value);
                }

                switch (parser.Current)
                {
                    case MappingStart:
                        open.Push(new Collection(ChildPath(open), IsMapping: true));
                        break;
                    case SequenceStart:
                        open.Push(new Collection(ChildPath(open), IsMapping: false));
                        break;
                    case MappingEnd or SequenceEnd:
                        open.Pop();
                        NodeDone(open);
                        break;
                    case Scalar scalar when open.TryPeek(out var mapping) && mapping.IsMapping && mapping.ExpectingKey:
                        var line = (int)scalar.Start.Line;
                        if (mapping.KeyLines.TryGetValue(scalar.Value, out var firstLine))
                        {
                            var key = mapping.PathOf(scalar.Value);
                            return new Finding(key, $"duplicate key '{key}' (lines {firstLine} and {line})", line);
                        }

                        mapping.KeyLines[scalar.Value] = line;
                        mapping.CurrentKey = scalar.Value;
                        mapping.ExpectingKey = false;
                        break;
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        var path = ChildPath(open) ?? string.Empty;
                        return new Finding(
                            path,
                            $"'{path}' is a YAML alias ('*{alias.Value.Value}', line {alias.Start.Line}): quote a value that starts with '*' or '&'",
                            (int)alias.Start.Line);
                    case Scalar or AnchorAlias:
                        NodeDone(open);
                        break;
                }
            }
        }
        catch (YamlException)
        {
            return null;
        }

        return null;
    }

    private static string? ChildPath(Stack<Collection> open) =>
        open.TryPeek(out var parent) ? parent.PathOf(parent.IsMapping ? parent.CurrentKey ?? "?" : $"[{parent.Index}]") : null;

    private static void NodeDone(Stack<Collection> open)
    {
        if (!open.TryPeek(out var parent))
        {
            return;
        }

        if (parent.IsMapping)
        {
            parent.ExpectingKey = !parent.ExpectingKey;
        }
        else
        {
            parent.Index++;
        }
    }

    private sealed record Collection(string? Path, bool IsMapping)
    {
        public Dictionary<string, int> KeyLines { get; } = new(StringComparer.Ordinal);

        public bool ExpectingKey { get; set; } = true;

        public string? CurrentKey { get; set; }

        public int Index { get; set; }

        public string PathOf(string child) =>
            Path is null ? child : child.StartsWith('[') ? Path + child : $"{Path}.{child}";
    }
}
