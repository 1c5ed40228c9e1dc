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
    public async Task An_unknown_option_is_an_error_with_a_non_zero_exit_code()
    {
        var (exitCode, output) = await RvdBackProcess.RunToEndAsync("--no-such-option");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--no-such-option", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_reports_the_hypervisor_it_found_and_stops_cleanly_on_sigterm()
    {
        await using var backEnd = RvdBackProcess.Start("--libvirt-uri", "test:///default");

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
        await using var backEnd = RvdBackProcess.Start("--libvirt-uri", "qemu:///system");

        await backEnd.WaitForOutputAsync("Hypervisor QEMU", TimeSpan.FromSeconds(30));
        var exitCode = await backEnd.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Matches(@"guests run with (KVM|TCG) \(", backEnd.Output);
    }

    [Fact]
    public async Task The_daemon_waits_for_an_unreachable_libvirt_and_says_so_instead_of_crashing()
    {
        await using var backEnd = RvdBackProcess.Start("--libvirt-uri", "qemu+unix:///system?socket=/nonexistent/sock");

        await backEnd.WaitForOutputAsync("The hypervisor does not answer", TimeSpan.FromSeconds(30));
        var exitCode = await backEnd.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
    }
}
