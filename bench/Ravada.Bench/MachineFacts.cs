using System.Globalization;
using System.Runtime.InteropServices;
using Ravada.Core.Hypervisor;

namespace Ravada.Bench;

/// <summary>The machine a run measured, so that numbers are never read without it.</summary>
/// <param name="CpuModel">The CPU model from /proc/cpuinfo.</param>
/// <param name="LogicalCpus">CPUs this process can use.</param>
/// <param name="MemoryGiB">Total memory.</param>
/// <param name="Kernel">The running kernel's release.</param>
/// <param name="OperatingSystem">The distribution and its exact Debian version.</param>
/// <param name="LibvirtVersion">libvirt's version on the node.</param>
/// <param name="QemuVersion">QEMU's version, as libvirt reports it.</param>
/// <param name="Accelerator">How guests ran.</param>
/// <param name="AcceleratorReason">Why, in the broker's words.</param>
/// <param name="DotnetRuntime">The .NET runtime that ran the benchmark.</param>
/// <param name="StartedAt">When the run began.</param>
/// <param name="LoadAverageAtStart">The 1, 5 and 15-minute load averages when the run began: the machine is shared.</param>
/// <param name="OtherGuestsRunning">Guests of others (not of this run) that libvirt ran when the run began; under TCG each takes CPU.</param>
internal sealed record MachineFacts(
    string CpuModel,
    int LogicalCpus,
    double MemoryGiB,
    string Kernel,
    string OperatingSystem,
    Version LibvirtVersion,
    Version QemuVersion,
    Accelerator Accelerator,
    string AcceleratorReason,
    string DotnetRuntime,
    DateTimeOffset StartedAt,
    string LoadAverageAtStart,
    int OtherGuestsRunning)
{
    /// <summary>
    /// Reads the facts of this host now; libvirt's and QEMU's versions and the accelerator come from
    /// <paramref name="node"/>, the count of other guests running from the caller.
    /// </summary>
    public static MachineFacts Collect(HypervisorInfo node, int otherGuestsRunning)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new MachineFacts(
            FirstValue("/proc/cpuinfo", "model name") ?? "unknown",
            Environment.ProcessorCount,
            MemoryGiBFromMeminfo(),
            ReadTrimmed("/proc/sys/kernel/osrelease") ?? "unknown",
            OperatingSystemName(),
            node.LibvirtVersion,
            node.HypervisorVersion,
            node.Accelerator,
            node.AcceleratorReason,
            RuntimeInformation.FrameworkDescription,
            TimeProvider.System.GetUtcNow(),
            ReadLoadAverage(),
            otherGuestsRunning);
    }

    /// <summary>The 1, 5 and 15-minute load averages from /proc/loadavg.</summary>
    public static string ReadLoadAverage() =>
        string.Join(' ', (ReadTrimmed("/proc/loadavg") ?? "unknown").Split(' ').Take(3));

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
        var total = FirstValue("/proc/meminfo", "MemTotal");
        var kibibytes = total?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
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
