using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Back.Tests.Support;
using Ravada.Config;
using Ravada.Core.Users;
using Ravada.Data;
using Ravada.TestSupport;

namespace Ravada.Back.Tests;

/// <summary>
/// <c>rvd_back --test-ldap</c> and <c>--add-user-ldap</c>, run as the real program against the test slapd
/// (scripts/lib.sh's <c>start_slapd</c>; its people have the password <c>NAME-secret-1</c>).
/// </summary>
public sealed class LdapCommandLineTests : IDisposable
{
    private readonly TemporaryConfiguration configuration = TemporaryConfiguration.Create($"""
        ldap:
          server: 127.0.0.1
          port: {int.Parse(Variable("RAVADA_TEST_LDAP_PORT"), CultureInfo.InvariantCulture)}
          tls: starttls
          ca_certificates_dir: {Variable("RAVADA_TEST_LDAP_CA_DIR")}
          base: {Variable("RAVADA_TEST_LDAP_BASE")}
          admin_dn: {Variable("RAVADA_TEST_LDAP_READER_DN")}
          admin_password: {Variable("RAVADA_TEST_LDAP_READER_PASSWORD")}
        """);

    public void Dispose() => configuration.Dispose();

    [Fact]
    public async Task Test_ldap_reports_the_bind_the_search_the_password_and_the_groups()
    {
        var (exitCode, output) = await RvdBackProcess.RunWithInputAsync("bob\nbob-secret-1\n", "--config", configuration.Path, "--test-ldap");

        Assert.Equal(0, exitCode);
        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"ok    connect: ldap://127.0.0.1:{Variable("RAVADA_TEST_LDAP_PORT")} (StartTLS), bound as {Variable("RAVADA_TEST_LDAP_READER_DN")}", lines[0], StringComparison.Ordinal);
        Assert.Equal($"ok    search: (uid=bob) found uid=bob,ou=people,{Variable("RAVADA_TEST_LDAP_BASE")}", lines[1]);
        Assert.Equal("ok    password: bound as the entry", lines[2]);
        Assert.Equal("ok    groups: staff, teachers", lines[3]);
    }

    [Fact]
    public async Task Test_ldap_with_a_wrong_password_fails_at_that_step_and_never_prints_it()
    {
        var (exitCode, output) = await RvdBackProcess.RunWithInputAsync("bob\nnot-bobs-password\n", "--config", configuration.Path, "--test-ldap");

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL  password: the bind as the entry was refused", output, StringComparison.Ordinal);
        Assert.Contains("rvd_back: the LDAP login of bob fails at the step 'password'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-bobs-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_user_ldap_creates_the_account_marked_ldap_with_its_groups()
    {
        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--add-user-ldap", "bob");

        Assert.Equal(0, exitCode);
        Assert.Equal($"Added LDAP user bob (uid=bob,ou=people,{Variable("RAVADA_TEST_LDAP_BASE")}); groups staff, teachers.", output.Trim());
        await using var data = DataServices();
        var users = data.GetRequiredService<IUserStore>();
        var bob = (await users.FindByNameAsync("bob", TestContext.Current.CancellationToken))!;
        Assert.Equal("ldap", bob.ExternalAuth);
        Assert.Null(await users.GetPasswordHashAsync(bob.Id, TestContext.Current.CancellationToken));
        Assert.Equal(["staff", "teachers"], await users.GroupsOfAsync(bob.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_ldap_account_gets_no_local_password_from_the_command_line()
    {
        Assert.Equal(0, (await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--add-user-ldap", "carol")).ExitCode);

        var (exitCode, output) = await RvdBackProcess.RunWithInputAsync("a-local-password\n", "--config", configuration.Path, "--change-password", "carol");

        Assert.Equal((1, "rvd_back: carol logs in through ldap: change the password there"), (exitCode, output.Trim()));
    }

    [Fact]
    public async Task Add_user_ldap_refuses_a_local_name_and_an_unknown_one()
    {
        Assert.Equal(0, (await RvdBackProcess.RunWithInputAsync("local-dave-password\n", "--config", configuration.Path, "--add-user", "dave")).ExitCode);

        var local = await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--add-user-ldap", "dave");
        var unknown = await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--add-user-ldap", "nobody");

        Assert.Equal((1, "rvd_back: dave is a local account: the ldap user of the same name cannot take it over"), (local.ExitCode, local.Output.Trim()));
        Assert.Equal((1, "rvd_back: ldap: no entry for nobody"), (unknown.ExitCode, unknown.Output.Trim()));
    }

    [Fact]
    public async Task Without_an_ldap_section_the_commands_say_how_to_configure_it()
    {
        using var plain = TemporaryConfiguration.Create();

        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--config", plain.Path, "--add-user-ldap", "bob");

        Assert.Equal((1, "rvd_back: LDAP is not configured: set ldap.server (and ldap.base) in the configuration file"), (exitCode, output.Trim()));
    }

    private ServiceProvider DataServices() =>
        new ServiceCollection().AddLogging().AddRavadaData(RavadaConfiguration.Load(configuration.Path).Configuration).BuildServiceProvider();

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, or source scripts/lib.sh and run start_slapd first");
}
