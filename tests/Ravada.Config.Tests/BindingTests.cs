using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Config.Tests.Support;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt;
using Ravada.Libvirt.Broker;

namespace Ravada.Config.Tests;

public sealed class BindingTests : IDisposable
{
    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void The_libvirt_section_binds_into_LibvirtOptions_by_its_snake_case_keys()
    {
        var configuration = files.Load("""
            libvirt:
              uri: qemu+ssh://root@node1/system
              accelerator: tcg
              keepalive_interval_seconds: 0
              keepalive_count: 7
              reconnect_min_delay_ms: 100
              reconnect_max_delay_ms: 2000
              max_concurrent_calls: 8
            """);

        var options = configuration.GetSection("libvirt").Get<LibvirtOptions>()!;

        Assert.Equal("qemu+ssh://root@node1/system", options.Uri);
        Assert.Equal(AcceleratorPreference.Tcg, options.Accelerator);
        Assert.Equal(0, options.KeepAliveIntervalSeconds);
        Assert.Equal(7, options.KeepAliveCount);
        Assert.Equal(100, options.ReconnectMinDelayMilliseconds);
        Assert.Equal(2000, options.ReconnectMaxDelayMilliseconds);
        Assert.Equal(8, options.MaxConcurrentCalls);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void The_schemas_libvirt_defaults_are_LibvirtOptions_defaults()
    {
        var bound = files.Load("").GetSection("libvirt").Get<LibvirtOptions>()!;
        var unbound = new LibvirtOptions();

        Assert.Equal(
            (unbound.Uri, unbound.Accelerator, unbound.KeepAliveIntervalSeconds, unbound.KeepAliveCount,
                unbound.ReconnectMinDelayMilliseconds, unbound.ReconnectMaxDelayMilliseconds, unbound.MaxConcurrentCalls),
            (bound.Uri, bound.Accelerator, bound.KeepAliveIntervalSeconds, bound.KeepAliveCount,
                bound.ReconnectMinDelayMilliseconds, bound.ReconnectMaxDelayMilliseconds, bound.MaxConcurrentCalls));
    }

    [Fact]
    public void AddRavadaLibvirt_reads_its_options_from_the_file()
    {
        var configuration = files.Load("libvirt:\n  uri: test:///default\n  max_concurrent_calls: 4\n");
        using var services = new ServiceCollection().AddRavadaLibvirt(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<LibvirtOptions>>().Value;

        Assert.Equal("test:///default", options.Uri);
        Assert.Equal(4, options.MaxConcurrentCalls);
    }

    [Fact]
    public void LibvirtOptions_validation_names_the_snake_case_keys()
    {
        var options = new LibvirtOptions
        {
            KeepAliveIntervalSeconds = -1,
            KeepAliveCount = 0,
            ReconnectMinDelayMilliseconds = 0,
            ReconnectMaxDelayMilliseconds = 700_000,
            MaxConcurrentCalls = 0,
        };

        Assert.Equal(
            [
                "libvirt.keepalive_interval_seconds: must be between 0 and 3600",
                "libvirt.keepalive_count: must be between 1 and 100",
                "libvirt.reconnect_min_delay_ms: must be between 1 and 60000",
                "libvirt.reconnect_max_delay_ms: must be between 1 and 600000",
                "libvirt.max_concurrent_calls: must be between 1 and 1024",
            ],
            options.Validate());
        Assert.Equal(
            ["libvirt.reconnect_min_delay_ms: must not be above libvirt.reconnect_max_delay_ms"],
            new LibvirtOptions { ReconnectMinDelayMilliseconds = 5000, ReconnectMaxDelayMilliseconds = 1000 }.Validate());
    }

    [Fact]
    public void The_backend_section_binds_with_the_standard_GetSection()
    {
        var configuration = files.Load("backend:\n  workers_disk: 4\n  screenshot_interval_seconds: 0\n");

        var backend = configuration.GetSection("backend").Get<BackendSettings>()!;

        Assert.Equal(4, backend.WorkersDisk);
        Assert.Equal(16, backend.WorkersInteractive);
        Assert.Equal(0, backend.ScreenshotIntervalSeconds);
        Assert.Equal(2000, backend.PollIntervalMilliseconds);
        Assert.Equal("/run/ravada/rvd_back.sock", backend.WakeupSocket);
    }

    [Fact]
    public void The_db_storage_and_display_sections_bind_with_the_standard_GetSection()
    {
        var configuration = files.Load("""
            db:
              user: rvd_user
              password: secret
            storage:
              pool: fast
            display:
              listen_address: 192.168.122.1
              public_address: vdi.example.org
            """);

        var database = configuration.GetSection("db").Get<DatabaseSettings>()!;
        var storage = configuration.GetSection("storage").Get<StorageSettings>()!;
        var display = configuration.GetSection("display").Get<DisplaySettings>()!;

        Assert.Equal(new DatabaseSettings { Driver = "mysql", Hostname = "localhost", Port = 3306, Database = "ravada", User = "rvd_user", Password = "secret" }, database);
        Assert.Equal(new StorageSettings { Pool = "fast", BasePool = "fast", ClonePool = "fast", IsoPool = "fast" }, storage);
        Assert.Equal(new DisplaySettings { ListenAddress = "192.168.122.1", PublicAddress = "vdi.example.org" }, display);
        Assert.Equal("default", configuration["network"]);
    }

    [Fact]
    public void Admin_workstations_bind_as_a_list_of_networks()
    {
        var configuration = files.Load("admin_workstations:\n  - 192.168.1.10\n  - 2001:db8::/32\n");

        var networks = configuration.GetSection("admin_workstations").Get<string[]>()!.Select(text => System.Net.IPNetwork.Parse(text)).ToList();

        Assert.Equal([System.Net.IPNetwork.Parse("192.168.1.10/32"), System.Net.IPNetwork.Parse("2001:db8::/32")], networks);
    }

    [Fact]
    public void The_log_level_is_the_standard_default_log_level()
    {
        var configuration = files.Load("log_level: warning\n");

        Assert.Equal(LogLevel.Warning, configuration.GetValue<LogLevel>("Logging:LogLevel:Default"));
        Assert.Null(configuration["log_level"]);
    }

    private sealed record BackendSettings
    {
        [ConfigurationKeyName("workers_disk")]
        public int WorkersDisk { get; init; }

        [ConfigurationKeyName("workers_interactive")]
        public int WorkersInteractive { get; init; }

        [ConfigurationKeyName("screenshot_interval_seconds")]
        public int ScreenshotIntervalSeconds { get; init; } = -1;

        [ConfigurationKeyName("poll_interval_ms")]
        public int PollIntervalMilliseconds { get; init; }

        [ConfigurationKeyName("wakeup_socket")]
        public string WakeupSocket { get; init; } = "";
    }

    private sealed record DatabaseSettings
    {
        public string Driver { get; init; } = "";

        public string? Hostname { get; init; }

        public int Port { get; init; }

        public string? Database { get; init; }

        public string? User { get; init; }

        public string? Password { get; init; }
    }

    private sealed record StorageSettings
    {
        public string Pool { get; init; } = "";

        [ConfigurationKeyName("base_pool")]
        public string BasePool { get; init; } = "";

        [ConfigurationKeyName("clone_pool")]
        public string ClonePool { get; init; } = "";

        [ConfigurationKeyName("iso_pool")]
        public string IsoPool { get; init; } = "";
    }

    private sealed record DisplaySettings
    {
        [ConfigurationKeyName("listen_address")]
        public string ListenAddress { get; init; } = "";

        [ConfigurationKeyName("public_address")]
        public string PublicAddress { get; init; } = "";
    }
}
