using System.Text.RegularExpressions;

namespace Ravada.Core.Users;

/// <summary>
/// The rule for user names: 1 to 64 characters, letters, digits, '.', '_', '-' and '@' (e-mail style LDAP
/// logins), starting with a letter or digit.
/// </summary>
public static partial class UserName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws an <see cref="ArgumentException"/> that explains the rule when <paramref name="name"/> breaks it.</summary>
    public static string Validate(string? name)
    {
        if (IsValid(name))
        {
            return name!;
        }

        throw new ArgumentException(
            $"Invalid user name '{(name is null ? "(none)" : new string([.. name.Take(80).Select(character => char.IsControl(character) ? '?' : character)]))}': use 1 to {MaxLength} letters, digits, '.', '_', '-' or '@', starting with a letter or digit.",
            nameof(name));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
