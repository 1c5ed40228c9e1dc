namespace Ravada.Config;

/// <summary>
/// Every key <c>/etc/ravada.conf</c> may hold. Nothing else is accepted: an unknown key is an error, so a typo
/// never silently leaves a default in place. docs/configuration.md documents the same keys (a test keeps them in step).
/// </summary>
public static class RavadaConfigSchema
{
    /// <summary>The database drivers <c>db.driver</c> accepts.</summary>
    public static class Drivers
    {
        /// <summary>SQLite, in the file <c>db.file</c>: one host runs everything.</summary>
        public const string Sqlite = "sqlite";

        /// <summary>MySQL or MariaDB, Ravada's own database.</summary>
        public const string MySql = "mysql";

        /// <summary>PostgreSQL.</summary>
        public const string PostgreSql = "postgresql";
    }

    /// <summary>The keys, grouped by section in the order the documentation presents them.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("db.driver", ValueRule.OneOf(Drivers.Sqlite, Drivers.MySql, Drivers.PostgreSql), null,
            "The database engine; without it, mysql when a server key (hostname, port, database, user, password) is set, sqlite otherwise."),
        new("db.file", ValueRule.AbsolutePath, "/var/lib/ravada/ravada.db", "The SQLite database file (driver sqlite only)."),
        new("db.hostname", ValueRule.HostName, "localhost", "The database server (mysql and postgresql only)."),
        new("db.port", ValueRule.IntegerBetween(1, 65535), null, "The database server's TCP port; 3306 for mysql, 5432 for postgresql."),
        new("db.database", ValueRule.Word, "ravada", "The database name on the server."),
        new("db.user", ValueRule.Word, null, "The user Ravada connects to the database server as."),
        new("db.password", ValueRule.AnyText, null, "That user's password."),

        new("libvirt.uri", ValueRule.LibvirtUri, "qemu:///system", "The libvirt connection URI of the hypervisor rvd_back drives."),
        new("libvirt.accelerator", ValueRule.OneOf("auto", "kvm", "tcg"), "auto", "KVM, QEMU's TCG emulator, or auto: KVM when the host supports it."),
        new("libvirt.keepalive_interval_seconds", ValueRule.IntegerBetween(0, 3600), "5", "Seconds between keepalive probes to libvirtd; 0 disables them."),
        new("libvirt.keepalive_count", ValueRule.IntegerBetween(1, 100), "3", "Unanswered keepalive probes before the connection counts as lost."),
        new("libvirt.reconnect_min_delay_ms", ValueRule.IntegerBetween(1, 60000), "200", "First wait before reconnecting to libvirtd; it doubles at each failure."),
        new("libvirt.reconnect_max_delay_ms", ValueRule.IntegerBetween(1, 600000), "10000", "Longest wait between reconnection attempts."),
        new("libvirt.max_concurrent_calls", ValueRule.IntegerBetween(1, 1024), "32", "How many blocking libvirt calls may run at once."),

        new("storage.pool", ValueRule.LibvirtName, "default", "The libvirt storage pool for new machines' disks."),
        new("storage.base_pool", ValueRule.LibvirtName, null, "The storage pool for base images.") { DefaultFrom = "storage.pool" },
        new("storage.clone_pool", ValueRule.LibvirtName, null, "The storage pool for clones' overlay disks.") { DefaultFrom = "storage.pool" },
        new("storage.iso_pool", ValueRule.LibvirtName, null, "The storage pool where installation ISOs are looked up.") { DefaultFrom = "storage.pool" },

        new("display.listen_address", ValueRule.IpAddress, "127.0.0.1", "The address SPICE and VNC displays listen on."),
        new("display.public_address", ValueRule.HostName, null, "The address or host name native viewers connect to, written into .vv files.")
        {
            DefaultFrom = "display.listen_address",
        },

        new("network", ValueRule.LibvirtName, "default", "The libvirt network new machines' network cards join."),
        new("admin_workstations", ValueRule.AddressOrNetwork, null, "Addresses or networks allowed to reach every display port.")
        {
            Shape = ConfigKeyShape.List,
        },
        new("log_level", LogLevels, "information", "The least severe log messages written.") { ConfigurationKey = "Logging:LogLevel:Default" },

        new("backend.pid_file", ValueRule.AbsolutePath, "/run/rvd_back.pid", "Where rvd_back writes its process id."),
        new("backend.wakeup_socket", ValueRule.AbsolutePath, "/run/ravada/rvd_back.sock", "The Unix socket rvd_front wakes rvd_back through when it queues a request."),
        new("backend.poll_interval_ms", ValueRule.IntegerBetween(100, 60000), "2000", "How often rvd_back looks at the request queue when nobody wakes it."),
        new("backend.lease_seconds", ValueRule.IntegerBetween(10, 3600), "60", "How long a claimed request stays claimed without a sign of life before another worker may take it."),
        new("backend.workers_interactive", ValueRule.IntegerBetween(1, 256), "16", "Workers for requests a user waits on (start, shut down, open a display)."),
        new("backend.workers_disk", ValueRule.IntegerBetween(1, 64), "2", "Workers for disk-heavy requests (prepare a base, copy, compact)."),
        new("backend.workers_maintenance", ValueRule.IntegerBetween(1, 64), "2", "Workers for housekeeping (refresh, clean-up, expired machines)."),
        new("backend.screenshot_interval_seconds", ValueRule.OffOrIntegerBetween(10, 86400), "60", "How often running machines are screenshot for the portal; 0 turns it off."),
        new("backend.shutdown_timeout_seconds", ValueRule.IntegerBetween(1, 3600), "60", "How long a machine may take to shut down after an ACPI request before it is powered off."),
        new("backend.stop_grace_seconds", ValueRule.IntegerBetween(1, 600), "20", "When rvd_back is stopped, how long requests in progress may finish before they go back to the queue."),

        new("firewall.enabled", ValueRule.OneOf(("false", "false"), ("true", "true"), ("no", "false"), ("yes", "true")), "true",
            "Whether rvd_back keeps the iptables chain that lets only administrators and each machine's client reach the display ports."),
        new("firewall.chain", ValueRule.Word, "ravada", "The name of that chain in the filter table of iptables and ip6tables."),
        new("firewall.display_port_min", ValueRule.IntegerBetween(1, 65535), "5900", "The lowest port of the display range the chain guards."),
        new("firewall.display_port_max", ValueRule.IntegerBetween(1, 65535), "65535", "The highest port of the display range the chain guards."),

        new("frontend.listen_address", ValueRule.IpAddress, "127.0.0.1", "The address rvd_front's web server listens on."),
        new("frontend.port", ValueRule.IntegerBetween(1, 65535), "8081", "The TCP port rvd_front's web server listens on."),
        new("frontend.trusted_proxies", ValueRule.AddressOrNetwork, null, "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed; nobody else's are.")
        {
            Shape = ConfigKeyShape.List,
        },
        new("frontend.session_idle_minutes", ValueRule.IntegerBetween(5, 1440), "60", "A session ends after this many minutes without a request."),
        new("frontend.session_max_hours", ValueRule.IntegerBetween(1, 168), "12", "A session ends this many hours after the login, active or not."),
        new("frontend.data_protection_dir", ValueRule.AbsolutePath, "/var/lib/ravada/front-keys", "Where rvd_front keeps the keys that sign its cookies (so sessions survive a restart)."),
        new("frontend.login_attempts_per_minute", ValueRule.IntegerBetween(1, 1000), "10", "Login attempts allowed per minute from one client address and, separately, for one account."),
        new("frontend.lockout_failures", ValueRule.IntegerBetween(1, 1000), "5", "Failed logins in a row that lock an account (the lock survives restarts)."),
        new("frontend.lockout_minutes", ValueRule.IntegerBetween(1, 1440), "15", "How long a locked account refuses logins; a successful login afterwards clears the count."),
        new("frontend.console_token_seconds", ValueRule.IntegerBetween(5, 600), "30", "How long a browser console's connection token stays valid."),
        new("frontend.allow_plain_http", ValueRule.OneOf(("false", "false"), ("true", "true"), ("no", "false"), ("yes", "true")), "false",
            "Whether browsers on other hosts may use the portal over plain HTTP, passwords in clear text; without it they must come through a TLS reverse proxy."),

        new("ldap.server", ValueRule.HostName, null, "The LDAP server; without it, LDAP logins are off."),
        new("ldap.port", ValueRule.IntegerBetween(1, 65535), null, "The LDAP server's TCP port; 389, or 636 with tls: ldaps."),
        new("ldap.tls", ValueRule.OneOf("none", "starttls", "ldaps"), "starttls", "How the connection is protected; with starttls and ldaps the server's certificate is checked."),
        new("ldap.ca_certificates_dir", ValueRule.AbsolutePath, null, "A directory of trusted CA certificates with OpenSSL hash names; without it, the system's."),
        new("ldap.base", ValueRule.Word, null, "Where people are searched (subtree), such as dc=example,dc=org; required with a server."),
        new("ldap.admin_dn", ValueRule.Word, null, "The entry searches bind as; without it, searches are anonymous."),
        new("ldap.admin_password", ValueRule.AnyText, null, "That entry's password."),
        new("ldap.filter", ValueRule.Word, null, "An extra LDAP filter a person's entry must match, such as (objectClass=inetOrgPerson)."),
        new("ldap.field", ValueRule.Word, "uid", "The attribute that holds the login name."),
        new("ldap.auth", ValueRule.OneOf("bind", "match"), "bind", "bind: the server checks the password; match: the userPassword hash is read and compared here."),
        new("ldap.groups_base", ValueRule.Word, null, "Where groups are searched; ou=groups under ldap.base when not set."),
        new("ldap.group", ValueRule.Word, null, "Only members of this group (directly or through nested groups) may log in."),
        new("ldap.timeout_seconds", ValueRule.IntegerBetween(1, 120), "10", "How long one LDAP operation may take."),
    ];

    /// <summary>The section names: the part before the dot of the keys that have one.</summary>
    public static IReadOnlyList<string> Sections { get; } = [.. Keys.Select(key => key.Section).OfType<string>().Distinct()];

    private static ValueRule LogLevels => ValueRule.OneOf(
        ("trace", "Trace"),
        ("debug", "Debug"),
        ("information", "Information"),
        ("warning", "Warning"),
        ("error", "Error"),
        ("critical", "Critical"));

    /// <summary>The key named <paramref name="name"/> (<c>section.key</c> or a top-level key), or null.</summary>
    public static ConfigKey? Find(string name) => Keys.FirstOrDefault(key => key.Name == name);
}
