using System.Globalization;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;

namespace Ravada.Core.Broker.Handlers;

/// <summary><c>rename_domain</c>: renames a machine that is off.</summary>
public sealed class RenameHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Rename;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("name");
        var machine = await operations.RequireMachineAsync(context, "rename", cancellationToken);
        var name = MachineName.Validate(context.Arguments.RequireString("name"));
        if (name == machine.Name)
        {
            return JsonSerializer.Serialize(new { machine = machine.Id, name });
        }

        if (machine.IsBase && (await machines.ListClonesAsync(machine.Id, cancellationToken)).Count > 0)
        {
            throw new RequestRefusedException($"{machine.Name} is a base with clones: it cannot be renamed.");
        }

        if (await machines.NameExistsAsync(name, cancellationToken))
        {
            throw new RequestRefusedException($"A machine named {name} already exists: choose another name.");
        }

        try
        {
            await hypervisor.RenameAsync(machine.Uuid, name, cancellationToken);
        }
        catch (HypervisorException exception) when (exception.Kind == HypervisorFailure.InvalidState)
        {
            throw new RequestRefusedException($"{machine.Name} is running: shut it down before renaming it.", exception);
        }

        await machines.UpdateAsync(machine with { Name = name }, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, name });
    }
}

/// <summary><c>change_hardware</c>: memory and virtual CPUs; a running machine gets them at its next start.</summary>
public sealed class ChangeHardwareHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.ChangeHardware;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("memory_mib", "vcpus");
        var machine = await operations.RequireMachineAsync(context, "change the hardware of", cancellationToken);
        var memory = context.Arguments.Has("memory_mib") ? context.Arguments.GetInt64InRange("memory_mib", 128, 1024 * 1024, 0) : (long?)null;
        var cpus = context.Arguments.Has("vcpus") ? (int)context.Arguments.GetInt64InRange("vcpus", 1, 64, 0) : (int?)null;
        if (memory is null && cpus is null)
        {
            throw new RequestArgumentException("give memory_mib, vcpus or both");
        }

        var needsRestart = await hypervisor.SetMemoryAndCpusAsync(machine.Uuid, memory, cpus, cancellationToken);
        await machines.UpdateAsync(
            machine with { MemoryMiB = memory ?? machine.MemoryMiB, VirtualCpus = cpus ?? machine.VirtualCpus, NeedsRestart = machine.NeedsRestart || needsRestart },
            cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, needs_restart = needsRestart });
    }
}

/// <summary><c>add_disk</c>: a new empty qcow2 disk in the storage pool, attached to the machine.</summary>
public sealed class AddDiskHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.AddDisk;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("size_gib");
        var machine = await operations.RequireMachineAsync(context, "add disks to", cancellationToken);
        if (machine.IsBase)
        {
            throw new RequestRefusedException($"{machine.Name} is a base: its disks are fixed while it is one.");
        }

        var sizeGib = context.Arguments.GetInt64InRange("size_gib", 1, 16 * 1024, 10);
        var volumeName = string.Create(CultureInfo.InvariantCulture, $"{machine.Name}-data-r{context.Request.Id}.qcow2");
        var volume = await hypervisor.FindVolumeByNameAsync(operations.Options.StoragePool, volumeName, cancellationToken)
            ?? await hypervisor.CreateVolumeAsync(operations.Options.StoragePool, volumeName, sizeGib * 1024 * 1024 * 1024, cancellationToken);
        var description = await operations.DescribeAsync(machine, cancellationToken)
            ?? throw new RequestRefusedException($"Machine {machine.Name} is gone from the hypervisor.");
        var target = description.Disks.FirstOrDefault(disk => disk.Path == volume.Path)?.Target
            ?? await hypervisor.AttachDiskAsync(machine.Uuid, new DiskAttachment(volume.Path), cancellationToken);
        var volumes = (await machines.ListVolumesAsync(machine.Id, cancellationToken)).Where(existing => existing.Target != target).ToList();
        volumes.Add(new MachineVolume(target, "disk", volume.Path, "qcow2", volume.CapacityBytes, null, IsBaseImage: false));
        await machines.SetVolumesAsync(machine.Id, volumes, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, target });
    }
}

