using Ravada.Core.Users;
using Ravada.Ldap;

namespace Ravada.Back.Cli;

/// <summary>The administrator's LDAP commands of rvd_back: <c>--test-ldap</c> and <c>--add-user-ldap</c>.</summary>
internal sealed class LdapCommands(ExternalSignIn signIn, IUserStore users, IEnumerable<LdapDirectory> directories, TextWriter output)
{
    /// <summary>Goes through an LDAP login step by step and prints how each step went; fails when one did.</summary>
    public async Task TestAsync(Func<string> readUserName, Func<string> readPassword, CancellationToken cancellationToken)
    {
        var directory = directories.FirstOrDefault() ?? throw NotConfigured();
        var userName = readUserName().Trim();
        var steps = await directory.CheckAsync(userName, readPassword(), cancellationToken);
        foreach (var step in steps)
        {
            await output.WriteLineAsync($"{(step.Succeeded ? "ok  " : "FAIL")}  {step.Step}: {step.Detail}");
        }

        if (steps.FirstOrDefault(step => !step.Succeeded) is { } failed)
        {
            throw new CliException($"the LDAP login of {userName} fails at the step '{failed.Step}'");
        }
    }

    /// <summary>Gives an LDAP user a local account (marked ldap) before their first login, with their groups.</summary>
    public async Task AddUserAsync(string name, CancellationToken cancellationToken)
    {
        if (!directories.Any())
        {
            throw NotConfigured();
        }

        var existed = await users.FindByNameAsync(name, cancellationToken) is { ExternalAuth: LdapDirectory.SourceName };
        try
        {
            var (user, identity) = await signIn.ImportAsync(name, cancellationToken);
            var groups = identity.Groups.Count == 0 ? "no groups" : $"groups {string.Join(", ", identity.Groups)}";
            await output.WriteLineAsync(existed
                ? $"LDAP user {user.Name} already exists ({identity.DistinguishedName}); {groups}."
                : $"Added LDAP user {user.Name} ({identity.DistinguishedName}); {groups}.");
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or ExternalDirectoryException)
        {
            throw new CliException(exception.Message);
        }
    }

    private static CliException NotConfigured() => new("LDAP is not configured: set ldap.server (and ldap.base) in the configuration file");
}
