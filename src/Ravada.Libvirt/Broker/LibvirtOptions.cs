using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>How rvd_back talks to libvirt.</summary>
public sealed class LibvirtOptions
{
    /// <summary>The connection URI: <c>qemu:///system</c> for the local host, <c>qemu+ssh://node/system</c> for a remote node.</summary>
    public string Uri { get; set; } = "qemu:///system";

    /// <summary>KVM, TCG, or auto (KVM when hardware-assisted).</summary>
    public AcceleratorPreference Accelerator { get; set; } = AcceleratorPreference.Auto;

    /// <summary>Seconds between keepalive probes to libvirtd; 0 disables them.</summary>
    public int KeepAliveIntervalSeconds { get; set; } = 5;

    /// <summary>Unanswered keepalive probes before the connection counts as lost.</summary>
    public int KeepAliveCount { get; set; } = 3;

    /// <summary>First wait before reconnecting after a lost connection.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many libvirt calls may block threads at once.</summary>
    public int MaxConcurrentCalls { get; set; } = 32;

    /// <summary>Checks the values; returns the problems, naming the key.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Uri) || !System.Uri.TryCreate(Uri, UriKind.Absolute, out _))
        {
            yield return $"libvirt.uri: '{Uri}' is not a libvirt connection URI such as qemu:///system";
        }

        if (KeepAliveIntervalSeconds is < 0 or > 3600)
        {
            yield return "libvirt.keepalive_interval_seconds: must be between 0 and 3600";
        }

        if (KeepAliveCount is < 1 or > 100)
        {
            yield return "libvirt.keepalive_count: must be between 1 and 100";
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return "libvirt.reconnect delays: the minimum must be positive and not above the maximum";
        }

        if (MaxConcurrentCalls is < 1 or > 1024)
        {
            yield return "libvirt.max_concurrent_calls: must be between 1 and 1024";
        }
    }
}