/// <summary><c>remove_disk</c>: detaches a disk and deletes its volume (never a base image, never the last disk).</summary>
public sealed class RemoveDiskHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.RemoveDisk;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("target");
        var machine = await operations.RequireMachineAsync(context, "remove disks of", cancellationToken);
        var target = context.Arguments.RequireString("target");
        if (machine.IsBase)
        {
            throw new RequestRefusedException($"{machine.Name} is a base: its disks are fixed while it is one.");
        }

        var volumes = await machines.ListVolumesAsync(machine.Id, cancellationToken);
        var disk = volumes.FirstOrDefault(volume => volume.Target == target && volume.Device == "disk" && !volume.IsBaseImage);
        if (disk is null)
        {
            return JsonSerializer.Serialize(new { machine = machine.Id, target, removed = false });
        }

        if (volumes.Count(volume => volume.Device == "disk" && !volume.IsBaseImage) == 1)
        {
            throw new RequestRefusedException($"{target} is the only disk of {machine.Name}: it cannot be removed.");
        }

        var description = await operations.DescribeAsync(machine, cancellationToken);
        if (description?.Disks.Any(attached => attached.Target == target) == true)
        {
            await hypervisor.DetachDiskAsync(machine.Uuid, target, cancellationToken);
        }

        if (disk.Path is not null)
        {
            await hypervisor.DeleteVolumeAsync(disk.Path, cancellationToken);
        }

        await machines.SetVolumesAsync(machine.Id, [.. volumes.Where(volume => volume != disk)], cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, target, removed = true });
    }
}

/// <summary><c>set_cdrom</c>: inserts an ISO from the ISO pool into the CD-ROM drive, or ejects it (no <c>iso</c>).</summary>
public sealed class SetCdromHandler(MachineOperations operations, IHypervisor hypervisor, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.SetCdrom;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("iso");
        var machine = await operations.RequireMachineAsync(context, "change the CD-ROM of", cancellationToken);
        var isoName = context.Arguments.GetString("iso");
        var isoPath = isoName is null ? null : await operations.IsoPathAsync(isoName, cancellationToken);
        await hypervisor.SetCdromAsync(machine.Uuid, isoPath, cancellationToken);
        var description = await operations.DescribeAsync(machine, cancellationToken);
        if (description is not null)
        {
            var recorded = (await machines.ListVolumesAsync(machine.Id, cancellationToken)).Where(volume => volume.Device != "cdrom");
            var cdroms = description.Disks
                .Where(disk => disk.Device == "cdrom")
                .Select(disk => new MachineVolume(disk.Target, disk.Device, disk.Path, disk.Format, 0, null, IsBaseImage: false));
            await machines.SetVolumesAsync(machine.Id, [.. recorded, .. cdroms], cancellationToken);
        }

        return JsonSerializer.Serialize(new { machine = machine.Id, iso = isoName });
    }
}

/// <summary><c>remove</c>: removes a machine with its volumes. A base with clones is refused.</summary>
public sealed class RemoveHandler(MachineOperations operations, IMachineStore machines) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Remove;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        if (context.Request.MachineId is { } id && await machines.FindAsync(id, cancellationToken) is null)
        {
            return JsonSerializer.Serialize(new { machine = id, removed = true });
        }

        var machine = await operations.RequireMachineAsync(context, "remove", cancellationToken);
        var clones = await machines.ListClonesAsync(machine.Id, cancellationToken);
        if (clones.Count > 0)
        {
            throw new RequestRefusedException(string.Create(CultureInfo.InvariantCulture, $"{machine.Name} is a base with {clones.Count} clone(s): remove them first."));
        }

        await context.PhaseAsync("removing");
        await operations.RemoveAsync(machine, cancellationToken);
        return JsonSerializer.Serialize(new { machine = machine.Id, removed = true });
    }
}
