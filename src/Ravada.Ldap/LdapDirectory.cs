using System.DirectoryServices.Protocols;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Users;

namespace Ravada.Ldap;

/// <summary>
/// Ravada's LDAP login on System.DirectoryServices.Protocols (OpenLDAP's libldap underneath), as
/// <c>Ravada::Auth::LDAP</c> does it: bind as <c>ldap.admin_dn</c> (or anonymously), find the one entry whose
/// <c>ldap.field</c> is the login name (and that matches <c>ldap.filter</c>), then either bind as that entry with
/// the password (<c>auth: bind</c>) or compare its <c>userPassword</c> hash (<c>auth: match</c>). Groups are the
/// entries under <c>ldap.groups_base</c> that list the person (<c>member</c>, <c>uniqueMember</c> or
/// <c>memberUid</c>), and the groups that list those groups, to any depth. With TLS (StartTLS or LDAPS) the
/// server's certificate must chain to a trusted CA and name the server.
/// </summary>
/// <remarks>
/// libldap's calls block, so each login runs on a pool thread, bounded by <c>ldap.timeout_seconds</c> per operation.
/// </remarks>
public sealed partial class LdapDirectory(IOptions<LdapOptions> options, ILogger<LdapDirectory> logger) : IExternalDirectory
{
    /// <summary>The <c>external_auth</c> of LDAP users.</summary>
    public const string SourceName = "ldap";

    private const int InvalidCredentials = 49;
    private readonly LdapOptions settings = options.Value;

    /// <inheritdoc />
    public string Source => SourceName;

