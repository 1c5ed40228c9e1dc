using Microsoft.Extensions.Configuration;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>How rvd_back talks to libvirt: the <c>libvirt</c> section of <c>/etc/ravada.conf</c>.</summary>
public sealed class LibvirtOptions
{
    /// <summary>The connection URI: <c>qemu:///system</c> for the local host, <c>qemu+ssh://node/system</c> for a remote node.</summary>
    [ConfigurationKeyName("uri")]
    public string Uri { get; set; } = "qemu:///system";

    /// <summary>KVM, TCG, or auto (KVM when hardware-assisted).</summary>
    [ConfigurationKeyName("accelerator")]
    public AcceleratorPreference Accelerator { get; set; } = AcceleratorPreference.Auto;

    /// <summary>Seconds between keepalive probes to libvirtd; 0 disables them.</summary>
    [ConfigurationKeyName("keepalive_interval_seconds")]
    public int KeepAliveIntervalSeconds { get; set; } = 5;

    /// <summary>Unanswered keepalive probes before the connection counts as lost.</summary>
    [ConfigurationKeyName("keepalive_count")]
    public int KeepAliveCount { get; set; } = 3;

    /// <summary>First wait, in milliseconds, before reconnecting after a lost connection; it doubles at each failure.</summary>
    [ConfigurationKeyName("reconnect_min_delay_ms")]
    public int ReconnectMinDelayMilliseconds { get; set; } = 200;

    /// <summary>Longest wait, in milliseconds, between reconnection attempts.</summary>
    [ConfigurationKeyName("reconnect_max_delay_ms")]
    public int ReconnectMaxDelayMilliseconds { get; set; } = 10_000;

    /// <summary>How many libvirt calls may block threads at once.</summary>
    [ConfigurationKeyName("max_concurrent_calls")]
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

        if (ReconnectMinDelayMilliseconds is < 1 or > 60_000)
        {
            yield return "libvirt.reconnect_min_delay_ms: must be between 1 and 60000";
        }

        if (ReconnectMaxDelayMilliseconds is < 1 or > 600_000)
        {
            yield return "libvirt.reconnect_max_delay_ms: must be between 1 and 600000";
        }

        if (ReconnectMinDelayMilliseconds > ReconnectMaxDelayMilliseconds)
        {
            yield return "libvirt.reconnect_min_delay_ms: must not be above libvirt.reconnect_max_delay_ms";
        }

        if (MaxConcurrentCalls is < 1 or > 1024)
        {
            yield return "libvirt.max_concurrent_calls: must be between 1 and 1024";
        }
    }
}
