using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;

namespace Ravada.Core.Broker;

/// <summary>Steps several handlers share: find the machine, start it with fresh tickets, shut it down with a timeout, remove it.</summary>
public sealed class MachineOperations(IHypervisor hypervisor, IMachineStore machines, IOptions<BrokerOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan StatePollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The broker's settings.</summary>
    public BrokerOptions Options => options.Value;

    /// <summary>The machine the request is about; refuses requests without one or for one that no longer exists.</summary>
    public async Task<Machine> RequireMachineAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MachineId is not { } machineId)
        {
            throw new RequestRefusedException($"The {request.Command} request names no machine.");
        }

        return await machines.FindAsync(machineId, cancellationToken)
            ?? throw new RequestRefusedException($"Machine {machineId} does not exist (any more).");
    }

    /// <summary>
    /// The request's machine, when <see cref="Permissions.MayRequest"/> lets the user ask for this command on it.
    /// A refusal reads "You may not <paramref name="action"/> &lt;machine&gt;."
    /// </summary>
    public async Task<Machine> RequireMachineAsync(RequestContext context, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var machine = await RequireMachineAsync(context.Request, cancellationToken);
        Permissions.Demand(Permissions.MayRequest(context.User, machine, context.Request.Command), $"{action} {machine.Name}");
        return machine;
    }

    /// <summary>The machine as the hypervisor sees it now, or null when the hypervisor no longer has it.</summary>
    public Task<MachineDescription?> DescribeAsync(Machine machine, CancellationToken cancellationToken) =>
        hypervisor.FindMachineAsync(machine.Uuid, cancellationToken);

    /// <summary>Records the hypervisor's state of the machine; returns it.</summary>
    public async Task<MachineState> RecordStateAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var description = await DescribeAsync(machine, cancellationToken);
        var state = description?.State ?? MachineState.Unknown;
        await machines.SetStateAsync(machine.Id, state, timeProvider.GetUtcNow(), cancellationToken);
        return state;
    }

    /// <summary>
    /// Starts the machine with new display passwords (a hibernated one resumes, then gets them) and records
    /// its displays with their ports. Succeeds when it already runs (its passwords are not changed then).
    /// </summary>
    public async Task<IReadOnlyList<MachineDisplay>> StartAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var current = await DescribeAsync(machine, cancellationToken)
            ?? throw new RequestRefusedException($"Machine {machine.Name} is gone from the hypervisor; an administrator can re-import it.");
        if (current.State is MachineState.Running or MachineState.Paused)
        {
            var recorded = await machines.ListDisplaysAsync(machine.Id, cancellationToken);
            if (RecordedFor(recorded, current.Displays))
            {
                await machines.SetStateAsync(machine.Id, current.State, timeProvider.GetUtcNow(), cancellationToken);
                return recorded;
            }

            // Started by someone who did not live to record its displays (a daemon killed mid-start):
            // the passwords it set are unknown, so the machine gets new ones.
            var renewed = DisplayTickets.Create();
            await hypervisor.SetDisplayPasswordsAsync(machine.Uuid, renewed, cancellationToken);
            return await RecordDisplaysAsync(machine, renewed, cancellationToken);
        }

        var tickets = DisplayTickets.Create();
        if (current.State == MachineState.Hibernated)
        {
            await hypervisor.StartAsync(machine.Uuid, cancellationToken);
            await hypervisor.SetDisplayPasswordsAsync(machine.Uuid, tickets, cancellationToken);
        }
        else
        {
            await hypervisor.SetDisplayPasswordsAsync(machine.Uuid, tickets, cancellationToken);
            await hypervisor.StartAsync(machine.Uuid, cancellationToken);
        }

        return await RecordDisplaysAsync(machine, tickets, cancellationToken);
    }

    private static bool RecordedFor(IReadOnlyList<MachineDisplay> recorded, IReadOnlyList<DisplayEndpoint> current) =>
        recorded.Count == current.Count
        && current.All(endpoint => recorded.Any(display => display.Protocol == endpoint.Protocol && display.Port == endpoint.Port && display.TlsPort == endpoint.TlsPort));

    /// <summary>Records the displays of a running machine with the tickets it was given.</summary>
    public async Task<IReadOnlyList<MachineDisplay>> RecordDisplaysAsync(Machine machine, DisplayPasswords tickets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(tickets);
        var running = await DescribeAsync(machine, cancellationToken)
            ?? throw new RetryLaterException($"Machine {machine.Name} vanished right after it started.");
        var displays = running.Displays
            .Select(display => new MachineDisplay(display.Protocol, display.ListenAddress, display.Port, display.TlsPort, display.Protocol == DisplayProtocol.Spice ? tickets.Spice : tickets.Vnc))
            .ToList();
        await machines.SetDisplaysAsync(machine.Id, displays, cancellationToken);
        await machines.SetStateAsync(machine.Id, running.State, timeProvider.GetUtcNow(), cancellationToken);
        return displays;
    }

    /// <summary>
    /// Asks the guest to shut down and waits up to <paramref name="timeout"/>; then powers it off.
    /// Returns true when it had to be forced.
    /// </summary>
    public async Task<bool> ShutDownAsync(Machine machine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (!await IsRunningAsync(machine, cancellationToken))
        {
            await RecordStateAsync(machine, cancellationToken);
            return false;
        }

        await hypervisor.RequestShutdownAsync(machine.Uuid, cancellationToken);
        var deadline = timeProvider.GetUtcNow() + timeout;
        while (timeProvider.GetUtcNow() < deadline)
        {
            await Task.Delay(StatePollInterval, timeProvider, cancellationToken);
            if (!await IsRunningAsync(machine, cancellationToken))
            {
                await RecordStateAsync(machine, cancellationToken);
                return false;
            }
        }

        await hypervisor.ForceOffAsync(machine.Uuid, cancellationToken);
        await RecordStateAsync(machine, cancellationToken);
        return true;
    }

    /// <summary>Powers the machine off at once when it runs.</summary>
    public async Task ForceOffAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        await hypervisor.ForceOffAsync(machine.Uuid, cancellationToken);
        await RecordStateAsync(machine, cancellationToken);
    }

    /// <summary>
    /// Removes the machine from the hypervisor and the database with its volumes. Base images are deleted
    /// too, so callers must have refused bases that still have clones.
    /// </summary>
    public async Task RemoveAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var volumes = await machines.ListVolumesAsync(machine.Id, cancellationToken);
        var description = await DescribeAsync(machine, cancellationToken);
        if (description is not null)
        {
            await hypervisor.ForceOffAsync(machine.Uuid, cancellationToken);
            if (description.IsPersistent)
            {
                await hypervisor.UndefineAsync(machine.Uuid, cancellationToken);
            }
        }

        var paths = volumes.Where(volume => volume.Device == "disk").Select(volume => volume.Path)
            .Concat(description?.Disks.Where(disk => disk.Device == "disk").Select(disk => disk.Path) ?? [])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            await hypervisor.DeleteVolumeAsync(path, cancellationToken);
        }

        await machines.RemoveAsync(machine.Id, cancellationToken);
    }

    /// <summary>The hardware of a machine as a definition for the hypervisor, with these disks.</summary>
    public DesktopDefinition DefinitionFor(Machine machine, IReadOnlyList<DiskAttachment> disks, string? cdromPath, bool bootFromCdrom, string ownerName, string? baseName)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return new DesktopDefinition
        {
            Name = machine.Name,
            Id = machine.Uuid,
            MemoryMiB = machine.MemoryMiB,
            VirtualCpus = machine.VirtualCpus,
            OsFamily = machine.OsFamily,
            Disks = disks,
            CdromPath = cdromPath,
            BootFromCdrom = bootFromCdrom,
            Network = machine.Network,
            Display = new DisplaySettings(Options.DisplayListenAddress, DisplayTickets.Create()),
            Ownership = new MachineOwnership(ownerName, baseName, machine.IsVolatile),
        };
    }

    /// <summary>Finds an ISO by volume name in the ISO pool (users never pass raw paths).</summary>
    public async Task<string> IsoPathAsync(string isoName, CancellationToken cancellationToken)
    {
        MachineName.Validate(isoName, "ISO name");
        var volumes = await hypervisor.ListVolumesAsync(Options.IsoPool, cancellationToken);
        return volumes.FirstOrDefault(volume => volume.Name == isoName)?.Path
            ?? throw new RequestRefusedException($"There is no ISO named '{isoName}' in storage pool '{Options.IsoPool}'.");
    }

    /// <summary>The volumes the hypervisor reports for a machine, in the form the database records.</summary>
    public static async Task<List<MachineVolume>> VolumesOfAsync(IHypervisor hypervisor, MachineDescription description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hypervisor);
        ArgumentNullException.ThrowIfNull(description);
        var volumes = new List<MachineVolume>();
        foreach (var disk in description.Disks)
        {
            var capacity = 0L;
            if (disk.Path is not null && disk.Device == "disk")
            {
                capacity = (await hypervisor.FindVolumeAsync(disk.Path, cancellationToken))?.CapacityBytes ?? 0;
            }

            volumes.Add(new MachineVolume(disk.Target, disk.Device, disk.Path, disk.Format, capacity, disk.BackingPath, IsBaseImage: false));
        }

        return volumes;
    }

    /// <summary>The storage pool whose directory holds <paramref name="path"/>.</summary>
    public async Task<string> PoolOfAsync(string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path);
        var pools = await hypervisor.ListStoragePoolsAsync(cancellationToken);
        return pools.FirstOrDefault(pool => pool.IsActive && string.Equals(pool.Path?.TrimEnd('/'), directory, StringComparison.Ordinal))?.Name
            ?? throw new RequestRefusedException($"No active storage pool holds {Path.GetFileName(path)}; an administrator must define one for its directory.");
    }

    private async Task<bool> IsRunningAsync(Machine machine, CancellationToken cancellationToken) =>
        (await DescribeAsync(machine, cancellationToken))?.State is MachineState.Running or MachineState.Paused or MachineState.ShuttingDown or MachineState.GuestSuspended;
}
