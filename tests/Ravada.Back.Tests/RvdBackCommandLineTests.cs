using Ravada.Back.Tests.Support;
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
    public async Task Options_that_do_not_go_together_are_usage_errors(params string[] arguments)
    {
        using var configuration = TemporaryConfiguration.Create();

        var (exitCode, output) = await RvdBackProcess.RunToEndAsync(["--config", configuration.Path, .. arguments]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("rvd_back: ", output, StringComparison.Ordinal);
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
