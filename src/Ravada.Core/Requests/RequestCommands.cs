namespace Ravada.Core.Requests;

/// <summary>The request commands, with Ravada's names, and the concurrency class of each.</summary>
public static class RequestCommands
{
    /// <summary>Does nothing; measures the queue and proves the back end is alive.</summary>
    public const string Ping = "ping";

    /// <summary>Create a machine from an ISO.</summary>
    public const string Create = "create";

    /// <summary>Adopt an existing libvirt domain.</summary>
    public const string Import = "import_domain";

    /// <summary>Turn a machine into a base.</summary>
    public const string PrepareBase = "prepare_base";

    /// <summary>Turn a base back into a plain machine (only without clones).</summary>
    public const string RemoveBase = "remove_base";

    /// <summary>Clone a base.</summary>
    public const string Clone = "clone";

    /// <summary>Start a machine (resuming it if hibernated).</summary>
    public const string Start = "start";

    /// <summary>Shut down, falling back to power-off after a timeout.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>Power off at once.</summary>
    public const string ForceShutdown = "force_shutdown";

    /// <summary>Ask the guest to reboot.</summary>
    public const string Reboot = "reboot";

    /// <summary>Reset the virtual hardware.</summary>
    public const string ForceReboot = "force_reboot";

    /// <summary>Pause the CPUs.</summary>
    public const string Pause = "pause";

    /// <summary>Resume paused CPUs.</summary>
    public const string Resume = "resume";

    /// <summary>Save memory to disk and stop.</summary>
    public const string Hibernate = "hibernate";

    /// <summary>Reset a clone's disks to its base.</summary>
    public const string Restore = "restore_domain";

    /// <summary>Rename a machine.</summary>
    public const string Rename = "rename_domain";

    /// <summary>Change memory and virtual CPUs.</summary>
    public const string ChangeHardware = "change_hardware";

    /// <summary>Add a disk.</summary>
    public const string AddDisk = "add_disk";

    /// <summary>Remove a disk.</summary>
    public const string RemoveDisk = "remove_disk";

    /// <summary>Insert or eject the CD-ROM.</summary>
    public const string SetCdrom = "set_cdrom";

    /// <summary>Remove a machine and its volumes.</summary>
    public const string Remove = "remove";

    /// <summary>Take a screenshot and store its thumbnail.</summary>
    public const string Screenshot = "screenshot";

    /// <summary>Read one machine's state from the hypervisor.</summary>
    public const string RefreshMachine = "refresh_machine";

    /// <summary>Compare every machine with the hypervisor and repair the records.</summary>
    public const string Reconcile = "refresh_vms";

    private static readonly Dictionary<string, RequestClass> Classes = new(StringComparer.Ordinal)
    {
        [Ping] = RequestClass.Interactive,
        [Clone] = RequestClass.Interactive,
        [Start] = RequestClass.Interactive,
        [Shutdown] = RequestClass.Interactive,
        [ForceShutdown] = RequestClass.Interactive,
        [Reboot] = RequestClass.Interactive,
        [ForceReboot] = RequestClass.Interactive,
        [Pause] = RequestClass.Interactive,
        [Resume] = RequestClass.Interactive,
        [Hibernate] = RequestClass.Interactive,
        [Rename] = RequestClass.Interactive,
        [ChangeHardware] = RequestClass.Interactive,
        [SetCdrom] = RequestClass.Interactive,
        [RefreshMachine] = RequestClass.Interactive,
        [Create] = RequestClass.Disk,
        [Import] = RequestClass.Disk,
        [PrepareBase] = RequestClass.Disk,
        [RemoveBase] = RequestClass.Disk,
        [Restore] = RequestClass.Disk,
        [AddDisk] = RequestClass.Disk,
        [RemoveDisk] = RequestClass.Disk,
        [Remove] = RequestClass.Disk,
        [Screenshot] = RequestClass.Maintenance,
        [Reconcile] = RequestClass.Maintenance,
    };

    /// <summary>Every command.</summary>
    public static IReadOnlyCollection<string> All => Classes.Keys;

    /// <summary>Whether <paramref name="command"/> is a known command.</summary>
    public static bool IsKnown(string command) => Classes.ContainsKey(command);

    /// <summary>The concurrency class of a command; throws <see cref="RequestArgumentException"/> for unknown commands.</summary>
    public static RequestClass ClassOf(string command) =>
        Classes.TryGetValue(command, out var requestClass) ? requestClass : throw new RequestArgumentException($"unknown command '{command}'");
}
