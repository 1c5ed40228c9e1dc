using System.Security.Cryptography;
using System.Text;

namespace Ravada.Ldap;

/// <summary>
/// Checks a password against an RFC 2307 <c>userPassword</c> value ({SSHA}, {SHA}, {SSHA256}, {SHA256},
/// {SSHA512}, {SHA512}, {SMD5}, {MD5}), in constant time, for <c>ldap.auth: match</c>. A value without a
/// scheme (a password stored in clear text) or with an unknown scheme never matches.
/// </summary>
internal static class Rfc2307Password
{
    public static bool Matches(string stored, string password)
    {
        var close = stored.IndexOf('}', StringComparison.Ordinal);
        if (!stored.StartsWith('{') || close < 0)
        {
            return false;
        }

        var scheme = stored[1..close].ToUpperInvariant();
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(stored[(close + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }

        var (hash, size, salted) = scheme switch
        {
            "SHA" => (HashAlgorithmName.SHA1, 20, false),
            "SSHA" => (HashAlgorithmName.SHA1, 20, true),
            "SHA256" => (HashAlgorithmName.SHA256, 32, false),
            "SSHA256" => (HashAlgorithmName.SHA256, 32, true),
            "SHA512" => (HashAlgorithmName.SHA512, 64, false),
            "SSHA512" => (HashAlgorithmName.SHA512, 64, true),
            "MD5" => (HashAlgorithmName.MD5, 16, false),
            "SMD5" => (HashAlgorithmName.MD5, 16, true),
            _ => (default(HashAlgorithmName), 0, false),
        };
        if (size == 0 || decoded.Length < size || (!salted && decoded.Length != size))
        {
            return false;
        }

        var digest = decoded.AsSpan(0, size);
        var salt = decoded.AsSpan(size);
        var input = Encoding.UTF8.GetBytes(password).Concat(salt.ToArray()).ToArray();
        return CryptographicOperations.FixedTimeEquals(digest, CryptographicOperations.HashData(hash, input));
    }
}
