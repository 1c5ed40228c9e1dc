using System.Globalization;
using System.Runtime.InteropServices;

namespace Ravada.Bench.Front;

/// <summary>The machine a run measured, so that numbers are never read without it.</summary>
/// <param name="CpuModel">The CPU model from /proc/cpuinfo.</param>
/// <param name="LogicalCpus">CPUs this process can use.</param>
/// <param name="MemoryGiB">Total memory.</param>
/// <param name="Kernel">The running kernel's release.</param>
/// <param name="OperatingSystem">The distribution and its exact Debian version.</param>
/// <param name="DotnetRuntime">The .NET runtime.</param>
internal sealed record MachineFacts(string CpuModel, int LogicalCpus, double MemoryGiB, string Kernel, string OperatingSystem, string DotnetRuntime)
{
    public static MachineFacts Collect() => new(
        FirstValue("/proc/cpuinfo", "model name") ?? "unknown",
        Environment.ProcessorCount,
        MemoryGiBFromMeminfo(),
        ReadTrimmed("/proc/sys/kernel/osrelease") ?? "unknown",
        OperatingSystemName(),
        RuntimeInformation.FrameworkDescription);

    /// <summary>The 1, 5 and 15-minute load averages from /proc/loadavg.</summary>
    public static string ReadLoadAverage() =>
        string.Join(' ', (ReadTrimmed("/proc/loadavg") ?? "unknown").Split(' ').Take(3));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel}, {LogicalCpus} logical CPUs, {MemoryGiB:0.0} GiB; kernel {Kernel}; {OperatingSystem}; {DotnetRuntime}");

    private static string OperatingSystemName()
    {
        var prettyName = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release")
                .Where(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(line => line["PRETTY_NAME=".Length..].Trim('"'))
                .FirstOrDefault()
            : null;
        var debianVersion = ReadTrimmed("/etc/debian_version");
        return debianVersion is null ? prettyName ?? "unknown" : $"{prettyName ?? "Debian"} ({debianVersion})";
    }

    private static double MemoryGiBFromMeminfo()
    {
        // "MemTotal:       24576000 kB"
        var kibibytes = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(kibibytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value / 1024.0 / 1024.0 : double.NaN;
    }

    private static string? FirstValue(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault()
            : null;

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
