using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>
/// Who may do what to which machine, decided from grants alone (no I/O). Every handler calls one of these
/// before changing anything; a refusal throws <see cref="RequestDeniedException"/>.
/// </summary>
public static class Permissions
{
    /// <summary>Own machines with <paramref name="own"/>, any machine with <paramref name="all"/>; administrators always.</summary>
    public static bool CanManage(UserWithGrants user, Machine machine, Grant own, Grant all)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(machine);
        return user.Has(all) || (machine.OwnerId == user.User.Id && user.Has(own));
    }

    /// <summary>
    /// Make or unmake a base: one's own machine with create_base, anybody's only as an administrator. The
    /// administrator is the account flag, as everywhere else, not a stored <c>admin</c> grant.
    /// </summary>
    public static bool CanMakeBase(UserWithGrants user, Machine machine)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(machine);
        return user.User.IsAdmin || (machine.OwnerId == user.User.Id && user.Has(Grant.CreateBase));
    }

    /// <summary>
    /// Use the display and see the screen: the owner, or whoever holds view_all. shutdown_all starts and stops
    /// anybody's machine but does not show what is on its screen.
    /// </summary>
    public static bool CanUse(UserWithGrants user, Machine machine)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(machine);
        return machine.OwnerId == user.User.Id || user.Has(Grant.ViewAll);
    }

    /// <summary>
    /// Clone a base: the owner's own bases with clone; public bases with clone, and when the base is restricted to
    /// groups (<paramref name="accessGroups"/> not empty) only for members of one of them; any machine with clone_all.
    /// </summary>
    public static bool CanClone(UserWithGrants user, Machine baseMachine, IReadOnlySet<string> accessGroups)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(baseMachine);
        ArgumentNullException.ThrowIfNull(accessGroups);
        return user.Has(Grant.CloneAll)
            || (baseMachine.IsBase && user.Has(Grant.Clone)
                && (baseMachine.OwnerId == user.User.Id || (baseMachine.IsPublic && (accessGroups.Count == 0 || accessGroups.Overlaps(user.Groups)))));
    }

    /// <summary>
    /// Whether <paramref name="user"/> may ask for <paramref name="command"/> on <paramref name="machine"/>: the one
    /// table both the handlers and the portal decide by, so that the portal offers exactly what would be allowed.
    /// </summary>
    public static bool MayRequest(UserWithGrants user, Machine machine, string command) => command switch
    {
        RequestCommands.Screenshot => CanUse(user, machine),
        RequestCommands.Start or RequestCommands.RefreshMachine => CanUse(user, machine) || user.Has(Grant.ShutdownAll),
        RequestCommands.Shutdown or RequestCommands.ForceShutdown or RequestCommands.Reboot or RequestCommands.ForceReboot
            or RequestCommands.Pause or RequestCommands.Resume => CanManage(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        RequestCommands.Hibernate => CanManage(user, machine, Grant.Hibernate, Grant.HibernateAll),
        RequestCommands.Restore or RequestCommands.Rename or RequestCommands.ChangeHardware or RequestCommands.AddDisk
            or RequestCommands.RemoveDisk or RequestCommands.SetCdrom => CanManage(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        RequestCommands.Remove => CanManage(user, machine, Grant.Remove, Grant.RemoveAll),
        RequestCommands.PrepareBase or RequestCommands.RemoveBase => CanMakeBase(user, machine),
        _ => user?.User.IsAdmin ?? throw new ArgumentNullException(nameof(user)),
    };

    /// <summary>Throws <see cref="RequestDeniedException"/> with "You may not …" when <paramref name="allowed"/> is false.</summary>
    public static void Demand(bool allowed, string action)
    {
        if (!allowed)
        {
            throw new RequestDeniedException($"You may not {action}.");
        }
    }
}
