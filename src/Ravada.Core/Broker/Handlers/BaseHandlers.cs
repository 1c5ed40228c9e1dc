using System.Globalization;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;

namespace Ravada.Core.Broker.Handlers;

/// <summary>
/// <c>prepare_base</c>: turns a machine into a base. Each disk is copied, flattened, into a read-only base
/// image in the base pool, and the machine's own disk becomes an empty overlay of it, so the base keeps
/// working as a machine. A running machine is shut down first. Each step checks what a crashed earlier
/// attempt left, so a re-run finishes the job without losing data.
/// </summary>
public sealed class PrepareBaseHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.PrepareBase;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("publish", "volatile_clones", "with_cd");
        var machine = await operations.RequireMachineAsync(context, "make a base of", cancellationToken);
        if (machine.IsVolatile)
        {
            throw new RequestRefusedException($"{machine.Name} is volatile: a volatile machine cannot become a base.");
        }

        var volumes = await machines.ListVolumesAsync(machine.Id, cancellationToken);
        var disks = volumes.Where(volume => volume.Device == "disk" && !volume.IsBaseImage && volume.Path is not null).ToList();
        if (disks.Count == 0)
        {
            throw new RequestRefusedException($"{machine.Name} has no disk to make a base of.");
        }

        if (!machine.IsBase)
        {
            await context.PhaseAsync("shutting down");
            await operations.ShutDownAsync(machine, TimeSpan.FromSeconds(machine.ShutdownTimeoutSeconds), cancellationToken);
            await hypervisor.DiscardHibernationAsync(machine.Uuid, cancellationToken);
            await context.PhaseAsync("copying disks");
            var recorded = new List<MachineVolume>();
            foreach (var disk in disks)
            {
                var image = await MakeBaseImageAsync(machine, disk, cancellationToken);
                recorded.Add(disk with { BackingPath = image.Path, Format = "qcow2" });
                recorded.Add(new MachineVolume(disk.Target, "disk", image.Path, "qcow2", image.CapacityBytes, null, IsBaseImage: true));
            }

            recorded.AddRange(volumes.Where(volume => volume.Device != "disk"));
            await machines.SetVolumesAsync(machine.Id, recorded, cancellationToken);
        }

        var updated = machine with
        {
            IsBase = true,
            IsPublic = context.Arguments.GetBoolean("publish") ?? machine.IsPublic,
            VolatileClones = context.Arguments.GetBoolean("volatile_clones") ?? machine.VolatileClones,
            KeepCdrom = context.Arguments.GetBoolean("with_cd") ?? machine.KeepCdrom,
        };
        await machines.UpdateAsync(updated, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, is_public = updated.IsPublic });
    }

    private async Task<VolumeDescription> MakeBaseImageAsync(Machine machine, MachineVolume disk, CancellationToken cancellationToken)
    {
        var basePool = operations.Options.BasePool;
        var imageName = $"{machine.Name}-{disk.Target}.ro.qcow2";
        var image = await hypervisor.FindVolumeByNameAsync(basePool, imageName, cancellationToken);
        var current = await hypervisor.FindVolumeAsync(disk.Path!, cancellationToken);
        if (image is not null && current is not null && current.BackingPath == image.Path)
        {
            await hypervisor.ReplaceDiskAsync(machine.Uuid, disk.Target, disk.Path!, cancellationToken);
            return image;
        }

        var diskPool = current?.Pool ?? await operations.PoolOfAsync(disk.Path!, cancellationToken);
        if (image is not null && current is not null)
        {
            // The disk is still the original, so the copy may have been interrupted: copy again.
            await hypervisor.DeleteVolumeAsync(image.Path, cancellationToken);
            image = null;
        }

        if (image is null)
        {
            image = await hypervisor.CopyVolumeAsync(disk.Path!, basePool, imageName, readOnly: true, cancellationToken);
        }

        if (current is not null)
        {
            await hypervisor.DeleteVolumeAsync(current.Path, cancellationToken);
        }

        await hypervisor.CloneDiskAsync(diskPool, image.Path, Path.GetFileName(disk.Path!), cancellationToken);
        await hypervisor.ReplaceDiskAsync(machine.Uuid, disk.Target, disk.Path!, cancellationToken);
        return image;
    }
}

