using Ravada.Core.Users;

namespace Ravada.Core.Tests.Users;

public sealed class PasswordsTests
{
    // SHA-1 of "password1234", as Perl Ravada stores it.
    private const string LegacyHash = "e6b6afbd6d76bb5d2041542d7d2e3fac5bb05593";

    [Fact]
    public void A_hash_checks_its_password_and_no_other()
    {
        var hash = Passwords.Hash("correct-horse-battery");

        Assert.Equal(PasswordCheck.Right, Passwords.Verify(hash, "correct-horse-battery"));
        Assert.Equal(PasswordCheck.Wrong, Passwords.Verify(hash, "correct-horse-battery!"));
        Assert.NotEqual(hash, Passwords.Hash("correct-horse-battery"));
    }

    [Fact]
    public void A_legacy_ravada_hash_is_right_for_its_password_and_asks_to_be_replaced()
    {
        Assert.True(Passwords.IsLegacyRavadaHash(LegacyHash));
        Assert.Equal(PasswordCheck.RightButRehash, Passwords.Verify(LegacyHash, "password1234"));
        Assert.Equal(PasswordCheck.RightButRehash, Passwords.Verify(LegacyHash.ToUpperInvariant(), "password1234"));
        Assert.Equal(PasswordCheck.Wrong, Passwords.Verify(LegacyHash, "password12345"));
        Assert.False(Passwords.IsLegacyRavadaHash(Passwords.Hash("password1234")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("with\ttab-inside")]
    public void Unacceptable_passwords_are_refused_with_a_reason(string password)
    {
        Assert.NotNull(Passwords.Problem(password));
        Assert.Throws<ArgumentException>(() => Passwords.Hash(password));
    }

    [Fact]
    public void Garbage_in_the_stored_hash_is_a_wrong_password_not_a_crash()
    {
        Assert.Equal(PasswordCheck.Wrong, Passwords.Verify("not a hash at all", "password1234"));
        Assert.Equal(PasswordCheck.Wrong, Passwords.Verify(LegacyHash, new string('x', Passwords.MaximumLength + 1)));
    }
}
