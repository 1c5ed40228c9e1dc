using System.Globalization;

namespace Ravada.Bench.Backend;

/// <summary>What a process uses at one instant, read from /proc/PID/status and /proc/PID/stat.</summary>
/// <param name="ResidentKiB">VmRSS: resident memory now.</param>
/// <param name="AnonymousKiB">RssAnon: the resident part of the process's own memory (heap, stacks).</param>
/// <param name="FileKiB">RssFile: the resident part of files mapped into it (the program and its libraries).</param>
/// <param name="SharedKiB">RssShmem: the resident part of its shared memory (.NET maps the JIT's code twice through it).</param>
/// <param name="PeakResidentKiB">VmHWM: the most it was ever resident.</param>
/// <param name="Threads">Threads of the process.</param>
/// <param name="CpuTicks">utime + stime: CPU time used since it started, in clock ticks.</param>
internal sealed record ProcessUsage(long ResidentKiB, long AnonymousKiB, long FileKiB, long SharedKiB, long PeakResidentKiB, int Threads, long CpuTicks)
{
    /// <summary>Reads the usage of process <paramref name="processId"/>.</summary>
    public static ProcessUsage Read(int processId)
    {
        var status = File.ReadAllLines($"/proc/{processId}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);

        // "PID (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
        // After it, utime and stime are the 12th and 13th fields (fields 14 and 15 of proc(5)).
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpuTicks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

        return new ProcessUsage(
            Kibibytes(status, "VmRSS"),
            Kibibytes(status, "RssAnon"),
            Kibibytes(status, "RssFile"),
            Kibibytes(status, "RssShmem"),
            Kibibytes(status, "VmHWM"),
            int.Parse(status["Threads"], CultureInfo.InvariantCulture),
            cpuTicks);
    }

    /// <summary>The lowest id of the processes whose name (/proc/PID/comm) is <paramref name="name"/>; null when none runs.</summary>
    public static int? FindByName(string name)
    {
        var processIds = Directory.EnumerateDirectories("/proc")
            .Select(entry => int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var processId) ? processId : 0)
            .Where(processId => processId > 0)
            .Order();
        foreach (var processId in processIds)
        {
            try
            {
                if (File.ReadAllText($"/proc/{processId}/comm").TrimEnd('\n') == name)
                {
                    return processId;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // It has exited meanwhile.
            }
        }

        return null;
    }

    /// <summary>The kernel's clock ticks per second, in which /proc reports CPU time.</summary>
    public static async Task<int> ClockTicksPerSecondAsync(CancellationToken cancellationToken) =>
        int.Parse((await ExternalProgram.RunAsync("getconf", ["CLK_TCK"], cancellationToken)).Trim(), CultureInfo.InvariantCulture);

    // "VmRSS:	   81234 kB"
    private static long Kibibytes(Dictionary<string, string> status, string key) =>
        long.Parse(status[key].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
