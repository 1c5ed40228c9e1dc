using Ravada.Config.Tests.Support;

namespace Ravada.Config.Tests;

public sealed class ValueTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Admin_workstations_become_numbered_keys_in_cidr_form()
    {
        var configuration = files.Load("""
            admin_workstations:
              - 192.168.1.10
              - 10.0.0.0/8
              - 2001:DB8:0:0::/32
              - 2001:db8:1:2::10
              - ::1
            """);

        Assert.Equal(
            ["192.168.1.10/32", "10.0.0.0/8", "2001:db8::/32", "2001:db8:1:2::10/128", "::1/128"],
            configuration.GetSection("admin_workstations").GetChildren().OrderBy(item => int.Parse(item.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(item => item.Value));
        Assert.Equal("192.168.1.10/32", configuration["admin_workstations:0"]);
        Assert.Equal("::1/128", configuration["admin_workstations:4"]);
    }

    [Theory]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:0DB8:0000::/48", "2001:db8::/48")]
    [InlineData("fd00:1234:5678::/64", "fd00:1234:5678::/64")]
    [InlineData("::/0", "::/0")]
    [InlineData("::ffff:192.168.1.10", "::ffff:192.168.1.10/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Ipv6_and_other_networks_are_accepted_and_normalized(string written, string expected)
    {
        Assert.Equal(expected, files.Load($"admin_workstations:\n  - \"{written}\"\n")["admin_workstations:0"]);
    }

    [Fact]
    public void A_single_admin_workstation_may_be_written_without_a_list()
    {
        var configuration = files.Load("admin_workstations: 192.168.1.10\n");

        Assert.Equal("192.168.1.10/32", configuration["admin_workstations:0"]);
        Assert.Null(configuration["admin_workstations:1"]);
    }

    [Fact]
    public void An_empty_list_of_admin_workstations_sets_none()
    {
        Assert.Empty(files.Load("admin_workstations: []\n").GetSection("admin_workstations").GetChildren());
    }

    [Theory]
    [InlineData("backend:\n  workers_disk: 007\n", "backend:workers_disk", "7")]
    [InlineData("backend:\n  workers_disk: \"3\"\n", "backend:workers_disk", "3")]
    [InlineData("db:\n  driver: MySQL\n", "db:driver", "mysql")]
    [InlineData("libvirt:\n  accelerator: KVM\n", "libvirt:accelerator", "kvm")]
    [InlineData("log_level: WARNING\n", "Logging:LogLevel:Default", "Warning")]
    [InlineData("display:\n  listen_address: 2001:DB8::0:1\n", "display:listen_address", "2001:db8::1")]
    [InlineData("display:\n  public_address: VDI.Example.org\n", "display:public_address", "vdi.example.org")]
    [InlineData("db:\n  password: 0123\n", "db:password", "0123")]
    [InlineData("db:\n  password: yes\n", "db:password", "yes")]
    [InlineData("db:\n  password: \"\"\n", "db:password", "")]
    [InlineData("db:\n  password: ~\n", "db:password", null)]
    [InlineData("db:\n  user: ravada\n  password:\n", "db:password", null)]
    public void Values_are_handed_on_normalized_and_as_written_where_text(string yaml, string key, string? expected)
    {
        Assert.Equal(expected, files.Load(yaml)[key]);
    }

    [Fact]
    public void Pools_follow_storage_pool_unless_set()
    {
        var configuration = files.Load("storage:\n  pool: fast\n  clone_pool: clones\n");

        Assert.Equal("fast", configuration["storage:pool"]);
        Assert.Equal("fast", configuration["storage:base_pool"]);
        Assert.Equal("clones", configuration["storage:clone_pool"]);
        Assert.Equal("fast", configuration["storage:iso_pool"]);
    }

    [Fact]
    public void The_public_address_follows_the_listen_address_unless_set()
    {
        var configuration = files.Load("display:\n  listen_address: 192.168.122.1\n");

        Assert.Equal("192.168.122.1", configuration["display:listen_address"]);
        Assert.Equal("192.168.122.1", configuration["display:public_address"]);
    }

    [Theory]
    [InlineData("db:\n  driver: postgresql\n", "postgresql", "5432")]
    [InlineData("db:\n  driver: mysql\n", "mysql", "3306")]
    [InlineData("db:\n  hostname: 10.0.0.7\n", "mysql", "3306")]
    [InlineData("db:\n  driver: postgresql\n  port: 6432\n", "postgresql", "6432")]
    public void A_database_server_gets_its_drivers_port_localhost_and_database_ravada(string yaml, string driver, string port)
    {
        var configuration = files.Load(yaml);

        Assert.Equal(driver, configuration["db:driver"]);
        Assert.Equal(port, configuration["db:port"]);
        Assert.NotNull(configuration["db:hostname"]);
        Assert.Equal("ravada", configuration["db:database"]);
        Assert.Null(configuration["db:file"]);
    }

    [Fact]
    public void A_sqlite_file_alone_means_sqlite()
    {
        var configuration = files.Load("db:\n  file: /srv/ravada/ravada.db\n");

        Assert.Equal("sqlite", configuration["db:driver"]);
        Assert.Equal("/srv/ravada/ravada.db", configuration["db:file"]);
        Assert.Null(configuration["db:hostname"]);
    }

    [Fact]
    public void A_flow_mapping_is_as_good_as_a_block_one()
    {
        var configuration = files.Load("db: {user: rvd_user, password: secret}\n");

        Assert.Equal("rvd_user", configuration["db:user"]);
        Assert.Equal("secret", configuration["db:password"]);
    }

    [Fact]
    public void Listening_on_every_address_is_allowed_with_a_public_address()
    {
        var configuration = files.Load("display:\n  listen_address: 0.0.0.0\n  public_address: 192.168.1.2\n");

        Assert.Equal("0.0.0.0", configuration["display:listen_address"]);
        Assert.Equal("192.168.1.2", configuration["display:public_address"]);
    }

    [Fact]
    public void The_screenshot_interval_may_be_zero_to_turn_screenshots_off()
    {
        Assert.Equal("0", files.Load("backend:\n  screenshot_interval_seconds: 0\n")["backend:screenshot_interval_seconds"]);
    }
}
