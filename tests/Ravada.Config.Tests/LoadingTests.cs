using Microsoft.Extensions.Configuration;
using Ravada.Config.Tests.Support;

namespace Ravada.Config.Tests;

public sealed class LoadingTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void The_install_guides_minimal_file_means_mysql_on_localhost_with_that_user()
    {
        var configuration = files.Load("""
            db:
              user: rvd_user
              password: figure a password
            """);

        Assert.Equal("mysql", configuration["db:driver"]);
        Assert.Equal("localhost", configuration["db:hostname"]);
        Assert.Equal("3306", configuration["db:port"]);
        Assert.Equal("ravada", configuration["db:database"]);
        Assert.Equal("rvd_user", configuration["db:user"]);
        Assert.Equal("figure a password", configuration["db:password"]);
        Assert.Null(configuration["db:file"]);
    }

    [Fact]
    public void A_full_file_hands_on_every_value()
    {
        var configuration = files.Load("""
            # Every key of /etc/ravada.conf.
            db:
              driver: postgresql
              hostname: db.example.org
              port: 5433
              database: vdi
              user: ravada
              password: "s3cret: with a colon"
            libvirt:
              uri: qemu+ssh://root@node1/system
              accelerator: tcg
              keepalive_interval_seconds: 0
              keepalive_count: 10
              reconnect_min_delay_ms: 500
              reconnect_max_delay_ms: 30000
              max_concurrent_calls: 64
            storage:
              pool: fast
              base_pool: bases
              clone_pool: clones
              iso_pool: isos
            display:
              listen_address: 0.0.0.0
              public_address: vdi.example.org
            network: desktops
            admin_workstations:
              - 192.168.1.10
              - 10.20.0.0/16
              - 2001:db8:1::/48
            log_level: debug
            backend:
              pid_file: /run/ravada/rvd_back.pid
              wakeup_socket: /run/ravada/wake.sock
              poll_interval_ms: 5000
              lease_seconds: 120
              workers_interactive: 32
              workers_disk: 4
              workers_maintenance: 1
              screenshot_interval_seconds: 0
              shutdown_timeout_seconds: 300
              stop_grace_seconds: 45
            firewall:
              enabled: no
              chain: rvd-displays
              display_port_min: 5900
              display_port_max: 5999
            frontend:
              listen_address: 10.0.0.2
              port: 8443
              trusted_proxies:
                - 10.0.0.1
                - fd00::/8
              session_idle_minutes: 30
              session_max_hours: 8
              data_protection_dir: /srv/ravada/keys
              login_attempts_per_minute: 5
              lockout_failures: 8
              lockout_minutes: 30
              console_token_seconds: 20
              allow_plain_http: yes
            ldap:
              server: ldap.example.org
              port: 636
              tls: ldaps
              ca_certificates_dir: /etc/ravada/ldap-ca
              base: dc=example,dc=org
              admin_dn: cn=ravada,dc=example,dc=org
              admin_password: "ldap: secret"
              filter: (objectClass=inetOrgPerson)
              field: sAMAccountName
              auth: match
              groups_base: ou=teams,dc=example,dc=org
              group: vdi
              timeout_seconds: 5
            """);

        var expected = new Dictionary<string, string?>
        {
            ["db:driver"] = "postgresql",
            ["db:hostname"] = "db.example.org",
            ["db:port"] = "5433",
            ["db:database"] = "vdi",
            ["db:user"] = "ravada",
            ["db:password"] = "s3cret: with a colon",
            ["libvirt:uri"] = "qemu+ssh://root@node1/system",
            ["libvirt:accelerator"] = "tcg",
            ["libvirt:keepalive_interval_seconds"] = "0",
            ["libvirt:keepalive_count"] = "10",
            ["libvirt:reconnect_min_delay_ms"] = "500",
            ["libvirt:reconnect_max_delay_ms"] = "30000",
            ["libvirt:max_concurrent_calls"] = "64",
            ["storage:pool"] = "fast",
            ["storage:base_pool"] = "bases",
            ["storage:clone_pool"] = "clones",
            ["storage:iso_pool"] = "isos",
            ["display:listen_address"] = "0.0.0.0",
            ["display:public_address"] = "vdi.example.org",
            ["network"] = "desktops",
            ["admin_workstations:0"] = "192.168.1.10/32",
            ["admin_workstations:1"] = "10.20.0.0/16",
            ["admin_workstations:2"] = "2001:db8:1::/48",
            ["Logging:LogLevel:Default"] = "Debug",
            ["backend:pid_file"] = "/run/ravada/rvd_back.pid",
            ["backend:wakeup_socket"] = "/run/ravada/wake.sock",
            ["backend:poll_interval_ms"] = "5000",
            ["backend:lease_seconds"] = "120",
            ["backend:workers_interactive"] = "32",
            ["backend:workers_disk"] = "4",
            ["backend:workers_maintenance"] = "1",
            ["backend:screenshot_interval_seconds"] = "0",
            ["backend:shutdown_timeout_seconds"] = "300",
            ["backend:stop_grace_seconds"] = "45",
            ["firewall:enabled"] = "false",
            ["firewall:chain"] = "rvd-displays",
            ["firewall:display_port_min"] = "5900",
            ["firewall:display_port_max"] = "5999",
            ["frontend:listen_address"] = "10.0.0.2",
            ["frontend:port"] = "8443",
            ["frontend:trusted_proxies:0"] = "10.0.0.1/32",
            ["frontend:trusted_proxies:1"] = "fd00::/8",
            ["frontend:session_idle_minutes"] = "30",
            ["frontend:session_max_hours"] = "8",
            ["frontend:data_protection_dir"] = "/srv/ravada/keys",
            ["frontend:login_attempts_per_minute"] = "5",
            ["frontend:lockout_failures"] = "8",
            ["frontend:lockout_minutes"] = "30",
            ["frontend:console_token_seconds"] = "20",
            ["frontend:allow_plain_http"] = "true",
            ["ldap:server"] = "ldap.example.org",
            ["ldap:port"] = "636",
            ["ldap:tls"] = "ldaps",
            ["ldap:ca_certificates_dir"] = "/etc/ravada/ldap-ca",
            ["ldap:base"] = "dc=example,dc=org",
            ["ldap:admin_dn"] = "cn=ravada,dc=example,dc=org",
            ["ldap:admin_password"] = "ldap: secret",
            ["ldap:filter"] = "(objectClass=inetOrgPerson)",
            ["ldap:field"] = "sAMAccountName",
            ["ldap:auth"] = "match",
            ["ldap:groups_base"] = "ou=teams,dc=example,dc=org",
            ["ldap:group"] = "vdi",
            ["ldap:timeout_seconds"] = "5",
        };
        Assert.Equal(expected.OrderBy(pair => pair.Key), Leaves(configuration).OrderBy(pair => pair.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing set yet\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    [InlineData("db:\nlibvirt:\nbackend:\n")]
    public void An_empty_file_means_every_default(string yaml)
    {
        Assert.Equal(Defaults(), Leaves(files.Load(yaml)));
    }

    [Fact]
    public void An_absent_optional_file_means_every_default()
    {
        var configuration = new ConfigurationBuilder().AddRavadaConfigFile(files.AbsentPath, optional: true).Build();

        Assert.Equal(Defaults(), Leaves(configuration));
    }

    [Fact]
    public void The_defaults_are_sqlite_in_var_lib_ravada_and_the_local_hypervisor()
    {
        var defaults = Defaults();

        Assert.Equal("sqlite", defaults["db:driver"]);
        Assert.Equal("/var/lib/ravada/ravada.db", defaults["db:file"]);
        Assert.False(defaults.ContainsKey("db:user"));
        Assert.False(defaults.ContainsKey("db:port"));
        Assert.Equal("qemu:///system", defaults["libvirt:uri"]);
        Assert.Equal("default", defaults["storage:pool"]);
        Assert.Equal("default", defaults["storage:iso_pool"]);
        Assert.Equal("127.0.0.1", defaults["display:listen_address"]);
        Assert.Equal("127.0.0.1", defaults["display:public_address"]);
        Assert.Equal("default", defaults["network"]);
        Assert.Equal("Information", defaults["Logging:LogLevel:Default"]);
        Assert.Equal("/run/rvd_back.pid", defaults["backend:pid_file"]);
        Assert.Equal("/run/ravada/rvd_back.sock", defaults["backend:wakeup_socket"]);
        Assert.Equal("2000", defaults["backend:poll_interval_ms"]);
        Assert.Equal("60", defaults["backend:lease_seconds"]);
        Assert.Equal("16", defaults["backend:workers_interactive"]);
        Assert.Equal("2", defaults["backend:workers_disk"]);
        Assert.Equal("2", defaults["backend:workers_maintenance"]);
        Assert.Equal("60", defaults["backend:screenshot_interval_seconds"]);
        Assert.Equal("60", defaults["backend:shutdown_timeout_seconds"]);
        Assert.DoesNotContain(defaults.Keys, key => key.StartsWith("admin_workstations", StringComparison.Ordinal));
    }

    [Fact]
    public void An_absent_file_at_an_explicit_path_is_an_error_naming_it()
    {
        var exception = Assert.Throws<RavadaConfigurationException>(() => RavadaConfiguration.Load(files.AbsentPath));

        Assert.Equal($"{files.AbsentPath}: no such file", exception.Message);
    }

    [Fact]
    public void An_absent_required_file_fails_when_the_configuration_is_built()
    {
        var builder = new ConfigurationBuilder().AddRavadaConfigFile(files.AbsentPath, optional: false);

        var exception = Assert.Throws<RavadaConfigurationException>(builder.Build);
        Assert.Equal($"{files.AbsentPath}: no such file", exception.Message);
    }

    [Fact]
    public void A_directory_is_not_a_configuration_file()
    {
        var directory = Path.GetDirectoryName(files.AbsentPath)!;

        var exception = Assert.Throws<RavadaConfigurationException>(() => RavadaConfiguration.Load(directory));

        Assert.Equal($"{directory}: is a directory, not a configuration file", exception.Message);
    }

    [Fact]
    public void Without_a_path_the_file_is_etc_ravada_conf_and_may_be_absent()
    {
        Assert.SkipWhen(File.Exists(RavadaConfiguration.DefaultPath), "this host has an /etc/ravada.conf of its own");

        var loaded = RavadaConfiguration.Load(null);

        Assert.Equal("/etc/ravada.conf", loaded.FilePath);
        Assert.False(loaded.FileExists);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(Defaults(), Leaves(loaded.Configuration));
    }

    [Fact]
    public void Load_reports_the_file_it_read()
    {
        var path = files.Write("network: lab\n");

        var loaded = RavadaConfiguration.Load(path);

        Assert.Equal(path, loaded.FilePath);
        Assert.True(loaded.FileExists);
        Assert.Equal("lab", loaded.Configuration["network"]);
    }

    [Fact]
    public void Sources_added_after_the_file_override_it()
    {
        var path = files.Write("libvirt:\n  uri: qemu:///system\n");

        var configuration = new ConfigurationBuilder()
            .AddRavadaConfigFile(path, optional: false)
            .AddInMemoryCollection([new("libvirt:uri", "test:///default")])
            .Build();

        Assert.Equal("test:///default", configuration["libvirt:uri"]);
    }

    private Dictionary<string, string?> Defaults() =>
        Leaves(new ConfigurationBuilder().AddRavadaConfigFile(files.AbsentPath, optional: true).Build());

    private static Dictionary<string, string?> Leaves(IConfiguration configuration) =>
        configuration.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value);
}
