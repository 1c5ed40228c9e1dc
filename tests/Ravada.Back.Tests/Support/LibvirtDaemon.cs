using System.Globalization;

namespace Ravada.Back.Tests.Support;

/// <summary>Restarts the local libvirtd the way a package upgrade or a crash would.</summary>
internal static class LibvirtDaemon
{
    public static async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public static async Task StopAsync()
    {
        var pid = int.Parse((await File.ReadAllTextAsync("/run/libvirtd.pid")).Trim(), CultureInfo.InvariantCulture);
        await Processes.RunCheckedAsync("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture));
        for (var attempt = 0; Directory.Exists($"/proc/{pid}"); attempt++)
        {
            if (attempt > 300)
            {
                throw new TimeoutException($"libvirtd (pid {pid}) did not stop within 30 s");
            }

            await Task.Delay(100);
        }
    }

    public static async Task StartAsync()
    {
        await Processes.RunCheckedAsync("libvirtd", "--daemon");
        for (var attempt = 0; (await Processes.RunAsync("virsh", "-c", "qemu:///system", "version")).ExitCode != 0; attempt++)
        {
            if (attempt > 100)
            {
                throw new TimeoutException("libvirtd did not answer within 20 s of its restart");
            }

            await Task.Delay(200);
        }
    }
}
