using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker.Handlers;

/// <summary>
/// <c>create</c>: a new machine that boots an installer ISO from the ISO pool, with an empty system disk,
/// on the Linux or Windows hardware template. Needs create_machine.
/// </summary>
public sealed class CreateHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines, INodeStore nodes, TimeProvider timeProvider) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Create;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = context.Arguments;
        arguments.OnlyAllow("name", "memory_mib", "vcpus", "disk_gib", "iso", "os", "start");
        Permissions.Demand(context.User.Has(Grant.CreateMachine), "create machines");
        var name = MachineName.Validate(arguments.RequireString("name"));
        var memory = arguments.GetInt64InRange("memory_mib", 128, 1024 * 1024, 2048);
        var cpus = (int)arguments.GetInt64InRange("vcpus", 1, 64, 2);
        var diskGib = arguments.GetInt64InRange("disk_gib", 1, 16 * 1024, 20);
        var family = arguments.GetString("os") switch
        {
            null or "linux" => GuestOsFamily.Linux,
            "windows" => GuestOsFamily.Windows,
            var other => throw new RequestArgumentException($"argument 'os' must be linux or windows, not '{other}'"),
        };
        var isoPath = await operations.IsoPathAsync(arguments.RequireString("iso"), cancellationToken);

        var machine = await machines.FindByCreatingRequestAsync(context.Request.Id, cancellationToken);
        if (machine is null)
        {
            if (await machines.NameExistsAsync(name, cancellationToken) || await hypervisor.FindMachineByNameAsync(name, cancellationToken) is not null)
            {
                throw new RequestRefusedException($"A machine named {name} already exists: choose another name.");
            }

            var node = (await nodes.ListAsync(cancellationToken)).FirstOrDefault(candidate => candidate.Enabled)
                ?? throw new RequestRefusedException("No enabled node to create the machine on.");
            var now = timeProvider.GetUtcNow();
            machine = await machines.CreateAsync(
                new Machine
                {
                    Id = 0,
                    Uuid = Guid.NewGuid(),
                    Name = name,
                    OwnerId = context.User.User.Id,
                    State = MachineState.Unknown,
                    NodeId = node.Id,
                    OsFamily = family,
                    MemoryMiB = memory,
                    VirtualCpus = cpus,
                    Network = operations.Options.Network,
                    ShutdownTimeoutSeconds = operations.Options.ShutdownTimeoutSeconds,
                    CreatedByRequestId = context.Request.Id,
                    CreatedAt = now,
                    ChangedAt = now,
                    StateChangedAt = now,
                },
                cancellationToken);
        }

        await context.PhaseAsync("creating the disk");
        var diskName = $"{machine.Name}-vda.qcow2";
        var disk = await hypervisor.FindVolumeByNameAsync(operations.Options.StoragePool, diskName, cancellationToken)
            ?? await hypervisor.CreateVolumeAsync(operations.Options.StoragePool, diskName, diskGib * 1024 * 1024 * 1024, cancellationToken);
        await context.PhaseAsync("defining");
        if (await hypervisor.FindMachineAsync(machine.Uuid, cancellationToken) is null)
        {
            var definition = operations.DefinitionFor(machine, [new DiskAttachment(disk.Path)], isoPath, bootFromCdrom: true, context.User.User.Name, baseName: null);
            await hypervisor.DefineMachineAsync(definition, cancellationToken);
        }

        var description = await hypervisor.FindMachineAsync(machine.Uuid, cancellationToken)
            ?? throw new RetryLaterException($"Machine {machine.Name} vanished right after it was defined.");
        await machines.SetVolumesAsync(machine.Id, await MachineOperations.VolumesOfAsync(hypervisor, description, cancellationToken), cancellationToken);
        await machines.SetStateAsync(machine.Id, description.State, timeProvider.GetUtcNow(), cancellationToken);
        if (arguments.GetBoolean("start") == true)
        {
            await context.PhaseAsync("starting");
            await operations.StartAsync(machine, cancellationToken);
        }

        return JsonSerializer.Serialize(new { machine = machine.Id, name = machine.Name });
    }
}

/// <summary>
/// <c>import_domain</c>: adopts a libvirt domain the broker does not know yet, for an owner. Administrators only.
/// </summary>
public sealed class ImportHandler(IHypervisor hypervisor, IMachineStore machines, IUserStore users, INodeStore nodes, MachineOperations operations, TimeProvider timeProvider) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Import;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("name", "owner");
        Permissions.Demand(context.User.User.IsAdmin, "import machines");
        var name = MachineName.Validate(context.Arguments.RequireString("name"));
        var ownerName = context.Arguments.RequireString("owner");
        var owner = await users.FindByNameAsync(ownerName, cancellationToken)
            ?? throw new RequestRefusedException($"There is no user named {ownerName}.");
        var description = await hypervisor.FindMachineByNameAsync(name, cancellationToken)
            ?? throw new RequestRefusedException($"libvirt has no domain named {name}.");
        if (!description.IsPersistent)
        {
            throw new RequestRefusedException($"{name} is a transient domain: only persistent domains can be imported.");
        }

        var existing = await machines.FindByUuidAsync(description.Id, cancellationToken);
        if (existing is not null)
        {
            if (existing.CreatedByRequestId == context.Request.Id)
            {
                return JsonSerializer.Serialize(new { machine = existing.Id, name = existing.Name });
            }

            throw new RequestRefusedException($"{name} is already managed by the broker.");
        }

        if (await machines.NameExistsAsync(name, cancellationToken))
        {
            throw new RequestRefusedException($"Another machine is already named {name}.");
        }

        await context.PhaseAsync("importing");
        var node = (await nodes.ListAsync(cancellationToken)).FirstOrDefault(candidate => candidate.Enabled)
            ?? throw new RequestRefusedException("No enabled node to import the machine into.");
        var now = timeProvider.GetUtcNow();
        var machine = await machines.CreateAsync(
            new Machine
            {
                Id = 0,
                Uuid = description.Id,
                Name = description.Name,
                OwnerId = owner.Id,
                State = description.State,
                NodeId = node.Id,
                MemoryMiB = description.MemoryMiB,
                VirtualCpus = description.VirtualCpus,
                Network = operations.Options.Network,
                ShutdownTimeoutSeconds = operations.Options.ShutdownTimeoutSeconds,
                CreatedByRequestId = context.Request.Id,
                CreatedAt = now,
                ChangedAt = now,
                StateChangedAt = now,
            },
            cancellationToken);
        await machines.SetVolumesAsync(machine.Id, await MachineOperations.VolumesOfAsync(hypervisor, description, cancellationToken), cancellationToken);
        await hypervisor.SetOwnershipAsync(machine.Uuid, new MachineOwnership(owner.Name, null, false), cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, name = machine.Name });
    }
}
