using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ravada.Back.Cli;
using Ravada.Back.Daemon;
using Ravada.Config;
using Ravada.Core.Requests;
using Ravada.Data.Migrations;

namespace Ravada.Back;

/// <summary>
/// rvd_back's command line, in Ravada's shape: with no command option it runs the daemon in the foreground;
/// each command option (<c>--add-user</c>, <c>--list</c>, <c>--start</c>…) does one administrator's task and exits.
/// Exit codes: 0 success, 1 the task failed, 2 wrong usage, 78 a bad configuration file.
/// </summary>
internal static class BackCommandLine
{
    public const int Failed = 1;
    public const int Usage = 2;
    public const int BadConfiguration = 78;

    public static RootCommand Build()
    {
        var config = new Option<string?>("--config") { Description = "configuration file (default /etc/ravada.conf)", HelpName = "PATH" };
        var libvirtUri = new Option<string?>("--libvirt-uri") { Description = "libvirt connection URI, overriding libvirt.uri", HelpName = "URI" };
        var addUser = new Option<string?>("--add-user") { Description = "add a user; the password is asked (or read from standard input)", HelpName = "NAME" };
        var admin = new Option<bool>("--admin") { Description = "with --add-user: make the new user an administrator" };
        var makeAdmin = new Option<string?>("--make-admin") { Description = "make a user an administrator", HelpName = "NAME" };
        var removeUser = new Option<string?>("--remove-user") { Description = "remove a user who owns no machine", HelpName = "NAME" };
        var changePassword = new Option<string?>("--change-password") { Description = "change a user's password", HelpName = "NAME" };
        var importDomain = new Option<string?>("--import-domain") { Description = "adopt an existing libvirt domain (with --owner)", HelpName = "NAME" };
        var owner = new Option<string?>("--owner") { Description = "with --import-domain: the user who will own it", HelpName = "USER" };
        var list = new Option<bool>("--list") { Description = "list the machines with their state" };
        var start = new Option<string?>("--start") { Description = "start a machine", HelpName = "NAME" };
        var shutdown = new Option<string?>("--shutdown") { Description = "shut down a machine, or with --all / --disconnected many", HelpName = "NAME", Arity = ArgumentArity.ZeroOrOne };
        var hibernate = new Option<string?>("--hibernate") { Description = "hibernate a machine, or with --all / --disconnected many", HelpName = "NAME", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "with --shutdown or --hibernate: every running machine" };
        var disconnected = new Option<bool>("--disconnected") { Description = "with --shutdown or --hibernate: running machines without a display client" };
        var testLdap = new Option<bool>("--test-ldap") { Description = "check an LDAP login step by step; the user name and password are asked" };
        var addUserLdap = new Option<string?>("--add-user-ldap") { Description = "give an LDAP user a local account before their first login", HelpName = "NAME" };

        var root = new RootCommand("rvd_back: the Ravada back end. Without a command option it runs the daemon, which manages the virtual machines; it runs as root.")
        {
            config, libvirtUri, addUser, admin, makeAdmin, removeUser, changePassword, importDomain, owner, list, start, shutdown, hibernate, all, disconnected,
            testLdap, addUserLdap,
        };

        root.SetAction(async (parse, cancellation) =>
        {
            var commands = new Option[] { addUser, makeAdmin, removeUser, changePassword, importDomain, list, start, shutdown, hibernate, testLdap, addUserLdap }
                .Where(option => parse.GetResult(option) is { Implicit: false })
                .ToList();
            var usageError = UsageError(parse, commands, admin, addUser, owner, importDomain, all, disconnected, shutdown, hibernate);
            if (usageError is not null)
            {
                await Console.Error.WriteLineAsync($"rvd_back: {usageError} (see rvd_back --help)");
                return Usage;
            }

            RavadaConfiguration ravada;
            try
            {
                ravada = RavadaConfiguration.Load(parse.GetValue(config));
            }
            catch (RavadaConfigurationException exception)
            {
                await Console.Error.WriteLineAsync($"rvd_back: {exception.Message}");
                return BadConfiguration;
            }

            if (commands.Count == 0)
            {
                return await DaemonHost.RunAsync(ravada, parse.GetValue(libvirtUri), cancellation);
            }

            if (commands[0] == testLdap || commands[0] == addUserLdap)
            {
                return await RunCommandAsync<LdapCommands>(ravada, parse.GetValue(libvirtUri), ldap => commands[0] == testLdap
                    ? ldap.TestAsync(() => PasswordPrompt.ReadLine("LDAP user name: "), () => PasswordPrompt.ReadOnce("Password: "), cancellation)
                    : ldap.AddUserAsync(parse.GetValue(addUserLdap)!, cancellation));
            }

            return await RunCommandAsync<AdminCommands>(ravada, parse.GetValue(libvirtUri), async commandsOf =>
            {
                switch (commands[0].Name)
                {
                    case "--add-user":
                        var name = parse.GetValue(addUser)!;
                        await commandsOf.AddUserAsync(name, parse.GetValue(admin), () => PasswordPrompt.Read(name), cancellation);
                        break;
                    case "--make-admin":
                        await commandsOf.MakeAdminAsync(parse.GetValue(makeAdmin)!, cancellation);
                        break;
                    case "--remove-user":
                        await commandsOf.RemoveUserAsync(parse.GetValue(removeUser)!, cancellation);
                        break;
                    case "--change-password":
                        var user = parse.GetValue(changePassword)!;
                        await commandsOf.ChangePasswordAsync(user, () => PasswordPrompt.Read(user), cancellation);
                        break;
                    case "--import-domain":
                        await commandsOf.ImportDomainAsync(parse.GetValue(importDomain)!, parse.GetValue(owner)!, cancellation);
                        break;
                    case "--list":
                        await commandsOf.ListAsync(cancellation);
                        break;
                    case "--start":
                        await commandsOf.StartAsync(parse.GetValue(start)!, cancellation);
                        break;
                    case "--shutdown":
                        await commandsOf.OnRunningMachinesAsync(RequestCommands.Shutdown, parse.GetValue(shutdown), parse.GetValue(all), parse.GetValue(disconnected), cancellation);
                        break;
                    case "--hibernate":
                        await commandsOf.OnRunningMachinesAsync(RequestCommands.Hibernate, parse.GetValue(hibernate), parse.GetValue(all), parse.GetValue(disconnected), cancellation);
                        break;
                }
            });
        });
        return root;
    }

