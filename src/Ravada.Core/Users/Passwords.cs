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

/// <summary>Password hashing with ASP.NET's PBKDF2 hasher (HMAC-SHA512, salted, iterated).</summary>
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
}
