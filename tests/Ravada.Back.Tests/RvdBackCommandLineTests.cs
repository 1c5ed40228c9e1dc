using Ravada.Back.Tests.Support;
using Ravada.Config;
using Ravada.TestSupport;

namespace Ravada.Back.Tests;

public sealed class RvdBackCommandLineTests
{
    [Fact]
    public async Task Version_prints_the_version_and_exits_zero()
    {
        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Help_describes_the_program_and_exits_zero()
    {
        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("rvd_back", output, StringComparison.Ordinal);
        Assert.Contains("--libvirt-uri", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_on_one_line_with_exit_code_2()
    {
        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--no-such-option");

        Assert.Equal(2, exitCode);
        Assert.Contains("--no-such-option", output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--list", "--start", "x")]
    [InlineData("--admin")]
    [InlineData("--import-domain", "x")]
    [InlineData("--owner", "alice")]
    [InlineData("--shutdown")]
    [InlineData("--shutdown", "x", "--all")]
    [InlineData("--all")]
    [InlineData("--hibernate", "--all", "--disconnected")]
    [InlineData("--create-machine", "x", "--iso", "grub.iso")]
    [InlineData("--create-machine", "x", "--owner", "alice")]
    [InlineData("--iso", "grub.iso")]
    [InlineData("--start", "x", "--memory", "512")]
    [InlineData("--prepare-base", "x", "--owner", "alice")]
    [InlineData("--public")]
    [InlineData("--list", "--with-cd")]
    [InlineData("--status", "--show-config")]
    public async Task Options_that_do_not_go_together_are_usage_errors(params string[] arguments)
    {
        using var configuration = TemporaryConfiguration.Create();

        var (exitCode, output) = await RvdBackProcess.RunToEndAsync(["--config", configuration.Path, .. arguments]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("rvd_back: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_config_prints_every_setting_in_effect_with_the_defaults_and_hides_the_database_password()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"rvd-show-config-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "ravada.conf");
            await File.WriteAllTextAsync(path, """
                db:
                  user: rvd_user
                  password: 'very secret'
                storage:
                  pool: images
                frontend:
                  port: 8099
                  trusted_proxies: [127.0.0.1, 10.0.0.0/8]
                """, TestContext.Current.CancellationToken);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--config", path, "--show-config");

            Assert.Equal(0, exitCode);
            var lines = output.Trim().Split('\n');
            Assert.StartsWith($"# The settings in effect: {path}", lines[0], StringComparison.Ordinal);
            Assert.Equal(RavadaConfigSchema.Keys.Select(key => key.Name), lines.Skip(1).Select(line => line[..line.IndexOf(": ", StringComparison.Ordinal)]));
            Assert.Contains("db.driver: mysql", lines);
            Assert.Contains("db.port: 3306", lines);
            Assert.Contains("db.password: (hidden)", lines);
            Assert.DoesNotContain("very secret", output, StringComparison.Ordinal);
            Assert.Contains("db.file: ~", lines);
            Assert.Contains("storage.iso_pool: images", lines);
            Assert.Contains("network: default", lines);
            Assert.Contains("frontend.port: 8099", lines);
            Assert.Contains("frontend.trusted_proxies: [127.0.0.1/32, 10.0.0.0/8]", lines);
            Assert.Contains("admin_workstations: []", lines);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Status_says_the_daemon_is_not_running_and_exits_1_when_it_never_beat()
    {
        using var configuration = TemporaryConfiguration.Create();

        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--status");

        Assert.Equal(1, exitCode);
        Assert.Equal($"rvd_back: rvd_back is not running (no process holds {configuration.Directory}/rvd_back.pid); it has never written a heartbeat into this database", output.Trim());
    }

    [Fact]
    public async Task A_bad_configuration_file_stops_rvd_back_with_the_key_named_and_exit_code_78()
    {
        using var configuration = TemporaryConfiguration.Create("colour: blue");

        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--config", configuration.Path, "--list");

        Assert.Equal(78, exitCode);
        Assert.Contains("colour", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_reports_the_hypervisor_it_found_and_stops_cleanly_on_sigterm()
    {
        using var configuration = TemporaryConfiguration.Create();
        await using var backEnd = RvdBackProcess.Start("--config", configuration.Path, "--libvirt-uri", "test:///default");

        await backEnd.WaitForOutputAsync("Hypervisor TEST", TimeSpan.FromSeconds(30));
        var exitCode = await backEnd.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Contains("via libvirt 9.", backEnd.Output, StringComparison.Ordinal);
        Assert.Contains("guests run with the libvirt test driver", backEnd.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", backEnd.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_reports_qemu_and_the_accelerator_on_the_real_host()
    {
        using var configuration = TemporaryConfiguration.Create();
        await using var backEnd = RvdBackProcess.Start("--config", configuration.Path, "--libvirt-uri", "qemu:///system");

        await backEnd.WaitForOutputAsync("Hypervisor QEMU", TimeSpan.FromSeconds(30));
        var exitCode = await backEnd.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Matches(@"guests run with (KVM|TCG) \(", backEnd.Output);
    }

    [Fact]
    public async Task The_daemon_waits_for_an_unreachable_libvirt_and_says_so_instead_of_crashing()
    {
        using var configuration = TemporaryConfiguration.Create();
        await using var backEnd = RvdBackProcess.Start("--config", configuration.Path, "--libvirt-uri", "qemu+unix:///system?socket=/nonexistent/sock");

        await backEnd.WaitForOutputAsync("The hypervisor does not answer", TimeSpan.FromSeconds(30));
        var exitCode = await backEnd.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
    }
}
