using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ravada.Core.Requests;

/// <summary>
/// The arguments of a request: a flat JSON object of strings, integers and booleans, kept in canonical
/// form (keys sorted, no whitespace) so that identical requests compare equal for de-duplication.
/// </summary>
public sealed class RequestArguments : IEquatable<RequestArguments>
{
    /// <summary>Longest accepted JSON text.</summary>
    public const int MaxJsonLength = 16 * 1024;

    private const int MaxKeyLength = 64;
    private readonly SortedDictionary<string, JsonValue> values;

    private RequestArguments(SortedDictionary<string, JsonValue> values)
    {
        this.values = values;
    }

    /// <summary>No arguments.</summary>
    public static RequestArguments Empty { get; } = new(new SortedDictionary<string, JsonValue>(StringComparer.Ordinal));

    /// <summary>The argument names.</summary>
    public IEnumerable<string> Names => values.Keys;

    /// <summary>
    /// Parses stored or submitted JSON; throws <see cref="RequestArgumentException"/> for anything but a flat
    /// object of strings, integers and booleans with lower-case keys.
    /// </summary>
    public static RequestArguments Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        if (json.Length > MaxJsonLength)
        {
            throw new RequestArgumentException($"the arguments are longer than {MaxJsonLength} characters");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException exception)
        {
            throw new RequestArgumentException("the arguments are not valid JSON", exception);
        }
        catch (ArgumentException exception)
        {
            // A lone surrogate in the text itself cannot even be transcoded to UTF-8 for the reader.
            throw new RequestArgumentException("the arguments are not valid text", exception);
        }

        if (root is not JsonObject document)
        {
            throw new RequestArgumentException("the arguments must be a JSON object");
        }

        var parsed = new SortedDictionary<string, JsonValue>(StringComparer.Ordinal);
        foreach (var (key, node) in document)
        {
            ValidateKey(key);
            if (node is not JsonValue value || value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                throw new RequestArgumentException($"argument '{key}' must be a string, an integer or a boolean");
            }

            if (value.GetValueKind() == JsonValueKind.Number && !value.TryGetValue<long>(out _))
            {
                throw new RequestArgumentException($"argument '{key}' must be an integer");
            }

            ValidateText(key, value);
            parsed[key] = (JsonValue)value.DeepClone();
        }

        return new RequestArguments(parsed);
    }

    /// <summary>A copy with <paramref name="name"/> set to a string.</summary>
    public RequestArguments With(string name, string value) => With(name, JsonValue.Create(value));

    /// <summary>A copy with <paramref name="name"/> set to an integer.</summary>
    public RequestArguments With(string name, long value) => With(name, JsonValue.Create(value));

    /// <summary>A copy with <paramref name="name"/> set to a boolean.</summary>
    public RequestArguments With(string name, bool value) => With(name, JsonValue.Create(value));

    /// <summary>Whether the argument is present.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>A string argument, or null when absent.</summary>
    public string? GetString(string name) => values.TryGetValue(name, out var value)
        ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Wrong(name, "a string")
        : null;

    /// <summary>An integer argument, or null when absent.</summary>
    public long? GetInt64(string name) => values.TryGetValue(name, out var value)
        ? value.TryGetValue<long>(out var number) ? number : throw Wrong(name, "an integer")
        : null;

    /// <summary>A boolean argument, or null when absent.</summary>
    public bool? GetBoolean(string name) => values.TryGetValue(name, out var value)
        ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false"),
        }
        : null;

    /// <summary>A required string argument.</summary>
    public string RequireString(string name) => GetString(name) ?? throw new RequestArgumentException($"argument '{name}' is required");

    /// <summary>A required integer argument.</summary>
    public long RequireInt64(string name) => GetInt64(name) ?? throw new RequestArgumentException($"argument '{name}' is required");

    /// <summary>An integer argument within bounds, or <paramref name="fallback"/> when absent.</summary>
    public long GetInt64InRange(string name, long min, long max, long fallback)
    {
        var value = GetInt64(name) ?? fallback;
        return value >= min && value <= max
            ? value
            : throw new RequestArgumentException(string.Create(CultureInfo.InvariantCulture, $"argument '{name}' must be between {min} and {max}, not {value}"));
    }

    /// <summary>Throws when an argument outside <paramref name="allowed"/> is present.</summary>
    public void OnlyAllow(params string[] allowed)
    {
        var unknown = values.Keys.FirstOrDefault(key => !allowed.Contains(key, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new RequestArgumentException($"unknown argument '{unknown}'");
        }
    }

    /// <summary>The canonical JSON text (keys sorted, no whitespace).</summary>
    public string ToJson()
    {
        var document = new JsonObject();
        foreach (var (key, value) in values)
        {
            document[key] = value.DeepClone();
        }

        return document.ToJsonString();
    }

    /// <inheritdoc />
    public bool Equals(RequestArguments? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RequestArguments);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());

    /// <inheritdoc />
    public override string ToString() => ToJson();

    private static void ValidateKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength || !key.All(character => character is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new RequestArgumentException($"argument names use a-z, 0-9 and '_' (at most {MaxKeyLength}); '{Printable(key)}' does not");
        }
    }

    private static string Printable(string text) => new([.. text.Take(40).Select(character => char.IsControl(character) ? '?' : character)]);

    private static RequestArgumentException Wrong(string name, string expected) => new($"argument '{name}' must be {expected}");

    /// <summary>A string with a lone surrogate (<c>"\ud800"</c>) parses but cannot be written back: refused here.</summary>
    private static void ValidateText(string name, JsonValue value)
    {
        try
        {
            _ = value.ToJsonString();
        }
        catch (InvalidOperationException exception)
        {
            throw new RequestArgumentException($"argument '{name}' is not valid text", exception);
        }
    }

    private RequestArguments With(string name, JsonValue value)
    {
        ValidateKey(name);
        ValidateText(name, value);
        var copy = new SortedDictionary<string, JsonValue>(values, StringComparer.Ordinal)
        {
            [name] = value,
        };
        return new RequestArguments(copy);
    }
}

/// <summary>A request's arguments are missing or wrong; the message says which, in words for the user.</summary>
public sealed class RequestArgumentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestArgumentException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequestArgumentException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public RequestArgumentException() { }
}
