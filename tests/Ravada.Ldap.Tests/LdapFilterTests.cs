namespace Ravada.Ldap.Tests;

public sealed class LdapFilterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("*", @"\2a")]
    [InlineData("a)(uid=*", @"a\29\28uid=\2a")]
    [InlineData(@"back\slash", @"back\5cslash")]
    [InlineData("nul\0", @"nul\00")]
    [InlineData("cn=x,ou=groups,dc=example,dc=org", "cn=x,ou=groups,dc=example,dc=org")]
    public void Values_are_escaped_as_rfc_4515_says(string value, string escaped)
    {
        Assert.Equal(escaped, LdapFilter.Escape(value));
    }

    [Theory]
    [InlineData(null, "(uid=bob)")]
    [InlineData("", "(uid=bob)")]
    [InlineData("(objectClass=inetOrgPerson)", "(&(uid=bob)(objectClass=inetOrgPerson))")]
    [InlineData("objectClass=inetOrgPerson", "(&(uid=bob)(objectClass=inetOrgPerson))")]
    [InlineData(" (!(uid=dave)) ", "(&(uid=bob)(!(uid=dave)))")]
    public void The_extra_filter_is_anded_with_the_name(string? extra, string filter)
    {
        Assert.Equal(filter, LdapFilter.Equality("uid", "bob", extra));
    }
}
