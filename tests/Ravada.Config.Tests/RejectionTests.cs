using Ravada.Config.Tests.Support;

namespace Ravada.Config.Tests;

public sealed class RejectionTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_yaml_syntax_error_names_its_line_and_column()
    {
        var (exception, problem) = files.Refusal("""
            db:
              user: rvd_user
              password: "unterminated
            """);

        Assert.StartsWith("not valid YAML at line 3, column 13: ", problem, StringComparison.Ordinal);
        Assert.Equal(3, exception.Line);
    }

    [Fact]
    public void A_tab_used_for_indentation_is_a_syntax_error()
    {
        Assert.Equal("not valid YAML at line 2: it is indented with a tab; YAML indents with spaces", files.Problem("db:\n\tuser: rvd_user\n"));
    }

    [Fact]
    public void The_install_guides_unquoted_stars_are_explained()
    {
        var (exception, problem) = files.Refusal("""
            db:
              user: rvd_user
              password: *****
            """);

        Assert.Equal("'db.password' is a YAML alias ('*****', line 3): quote a value that starts with '*' or '&'", problem);
        Assert.Equal("db.password", exception.Key);
    }

    [Theory]
    [InlineData("- db\n- libvirt\n", "a list")]
    [InlineData("just some text\n", "a single value")]
    public void The_top_level_must_be_a_mapping(string yaml, string found)
    {
        Assert.Equal($"the top level must be a mapping of sections such as 'db:', not {found}", files.Problem(yaml));
    }

    [Fact]
    public void Two_yaml_documents_are_refused()
    {
        Assert.Equal("holds 2 YAML documents (a second one starts at line 3); write one", files.Problem("network: a\n---\nnetwork: b\n"));
    }

    [Theory]
    [InlineData("db:\n  passwd: secret\n", "unknown key 'db.passwd' (did you mean 'db.password'?)")]
    [InlineData("backend:\n  worker_disk: 2\n", "unknown key 'backend.worker_disk' (did you mean 'backend.workers_disk'?)")]
    [InlineData("libvrt:\n  uri: test:///default\n", "unknown section 'libvrt' (did you mean 'libvirt'?)")]
    [InlineData("DB:\n  user: a\n", "unknown section 'DB' (did you mean 'db'?)")]
    [InlineData("log-level: debug\n", "unknown key 'log-level' (did you mean 'log_level'?)")]
    [InlineData("libvirt:\n  pool: default\n", "unknown key 'libvirt.pool' (did you mean 'storage.pool'?)")]
    [InlineData("user: rvd_user\n", "unknown key 'user' (did you mean 'db.user'?)")]
    [InlineData("db:\n  host: db.example.org\n", "unknown key 'db.host' (did you mean 'db.hostname'?)")]
    [InlineData("db:\n  db: ravada\n", "unknown key 'db.db' (did you mean 'db.database'?)")]
    [InlineData("display_ip: 192.168.1.2\n", "unknown key 'display_ip' (did you mean 'display.public_address'?)")]
    [InlineData("ldap:\n  admin_user: cn=admin\n", "unknown key 'ldap.admin_user' (did you mean 'ldap.admin_dn'?)")]
    [InlineData("frontend:\n  listen: 8081\n", "unknown key 'frontend.listen'")]
    [InlineData("vm:\n  - KVM\n", "unknown key 'vm'")]
    public void An_unknown_key_is_named_with_the_closest_known_one(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Fact]
    public void An_unknown_key_error_carries_the_key_and_line()
    {
        var (exception, _) = files.Refusal("network: lab\ndb:\n  user: a\n  passwd: b\n");

        Assert.Equal("db.passwd", exception.Key);
        Assert.Equal(4, exception.Line);
    }

    [Theory]
    [InlineData("backend:\n  workers_disk: many\n", "'backend.workers_disk' must be an integer between 1 and 64, not 'many'")]
    [InlineData("backend:\n  workers_disk: 65\n", "'backend.workers_disk' must be an integer between 1 and 64, not '65'")]
    [InlineData("backend:\n  workers_disk: 0\n", "'backend.workers_disk' must be an integer between 1 and 64, not '0'")]
    [InlineData("backend:\n  workers_disk: -1\n", "'backend.workers_disk' must be an integer between 1 and 64, not '-1'")]
    [InlineData("backend:\n  workers_disk: 2.5\n", "'backend.workers_disk' must be an integer between 1 and 64, not '2.5'")]
    [InlineData("backend:\n  workers_disk: 99999999999999999999\n", "'backend.workers_disk' must be an integer between 1 and 64, not '99999999999999999999'")]
    [InlineData("backend:\n  screenshot_interval_seconds: 5\n", "'backend.screenshot_interval_seconds' must be 0 (off) or an integer between 10 and 86400, not '5'")]
    [InlineData("backend:\n  poll_interval_ms: 50\n", "'backend.poll_interval_ms' must be an integer between 100 and 60000, not '50'")]
    [InlineData("backend:\n  pid_file: run/rvd_back.pid\n", "'backend.pid_file' must be an absolute path, not 'run/rvd_back.pid'")]
    [InlineData("db:\n  driver: oracle\n", "'db.driver' must be one of sqlite, mysql, postgresql, not 'oracle'")]
    [InlineData("db:\n  port: 70000\n", "'db.port' must be an integer between 1 and 65535, not '70000'")]
    [InlineData("db:\n  hostname: db_server\n", "'db.hostname' must be an IP address or a host name, not 'db_server'")]
    [InlineData("db:\n  user: \"\"\n", "'db.user' must be non-empty text on one line, not ''")]
    [InlineData("libvirt:\n  uri: system\n", "'libvirt.uri' must be a libvirt URI such as qemu:///system or qemu+ssh://root@node/system, not 'system'")]
    [InlineData("libvirt:\n  accelerator: hvf\n", "'libvirt.accelerator' must be one of auto, kvm, tcg, not 'hvf'")]
    [InlineData("libvirt:\n  keepalive_count: 0\n", "'libvirt.keepalive_count' must be an integer between 1 and 100, not '0'")]
    [InlineData("storage:\n  pool: ../etc\n", "'storage.pool' must be a name of 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit, not '../etc'")]
    [InlineData("network: my network\n", "'network' must be a name of 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit, not 'my network'")]
    [InlineData("display:\n  listen_address: localhost\n", "'display.listen_address' must be an IPv4 or IPv6 address, not 'localhost'")]
    [InlineData("display:\n  listen_address: 10.1\n", "'display.listen_address' must be an IPv4 or IPv6 address, not '10.1'")]
    [InlineData("display:\n  public_address: 10.0.0.300\n", "'display.public_address' must be an IP address or a host name, not '10.0.0.300'")]
    [InlineData("log_level: verbose\n", "'log_level' must be one of trace, debug, information, warning, error, critical, not 'verbose'")]
    public void A_wrong_value_is_refused_naming_the_key_the_rule_and_the_value(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Theory]
    [InlineData("admin_workstations:\n  - 10.0.0.5/24\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not '10.0.0.5/24'")]
    [InlineData("admin_workstations:\n  - 10.0.0.0/33\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not '10.0.0.0/33'")]
    [InlineData("admin_workstations:\n  - 192.168.1.10\n  - admin-pc\n", "'admin_workstations' entry 2 (line 3) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not 'admin-pc'")]
    [InlineData("admin_workstations:\n  - fe80::1%eth0\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not 'fe80::1%eth0'")]
    [InlineData("admin_workstations:\n  - 2001:db8::1/64\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not '2001:db8::1/64'")]
    [InlineData("admin_workstations:\n  -\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not empty")]
    [InlineData("admin_workstations:\n  - [10.0.0.1, 10.0.0.2]\n", "'admin_workstations' entry 1 (line 2) must be an IP address or a network in CIDR notation such as 192.168.1.0/24, not a list")]
    [InlineData("admin_workstations:\n  address: 10.0.0.1\n", "'admin_workstations' must be a list, not a mapping")]
    [InlineData("admin_workstations:\n  - 10.0.0.1\n  - 10.0.0.1/32\n", "'admin_workstations' lists 10.0.0.1/32 twice (line 3)")]
    public void A_wrong_admin_workstation_is_refused_naming_its_entry(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Theory]
    [InlineData("db:\n  user: rvd_user\n  user: other\n", "duplicate key 'db.user' (lines 2 and 3)")]
    [InlineData("db:\n  user: rvd_user\nnetwork: lab\ndb:\n  password: x\n", "duplicate key 'db' (lines 1 and 4)")]
    [InlineData("backend: {workers_disk: 2, workers_disk: 3}\n", "duplicate key 'backend.workers_disk' (lines 1 and 1)")]
    public void A_duplicate_key_is_refused_naming_both_lines(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Theory]
    [InlineData("storage:\n  pool: &p fast\n  base_pool: *p\n", "YAML anchors and aliases are not supported ('&p' at line 2); write each value out")]
    [InlineData("db: &d\n  user: a\n", "YAML anchors and aliases are not supported ('&d' at line 1); write each value out")]
    public void Anchors_and_aliases_are_refused(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Theory]
    [InlineData("db:\n  port:\n    number: 3306\n", "'db.port' must be a single value, not a mapping")]
    [InlineData("db:\n  user: [a, b]\n", "'db.user' must be a single value, not a list")]
    [InlineData("network:\n  - default\n", "'network' must be a single value, not a list")]
    [InlineData("db: rvd_user\n", "'db' must be a mapping of keys such as 'db.driver', not a single value")]
    [InlineData("backend:\n  - workers_disk: 2\n", "'backend' must be a mapping of keys such as 'backend.pid_file', not a list")]
    [InlineData("? [a, b]\n: c\n", "top-level keys must be plain names, not a list (line 1)")]
    public void A_structure_where_a_single_value_belongs_is_refused(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Theory]
    [InlineData("db:\n  driver: sqlite\n  user: rvd_user\n", "'db.user' is for a database server but 'db.driver' is sqlite; remove it or set 'db.driver' to mysql or postgresql")]
    [InlineData("db:\n  driver: mysql\n  file: /var/lib/ravada/ravada.db\n", "'db.file' is for SQLite but 'db.driver' is mysql; remove it or set 'db.driver' to sqlite")]
    [InlineData("db:\n  file: /srv/ravada.db\n  password: x\n", "'db.file' is for SQLite and 'db.password' for a database server: set 'db.driver' to say which")]
    [InlineData("display:\n  listen_address: 0.0.0.0\n", "'display.public_address' must be set when 'display.listen_address' is 0.0.0.0: viewers need an address they can reach")]
    [InlineData("display:\n  listen_address: \"::\"\n", "'display.public_address' must be set when 'display.listen_address' is ::: viewers need an address they can reach")]
    [InlineData("libvirt:\n  reconnect_min_delay_ms: 20000\n", "'libvirt.reconnect_min_delay_ms' (20000) must not be above 'libvirt.reconnect_max_delay_ms' (10000)")]
    public void Keys_that_contradict_each_other_are_refused(string yaml, string expected)
    {
        Assert.Equal(expected, files.Problem(yaml));
    }

    [Fact]
    public void A_password_is_never_echoed_in_a_message()
    {
        var problem = files.Problem("db:\n  driver: sqlite\n  password: hunter2\n");

        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_or_multi_line_value_is_shown_cut_and_on_one_line()
    {
        var problem = files.Problem("backend:\n  pid_file: |\n    first line\n    " + new string('x', 100) + "\n");

        Assert.Equal("'backend.pid_file' must be an absolute path, not 'first line?" + new string('x', 49) + "…'", problem);
    }
}