    /// <inheritdoc />
    public Task<ExternalIdentity?> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        // An empty password would be an unauthenticated bind, which LDAP servers accept (RFC 4513 5.1.2).
        return string.IsNullOrEmpty(password) || !UserName.IsValid(userName)
            ? Task.FromResult<ExternalIdentity?>(null)
            : RunAsync(() => Authenticate(userName, password), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ExternalIdentity?> FindAsync(string userName, CancellationToken cancellationToken = default) =>
        !UserName.IsValid(userName) ? Task.FromResult<ExternalIdentity?>(null) : RunAsync(() =>
        {
            using var connection = OpenServiceConnection();
            var entry = FindEntry(connection, userName, withPassword: false);
            return entry is null ? null : Identity(connection, entry, userName);
        }, cancellationToken);

    /// <summary>
    /// Goes through a login step by step and says how each went, for <c>rvd_back --test-ldap</c>: connection and
    /// service bind, the search for the person, the password, the groups and the required group.
    /// </summary>
    public Task<IReadOnlyList<LdapCheckStep>> CheckAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        Task.Run(() => Check(userName, password), cancellationToken);

    private IReadOnlyList<LdapCheckStep> Check(string userName, string password)
    {
        var steps = new List<LdapCheckStep>();
        var bindAs = settings.AdminDn ?? "anonymous";
        LdapConnection connection;
        try
        {
            connection = OpenServiceConnection();
        }
        catch (ExternalDirectoryException exception)
        {
            steps.Add(new("connect", false, exception.Message));
            return steps;
        }

        using (connection)
        {
            steps.Add(new("connect", true, $"{settings.Url} ({Describe(settings.Tls)}), bound as {bindAs}"));
            SearchResultEntry? entry;
            try
            {
                entry = FindEntry(connection, userName, withPassword: settings.Auth == LdapAuthMode.Match);
            }
            catch (ExternalDirectoryException exception)
            {
                steps.Add(new("search", false, exception.Message));
                return steps;
            }

            var filter = LdapFilter.Equality(settings.Field, userName, settings.Filter);
            if (entry is null)
            {
                steps.Add(new("search", false, $"no single entry under {settings.Base} matches {filter}"));
                return steps;
            }

            steps.Add(new("search", true, $"{filter} found {entry.DistinguishedName}"));
            bool passwordRight;
            try
            {
                passwordRight = !string.IsNullOrEmpty(password) && PasswordIsRight(entry, password);
            }
            catch (ExternalDirectoryException exception)
            {
                steps.Add(new("password", false, exception.Message));
                return steps;
            }

            steps.Add(new("password", passwordRight, settings.Auth == LdapAuthMode.Bind
                ? passwordRight ? "bound as the entry" : "the bind as the entry was refused"
                : passwordRight ? "matches userPassword" : "does not match userPassword (or it is unreadable)"));
            if (!passwordRight)
            {
                return steps;
            }

            try
            {
                var identity = Identity(connection, entry, userName);
                steps.Add(new("groups", true, identity.Groups.Count == 0 ? "none" : string.Join(", ", identity.Groups)));
                if (settings.Group is { } required)
                {
                    var member = identity.Groups.Contains(required, StringComparer.OrdinalIgnoreCase);
                    steps.Add(new("required group", member, member ? $"member of {required}" : $"not a member of {required}: the login is refused"));
                }
            }
            catch (ExternalDirectoryException exception)
            {
                steps.Add(new("groups", false, exception.Message));
            }
        }

        return steps;
    }

    private ExternalIdentity? Authenticate(string userName, string password)
    {
        using var connection = OpenServiceConnection();
        var entry = FindEntry(connection, userName, withPassword: settings.Auth == LdapAuthMode.Match);
        if (entry is null || !PasswordIsRight(entry, password))
        {
            return null;
        }

        var identity = Identity(connection, entry, userName);
        if (settings.Group is { } required && !identity.Groups.Contains(required, StringComparer.OrdinalIgnoreCase))
        {
            LogNotInRequiredGroup(identity.UserName, required);
            return null;
        }

        return identity;
    }

    private bool PasswordIsRight(SearchResultEntry entry, string password)
    {
        if (settings.Auth == LdapAuthMode.Match)
        {
            return Values(entry, "userPassword").Any(stored => Rfc2307Password.Matches(stored, password));
        }

        using var connection = Open();
        try
        {
            connection.Bind(new NetworkCredential(entry.DistinguishedName, password));
            return true;
        }
        catch (LdapException exception) when (exception.ErrorCode == InvalidCredentials)
        {
            return false;
        }
    }

    private ExternalIdentity Identity(LdapConnection connection, SearchResultEntry entry, string typedName)
    {
        // The directory's spelling of the name (LDAP compares names case-insensitively; Ravada does not).
        var name = Values(entry, settings.Field).FirstOrDefault(value => string.Equals(value, typedName, StringComparison.OrdinalIgnoreCase)) ?? typedName;
        var uid = Values(entry, "uid").FirstOrDefault() ?? name;
        return new ExternalIdentity(name, entry.DistinguishedName, GroupsOf(connection, entry.DistinguishedName, uid));
    }

    /// <summary>The names of the groups that list the person, then of the groups that list those, until none is new.</summary>
    private List<string> GroupsOf(LdapConnection connection, string distinguishedName, string uid)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>();
        Collect($"(|{MemberOf(distinguishedName)}(memberUid={LdapFilter.Escape(uid)}))");
        while (pending.TryDequeue(out var group))
        {
            Collect($"(|{MemberOf(group)})");
        }

        return [.. names];

        void Collect(string filter)
        {
            foreach (SearchResultEntry group in Search(connection, settings.EffectiveGroupsBase, filter, sizeLimit: 0, "cn").Entries)
            {
                if (seen.Add(group.DistinguishedName))
                {
                    pending.Enqueue(group.DistinguishedName);
                    names.UnionWith(Values(group, "cn").Take(1));
                }
            }
        }

        static string MemberOf(string dn) => $"(member={LdapFilter.Escape(dn)})(uniqueMember={LdapFilter.Escape(dn)})";
    }

    private SearchResultEntry? FindEntry(LdapConnection connection, string userName, bool withPassword)
    {
        string[] attributes = withPassword ? [settings.Field, "uid", "userPassword"] : [settings.Field, "uid"];
        var filter = LdapFilter.Equality(settings.Field, userName, settings.Filter);
        try
        {
            var entries = Search(connection, settings.Base!, filter, sizeLimit: 2, attributes).Entries;
            if (entries.Count > 1)
            {
                LogAmbiguous(filter);
            }

            return entries.Count == 1 ? entries[0] : null;
        }
        catch (ExternalDirectoryException exception) when (exception.InnerException is DirectoryOperationException { Response.ResultCode: ResultCode.SizeLimitExceeded })
        {
            LogAmbiguous(filter);
            return null;
        }
    }

