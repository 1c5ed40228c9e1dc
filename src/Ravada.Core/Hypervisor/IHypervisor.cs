namespace Ravada.Core.Hypervisor;

/// <summary>
/// One hypervisor node, in the broker's words. Machines are addressed by their UUID; every operation is
/// idempotent where the broker needs it to be (starting a running machine succeeds, removing an absent
/// volume succeeds). Failures are <see cref="HypervisorException"/>s whose <see cref="HypervisorException.Kind"/>
/// says whether retrying can help.
/// </summary>
public interface IHypervisor
{
    /// <summary>What this node runs: driver, versions, accelerator, CPUs and memory.</summary>
    Task<HypervisorInfo> DescribeAsync(CancellationToken cancellationToken = default);

    /// <summary>Defines a persistent desktop machine (shut off) from <paramref name="definition"/>.</summary>
    Task<MachineDescription> DefineMachineAsync(DesktopDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Creates and starts a transient (volatile) machine that disappears when it stops.</summary>
    Task<MachineDescription> StartTransientMachineAsync(DesktopDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Every machine of the node, ours or not (<see cref="MachineDescription.Ownership"/> tells).</summary>
    Task<IReadOnlyList<MachineDescription>> ListMachinesAsync(CancellationToken cancellationToken = default);

    /// <summary>The machine with this id, or null when the node does not have it.</summary>
    Task<MachineDescription?> FindMachineAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>The machine with this name, or null when the node does not have it.</summary>
    Task<MachineDescription?> FindMachineByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Starts the machine (resuming from hibernation if it was hibernated). Succeeds if it already runs.</summary>
    Task StartAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Asks the guest to shut down (ACPI); returns at once. Succeeds if it is already off.</summary>
    Task RequestShutdownAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Powers the machine off at once. Succeeds if it is already off.</summary>
    Task ForceOffAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Asks the guest to reboot (ACPI).</summary>
    Task RequestRebootAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Resets the virtual hardware at once.</summary>
    Task ResetAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Pauses the virtual CPUs. Succeeds if already paused.</summary>
    Task PauseAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Resumes paused virtual CPUs. Succeeds if already running.</summary>
    Task ResumeAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Saves memory to disk and stops (managed save); the next start resumes from it.</summary>
    Task HibernateAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Drops a hibernation image so that the next start boots afresh.</summary>
    Task DiscardHibernationAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Removes the machine's definition (it must be off). Its disks are left alone. Succeeds if absent.</summary>
    Task UndefineAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>Sets new display passwords on the running machine and in its stored definition.</summary>
    Task SetDisplayPasswordsAsync(Guid machineId, DisplayPasswords passwords, CancellationToken cancellationToken = default);

    /// <summary>Writes our ownership mark into the machine's definition (used to adopt an existing domain).</summary>
    Task SetOwnershipAsync(Guid machineId, MachineOwnership ownership, CancellationToken cancellationToken = default);

    /// <summary>Renames a machine that is off; its id stays.</summary>
    Task RenameAsync(Guid machineId, string newName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes memory and/or virtual CPUs in the stored definition; returns true when the machine runs and
    /// the change waits for its next start.
    /// </summary>
    Task<bool> SetMemoryAndCpusAsync(Guid machineId, long? memoryMiB, int? virtualCpus, CancellationToken cancellationToken = default);

    /// <summary>Adds a disk (also to the running machine when it runs); returns the guest device name it got.</summary>
    Task<string> AttachDiskAsync(Guid machineId, DiskAttachment disk, CancellationToken cancellationToken = default);

    /// <summary>Removes the disk <paramref name="target"/> from the machine (the volume stays).</summary>
    Task DetachDiskAsync(Guid machineId, string target, CancellationToken cancellationToken = default);

    /// <summary>Points the disk <paramref name="target"/> of a machine that is off at another qcow2 volume.</summary>
    Task ReplaceDiskAsync(Guid machineId, string target, string path, CancellationToken cancellationToken = default);

    /// <summary>Inserts an ISO into the CD-ROM drive, or ejects it when <paramref name="isoPath"/> is null.</summary>
    Task SetCdromAsync(Guid machineId, string? isoPath, CancellationToken cancellationToken = default);

    /// <summary>Takes a picture of the machine's screen.</summary>
    Task<Screenshot> TakeScreenshotAsync(Guid machineId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a byte stream connected to the machine's display server (VNC or SPICE), without a TCP port;
    /// the caller owns the stream. With <paramref name="skipAuthentication"/> the display password is not asked.
    /// </summary>
    Task<Stream> OpenDisplayAsync(Guid machineId, DisplayProtocol protocol, bool skipAuthentication, CancellationToken cancellationToken = default);

    /// <summary>The storage pools of the node.</summary>
    Task<IReadOnlyList<StoragePoolDescription>> ListStoragePoolsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an empty qcow2 volume of <paramref name="capacityBytes"/> in <paramref name="pool"/>.</summary>
    Task<VolumeDescription> CreateVolumeAsync(string pool, string name, long capacityBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a qcow2 volume named <paramref name="name"/> in <paramref name="pool"/> whose backing store is the
    /// volume at <paramref name="baseVolumePath"/>: an instant copy-on-write clone of a base's disk.
    /// </summary>
    Task<VolumeDescription> CloneDiskAsync(string pool, string baseVolumePath, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates <paramref name="name"/> in <paramref name="pool"/> as a full, standalone qcow2 copy of the volume at
    /// <paramref name="sourcePath"/> (a backing chain is flattened); <paramref name="readOnly"/> makes the file read-only.
    /// </summary>
    Task<VolumeDescription> CopyVolumeAsync(string sourcePath, string pool, string name, bool readOnly, CancellationToken cancellationToken = default);

    /// <summary>The volume named <paramref name="name"/> in <paramref name="pool"/>, or null.</summary>
    Task<VolumeDescription?> FindVolumeByNameAsync(string pool, string name, CancellationToken cancellationToken = default);

    /// <summary>The volume at this path, or null.</summary>
    Task<VolumeDescription?> FindVolumeAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The volumes of a pool.</summary>
    Task<IReadOnlyList<VolumeDescription>> ListVolumesAsync(string pool, CancellationToken cancellationToken = default);

    /// <summary>Deletes the volume at this path. Succeeds if it does not exist.</summary>
    Task DeleteVolumeAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// The node's events from now on, in the order the hypervisor emitted them, until
    /// <paramref name="cancellationToken"/> fires. Every caller gets every event.
    /// </summary>
    IAsyncEnumerable<HypervisorEvent> WatchEventsAsync(CancellationToken cancellationToken = default);
}
