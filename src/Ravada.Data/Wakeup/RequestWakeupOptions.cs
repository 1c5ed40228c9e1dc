using System.Text;
using Microsoft.Extensions.Configuration;

namespace Ravada.Data.Wakeup;

/// <summary>Where rvd_back listens for wake-ups, bound from the <c>backend</c> section of <c>/etc/ravada.conf</c>.</summary>
public sealed class RequestWakeupOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "backend";

    // sun_path holds 108 bytes including the terminating NUL.
    private const int LongestSocketPath = 107;

    /// <summary>The Unix datagram socket rvd_back binds and rvd_front sends to.</summary>
    [ConfigurationKeyName("wakeup_socket")]
    public string WakeupSocket { get; set; } = "/run/ravada/rvd_back.sock";

    /// <summary>Checks the values; returns the problems, naming the key.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(WakeupSocket) || !Path.IsPathFullyQualified(WakeupSocket))
        {
            yield return $"backend.wakeup_socket: '{WakeupSocket}' is not an absolute path such as /run/ravada/rvd_back.sock";
        }
        else if (Encoding.UTF8.GetByteCount(WakeupSocket) > LongestSocketPath)
        {
            yield return $"backend.wakeup_socket: '{WakeupSocket}' is longer than the {LongestSocketPath} bytes a Unix socket path may have";
        }
    }
}
