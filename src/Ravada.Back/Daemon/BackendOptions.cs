using Microsoft.Extensions.Configuration;

namespace Ravada.Back.Daemon;

/// <summary>How the rvd_back daemon runs (the <c>backend</c> section of /etc/ravada.conf).</summary>
public sealed class BackendOptions
{
    /// <summary>The PID file; it also keeps a second daemon from starting on the same host.</summary>
    [ConfigurationKeyName("pid_file")]
    public string PidFile { get; set; } = "/run/rvd_back.pid";

    /// <summary>Polling interval of the queue when no wake-up arrives.</summary>
    [ConfigurationKeyName("poll_interval_ms")]
    public int PollIntervalMilliseconds { get; set; } = 2000;

    /// <summary>How long a claimed request stays with a worker without renewal.</summary>
    [ConfigurationKeyName("lease_seconds")]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Workers for what users wait for (start, clone, shutdown).</summary>
    [ConfigurationKeyName("workers_interactive")]
    public int InteractiveWorkers { get; set; } = 16;

    /// <summary>Workers for long disk jobs.</summary>
    [ConfigurationKeyName("workers_disk")]
    public int DiskWorkers { get; set; } = 2;

    /// <summary>Workers for screenshots and reconciles.</summary>
    [ConfigurationKeyName("workers_maintenance")]
    public int MaintenanceWorkers { get; set; } = 2;

    /// <summary>Seconds between thumbnails of running machines; 0 turns them off.</summary>
    [ConfigurationKeyName("screenshot_interval_seconds")]
    public int ScreenshotIntervalSeconds { get; set; } = 60;

    /// <summary>How long in-flight requests may finish after SIGTERM before they go back to the queue.</summary>
    [ConfigurationKeyName("stop_grace_seconds")]
    public int StopGraceSeconds { get; set; } = 20;
}
