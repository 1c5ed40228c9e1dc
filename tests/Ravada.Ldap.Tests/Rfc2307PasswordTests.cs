namespace Ravada.Ldap.Tests;

/// <summary>userPassword values for <c>auth: match</c>; the salted ones carry the salt 01…08 (slappasswd's one is its own).</summary>
public sealed class Rfc2307PasswordTests
{
    [Theory]
    [InlineData("{SHA}L55TUjtiq8FBorTWAZ0jy6g129A=")]
    [InlineData("{SSHA}NSZEu/ZzEMKdBO5ESNEYml3qKRYBAgMEBQYHCA==")]
    [InlineData("{SSHA}LS7HApri80KrM44Org8U/5WMUIOHxg2B")]
    [InlineData("{ssha}LS7HApri80KrM44Org8U/5WMUIOHxg2B")]
    [InlineData("{SHA256}QQTTb42iwlQ0n4WDZ5Pr4CngyVcGOjTJHC6SAxh7VjE=")]
    [InlineData("{SSHA256}CFsq5JPfiBQ0W3uR5Dnao+9mknEq9a739V+FPkJ6yjABAgMEBQYHCA==")]
    [InlineData("{SHA512}VraY3v7bWkNbY0r+MyC7rz/c2SC2xQOkRvx7endrKY1HnRumqLYXgI6wv1ec6aldZoNHvKtxSQhayTyyeZUZew==")]
    [InlineData("{SSHA512}ggObOJHDWCqgI5uFv/j9yDNYMvdTgt+Toj8d6cGrSG/e+E9GbH4DkQ8y5jY3NblhoGens+zNVX1mZaFy0qwRwwECAwQFBgcI")]
    [InlineData("{MD5}PLTnMmMfR+brlh80VUt83g==")]
    [InlineData("{SMD5}vPjZQdkpEUFwnJ1WNg63FAECAwQFBgcI")]
    public void Each_supported_scheme_matches_the_right_password_and_no_other(string stored)
    {
        Assert.True(Rfc2307Password.Matches(stored, "correct horse"));
        Assert.False(Rfc2307Password.Matches(stored, "correct horse "));
        Assert.False(Rfc2307Password.Matches(stored, ""));
    }

    [Theory]
    [InlineData("correct horse")]
    [InlineData("{CLEARTEXT}correct horse")]
    [InlineData("{CRYPT}$6$salt$hash")]
    [InlineData("{SHA}not base64!")]
    [InlineData("{SHA}AAAA")]
    [InlineData("{SSHA}AAAA")]
    [InlineData("{SHA")]
    [InlineData("")]
    public void Clear_text_unknown_schemes_and_broken_values_never_match(string stored)
    {
        Assert.False(Rfc2307Password.Matches(stored, "correct horse"));
    }
}
