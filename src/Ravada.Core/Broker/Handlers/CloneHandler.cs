using System.Text.Json;
using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker.Handlers;

/// <summary>
/// <c>clone</c>: gives a user a machine cloned from a base — qcow2 overlays of the base images, created in
/// milliseconds — and optionally starts it. Without a name the user's existing clone of that base is reused.
/// Choosing a name or several clones at once needs clone_all. A re-run after a crash continues the clone
/// its first attempt created. The base is named by the argument <c>base_id</c> rather than the request's
/// machine, so that many users' clones of one base run in parallel instead of one at a time.
/// </summary>
public sealed class CloneHandler(
    MachineOperations operations, IHypervisor hypervisor, IMachineStore machines, IRequestQueue queue, DisplayAccessChanges displayAccess, TimeProvider timeProvider)
    : IRequestHandler
{
    private const int MaxClonesAtOnce = 50;

    /// <inheritdoc />
    public string Command => RequestCommands.Clone;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = context.Arguments;
        arguments.OnlyAllow("base_id", "name", "number", "start", "volatile", "remote_ip");
        var baseId = arguments.RequireInt64("base_id");
        var baseMachine = await machines.FindAsync(baseId, cancellationToken)
            ?? throw new RequestRefusedException($"Base {baseId} does not exist (any more).");
        Permissions.Demand(await machines.MayCloneAsync(context.User, baseMachine, cancellationToken), $"clone {baseMachine.Name}");
        if (!baseMachine.IsBase)
        {
            throw new RequestRefusedException($"{baseMachine.Name} is not a base: prepare it as a base first.");
        }

        var viewerAddress = StartHandler.ViewerAddress(arguments);
        var explicitName = arguments.GetString("name");
        var number = arguments.GetInt64InRange("number", 1, MaxClonesAtOnce, 1);
        var isVolatile = arguments.GetBoolean("volatile") ?? baseMachine.VolatileClones;
        if ((explicitName is not null || number > 1 || isVolatile != baseMachine.VolatileClones) && !context.User.Has(Grant.CloneAll))
        {
            throw new RequestDeniedException("You may not choose the name, the count or the volatility of clones.");
        }

        if (number > 1)
        {
            return await FanOutAsync(context, baseMachine, (int)number, viewerAddress, cancellationToken);
        }

        var clone = await machines.FindByCreatingRequestAsync(context.Request.Id, cancellationToken);
        if (clone is null && explicitName is null)
        {
            clone = (await machines.ListClonesAsync(baseMachine.Id, cancellationToken)).FirstOrDefault(existing => existing.OwnerId == context.User.User.Id);
            if (clone is not null)
            {
                return await FinishAsync(context, clone, reused: true, cancellationToken);
            }
        }

        clone ??= await RecordCloneAsync(context, baseMachine, explicitName, isVolatile, cancellationToken);
        await context.PhaseAsync("cloning");
        var disks = await CreateOverlaysAsync(baseMachine, clone, cancellationToken);
        await context.PhaseAsync("defining");
        var cdrom = baseMachine.KeepCdrom
            ? (await machines.ListVolumesAsync(baseMachine.Id, cancellationToken)).FirstOrDefault(volume => volume.Device == "cdrom" && volume.Path is not null)?.Path
            : null;
        var definition = operations.DefinitionFor(clone, disks, cdrom, bootFromCdrom: cdrom is not null, context.User.User.Name, baseMachine.Name);
        if (clone.IsVolatile)
        {
            await machines.SetViewerAddressAsync(clone.Id, viewerAddress, cancellationToken);
            if (await hypervisor.FindMachineAsync(clone.Uuid, cancellationToken) is null)
            {
                await hypervisor.StartTransientMachineAsync(definition, cancellationToken);
            }

            await operations.RecordDisplaysAsync(clone, definition.Display.Passwords, cancellationToken);
            displayAccess.Notify();
            await context.PhaseAsync("display ready");
            return Result(clone, reused: false);
        }

        if (await hypervisor.FindMachineAsync(clone.Uuid, cancellationToken) is null)
        {
            await hypervisor.DefineMachineAsync(definition, cancellationToken);
        }

        await machines.SetStateAsync(clone.Id, MachineState.ShutOff, timeProvider.GetUtcNow(), cancellationToken);
        return await FinishAsync(context, clone, reused: false, cancellationToken);
    }

    private async Task<string?> FinishAsync(RequestContext context, Machine clone, bool reused, CancellationToken cancellationToken)
    {
        if (context.Arguments.GetBoolean("start") == true)
        {
            await machines.SetViewerAddressAsync(clone.Id, StartHandler.ViewerAddress(context.Arguments), cancellationToken);
            await context.PhaseAsync("starting");
            await operations.StartAsync(clone, cancellationToken);
            displayAccess.Notify();
            await context.PhaseAsync("display ready");
        }

        return Result(clone, reused);
    }

    private static string Result(Machine clone, bool reused) =>
        JsonSerializer.Serialize(new { machine = clone.Id, name = clone.Name, reused });

    private async Task<Machine> RecordCloneAsync(RequestContext context, Machine baseMachine, string? explicitName, bool isVolatile, CancellationToken cancellationToken)
    {
        string name;
        if (explicitName is not null)
        {
            name = MachineName.Validate(explicitName);
            if (await machines.NameExistsAsync(name, cancellationToken))
            {
                throw new RequestRefusedException($"A machine named {name} already exists: choose another name.");
            }
        }
        else
        {
            name = await CloneNaming.FreeNameAsync(baseMachine.Name, context.User.User.Name, context.User.User.Id, candidate => machines.NameExistsAsync(candidate, cancellationToken));
        }

        var now = timeProvider.GetUtcNow();
        try
        {
            return await machines.CreateAsync(
                new Machine
                {
                    Id = 0,
                    Uuid = Guid.NewGuid(),
                    Name = name,
                    OwnerId = context.User.User.Id,
                    BaseId = baseMachine.Id,
                    IsVolatile = isVolatile,
                    State = MachineState.Unknown,
                    NodeId = baseMachine.NodeId,
                    OsFamily = baseMachine.OsFamily,
                    MemoryMiB = baseMachine.MemoryMiB,
                    VirtualCpus = baseMachine.VirtualCpus,
                    Network = baseMachine.Network,
                    RunTimeoutSeconds = baseMachine.RunTimeoutSeconds,
                    ShutdownTimeoutSeconds = baseMachine.ShutdownTimeoutSeconds,
                    CreatedByRequestId = context.Request.Id,
                    CreatedAt = now,
                    ChangedAt = now,
                    StateChangedAt = now,
                },
                cancellationToken);
        }
        catch (DuplicateNameException exception)
        {
            throw new RetryLaterException($"The name {name} was taken while cloning; trying another.", exception);
        }
    }

    private async Task<List<DiskAttachment>> CreateOverlaysAsync(Machine baseMachine, Machine clone, CancellationToken cancellationToken)
    {
        var baseImages = (await machines.ListVolumesAsync(baseMachine.Id, cancellationToken)).Where(volume => volume.IsBaseImage && volume.Path is not null).ToList();
        if (baseImages.Count == 0)
        {
            throw new RequestRefusedException($"Base {baseMachine.Name} has no base images: prepare it as a base again.");
        }

        var pool = operations.Options.ClonePool;
        var disks = new List<DiskAttachment>();
        var recorded = new List<MachineVolume>();
        foreach (var image in baseImages)
        {
            var overlayName = $"{clone.Name}-{image.Target}.qcow2";
            var overlay = await hypervisor.FindVolumeByNameAsync(pool, overlayName, cancellationToken);
            if (overlay is not null && overlay.BackingPath != image.Path)
            {
                await hypervisor.DeleteVolumeAsync(overlay.Path, cancellationToken);
                overlay = null;
            }

            overlay ??= await hypervisor.CloneDiskAsync(pool, image.Path!, overlayName, cancellationToken);
            disks.Add(new DiskAttachment(overlay.Path));
            recorded.Add(new MachineVolume(image.Target, "disk", overlay.Path, "qcow2", overlay.CapacityBytes, image.Path, IsBaseImage: false));
        }

        await machines.SetVolumesAsync(clone.Id, recorded, cancellationToken);
        return disks;
    }

    private async Task<string?> FanOutAsync(RequestContext context, Machine baseMachine, int number, string? viewerAddress, CancellationToken cancellationToken)
    {
        var owner = context.User.User;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var requestIds = new List<long>();
        for (var index = 0; index < number; index++)
        {
            var name = await CloneNaming.FreeNameAsync(
                baseMachine.Name,
                owner.Name,
                owner.Id,
                async candidate => taken.Contains(candidate) || await machines.NameExistsAsync(candidate, cancellationToken));
            taken.Add(name);
            var arguments = RequestArguments.Empty.With("base_id", baseMachine.Id).With("name", name);
            if (context.Arguments.GetBoolean("volatile") is { } isVolatile)
            {
                arguments = arguments.With("volatile", isVolatile);
            }

            if (context.Arguments.GetBoolean("start") is { } start)
            {
                arguments = arguments.With("start", start);
            }

            if (viewerAddress is not null)
            {
                arguments = arguments.With("remote_ip", viewerAddress);
            }

            var queued = await queue.EnqueueAsync(
                new NewRequest { Command = RequestCommands.Clone, UserId = owner.Id, Arguments = arguments },
                cancellationToken);
            requestIds.Add(queued.Id);
        }

        return JsonSerializer.Serialize(new { requests = requestIds });
    }
}
