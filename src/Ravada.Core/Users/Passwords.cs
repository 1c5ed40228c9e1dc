using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Ravada.Core.Users;

/// <summary>How a password check turned out.</summary>
public enum PasswordCheck
{
    /// <summary>Wrong password.</summary>
    Wrong,

    /// <summary>Right password.</summary>
    Right,

    /// <summary>Right password, but the stored hash uses old parameters and should be replaced.</summary>
    RightButRehash,
}

/// <summary>
/// Password hashing with ASP.NET's PBKDF2 hasher (HMAC-SHA512, salted, iterated). Hashes imported from Perl
/// Ravada (unsalted SHA-1, 40 hexadecimal digits) are still checked, and reported as needing a re-hash so that
/// the first successful login replaces them.
/// </summary>
public static class Passwords
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 8;

    /// <summary>The longest password accepted (hashing cost must stay bounded).</summary>
    public const int MaximumLength = 256;

    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    /// <summary>Why <paramref name="password"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinimumLength)
        {
            return $"a password needs at least {MinimumLength} characters";
        }

        if (password.Length > MaximumLength)
        {
            return $"a password may have at most {MaximumLength} characters";
        }

        return password.Any(char.IsControl) ? "a password may not contain control characters" : null;
    }

    /// <summary>Hashes an acceptable password; throws <see cref="ArgumentException"/> for one that is not.</summary>
    public static string Hash(string password)
    {
        var problem = Problem(password);
        return problem is null ? Hasher.HashPassword(Nobody, password) : throw new ArgumentException(problem, nameof(password));
    }

    /// <summary>Checks a password against a stored hash, in constant time.</summary>
    public static PasswordCheck Verify(string storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length > MaximumLength)
        {
            return PasswordCheck.Wrong;
        }

        if (IsLegacyRavadaHash(storedHash))
        {
#pragma warning disable CA5350 // Only to check hashes Perl Ravada made; they are replaced at the first successful login.
            var typed = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(typed), Encoding.ASCII.GetBytes(storedHash.ToLowerInvariant()))
                ? PasswordCheck.RightButRehash
                : PasswordCheck.Wrong;
        }

        try
        {
            return Hasher.VerifyHashedPassword(Nobody, storedHash, password) switch
            {
                PasswordVerificationResult.Success => PasswordCheck.Right,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.RightButRehash,
                _ => PasswordCheck.Wrong,
            };
        }
        catch (FormatException)
        {
            return PasswordCheck.Wrong;
        }
    }

    /// <summary>Whether <paramref name="storedHash"/> is Perl Ravada's: SHA-1 of the password as 40 hexadecimal digits.</summary>
    public static bool IsLegacyRavadaHash(string storedHash) =>
        storedHash is { Length: 40 } && storedHash.All(char.IsAsciiHexDigit);
}