    private static string? UsageError(
        ParseResult parse,
        List<Option> commands,
        Option<bool> admin,
        Option<string?> addUser,
        Option<string?> owner,
        Option<string?> importDomain,
        Option<bool> all,
        Option<bool> disconnected,
        Option<string?> shutdown,
        Option<string?> hibernate)
    {
        if (commands.Count > 1)
        {
            return $"choose one of {string.Join(", ", commands.Select(command => command.Name))}";
        }

        var command = commands.FirstOrDefault();
        if (parse.GetValue(admin) && command != addUser)
        {
            return "--admin goes with --add-user";
        }

        if ((parse.GetResult(owner) is { Implicit: false }) != (command == importDomain))
        {
            return "--import-domain and --owner go together";
        }

        var many = parse.GetValue(all) || parse.GetValue(disconnected);
        if (command == shutdown || command == hibernate)
        {
            var name = parse.GetValue((Option<string?>)command);
            if (parse.GetValue(all) && parse.GetValue(disconnected))
            {
                return "choose --all or --disconnected";
            }

            if ((name is null) != many)
            {
                return $"{command.Name} takes a machine name, or --all / --disconnected";
            }
        }
        else if (many)
        {
            return "--all and --disconnected go with --shutdown or --hibernate";
        }

        return null;
    }

    private static async Task<int> RunCommandAsync<TCommands>(RavadaConfiguration ravada, string? libvirtUri, Func<TCommands, Task> run)
    {
        var configuration = new ConfigurationManager();
        configuration.AddConfiguration(ravada.Configuration);
        if (libvirtUri is not null)
        {
            configuration.AddInMemoryCollection([new("libvirt:uri", libvirtUri)]);
        }

        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Ravada.Core.Broker.RequestProcessor", LogLevel.None));
        services.AddRavadaBack(configuration);
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateUpAsync();
            var commands = ActivatorUtilities.CreateInstance<TCommands>(provider, Console.Out);
            await run(commands);
            return 0;
        }
        catch (CliException exception)
        {
            await Console.Error.WriteLineAsync($"rvd_back: {exception.Message}");
            return Failed;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Data.Common.DbException or IOException
            or Microsoft.Extensions.Options.OptionsValidationException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"rvd_back: {exception.Message}");
            return Failed;
        }
    }
}
