using Ravada.Core.Users;
using Ravada.Ldap.Tests.Support;

namespace Ravada.Ldap.Tests;

/// <summary>Logins, look-ups and groups against a real slapd.</summary>
public sealed class LdapDirectoryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_right_password_binds_and_gives_the_persons_direct_groups()
    {
        var identity = await TestDirectory.Directory().AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel);

        Assert.NotNull(identity);
        Assert.Equal("alice", identity.UserName);
        Assert.Equal($"uid=alice,ou=people,{TestDirectory.Base}", identity.DistinguishedName);
        Assert.Equal(["students"], identity.Groups);
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("alice", "")]
    [InlineData("nobody", "nobody-secret-1")]
    [InlineData("*", "alice-secret-1")]
    [InlineData("alice)(uid=*", "alice-secret-1")]
    public async Task A_wrong_or_empty_password_an_unknown_name_or_a_filter_in_the_name_logs_nobody_in(string name, string password)
    {
        Assert.Null(await TestDirectory.Directory().AuthenticateAsync(name, password, Cancel));
        Assert.Null(await TestDirectory.Directory(options => options.Auth = LdapAuthMode.Match).AuthenticateAsync(name, password, Cancel));
    }

    [Fact]
    public async Task The_name_comes_back_as_the_directory_spells_it()
    {
        var identity = await TestDirectory.Directory().AuthenticateAsync("ALICE", TestDirectory.PasswordOf("alice"), Cancel);

        Assert.Equal("alice", identity?.UserName);
    }

    [Fact]
    public async Task Groups_include_groups_of_groups()
    {
        var identity = await TestDirectory.Directory().AuthenticateAsync("bob", TestDirectory.PasswordOf("bob"), Cancel);

        Assert.Equal(["staff", "teachers"], identity?.Groups);
    }

    [Fact]
    public async Task Posix_groups_and_unique_member_groups_count_and_a_cycle_of_groups_ends()
    {
        var carol = await TestDirectory.Directory().FindAsync("carol", Cancel);
        var erin = await TestDirectory.Directory().FindAsync("erin", Cancel);

        Assert.Equal(["lab"], carol?.Groups);
        Assert.Equal(["projectors", "ring-a", "ring-b"], erin?.Groups);
        Assert.Equal([], (await TestDirectory.Directory().FindAsync("outsider", Cancel))?.Groups);
    }

    [Fact]
    public async Task Match_mode_compares_the_salted_hash_read_with_the_admin_bind()
    {
        var directory = TestDirectory.Directory(options => options.Auth = LdapAuthMode.Match);

        Assert.Equal(["staff", "teachers"], (await directory.AuthenticateAsync("bob", TestDirectory.PasswordOf("bob"), Cancel))?.Groups);
        Assert.Null(await directory.AuthenticateAsync("bob", TestDirectory.PasswordOf("alice"), Cancel));
    }

    [Fact]
    public async Task A_required_group_keeps_out_who_is_not_in_it_even_through_nesting()
    {
        var directory = TestDirectory.Directory(options => options.Group = "staff");

        Assert.NotNull(await directory.AuthenticateAsync("bob", TestDirectory.PasswordOf("bob"), Cancel));
        Assert.Null(await directory.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel));
    }

    [Fact]
    public async Task The_extra_filter_narrows_who_may_log_in()
    {
        var directory = TestDirectory.Directory(options => options.Filter = "(!(uid=dave))");

        Assert.NotNull(await directory.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel));
        Assert.Null(await directory.AuthenticateAsync("dave", TestDirectory.PasswordOf("dave"), Cancel));
    }

    [Theory]
    [InlineData(LdapTls.StartTls)]
    [InlineData(LdapTls.Ldaps)]
    public async Task Tls_with_the_servers_ca_trusted_logs_in(LdapTls tls)
    {
        var directory = TestDirectory.Directory(options =>
        {
            options.Tls = tls;
            options.Port = tls == LdapTls.Ldaps ? TestDirectory.TlsPort : TestDirectory.Port;
            options.CaCertificatesDirectory = TestDirectory.CaDirectory;
        });

        Assert.Equal(["students"], (await directory.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel))?.Groups);
    }

    [Theory]
    [InlineData(LdapTls.None, false)]
    [InlineData(LdapTls.StartTls, true)]
    [InlineData(LdapTls.Ldaps, true)]
    public async Task The_password_crosses_the_network_inside_tls_with_starttls_and_ldaps(LdapTls tls, bool loggedIn)
    {
        // slapd lets tlsonly bind only on a connection protected by TLS.
        var directory = TestDirectory.Directory(options =>
        {
            options.Tls = tls;
            options.Port = tls == LdapTls.Ldaps ? TestDirectory.TlsPort : TestDirectory.Port;
            options.CaCertificatesDirectory = TestDirectory.CaDirectory;
        });

        var identity = await directory.AuthenticateAsync("tlsonly", TestDirectory.PasswordOf("tlsonly"), Cancel);

        Assert.Equal(loggedIn, identity is not null);
    }

    [Theory]
    [InlineData(LdapTls.StartTls)]
    [InlineData(LdapTls.Ldaps)]
    public async Task A_certificate_from_an_untrusted_ca_is_refused_before_any_password_is_sent(LdapTls tls)
    {
        var directory = TestDirectory.Directory(options =>
        {
            options.Tls = tls;
            options.Port = tls == LdapTls.Ldaps ? TestDirectory.TlsPort : TestDirectory.Port;
            options.CaCertificatesDirectory = TestDirectory.WrongCaDirectory;
        });

        await Assert.ThrowsAsync<ExternalDirectoryException>(() => directory.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel));
    }

    [Fact]
    public async Task A_wrong_admin_password_or_a_closed_port_says_what_failed()
    {
        var wrongAdmin = TestDirectory.Directory(options => options.AdminPassword = "not-the-password");
        var closed = TestDirectory.Directory(options => options.Port = 1);

        var refused = await Assert.ThrowsAsync<ExternalDirectoryException>(() => wrongAdmin.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel));
        var unreachable = await Assert.ThrowsAsync<ExternalDirectoryException>(() => closed.AuthenticateAsync("alice", TestDirectory.PasswordOf("alice"), Cancel));

        Assert.Contains("refused ldap.admin_dn", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("ldap://127.0.0.1:1:", unreachable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_check_reports_each_step()
    {
        var steps = await TestDirectory.Directory().CheckAsync("bob", TestDirectory.PasswordOf("bob"), Cancel);

        Assert.Equal(["connect", "search", "password", "groups"], steps.Select(step => step.Step));
        Assert.All(steps, step => Assert.True(step.Succeeded, step.Detail));
        Assert.Equal("staff, teachers", steps[^1].Detail);
    }

    [Fact]
    public async Task The_check_stops_at_the_step_that_fails()
    {
        var steps = await TestDirectory.Directory().CheckAsync("bob", "wrong-password", Cancel);

        Assert.Equal([("connect", true), ("search", true), ("password", false)], steps.Select(step => (step.Step, step.Succeeded)));
    }
}
