using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;

namespace Ravada.Core.Machines;

/// <summary>Machines, their volumes, displays and thumbnails.</summary>
public interface IMachineStore
{
    /// <summary>Inserts a machine (its <see cref="Machine.Id"/> is ignored); throws <see cref="Users.DuplicateNameException"/> when the name or UUID is taken.</summary>
    Task<Machine> CreateAsync(Machine machine, CancellationToken cancellationToken = default);

    /// <summary>Writes every field of the machine except its id and creation time.</summary>
    Task UpdateAsync(Machine machine, CancellationToken cancellationToken = default);

    /// <summary>Records a state; returns false when it was already that state (or the machine is unknown).</summary>
    Task<bool> SetStateAsync(long machineId, MachineState state, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records whether a display client is connected.</summary>
    Task SetClientAsync(long machineId, bool connected, string? clientAddress, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records the client IP that asked for the machine's start (null for none); see <see cref="Machine.ViewerAddress"/>.</summary>
    Task SetViewerAddressAsync(long machineId, string? viewerAddress, CancellationToken cancellationToken = default);

    /// <summary>The displays of the machines in one of <see cref="DisplayFirewallPolicy.OpenStates"/>, by machine id.</summary>
    Task<IReadOnlyList<OpenDisplay>> ListOpenDisplaysAsync(CancellationToken cancellationToken = default);

    /// <summary>The machine with this id, or null.</summary>
    Task<Machine?> FindAsync(long machineId, CancellationToken cancellationToken = default);

    /// <summary>The machine with this libvirt UUID, or null.</summary>
    Task<Machine?> FindByUuidAsync(Guid uuid, CancellationToken cancellationToken = default);

    /// <summary>The machine with this name, or null.</summary>
    Task<Machine?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The machine a request created, or null (how a re-run request finds its own work).</summary>
    Task<Machine?> FindByCreatingRequestAsync(long requestId, CancellationToken cancellationToken = default);

    /// <summary>Every machine, by name.</summary>
    Task<IReadOnlyList<Machine>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The machines of one owner, by name.</summary>
    Task<IReadOnlyList<Machine>> ListByOwnerAsync(long ownerId, CancellationToken cancellationToken = default);

    /// <summary>The clones of a base, by name.</summary>
    Task<IReadOnlyList<Machine>> ListClonesAsync(long baseId, CancellationToken cancellationToken = default);

    /// <summary>Every base, by name.</summary>
    Task<IReadOnlyList<Machine>> ListBasesAsync(CancellationToken cancellationToken = default);

    /// <summary>The groups a base is restricted to, by name; empty when every user with clone may use it.</summary>
    Task<IReadOnlySet<string>> AccessGroupsAsync(long baseId, CancellationToken cancellationToken = default);

    /// <summary>The groups of every base restricted to groups, by base id; bases open to all are absent.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> ListAccessGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>Restricts a base to the members of a group, besides the groups it already has (no-op when listed).</summary>
    Task AllowGroupAsync(long baseId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>Takes a group off a base's list; false when it was not on it. A base left without groups is open again.</summary>
    Task<bool> DisallowGroupAsync(long baseId, long groupId, CancellationToken cancellationToken = default);

    /// <summary>Whether a machine with this name exists.</summary>
    Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Removes the machine with its volumes, displays and thumbnail rows; false when absent.</summary>
    Task<bool> RemoveAsync(long machineId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the recorded volumes of a machine.</summary>
    Task SetVolumesAsync(long machineId, IReadOnlyList<MachineVolume> volumes, CancellationToken cancellationToken = default);

    /// <summary>The recorded volumes of a machine, in target order.</summary>
    Task<IReadOnlyList<MachineVolume>> ListVolumesAsync(long machineId, CancellationToken cancellationToken = default);

    /// <summary>Every volume path any machine records (to find orphan files).</summary>
    Task<IReadOnlySet<string>> AllVolumePathsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the recorded displays of a machine.</summary>
    Task SetDisplaysAsync(long machineId, IReadOnlyList<MachineDisplay> displays, CancellationToken cancellationToken = default);

    /// <summary>The recorded displays of a machine.</summary>
    Task<IReadOnlyList<MachineDisplay>> ListDisplaysAsync(long machineId, CancellationToken cancellationToken = default);

    /// <summary>Stores the machine's thumbnail, replacing the previous one.</summary>
    Task SetThumbnailAsync(long machineId, Thumbnail thumbnail, CancellationToken cancellationToken = default);

    /// <summary>The machine's thumbnail, or null.</summary>
    Task<Thumbnail?> GetThumbnailAsync(long machineId, CancellationToken cancellationToken = default);

    /// <summary>When the thumbnails of these machines were taken (machines without one are left out), without the images.</summary>
    Task<IReadOnlyDictionary<long, DateTimeOffset>> ThumbnailTimesAsync(IReadOnlyCollection<long> machineIds, CancellationToken cancellationToken = default);
}

/// <summary>The append-only log of what happened to machines; the front end follows it by id.</summary>
public interface IMachineEventLog
{
    /// <summary>Appends an event (its id is ignored) and returns it with its id.</summary>
    Task<MachineEvent> AppendAsync(MachineEvent machineEvent, CancellationToken cancellationToken = default);

    /// <summary>Events with an id above <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The id of the newest event, 0 when the log is empty (where a new follower starts).</summary>
    Task<long> LatestIdAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest events of one machine, newest first.</summary>
    Task<IReadOnlyList<MachineEvent>> ListForMachineAsync(long machineId, int limit, CancellationToken cancellationToken = default);
}
