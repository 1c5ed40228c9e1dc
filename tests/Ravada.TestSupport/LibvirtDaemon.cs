using System.Globalization;

namespace Ravada.TestSupport;

/// <summary>Stops and starts the local libvirtd the way a package upgrade or a crash would.</summary>
public static class LibvirtDaemon
{
    private const string PidFile = "/run/libvirtd.pid";

    /// <summary>Stops libvirtd (SIGTERM) and starts it again, then waits until it answers.</summary>
    public static async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Stops libvirtd with SIGTERM and waits until it has exited; running guests keep running.</summary>
    public static async Task StopAsync()
    {
        var pid = int.Parse((await File.ReadAllTextAsync(PidFile)).Trim(), CultureInfo.InvariantCulture);
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

    /// <summary>Starts libvirtd as a daemon and waits until it answers on qemu:///system.</summary>
    public static async Task StartAsync()
    {
        await Processes.RunCheckedAsync("libvirtd", "--daemon");
        for (var attempt = 0; (await Processes.RunAsync("virsh", "-c", "qemu:///system", "version")).ExitCode != 0; attempt++)
        {
            if (attempt > 100)
            {
                throw new TimeoutException("libvirtd did not answer within 20 s of its start");
            }

            await Task.Delay(200);
        }
    }
}
