using System.Text.RegularExpressions;

namespace Ravada.Core.Hypervisor;

/// <summary>
/// The rule for names of machines and volumes: 1 to 64 characters, letters, digits, '-', '_' and '.',
/// starting with a letter or digit. It keeps names safe in file paths, XML, URLs and shell output.
/// </summary>
public static partial class MachineName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws an <see cref="ArgumentException"/> that explains the rule when <paramref name="name"/> breaks it.</summary>
    public static string Validate(string? name, string what = "machine name")
    {
        if (IsValid(name))
        {
            return name!;
        }

        throw new ArgumentException(
            $"Invalid {what} '{Printable(name)}': use 1 to {MaxLength} letters, digits, '-', '_' or '.', starting with a letter or digit.",
            nameof(name));
    }

    private static string Printable(string? name) =>
        name is null ? "(none)" : new string([.. name.Take(80).Select(character => char.IsControl(character) ? '?' : character)]);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