    private SearchResponse Search(LdapConnection connection, string searchBase, string filter, int sizeLimit, params string[] attributes)
    {
        try
        {
            return (SearchResponse)connection.SendRequest(new SearchRequest(searchBase, filter, SearchScope.Subtree, attributes) { SizeLimit = sizeLimit });
        }
        catch (DirectoryOperationException exception) when (exception.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            throw new ExternalDirectoryException($"{settings.Url}: the search base {searchBase} does not exist", exception);
        }
        catch (DirectoryException exception)
        {
            throw new ExternalDirectoryException($"{settings.Url}: searching {searchBase} for {filter} failed: {exception.Message}", exception);
        }
    }

    /// <summary>A connection bound as <c>ldap.admin_dn</c>, or anonymously without one.</summary>
    private LdapConnection OpenServiceConnection()
    {
        var connection = Open();
        try
        {
            if (settings.AdminDn is { } adminDn)
            {
                connection.Bind(new NetworkCredential(adminDn, settings.AdminPassword));
            }
            else
            {
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
            }

            return connection;
        }
        catch (LdapException exception)
        {
            connection.Dispose();
            throw new ExternalDirectoryException(exception.ErrorCode == InvalidCredentials
                ? $"{settings.Url}: the server refused ldap.admin_dn {settings.AdminDn} with ldap.admin_password"
                : $"{settings.Url}: {exception.Message}{(settings.Tls == LdapTls.None ? "" : " (with TLS, also check that the server's certificate is trusted through ldap.ca_certificates_dir and names the server)")}",
                exception);
        }
    }

    private LdapConnection Open()
    {
        var connection = new LdapConnection(new LdapDirectoryIdentifier(settings.Server, settings.EffectivePort))
        {
            AuthType = AuthType.Basic,
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
        try
        {
            var session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            session.ReferralChasing = ReferralChasingOptions.None;
            if (settings.Tls != LdapTls.None)
            {
                if (settings.CaCertificatesDirectory is { } trusted)
                {
                    session.TrustedCertificatesDirectory = trusted;
                }

                session.SecureSocketLayer = settings.Tls == LdapTls.Ldaps;
                session.StartNewTlsSessionContext();
                if (settings.Tls == LdapTls.StartTls)
                {
                    // On Linux, StartTLS needs an open connection, which only a bind opens: an anonymous one carries no secret.
                    connection.AuthType = AuthType.Anonymous;
                    connection.Bind();
                    connection.AuthType = AuthType.Basic;
                    session.StartTransportLayerSecurity(null);
                }
            }

            return connection;
        }
        catch (DirectoryException exception)
        {
            connection.Dispose();
            throw new ExternalDirectoryException($"{settings.Url}: {Describe(settings.Tls)} failed: {exception.Message} (check that the server's certificate is trusted through ldap.ca_certificates_dir and names the server)", exception);
        }
    }

    private static IEnumerable<string> Values(SearchResultEntry entry, string attribute) =>
        entry.Attributes[attribute] is { } values
            ? values.GetValues(typeof(byte[])).Cast<byte[]>().Select(value => Encoding.UTF8.GetString(value))
            : [];

    private static string Describe(LdapTls tls) => tls switch
    {
        LdapTls.StartTls => "StartTLS",
        LdapTls.Ldaps => "LDAPS",
        _ => "no TLS",
    };

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(work, cancellationToken);
        }
        catch (DirectoryException exception)
        {
            throw new ExternalDirectoryException($"{settings.Url}: {exception.Message}", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LDAP: more than one entry matches {Filter}; nobody logs in with that name")]
    private partial void LogAmbiguous(string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "LDAP: {UserName} is not a member of {Group}, which ldap.group requires")]
    private partial void LogNotInRequiredGroup(string userName, string group);
}

/// <summary>One step of <see cref="LdapDirectory.CheckAsync"/>.</summary>
/// <param name="Step">What was tried.</param>
/// <param name="Succeeded">Whether it worked.</param>
/// <param name="Detail">What happened, for the administrator.</param>
public sealed record LdapCheckStep(string Step, bool Succeeded, string Detail);
