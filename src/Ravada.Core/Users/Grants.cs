using System.Globalization;

namespace Ravada.Core.Users;

/// <summary>
/// A permission a user may hold, with Ravada's names. Most are booleans; <see cref="StartLimit"/> carries a
/// number. Variants ending in <c>_all</c> apply to every machine, the plain ones to the user's own machines.
/// </summary>
public enum Grant
{
    /// <summary><c>admin</c>: everything.</summary>
    Admin,

    /// <summary><c>create_machine</c>: create machines from an ISO.</summary>
    CreateMachine,

    /// <summary><c>create_base</c>: turn own machines into bases.</summary>
    CreateBase,

    /// <summary><c>clone</c>: clone public bases.</summary>
    Clone,

    /// <summary><c>clone_all</c>: clone any machine, public or not, and choose names and counts.</summary>
    CloneAll,

    /// <summary><c>change_settings</c>: change own machines (memory, CPUs, disks, name).</summary>
    ChangeSettings,

    /// <summary><c>change_settings_all</c>: change any machine.</summary>
    ChangeSettingsAll,

    /// <summary><c>remove</c>: remove own machines.</summary>
    Remove,

    /// <summary><c>remove_all</c>: remove any machine.</summary>
    RemoveAll,

    /// <summary><c>shutdown</c>: start, shut down, reboot and pause own machines.</summary>
    Shutdown,

    /// <summary><c>shutdown_all</c>: start, shut down, reboot and pause any machine.</summary>
    ShutdownAll,

    /// <summary><c>hibernate</c>: hibernate own machines.</summary>
    Hibernate,

    /// <summary><c>hibernate_all</c>: hibernate any machine.</summary>
    HibernateAll,

    /// <summary><c>start_many</c>: no limit on running machines.</summary>
    StartMany,

    /// <summary><c>start_limit</c>: a personal limit of running machines (a number).</summary>
    StartLimit,

    /// <summary><c>view_all</c>: see and use the display of any machine.</summary>
    ViewAll,

    /// <summary><c>manage_users</c>: create, change and remove users.</summary>
    ManageUsers,

    /// <summary><c>grant</c>: give and take permissions.</summary>
    GrantPermissions,
}

/// <summary>Ravada's names for grants, as stored in the database.</summary>
public static class GrantNames
{
    private static readonly Dictionary<Grant, string> Names = new()
    {
        [Grant.Admin] = "admin",
        [Grant.CreateMachine] = "create_machine",
        [Grant.CreateBase] = "create_base",
        [Grant.Clone] = "clone",
        [Grant.CloneAll] = "clone_all",
        [Grant.ChangeSettings] = "change_settings",
        [Grant.ChangeSettingsAll] = "change_settings_all",
        [Grant.Remove] = "remove",
        [Grant.RemoveAll] = "remove_all",
        [Grant.Shutdown] = "shutdown",
        [Grant.ShutdownAll] = "shutdown_all",
        [Grant.Hibernate] = "hibernate",
        [Grant.HibernateAll] = "hibernate_all",
        [Grant.StartMany] = "start_many",
        [Grant.StartLimit] = "start_limit",
        [Grant.ViewAll] = "view_all",
        [Grant.ManageUsers] = "manage_users",
        [Grant.GrantPermissions] = "grant",
    };

    private static readonly Dictionary<string, Grant> ByName = Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Grants every new user gets, as in Ravada: clone public bases and handle their own clones.</summary>
    public static IReadOnlySet<Grant> DefaultForUsers { get; } = new HashSet<Grant>
    {
        Grant.Clone, Grant.ChangeSettings, Grant.Remove, Grant.Shutdown, Grant.Hibernate,
    };

    /// <summary>Every grant.</summary>
    public static IReadOnlyCollection<Grant> All => Names.Keys;

    /// <summary>The stored name of a grant.</summary>
    public static string Name(Grant grant) => Names[grant];

    /// <summary>The grant with that stored name, or null.</summary>
    public static Grant? Parse(string name) => ByName.TryGetValue(name, out var grant) ? grant : null;

    /// <summary>Whether the grant carries a number rather than yes/no.</summary>
    public static bool IsNumeric(Grant grant) => grant == Grant.StartLimit;

    /// <summary>A grant as people write it: its name, with <c>=N</c> for the numeric one.</summary>
    public static string Describe(Grant grant, int value) =>
        IsNumeric(grant) ? string.Create(CultureInfo.InvariantCulture, $"{Name(grant)}={value}") : Name(grant);

    /// <summary>The grants held (value ≠ 0), described and in name order, joined by commas; empty when none.</summary>
    public static string Describe(IReadOnlyDictionary<Grant, int> grants) =>
        string.Join(", ", grants.Where(pair => pair.Value != 0).Select(pair => Describe(pair.Key, pair.Value)).Order(StringComparer.Ordinal));
}
