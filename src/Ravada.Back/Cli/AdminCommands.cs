using System.Globalization;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Back.Cli;

/// <summary>A command-line operation failed; the message is the one line the administrator sees.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>The administrator's commands of rvd_back (Ravada's <c>--add-user</c>, <c>--list</c>, <c>--start</c>…).</summary>
internal sealed class AdminCommands(IUserStore users, ILoginRecords loginRecords, IMachineStore machines, RequestRunner runner, TextWriter output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    public async Task AddUserAsync(string name, bool admin, Func<string> readPassword, CancellationToken cancellationToken)
    {
        name = ValidUserName(name);
        if (await users.FindByNameAsync(name, cancellationToken) is not null)
        {
            throw new CliException($"user {name} already exists");
        }

        var hash = HashOrExplain(readPassword());
        try
        {
            await users.CreateAsync(name, hash, admin, mustChangePassword: false, cancellationToken);
        }
        catch (DuplicateNameException)
        {
            throw new CliException($"user {name} already exists");
        }

        await output.WriteLineAsync(admin ? $"Added administrator {name}." : $"Added user {name}.");
    }

    public async Task MakeAdminAsync(string name, CancellationToken cancellationToken)
    {
        var user = await RequireUserAsync(name, cancellationToken);
        await users.SetAdminAsync(user.Id, true, cancellationToken);
        await output.WriteLineAsync($"{user.Name} is now an administrator.");
    }

    public async Task RemoveUserAsync(string name, CancellationToken cancellationToken)
    {
        var user = await RequireUserAsync(name, cancellationToken);
        if (user.Name == User.DaemonName)
        {
            throw new CliException($"{User.DaemonName} is built in and cannot be removed");
        }

        var owned = await machines.ListByOwnerAsync(user.Id, cancellationToken);
        if (owned.Count > 0)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{user.Name} owns {owned.Count} machine(s) ({string.Join(", ", owned.Take(5).Select(machine => machine.Name))}): remove them first"));
        }

        await users.RemoveAsync(user.Id, cancellationToken);
        await output.WriteLineAsync($"Removed user {user.Name}.");
    }

    public async Task ChangePasswordAsync(string name, Func<string> readPassword, CancellationToken cancellationToken)
    {
        var user = await RequireUserAsync(name, cancellationToken);
        if (user.Name == User.DaemonName)
        {
            throw new CliException($"{User.DaemonName} cannot log in and has no password");
        }

        await users.SetPasswordHashAsync(user.Id, HashOrExplain(readPassword()), mustChangePassword: false, cancellationToken);
        await loginRecords.ClearFailuresAsync(user.Id, cancellationToken);
        await output.WriteLineAsync($"Changed the password of {user.Name} (and unlocked it).");
    }

    public async Task ImportDomainAsync(string domainName, string ownerName, CancellationToken cancellationToken)
    {
        await RequireUserAsync(ownerName, cancellationToken);
        var arguments = RequestArguments.Empty.With("name", domainName).With("owner", ownerName);
        var request = await RunAsync(RequestCommands.Import, null, arguments, cancellationToken);
        await output.WriteLineAsync($"Imported {domainName} for {ownerName} (request {request.Id}).");
    }

    public async Task ListAsync(CancellationToken cancellationToken)
    {
        var all = await machines.ListAsync(cancellationToken);
        var owners = (await users.ListAsync(cancellationToken)).ToDictionary(user => user.Id, user => user.Name);
        var names = all.ToDictionary(machine => machine.Id, machine => machine.Name);
        var rows = all.Select(machine => (
            machine.Name,
            State: StateName(machine.State),
            Owner: owners.GetValueOrDefault(machine.OwnerId, "?"),
            Kind: machine.IsBase ? "base" : machine.BaseId is { } baseId ? $"clone of {names.GetValueOrDefault(baseId, "?")}" : "machine")).ToList();
        var nameWidth = Math.Max(4, rows.Select(row => row.Name.Length).DefaultIfEmpty(0).Max());
        var stateWidth = Math.Max(5, rows.Select(row => row.State.Length).DefaultIfEmpty(0).Max());
        var ownerWidth = Math.Max(5, rows.Select(row => row.Owner.Length).DefaultIfEmpty(0).Max());
        await output.WriteLineAsync($"{"NAME".PadRight(nameWidth)}  {"STATE".PadRight(stateWidth)}  {"OWNER".PadRight(ownerWidth)}  KIND");
        foreach (var row in rows)
        {
            await output.WriteLineAsync($"{row.Name.PadRight(nameWidth)}  {row.State.PadRight(stateWidth)}  {row.Owner.PadRight(ownerWidth)}  {row.Kind}");
        }
    }

    public async Task StartAsync(string name, CancellationToken cancellationToken)
    {
        var machine = await RequireMachineAsync(name, cancellationToken);
        await RunAsync(RequestCommands.Start, machine.Id, RequestArguments.Empty, cancellationToken);
        await output.WriteLineAsync($"Started {machine.Name}.");
    }

    /// <summary>Shuts down or hibernates one machine, all running ones, or those without a display client.</summary>
    public async Task OnRunningMachinesAsync(string command, string? name, bool all, bool disconnected, CancellationToken cancellationToken)
    {
        var verb = command == RequestCommands.Hibernate ? "Hibernated" : "Shut down";
        if (name is not null)
        {
            var machine = await RequireMachineAsync(name, cancellationToken);
            await RunAsync(command, machine.Id, RequestArguments.Empty, cancellationToken);
            await output.WriteLineAsync($"{verb} {machine.Name}.");
            return;
        }

        var targets = (await machines.ListAsync(cancellationToken))
            .Where(machine => machine.State is MachineState.Running or MachineState.Paused)
            .Where(machine => all || (disconnected && !machine.ClientConnected))
            .Where(machine => !(command == RequestCommands.Hibernate && machine.IsVolatile))
            .ToList();
        var outcomes = await Task.WhenAll(targets.Select(async machine =>
        {
            try
            {
                await RunAsync(command, machine.Id, RequestArguments.Empty, cancellationToken);
                return (machine.Name, Error: (string?)null);
            }
            catch (CliException exception)
            {
                return (machine.Name, Error: exception.Message);
            }
        }));
        foreach (var (machineName, error) in outcomes)
        {
            await output.WriteLineAsync(error is null ? $"{verb} {machineName}." : $"{machineName}: {error}");
        }

        if (outcomes.Any(outcome => outcome.Error is not null))
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{outcomes.Count(outcome => outcome.Error is not null)} of {outcomes.Length} machine(s) failed"));
        }

        if (outcomes.Length == 0)
        {
            await output.WriteLineAsync("No machine to act on.");
        }
    }

    private async Task<Request> RunAsync(string command, long? machineId, RequestArguments arguments, CancellationToken cancellationToken)
    {
        var daemon = await users.FindByNameAsync(User.DaemonName, cancellationToken)
            ?? throw new CliException($"the built-in user {User.DaemonName} is missing: the database was not set up by rvd_back");
        Request finished;
        try
        {
            finished = await runner.RunAsync(
                new NewRequest { Command = command, UserId = daemon.Id, MachineId = machineId, Arguments = arguments, AllowDuplicate = true },
                RequestTimeout,
                cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new CliException(exception.Message);
        }

        return finished.Status == RequestStatus.Done ? finished : throw new CliException(finished.Error ?? $"{command} failed");
    }

    private async Task<User> RequireUserAsync(string name, CancellationToken cancellationToken) =>
        await users.FindByNameAsync(ValidUserName(name), cancellationToken) ?? throw new CliException($"there is no user named {name}");

    private async Task<Machine> RequireMachineAsync(string name, CancellationToken cancellationToken)
    {
        if (!MachineName.IsValid(name))
        {
            throw new CliException($"'{name}' is not a valid machine name");
        }

        return await machines.FindByNameAsync(name, cancellationToken) ?? throw new CliException($"there is no machine named {name}");
    }

    private static string ValidUserName(string name)
    {
        try
        {
            return UserName.Validate(name);
        }
        catch (ArgumentException exception)
        {
            throw new CliException(exception.Message);
        }
    }

    private static string HashOrExplain(string password) =>
        Passwords.Problem(password) is { } problem ? throw new CliException(problem) : Passwords.Hash(password);

    private static string StateName(MachineState state) => state switch
    {
        MachineState.ShutOff => "off",
        MachineState.ShuttingDown => "shutting down",
        MachineState.GuestSuspended => "suspended",
        _ => state.ToString().ToLowerInvariant(),
    };
}
