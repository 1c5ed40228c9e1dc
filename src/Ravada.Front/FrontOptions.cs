using System.Net;

namespace Ravada.Front;

/// <summary>rvd_front's settings: the <c>frontend</c> section of /etc/ravada.conf.</summary>
public sealed class FrontOptions
{
    /// <summary>Where the web server listens.</summary>
    [ConfigurationKeyName("listen_address")]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Its port.</summary>
    public int Port { get; set; } = 8081;

    /// <summary>Reverse proxies whose forwarded headers are believed (CIDR networks).</summary>
    [ConfigurationKeyName("trusted_proxies")]
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Minutes without a request before a session ends.</summary>
    [ConfigurationKeyName("session_idle_minutes")]
    public int SessionIdleMinutes { get; set; } = 60;

    /// <summary>Hours after the login before a session ends.</summary>
    [ConfigurationKeyName("session_max_hours")]
    public int SessionMaxHours { get; set; } = 12;

    /// <summary>Where the cookie keys are kept.</summary>
    [ConfigurationKeyName("data_protection_dir")]
    public string DataProtectionDirectory { get; set; } = "/var/lib/ravada/front-keys";

    /// <summary>Login attempts per minute per client address and per account.</summary>
    [ConfigurationKeyName("login_attempts_per_minute")]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Failed logins in a row that lock an account.</summary>
    [ConfigurationKeyName("lockout_failures")]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [ConfigurationKeyName("lockout_minutes")]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Seconds a console token stays valid.</summary>
    [ConfigurationKeyName("console_token_seconds")]
    public int ConsoleTokenSeconds { get; set; } = 30;

    /// <summary>Whether clients on other hosts may use plain HTTP (loopback clients always may).</summary>
    [ConfigurationKeyName("allow_plain_http")]
    public bool AllowPlainHttp { get; set; }

    /// <summary>The trusted proxies as networks.</summary>
    public IEnumerable<IPNetwork> TrustedProxyNetworks() => TrustedProxies.Select(IPNetwork.Parse);
}

/// <summary>What the portal needs to know about displays (the <c>display</c> section).</summary>
public sealed class DisplayOptions
{
    /// <summary>The address displays listen on.</summary>
    [ConfigurationKeyName("listen_address")]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The address or host name native viewers connect to.</summary>
    [ConfigurationKeyName("public_address")]
    public string? PublicAddress { get; set; }
}
