using Microsoft.Extensions.Configuration;

namespace Ravada.Ldap;

/// <summary>How the connection to the LDAP server is protected.</summary>
public enum LdapTls
{
    /// <summary>Plain LDAP: passwords cross the network in clear text.</summary>
    None,

    /// <summary>LDAP, then StartTLS before anything is sent; the server's certificate is checked.</summary>
    StartTls,

    /// <summary>LDAP over TLS from the first byte (usually port 636); the server's certificate is checked.</summary>
    Ldaps,
}

/// <summary>How a password is checked, as Ravada's <c>ldap.auth</c>.</summary>
public enum LdapAuthMode
{
    /// <summary>Find the person's entry, then bind as it with the password (the server checks it).</summary>
    Bind,

    /// <summary>Read the entry's <c>userPassword</c> with the admin bind and compare its RFC 2307 hash here.</summary>
    Match,
}

/// <summary>The <c>ldap</c> section of /etc/ravada.conf. Without a server, LDAP is off.</summary>
public sealed class LdapOptions
{
    /// <summary>The LDAP server's host name or address; null turns LDAP off.</summary>
    public string? Server { get; set; }

    /// <summary>The TCP port; null means 389, or 636 with <see cref="LdapTls.Ldaps"/>.</summary>
    public int? Port { get; set; }

    /// <summary>How the connection is protected.</summary>
    public LdapTls Tls { get; set; } = LdapTls.StartTls;

    /// <summary>A directory of trusted CA certificates (PEM files with OpenSSL hash names); null: the system's.</summary>
    [ConfigurationKeyName("ca_certificates_dir")]
    public string? CaCertificatesDirectory { get; set; }

    /// <summary>Where people are searched (subtree).</summary>
    public string? Base { get; set; }

    /// <summary>The entry searches bind as; null: anonymous searches.</summary>
    [ConfigurationKeyName("admin_dn")]
    public string? AdminDn { get; set; }

    /// <summary>Its password.</summary>
    [ConfigurationKeyName("admin_password")]
    public string? AdminPassword { get; set; }

    /// <summary>An extra LDAP filter a person's entry must match, such as <c>(objectClass=inetOrgPerson)</c>.</summary>
    public string? Filter { get; set; }

    /// <summary>The attribute that holds the login name.</summary>
    public string Field { get; set; } = "uid";

    /// <summary>Bind or match.</summary>
    public LdapAuthMode Auth { get; set; } = LdapAuthMode.Bind;

    /// <summary>Where groups are searched; null: <c>ou=groups,</c> followed by <see cref="Base"/>.</summary>
    [ConfigurationKeyName("groups_base")]
    public string? GroupsBase { get; set; }

    /// <summary>When set, only members of this group (directly or nested) may log in.</summary>
    public string? Group { get; set; }

    /// <summary>Seconds an LDAP operation may take.</summary>
    [ConfigurationKeyName("timeout_seconds")]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Whether LDAP is configured.</summary>
    public bool IsEnabled => !string.IsNullOrEmpty(Server);

    /// <summary>The port actually used.</summary>
    public int EffectivePort => Port ?? (Tls == LdapTls.Ldaps ? 636 : 389);

    /// <summary>The groups search base actually used.</summary>
    public string EffectiveGroupsBase => GroupsBase ?? $"ou=groups,{Base}";

    /// <summary>The server as a URL, for messages.</summary>
    public string Url => $"{(Tls == LdapTls.Ldaps ? "ldaps" : "ldap")}://{Server}:{EffectivePort}";

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Problem()
    {
        if (!IsEnabled)
        {
            return null;
        }

        if (string.IsNullOrEmpty(Base))
        {
            return "ldap.base is required when ldap.server is set";
        }

        if ((AdminDn is null) != (AdminPassword is null))
        {
            return "ldap.admin_dn and ldap.admin_password go together";
        }

        return Auth == LdapAuthMode.Match && AdminDn is null ? "ldap.auth: match reads userPassword, which needs ldap.admin_dn and ldap.admin_password" : null;
    }
}
