using System.Globalization;
using Microsoft.Extensions.Options;
using Ravada.Back.Daemon;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Back.Cli;

/// <summary>A command-line operation failed; the message is the one line the administrator sees.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>What <c>--create-machine</c> asks for; null hardware values leave the create request's defaults.</summary>
internal sealed record MachineToCreate(string Name, string Iso, string Owner, long? MemoryMiB, long? VirtualCpus, long? DiskGiB);

/// <summary>The administrator's commands of rvd_back (Ravada's <c>--add-user</c>, <c>--list</c>, <c>--start</c>…).</summary>
internal sealed class AdminCommands(
    IUserStore users,
    ILoginRecords loginRecords,
    IMachineStore machines,
    ISettingsStore settings,
    RequestRunner runner,
    IOptions<BackendOptions> backend,
    TimeProvider timeProvider,
    TextWriter output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    public async Task AddUserAsync(string name, bool admin, Func<string> readPassword, CancellationToken cancellationToken)
    {
        name = CliLookup.ValidUserName(name);
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
        var user = await users.RequireUserAsync(name, cancellationToken);
        await users.SetAdminAsync(user.Id, true, cancellationToken);
        await output.WriteLineAsync($"{user.Name} is now an administrator.");
    }

    public async Task RemoveUserAsync(string name, CancellationToken cancellationToken)
    {
        var user = await users.RequireUserAsync(name, cancellationToken);
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
        var user = await users.RequireUserAsync(name, cancellationToken);
        if (user.Name == User.DaemonName)
        {
            throw new CliException($"{User.DaemonName} cannot log in and has no password");
        }

        if (user.ExternalAuth != "sql")
        {
            throw new CliException($"{user.Name} logs in through {user.ExternalAuth}: change the password there");
        }

        await users.SetPasswordHashAsync(user.Id, HashOrExplain(readPassword()), mustChangePassword: false, cancellationToken);
        await loginRecords.ClearFailuresAsync(user.Id, cancellationToken);
        await output.WriteLineAsync($"Changed the password of {user.Name} (and unlocked it).");
    }

    /// <summary>
    /// Creates the users of a Perl Ravada database from <c>mysql -B -e "SELECT name, password, is_admin FROM users
    /// WHERE is_external = 0" ravada</c>: their SHA-1 hashes work once and are replaced at their first login.
    /// Names that exist already are left alone; a bad line stops the import before anything is created.
    /// </summary>
    public async Task ImportLegacyUsersAsync(string path, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {exception.Message}");
        }

        var accounts = new List<(string Name, string Hash, bool Admin)>();
        for (var index = 0; index < lines.Length; index++)
        {
            var fields = lines[index].Split('\t');
            if (lines[index].Length == 0 || (index == 0 && fields[0] == "name"))
            {
                continue;
            }

            if (fields.Length is < 2 or > 3 || !UserName.IsValid(fields[0]) || !Passwords.IsLegacyRavadaHash(fields[1])
                || (fields.Length == 3 && fields[2] is not ("0" or "1")))
            {
                throw new CliException($"{path}:{index + 1}: expected NAME<TAB>40-hex-digit SHA-1 hash[<TAB>0|1]");
            }

            accounts.Add((fields[0], fields[1].ToLowerInvariant(), fields.Length == 3 && fields[2] == "1"));
        }

        var (created, skipped) = (0, 0);
        foreach (var (name, hash, admin) in accounts)
        {
            try
            {
                await users.CreateAsync(name, hash, admin, mustChangePassword: false, cancellationToken);
                created++;
            }
            catch (DuplicateNameException)
            {
                skipped++;
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {created} users; {skipped} already existed and were left alone."));
    }

    public async Task ImportDomainAsync(string domainName, string ownerName, CancellationToken cancellationToken)
    {
        await users.RequireUserAsync(ownerName, cancellationToken);
        var arguments = RequestArguments.Empty.With("name", domainName).With("owner", ownerName);
        var request = await RunAsync(RequestCommands.Import, null, arguments, cancellationToken);
        await output.WriteLineAsync($"Imported {domainName} for {ownerName} (request {request.Id}).");
    }

    /// <summary>Creates a machine for its owner that boots an ISO of the ISO pool (the <c>create</c> request, made by the owner).</summary>
    public async Task CreateMachineAsync(MachineToCreate machine, CancellationToken cancellationToken)
    {
        var owner = await users.RequireUserAsync(machine.Owner, cancellationToken);
        if (!MachineName.IsValid(machine.Name))
        {
            throw new CliException($"'{machine.Name}' is not a valid machine name");
        }

        var arguments = RequestArguments.Empty.With("name", machine.Name).With("iso", machine.Iso);
        if (machine.MemoryMiB is { } memory)
        {
            arguments = arguments.With("memory_mib", memory);
        }

        if (machine.VirtualCpus is { } cpus)
        {
            arguments = arguments.With("vcpus", cpus);
        }

        if (machine.DiskGiB is { } disk)
        {
            arguments = arguments.With("disk_gib", disk);
        }

        await RunAsync(RequestCommands.Create, owner, null, arguments, cancellationToken);
        await output.WriteLineAsync($"Created {machine.Name} for {owner.Name}, booting {machine.Iso}.");
    }

    /// <summary>Makes a machine a base (the <c>prepare_base</c> request); <paramref name="isPublic"/> lets every user clone it.</summary>
    public async Task PrepareBaseAsync(string name, bool isPublic, bool withCd, CancellationToken cancellationToken)
    {
        var machine = await machines.RequireMachineAsync(name, cancellationToken);
        var arguments = RequestArguments.Empty;
        if (isPublic)
        {
            arguments = arguments.With("publish", true);
        }

        if (withCd)
        {
            arguments = arguments.With("with_cd", true);
        }

        await RunAsync(RequestCommands.PrepareBase, machine.Id, arguments, cancellationToken);
        var prepared = await machines.FindAsync(machine.Id, cancellationToken) ?? throw new CliException($"{machine.Name} vanished");
        await output.WriteLineAsync($"{prepared.Name} is a base, {(prepared.IsPublic ? "public: every user may use it" : "private: only its owner and administrators may use it")}"
            + (prepared.KeepCdrom ? "; its clones keep the CD-ROM." : "."));
    }

    /// <summary>
    /// Says whether the daemon runs: its heartbeat in the database (what the portal goes by) and, on this host, the
    /// process holding the PID file. Fails when the heartbeat is missing or stale.
    /// </summary>
    public async Task StatusAsync(CancellationToken cancellationToken)
    {
        var pidFile = backend.Value.PidFile;
        var pid = PidFile.RunningDaemonPid(pidFile);
        var lastBeat = await BackendHeartbeat.LastBeatAsync(settings, cancellationToken);
        var age = lastBeat is { } beat ? timeProvider.GetUtcNow() - beat : (TimeSpan?)null;
        var heartbeat = age is { } ago
            ? string.Create(CultureInfo.InvariantCulture, $"its last heartbeat was {Math.Max(0, ago.TotalSeconds):0.0} s ago")
            : "it has never written a heartbeat into this database";
        if (age is { } fresh && fresh < BackendHeartbeat.Timeout)
        {
            await output.WriteLineAsync(pid is null
                ? $"rvd_back is running, but not on this host (no process holds {pidFile}); {heartbeat}."
                : $"rvd_back is running (pid {pid}); {heartbeat}.");
            return;
        }

        throw new CliException(pid is null
            ? $"rvd_back is not running (no process holds {pidFile}); {heartbeat}"
            : $"rvd_back (pid {pid}) holds {pidFile} but {heartbeat}: it is starting, stuck, or cannot write to the database (see its log)");
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
        var machine = await machines.RequireMachineAsync(name, cancellationToken);
        await RunAsync(RequestCommands.Start, machine.Id, RequestArguments.Empty, cancellationToken);
        await output.WriteLineAsync($"Started {machine.Name}.");
    }

    /// <summary>Shuts down or hibernates one machine, all running ones, or those without a display client.</summary>
    public async Task OnRunningMachinesAsync(string command, string? name, bool all, bool disconnected, CancellationToken cancellationToken)
    {
        var verb = command == RequestCommands.Hibernate ? "Hibernated" : "Shut down";
        if (name is not null)
        {
            var machine = await machines.RequireMachineAsync(name, cancellationToken);
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
        return await RunAsync(command, daemon, machineId, arguments, cancellationToken);
    }

    /// <summary>Runs a request on behalf of <paramref name="requester"/>, whose grants it is checked against.</summary>
    private async Task<Request> RunAsync(string command, User requester, long? machineId, RequestArguments arguments, CancellationToken cancellationToken)
    {
        Request finished;
        try
        {
            finished = await runner.RunAsync(
                new NewRequest { Command = command, UserId = requester.Id, MachineId = machineId, Arguments = arguments, AllowDuplicate = true },
                RequestTimeout,
                cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new CliException(exception.Message);
        }

        return finished.Status == RequestStatus.Done ? finished : throw new CliException(finished.Error ?? $"{command} failed");
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