/// <summary>
/// <c>remove_base</c>: turns a base without clones back into a plain machine: each overlay is flattened into a
/// standalone disk, the machine is pointed at it, and the base images are deleted.
/// </summary>
public sealed class RemoveBaseHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.RemoveBase;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        var machine = await operations.RequireMachineAsync(context, "change the base", cancellationToken);
        if (!machine.IsBase)
        {
            return JsonSerializer.Serialize(new { machine = machine.Id, is_base = false });
        }

        var clones = await machines.ListClonesAsync(machine.Id, cancellationToken);
        if (clones.Count > 0)
        {
            throw new RequestRefusedException(string.Create(CultureInfo.InvariantCulture, $"{machine.Name} still has {clones.Count} clone(s): remove them first."));
        }

        await context.PhaseAsync("shutting down");
        await operations.ShutDownAsync(machine, TimeSpan.FromSeconds(machine.ShutdownTimeoutSeconds), cancellationToken);
        await hypervisor.DiscardHibernationAsync(machine.Uuid, cancellationToken);
        await context.PhaseAsync("flattening disks");
        var volumes = await machines.ListVolumesAsync(machine.Id, cancellationToken);
        var recorded = new List<MachineVolume>();
        foreach (var disk in volumes.Where(volume => volume.Device == "disk" && !volume.IsBaseImage && volume.Path is not null))
        {
            if (disk.BackingPath is null)
            {
                recorded.Add(disk);
                continue;
            }

            var flat = await FlattenAsync(machine, disk, context.Request.Id, cancellationToken);
            recorded.Add(disk with { Path = flat.Path, BackingPath = null, Format = "qcow2" });
        }

        foreach (var image in volumes.Where(volume => volume.IsBaseImage && volume.Path is not null))
        {
            await hypervisor.DeleteVolumeAsync(image.Path!, cancellationToken);
        }

        recorded.AddRange(volumes.Where(volume => volume.Device != "disk"));
        await machines.SetVolumesAsync(machine.Id, recorded, cancellationToken);
        await machines.UpdateAsync(machine with { IsBase = false, IsPublic = false, VolatileClones = false, KeepCdrom = false }, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, is_base = false });
    }

    private async Task<VolumeDescription> FlattenAsync(Machine machine, MachineVolume overlay, long requestId, CancellationToken cancellationToken)
    {
        var pool = await operations.PoolOfAsync(overlay.Path!, cancellationToken);
        var flatName = string.Create(CultureInfo.InvariantCulture, $"{machine.Name}-{overlay.Target}-r{requestId}.qcow2");
        var flat = await hypervisor.FindVolumeByNameAsync(pool, flatName, cancellationToken);
        var described = await hypervisor.FindMachineAsync(machine.Uuid, cancellationToken);
        var pointsAtFlat = described?.Disks.Any(disk => disk.Target == overlay.Target && disk.Path == flat?.Path) == true;
        if (flat is not null && !pointsAtFlat)
        {
            await hypervisor.DeleteVolumeAsync(flat.Path, cancellationToken);
            flat = null;
        }

        if (flat is null)
        {
            flat = await hypervisor.CopyVolumeAsync(overlay.Path!, pool, flatName, readOnly: false, cancellationToken);
            await hypervisor.ReplaceDiskAsync(machine.Uuid, overlay.Target, flat.Path, cancellationToken);
        }

        await hypervisor.DeleteVolumeAsync(overlay.Path!, cancellationToken);
        return flat;
    }
}

/// <summary><c>restore_domain</c>: discards a clone's changes by recreating its overlays on the base images (added disks are kept).</summary>
public sealed class RestoreHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Restore;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        var machine = await operations.RequireMachineAsync(context, "restore", cancellationToken);
        if (machine.BaseId is null)
        {
            throw new RequestRefusedException($"{machine.Name} is not a clone: there is no base to restore it to.");
        }

        await context.PhaseAsync("powering off");
        await operations.ForceOffAsync(machine, cancellationToken);
        await hypervisor.DiscardHibernationAsync(machine.Uuid, cancellationToken);
        await context.PhaseAsync("restoring disks");
        foreach (var overlay in (await machines.ListVolumesAsync(machine.Id, cancellationToken)).Where(volume => volume.BackingPath is not null && volume.Path is not null && !volume.IsBaseImage))
        {
            var pool = await operations.PoolOfAsync(overlay.Path!, cancellationToken);
            await hypervisor.DeleteVolumeAsync(overlay.Path!, cancellationToken);
            await hypervisor.CloneDiskAsync(pool, overlay.BackingPath!, Path.GetFileName(overlay.Path!), cancellationToken);
        }

        await operations.RecordStateAsync(machine, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, restored = true });
    }
}
