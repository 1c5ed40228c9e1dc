using System.Globalization;

namespace Ravada.Bench.Backend;

/// <summary>What a process uses at one instant, read from /proc/PID/status and /proc/PID/stat.</summary>
/// <param name="ResidentKiB">VmRSS: resident memory now.</param>
/// <param name="PeakResidentKiB">VmHWM: the most it was ever resident.</param>
/// <param name="Threads">Threads of the process.</param>
/// <param name="CpuTicks">utime + stime: CPU time used since it started, in clock ticks.</param>
internal sealed record ProcessUsage(long ResidentKiB, long PeakResidentKiB, int Threads, long CpuTicks)
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

        return new ProcessUsage(Kibibytes(status, "VmRSS"), Kibibytes(status, "VmHWM"), int.Parse(status["Threads"], CultureInfo.InvariantCulture), cpuTicks);
    }

    /// <summary>The kernel's clock ticks per second, in which /proc reports CPU time.</summary>
    public static async Task<int> ClockTicksPerSecondAsync(CancellationToken cancellationToken) =>
        int.Parse((await ExternalProgram.RunAsync("getconf", ["CLK_TCK"], cancellationToken)).Trim(), CultureInfo.InvariantCulture);

    // "VmRSS:	   81234 kB"
    private static long Kibibytes(Dictionary<string, string> status, string key) =>
        long.Parse(status[key].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
