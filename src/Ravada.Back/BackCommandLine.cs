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
        var options = new BackOptions();
        var root = new RootCommand("rvd_back: the Ravada back end. Without a command option it runs the daemon, which manages the virtual machines; it runs as root.");
        foreach (var option in options.Every)
        {
            root.Options.Add(option);
        }

        root.SetAction(async (parse, cancellation) =>
        {
            var commands = options.Commands
                .Where(option => parse.GetResult(option) is { Implicit: false })
                .ToList();
            var usageError = UsageError(parse, commands, options);
            if (usageError is not null)
            {
                await Console.Error.WriteLineAsync($"rvd_back: {usageError} (see rvd_back --help)");
                return Usage;
            }

            RavadaConfiguration ravada;
            try
            {
                ravada = RavadaConfiguration.Load(parse.GetValue(options.Config));
            }
            catch (RavadaConfigurationException exception)
            {
                await Console.Error.WriteLineAsync($"rvd_back: {exception.Message}");
                return BadConfiguration;
            }

            var libvirtUri = parse.GetValue(options.LibvirtUri);
            if (commands.Count == 0)
            {
                return await DaemonHost.RunAsync(ravada, libvirtUri, cancellation);
            }

            if (commands[0] == options.ShowConfig)
            {
                await ConfigurationListing.WriteAsync(ravada, libvirtUri, Console.Out, Console.Error);
                return 0;
            }

            if (commands[0] == options.TestLdap || commands[0] == options.AddUserLdap)
            {
                return await RunCommandAsync<LdapCommands>(ravada, libvirtUri, ldap => commands[0] == options.TestLdap
                    ? ldap.TestAsync(() => PasswordPrompt.ReadLine("LDAP user name: "), () => PasswordPrompt.ReadOnce("Password: "), cancellation)
                    : ldap.AddUserAsync(parse.GetValue(options.AddUserLdap)!, cancellation));
            }

            if (options.AccessCommands.Contains(commands[0]))
            {
                return await RunCommandAsync<AccessCommands>(ravada, libvirtUri, access => RunAccessCommandAsync(access, parse, commands[0], options, cancellation));
            }

            return await RunCommandAsync<AdminCommands>(ravada, libvirtUri, async commandsOf =>
            {
                switch (commands[0].Name)
                {
                    case "--add-user":
                        var name = parse.GetValue(options.AddUser)!;
                        await commandsOf.AddUserAsync(name, parse.GetValue(options.Admin), () => PasswordPrompt.Read(name), cancellation);
                        break;
                    case "--make-admin":
                        await commandsOf.MakeAdminAsync(parse.GetValue(options.MakeAdmin)!, cancellation);
                        break;
                    case "--remove-user":
                        await commandsOf.RemoveUserAsync(parse.GetValue(options.RemoveUser)!, cancellation);
                        break;
                    case "--change-password":
                        var user = parse.GetValue(options.ChangePassword)!;
                        await commandsOf.ChangePasswordAsync(user, () => PasswordPrompt.Read(user), cancellation);
                        break;
                    case "--import-users":
                        await commandsOf.ImportLegacyUsersAsync(parse.GetValue(options.ImportUsers)!, cancellation);
                        break;
                    case "--import-domain":
                        await commandsOf.ImportDomainAsync(parse.GetValue(options.ImportDomain)!, parse.GetValue(options.Owner)!, cancellation);
                        break;
                    case "--create-machine":
                        await commandsOf.CreateMachineAsync(
                            new MachineToCreate(
                                parse.GetValue(options.CreateMachine)!,
                                parse.GetValue(options.Iso)!,
                                parse.GetValue(options.Owner)!,
                                parse.GetValue(options.Memory),
                                parse.GetValue(options.Vcpus),
                                parse.GetValue(options.Disk)),
                            cancellation);
                        break;
                    case "--prepare-base":
                        await commandsOf.PrepareBaseAsync(parse.GetValue(options.PrepareBase)!, parse.GetValue(options.Public), parse.GetValue(options.WithCd), cancellation);
                        break;
                    case "--list":
                        await commandsOf.ListAsync(cancellation);
                        break;
                    case "--start":
                        await commandsOf.StartAsync(parse.GetValue(options.Start)!, cancellation);
                        break;
                    case "--shutdown":
                        await commandsOf.OnRunningMachinesAsync(RequestCommands.Shutdown, parse.GetValue(options.Shutdown), parse.GetValue(options.AllRunning), parse.GetValue(options.Disconnected), cancellation);
                        break;
                    case "--hibernate":
                        await commandsOf.OnRunningMachinesAsync(RequestCommands.Hibernate, parse.GetValue(options.Hibernate), parse.GetValue(options.AllRunning), parse.GetValue(options.Disconnected), cancellation);
                        break;
                    case "--status":
                        await commandsOf.StatusAsync(cancellation);
                        break;
                }
            });
        });
        return root;
    }

    private static Task RunAccessCommandAsync(AccessCommands access, ParseResult parse, Option command, BackOptions options, CancellationToken cancellation)
    {
        if (command == options.ShowUser)
        {
            return access.ShowUserAsync(parse.GetValue(options.ShowUser)!, cancellation);
        }

        if (command == options.ListGroups)
        {
            return access.ListGroupsAsync(cancellation);
        }

        var (first, second) = parse.GetValue((Option<string[]>)command) switch
        {
            [var one, var two] => (one, two),
            _ => throw new InvalidOperationException($"{command.Name} takes two values"),
        };
        return command.Name switch
        {
            "--grant" => access.GrantUserAsync(first, second, cancellation),
            "--revoke" => access.RevokeUserAsync(first, second, cancellation),
            "--grant-group" => access.GrantGroupAsync(first, second, cancellation),
            "--revoke-group" => access.RevokeGroupAsync(first, second, cancellation),
            "--add-to-group" => access.AddToGroupAsync(first, second, cancellation),
            "--remove-from-group" => access.RemoveFromGroupAsync(first, second, cancellation),
            "--allow-group" => access.AllowGroupAsync(first, second, cancellation),
            _ => access.DisallowGroupAsync(first, second, cancellation),
        };
    }

    private static string? UsageError(ParseResult parse, List<Option> commands, BackOptions options)
    {
        if (commands.Count > 1)
        {
            return $"choose one of {string.Join(", ", commands.Select(command => command.Name))}";
        }

        var command = commands.FirstOrDefault();
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

        if (parse.GetValue(options.Admin) && command != options.AddUser)
        {
            return "--admin goes with --add-user";
        }

        var needsOwner = command == options.ImportDomain || command == options.CreateMachine;
        if (Given(options.Owner) != needsOwner)
        {
            return needsOwner ? $"{command!.Name} needs --owner USER" : "--owner goes with --import-domain or --create-machine";
        }

        if (command == options.CreateMachine)
        {
            if (!Given(options.Iso))
            {
                return "--create-machine needs --iso NAME";
            }
        }
        else if (options.MachineHardware.FirstOrDefault(Given) is { } hardware)
        {
            return $"{hardware.Name} goes with --create-machine";
        }

        if (command != options.PrepareBase && options.BaseSettings.FirstOrDefault(Given) is { } baseSetting)
        {
            return $"{baseSetting.Name} goes with --prepare-base";
        }

        var many = parse.GetValue(options.AllRunning) || parse.GetValue(options.Disconnected);
        if (command == options.Shutdown || command == options.Hibernate)
        {
            var name = parse.GetValue((Option<string?>)command);
            if (parse.GetValue(options.AllRunning) && parse.GetValue(options.Disconnected))
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

    /// <summary>The options of the command line; <see cref="Commands"/> are the ones that choose what rvd_back does.</summary>
    private sealed class BackOptions
    {
        public Option<string?> Config { get; } = new("--config") { Description = "configuration file (default /etc/ravada.conf)", HelpName = "PATH" };

        public Option<string?> LibvirtUri { get; } = new("--libvirt-uri") { Description = "libvirt connection URI, overriding libvirt.uri", HelpName = "URI" };

        public Option<string?> AddUser { get; } = new("--add-user") { Description = "add a user; the password is asked (or read from standard input)", HelpName = "NAME" };

        public Option<bool> Admin { get; } = new("--admin") { Description = "with --add-user: make the new user an administrator" };

        public Option<string?> MakeAdmin { get; } = new("--make-admin") { Description = "make a user an administrator", HelpName = "NAME" };

        public Option<string?> RemoveUser { get; } = new("--remove-user") { Description = "remove a user who owns no machine", HelpName = "NAME" };

        public Option<string?> ChangePassword { get; } = new("--change-password") { Description = "change a user's password", HelpName = "NAME" };

        public Option<string?> ImportUsers { get; } = new("--import-users")
        {
            Description = "import the local users of Perl Ravada from a file of lines NAME<TAB>PASSWORD-HASH[<TAB>IS_ADMIN] (the output of mysql -B); they keep their passwords",
            HelpName = "FILE",
        };

        public Option<string?> ImportDomain { get; } = new("--import-domain") { Description = "adopt an existing libvirt domain (with --owner)", HelpName = "NAME" };

        public Option<string?> Owner { get; } = new("--owner") { Description = "with --import-domain or --create-machine: the user who will own the machine", HelpName = "USER" };

        public Option<string?> CreateMachine { get; } = new("--create-machine")
        {
            Description = "create a machine that boots an ISO (with --iso and --owner), shut off, with an empty disk",
            HelpName = "NAME",
        };

        public Option<string?> Iso { get; } = new("--iso") { Description = "with --create-machine: the ISO, a volume of the storage pool storage.iso_pool", HelpName = "NAME" };

        public Option<long?> Memory { get; } = new("--memory") { Description = "with --create-machine: memory in MiB (default 2048)", HelpName = "MIB" };

        public Option<long?> Vcpus { get; } = new("--vcpus") { Description = "with --create-machine: virtual CPUs (default 2)", HelpName = "N" };

        public Option<long?> Disk { get; } = new("--disk") { Description = "with --create-machine: size of the system disk in GiB (default 20)", HelpName = "GIB" };

        public Option<string?> PrepareBase { get; } = new("--prepare-base") { Description = "make a machine a base that users clone", HelpName = "NAME" };

        public Option<bool> Public { get; } = new("--public") { Description = "with --prepare-base: every user may use the base" };

        public Option<bool> WithCd { get; } = new("--with-cd") { Description = "with --prepare-base: clones keep the base's CD-ROM and boot from it (live or rescue ISOs)" };

        public Option<bool> List { get; } = new("--list") { Description = "list the machines with their state" };

        public Option<string?> Start { get; } = new("--start") { Description = "start a machine", HelpName = "NAME" };

        public Option<string?> Shutdown { get; } = new("--shutdown")
        {
            Description = "shut down a machine, or with --all / --disconnected many",
            HelpName = "NAME",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<string?> Hibernate { get; } = new("--hibernate")
        {
            Description = "hibernate a machine, or with --all / --disconnected many",
            HelpName = "NAME",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<bool> AllRunning { get; } = new("--all") { Description = "with --shutdown or --hibernate: every running machine" };

        public Option<bool> Disconnected { get; } = new("--disconnected") { Description = "with --shutdown or --hibernate: running machines without a display client" };

        public Option<bool> Status { get; } = new("--status") { Description = "say whether the daemon runs (its PID file and its heartbeat in the database); exit code 1 when it does not" };

        public Option<bool> ShowConfig { get; } = new("--show-config") { Description = "print every setting in effect (the file's values and the defaults), the database password hidden" };

        public Option<bool> TestLdap { get; } = new("--test-ldap") { Description = "check an LDAP login step by step; the user name and password are asked" };

        public Option<string?> AddUserLdap { get; } = new("--add-user-ldap") { Description = "give an LDAP user a local account before their first login", HelpName = "NAME" };

        public Option<string[]> Grant { get; } = Pair("--grant", "give a user a permission (start_limit=N for the numeric one)", "USER PERMISSION");

        public Option<string[]> Revoke { get; } = Pair("--revoke", "take a permission from a user", "USER PERMISSION");

        public Option<string[]> GrantGroup { get; } = Pair("--grant-group", "give every member of a group a permission", "GROUP PERMISSION");

        public Option<string[]> RevokeGroup { get; } = Pair("--revoke-group", "take a permission from a group", "GROUP PERMISSION");

        public Option<string[]> AddToGroup { get; } = Pair("--add-to-group", "make a user a member of a group", "USER GROUP");

        public Option<string[]> RemoveFromGroup { get; } = Pair("--remove-from-group", "take a user out of a group", "USER GROUP");

        public Option<string[]> AllowGroup { get; } = Pair("--allow-group", "restrict a base to members of a group (and of the groups already allowed)", "BASE GROUP");

        public Option<string[]> DisallowGroup { get; } = Pair("--disallow-group", "take a group off a base's groups; a base without groups is open to every user", "BASE GROUP");

        public Option<string?> ShowUser { get; } = new("--show-user") { Description = "show a user's groups and grants, its own and those of its groups", HelpName = "NAME" };

        public Option<bool> ListGroups { get; } = new("--list-groups") { Description = "list the groups with their members and grants" };

        /// <summary>The options that choose a task of <see cref="Cli.AccessCommands"/>.</summary>
        public IReadOnlyList<Option> AccessCommands => [Grant, Revoke, GrantGroup, RevokeGroup, AddToGroup, RemoveFromGroup, AllowGroup, DisallowGroup, ShowUser, ListGroups];

        /// <summary>The options that choose a task; at most one may be given.</summary>
        public IReadOnlyList<Option> Commands =>
            [AddUser, MakeAdmin, RemoveUser, ChangePassword, ImportUsers, ImportDomain, CreateMachine, PrepareBase, List, Start, Shutdown, Hibernate, Status, ShowConfig, TestLdap, AddUserLdap,
                .. AccessCommands];

        /// <summary>The options that only <see cref="CreateMachine"/> takes.</summary>
        public IReadOnlyList<Option> MachineHardware => [Iso, Memory, Vcpus, Disk];

        /// <summary>The options that only <see cref="PrepareBase"/> takes.</summary>
        public IReadOnlyList<Option> BaseSettings => [Public, WithCd];

        /// <summary>Every option, in the order of the help text.</summary>
        public IReadOnlyList<Option> Every =>
        [
            Config, LibvirtUri, AddUser, Admin, MakeAdmin, RemoveUser, ChangePassword, ImportUsers, ImportDomain, Owner, CreateMachine, Iso, Memory, Vcpus, Disk,
            PrepareBase, Public, WithCd, List, Start, Shutdown, Hibernate, AllRunning, Disconnected, Status, ShowConfig, TestLdap, AddUserLdap,
            Grant, Revoke, GrantGroup, RevokeGroup, AddToGroup, RemoveFromGroup, ShowUser, ListGroups, AllowGroup, DisallowGroup,
        ];

        private static Option<string[]> Pair(string name, string description, string helpName) => new(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
    }
}
