namespace Ravada.Libvirt.Xml;

/// <summary>Rules for host file paths that end up in libvirt XML.</summary>
public static class HostPath
{
    /// <summary>Longest path accepted (Linux PATH_MAX).</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// Accepts absolute, normalized paths without control characters, "..", or "//"; throws an
    /// <see cref="ArgumentException"/> naming <paramref name="what"/> otherwise.
    /// </summary>
    public static string Validate(string? path, string what)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength || path[0] != '/'
            || path.Any(char.IsControl)
            || path.Contains("//", StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new ArgumentException($"Invalid {what} '{path}': it must be an absolute, normalized path without control characters.", nameof(path));
        }

        return path;
    }
}

/// <summary>MAC address syntax.</summary>
public static class MacAddress
{
    /// <summary>Whether <paramref name="value"/> is six colon-separated hex pairs.</summary>
    public static bool IsValid(string value) =>
        value.Length == 17
        && value.Split(':') is { Length: 6 } pairs
        && pairs.All(pair => pair.Length == 2 && pair.All(Uri.IsHexDigit));
}
