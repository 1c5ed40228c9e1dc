namespace Ravada.Libvirt.Tests.Support;

/// <summary>Restarts the local libvirtd the way a package upgrade or a crash would.</summary>
internal static class LibvirtDaemon
{
    private const string PidFile = "/run/libvirtd.pid";

    public static async Task RestartAsync(CancellationToken cancel)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(PidFile, cancel)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Processes.RunCheckedAsync("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var attempt = 0; Directory.Exists($"/proc/{pid}"); attempt++)
        {
            if (attempt > 300)
            {
                throw new TimeoutException($"libvirtd (pid {pid}) did not stop within 30 s");
            }

            await Task.Delay(100, cancel);
        }

        await Processes.RunCheckedAsync("libvirtd", "--daemon");
        for (var attempt = 0; ; attempt++)
        {
            var (exitCode, _) = await Processes.RunAsync("virsh", "-c", "qemu:///system", "version");
            if (exitCode == 0)
            {
                return;
            }

            if (attempt > 100)
            {
                throw new TimeoutException("libvirtd did not answer within 20 s of its restart");
            }

            await Task.Delay(200, cancel);
        }
    }
}
