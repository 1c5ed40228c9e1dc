using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>Finds out whether this host can run KVM guests with hardware assistance.</summary>
public interface IVirtualizationProbe
{
    /// <summary>The facts for a node reached at <paramref name="uri"/> whose driver offers <paramref name="hypervisorOffersKvm"/>.</summary>
    VirtualizationFacts Probe(string uri, bool hypervisorOffersKvm);
}

/// <summary>Reads /dev/kvm, /proc/cpuinfo and /sys/module for local connections.</summary>
public sealed class HostProbe : IVirtualizationProbe
{
    private static readonly string[] KvmModules = ["kvm_intel", "kvm_amd", "kvm_pvm"];

    /// <inheritdoc />
    public VirtualizationFacts Probe(string uri, bool hypervisorOffersKvm)
    {
        if (!IsLocal(uri))
        {
            // A remote node's devices cannot be inspected from here: trust its libvirt.
            return new VirtualizationFacts(hypervisorOffersKvm, hypervisorOffersKvm, hypervisorOffersKvm, null);
        }

        return new VirtualizationFacts(KvmDeviceUsable(), CpuHasVirtualizationExtensions(), hypervisorOffersKvm, LoadedKvmModule());
    }

    /// <summary>Whether a libvirt URI points at this host (no host part, or localhost).</summary>
    public static bool IsLocal(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        // Uri.Host keeps the brackets of an IPv6 literal ("[::1]"); IsLoopback knows localhost, 127/8 and ::1.
        return string.IsNullOrEmpty(parsed.Host) || parsed.IsLoopback;
    }

    private static bool KvmDeviceUsable()
    {
        try
        {
            using var handle = File.OpenHandle("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            return !handle.IsInvalid;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CpuHasVirtualizationExtensions()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
                .Any(line => line.Split(' ', '\t').Any(flag => flag is "vmx" or "svm"));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? LoadedKvmModule() =>
        KvmModules.FirstOrDefault(module => Directory.Exists(Path.Combine("/sys/module", module)));
}
