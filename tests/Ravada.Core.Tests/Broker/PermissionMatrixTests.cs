using System.Text;
using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Tests.Broker;

/// <summary>
/// Every request command, asked by every kind of user about a machine of the owner's, a public base and a
/// private base: the owner and another user with the default grants, a user holding exactly one grant (each in
/// turn), and an administrator. The expectations are written here in terms of grants; a command without an entry
/// fails, so a new command cannot slip in unjudged.
/// </summary>
public sealed class PermissionMatrixTests
{
    private const long OwnerId = 1;
    private const long StrangerId = 2;
    private const long SingleGrantId = 3;
    private const long AdministratorId = 4;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Who may ask for each command, given the asker and the machine.</summary>
    private static readonly Dictionary<string, Func<UserWithGrants, Machine, bool>> Matrix = new(StringComparer.Ordinal)
    {
        [RequestCommands.Start] = (user, machine) => MayUse(user, machine) || Holds(user, Grant.ShutdownAll),
        [RequestCommands.Screenshot] = MayUse,
        [RequestCommands.RefreshMachine] = (user, machine) => MayUse(user, machine) || Holds(user, Grant.ShutdownAll),
        [RequestCommands.Shutdown] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.ForceShutdown] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.Reboot] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.ForceReboot] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.Pause] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.Resume] = (user, machine) => OwnOrAll(user, machine, Grant.Shutdown, Grant.ShutdownAll),
        [RequestCommands.Hibernate] = (user, machine) => OwnOrAll(user, machine, Grant.Hibernate, Grant.HibernateAll),
        [RequestCommands.Restore] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.Rename] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.ChangeHardware] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.AddDisk] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.RemoveDisk] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.SetCdrom] = (user, machine) => OwnOrAll(user, machine, Grant.ChangeSettings, Grant.ChangeSettingsAll),
        [RequestCommands.Remove] = (user, machine) => OwnOrAll(user, machine, Grant.Remove, Grant.RemoveAll),

        // Making and unmaking bases: one's own with create_base; anybody's only as an administrator.
        [RequestCommands.PrepareBase] = (user, machine) => IsAdministrator(user) || (Owns(user, machine) && Holds(user, Grant.CreateBase)),
        [RequestCommands.RemoveBase] = (user, machine) => IsAdministrator(user) || (Owns(user, machine) && Holds(user, Grant.CreateBase)),

        // Not about one machine: their handlers decide (clone by the base, create by create_machine); asked about a
        // machine, only an administrator may.
        [RequestCommands.Ping] = (user, _) => IsAdministrator(user),
        [RequestCommands.Create] = (user, _) => IsAdministrator(user),
        [RequestCommands.Import] = (user, _) => IsAdministrator(user),
        [RequestCommands.Clone] = (user, _) => IsAdministrator(user),
        [RequestCommands.Reconcile] = (user, _) => IsAdministrator(user),
    };

    public static TheoryData<string> Commands() => [.. RequestCommands.All];

    [Fact]
    public void Every_request_command_has_an_entry_in_the_matrix()
    {
        var missing = RequestCommands.All.Where(command => !Matrix.ContainsKey(command)).ToList();

        Assert.True(missing.Count == 0, $"Commands without an entry in the permission matrix: {string.Join(", ", missing)}");
        Assert.All(Matrix.Keys, command => Assert.True(RequestCommands.IsKnown(command), $"The matrix judges {command}, which is no command"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Each_actor_may_ask_as_the_matrix_says(string command)
    {
        var rule = Assert.Contains(command, (IReadOnlyDictionary<string, Func<UserWithGrants, Machine, bool>>)Matrix);
        var failures = new StringBuilder();
        foreach (var (actor, user) in Actors())
        {
            foreach (var (target, machine) in Targets())
            {
                var expected = rule(user, machine);
                if (Permissions.MayRequest(user, machine, command) != expected)
                {
                    failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{actor} {command} on {target}: the matrix says {(expected ? "allowed" : "refused")}");
                }
            }
        }

        Assert.True(failures.Length == 0, $"{failures}");
    }

    [Fact]
    public void A_command_nobody_knows_is_refused_to_everyone_but_an_administrator()
    {
        foreach (var (actor, user) in Actors())
        {
            foreach (var (target, machine) in Targets())
            {
                Assert.True(Permissions.MayRequest(user, machine, "set_owner") == IsAdministrator(user), $"{actor} on {target}");
            }
        }
    }

    [Fact]
    public void A_user_holding_the_admin_grant_without_being_an_administrator_makes_no_base_of_anothers_machine()
    {
        var holder = Person(SingleGrantId, admin: false, Grant.Admin, Grant.CreateBase);
        var (_, othersMachine) = Targets().First();

        Assert.False(Permissions.MayRequest(holder, othersMachine, RequestCommands.PrepareBase));
        Assert.False(Permissions.MayRequest(holder, othersMachine, RequestCommands.RemoveBase));
    }

    [Fact]
    public void Shutdown_all_starts_and_stops_anybodys_machine_but_does_not_see_its_screen()
    {
        var operatorUser = Person(SingleGrantId, admin: false, Grant.ShutdownAll);
        var (_, othersMachine) = Targets().First();

        Assert.True(Permissions.MayRequest(operatorUser, othersMachine, RequestCommands.Start));
        Assert.True(Permissions.MayRequest(operatorUser, othersMachine, RequestCommands.Shutdown));
        Assert.False(Permissions.CanUse(operatorUser, othersMachine));
        Assert.False(Permissions.MayRequest(operatorUser, othersMachine, RequestCommands.Screenshot));
    }

    private static IEnumerable<(string Name, UserWithGrants User)> Actors()
    {
        yield return ("owner", Person(OwnerId, admin: false, [.. GrantNames.DefaultForUsers]));
        yield return ("stranger", Person(StrangerId, admin: false, [.. GrantNames.DefaultForUsers]));
        foreach (var grant in GrantNames.All)
        {
            yield return ($"only-{GrantNames.Name(grant)}", Person(SingleGrantId, admin: false, grant));
        }

        yield return ("administrator", Person(AdministratorId, admin: true));
    }

    private static IEnumerable<(string Name, Machine Machine)> Targets()
    {
        yield return ("the owner's machine", Machine(10, OwnerId, isBase: false, isPublic: false));
        yield return ("a public base", Machine(11, AdministratorId, isBase: true, isPublic: true));
        yield return ("a private base", Machine(12, AdministratorId, isBase: true, isPublic: false));
    }

    private static UserWithGrants Person(long id, bool admin, params Grant[] grants) =>
        new(new User(id, $"user{id}", admin, false, "sql", Now), grants.ToDictionary(grant => grant, _ => 1));

    private static Machine Machine(long id, long ownerId, bool isBase, bool isPublic) => new()
    {
        Id = id,
        Uuid = Guid.NewGuid(),
        Name = $"machine{id}",
        OwnerId = ownerId,
        NodeId = 1,
        IsBase = isBase,
        IsPublic = isPublic,
        State = MachineState.Running,
    };

    private static bool IsAdministrator(UserWithGrants user) => user.User.IsAdmin;

    private static bool Holds(UserWithGrants user, Grant grant) => user.User.IsAdmin || user.Grants.GetValueOrDefault(grant) != 0;

    private static bool Owns(UserWithGrants user, Machine machine) => user.User.Id == machine.OwnerId;

    /// <summary>See the screen and use the display: the owner and view_all (not shutdown_all).</summary>
    private static bool MayUse(UserWithGrants user, Machine machine) => Owns(user, machine) || Holds(user, Grant.ViewAll);

    private static bool OwnOrAll(UserWithGrants user, Machine machine, Grant own, Grant all) =>
        Holds(user, all) || (Owns(user, machine) && Holds(user, own));
}
