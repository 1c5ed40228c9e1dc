using Microsoft.Extensions.Logging.Abstractions;

namespace Ravada.Ldap.Tests.Support;

/// <summary>
/// The slapd that <c>scripts/lib.sh</c>'s <c>start_slapd</c> runs for the tests (tests/ldap/start-slapd.sh), found
/// through its <c>RAVADA_TEST_LDAP_*</c> variables. Its people: alice (students), bob (teachers, nested in staff),
/// carol (the posixGroup lab), dave (students), erin (projectors, a groupOfUniqueNames, and ring-a, which is in a
/// cycle with ring-b), outsider (no group), tlsonly (who may bind only over TLS). Each person's password is <c>NAME-secret-1</c>.
/// </summary>
internal static class TestDirectory
{
    public static int Port => int.Parse(Variable("RAVADA_TEST_LDAP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static int TlsPort => int.Parse(Variable("RAVADA_TEST_LDAPS_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string Base => Variable("RAVADA_TEST_LDAP_BASE");

    public static string ReaderDn => Variable("RAVADA_TEST_LDAP_READER_DN");

    public static string ReaderPassword => Variable("RAVADA_TEST_LDAP_READER_PASSWORD");

    /// <summary>The hashed directory holding the CA that signed slapd's certificate.</summary>
    public static string CaDirectory => Variable("RAVADA_TEST_LDAP_CA_DIR");

    /// <summary>A hashed directory holding an unrelated CA.</summary>
    public static string WrongCaDirectory => Variable("RAVADA_TEST_LDAP_WRONG_CA_DIR");

    public static string PasswordOf(string name) => $"{name}-secret-1";

    /// <summary>Plain LDAP on the loopback port, searching as the reader, bind mode.</summary>
    public static LdapOptions Options(Action<LdapOptions>? change = null)
    {
        var options = new LdapOptions
        {
            Server = "127.0.0.1",
            Port = Port,
            Tls = LdapTls.None,
            Base = Base,
            AdminDn = ReaderDn,
            AdminPassword = ReaderPassword,
            TimeoutSeconds = 5,
        };
        change?.Invoke(options);
        return options;
    }

    public static LdapDirectory Directory(Action<LdapOptions>? change = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(change)), NullLogger<LdapDirectory>.Instance);

    /// <summary>The settings of <see cref="Options"/> as configuration keys (the <c>ldap</c> section).</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["ldap:server"] = "127.0.0.1",
        ["ldap:port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ldap:tls"] = "none",
        ["ldap:base"] = Base,
        ["ldap:admin_dn"] = ReaderDn,
        ["ldap:admin_password"] = ReaderPassword,
    };

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, or source scripts/lib.sh and run start_slapd first");
}
