using Ravada.Core.Broker;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Tests.Broker;

public sealed class PermissionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlySet<string> OpenToAll = new HashSet<string>();

    private static UserWithGrants Person(long id, bool admin = false, params Grant[] grants) =>
        new(new User(id, $"user{id}", admin, false, "sql", Now), grants.ToDictionary(grant => grant, _ => 1));

    private static Machine Owned(long ownerId, bool isBase = false, bool isPublic = false) => new()
    {
        Id = 10,
        Uuid = Guid.NewGuid(),
        Name = "machine",
        OwnerId = ownerId,
        NodeId = 1,
        IsBase = isBase,
        IsPublic = isPublic,
    };

    [Fact]
    public void Own_machines_need_the_plain_grant_and_others_the_all_grant()
    {
        var owner = Person(1, grants: Grant.Shutdown);
        var stranger = Person(2, grants: Grant.Shutdown);
        var operatorUser = Person(3, grants: Grant.ShutdownAll);
        var admin = Person(4, admin: true);
        var machine = Owned(ownerId: 1);

        Assert.True(Permissions.CanManage(owner, machine, Grant.Shutdown, Grant.ShutdownAll));
        Assert.False(Permissions.CanManage(stranger, machine, Grant.Shutdown, Grant.ShutdownAll));
        Assert.True(Permissions.CanManage(operatorUser, machine, Grant.Shutdown, Grant.ShutdownAll));
        Assert.True(Permissions.CanManage(admin, machine, Grant.Shutdown, Grant.ShutdownAll));
        Assert.False(Permissions.CanManage(Person(1), machine, Grant.Shutdown, Grant.ShutdownAll));
    }

    [Fact]
    public void Public_bases_can_be_cloned_with_clone_and_private_ones_only_by_their_owner_or_with_clone_all()
    {
        var user = Person(2, grants: Grant.Clone);

        Assert.True(Permissions.CanClone(user, Owned(1, isBase: true, isPublic: true), OpenToAll));
        Assert.False(Permissions.CanClone(user, Owned(1, isBase: true, isPublic: false), OpenToAll));
        Assert.True(Permissions.CanClone(user, Owned(2, isBase: true, isPublic: false), OpenToAll));
        Assert.False(Permissions.CanClone(Person(2), Owned(1, isBase: true, isPublic: true), OpenToAll));
        Assert.True(Permissions.CanClone(Person(3, grants: Grant.CloneAll), Owned(1, isBase: true, isPublic: false), OpenToAll));
    }

    [Fact]
    public void A_base_restricted_to_groups_is_cloned_by_their_members_its_owner_and_clone_all_only()
    {
        var restricted = Owned(1, isBase: true, isPublic: true);
        IReadOnlySet<string> groups = new HashSet<string> { "physics", "maths" };
        var member = Person(2, grants: Grant.Clone) with { Groups = new HashSet<string> { "maths" } };
        var outsider = Person(3, grants: Grant.Clone) with { Groups = new HashSet<string> { "history" } };

        Assert.True(Permissions.CanClone(member, restricted, groups));
        Assert.False(Permissions.CanClone(outsider, restricted, groups));
        Assert.False(Permissions.CanClone(Person(4, grants: Grant.Clone), restricted, groups));
        Assert.True(Permissions.CanClone(Person(1, grants: Grant.Clone), restricted, groups));
        Assert.True(Permissions.CanClone(Person(5, grants: Grant.CloneAll), restricted, groups));
        Assert.True(Permissions.CanClone(Person(6, admin: true), restricted, groups));
        Assert.False(Permissions.CanClone(member with { Grants = new Dictionary<Grant, int>() }, restricted, groups));
        Assert.False(Permissions.CanClone(member, restricted with { IsPublic = false }, groups));
    }

    [Fact]
    public void Using_a_machine_belongs_to_its_owner_and_to_view_all()
    {
        var machine = Owned(ownerId: 1);

        Assert.True(Permissions.CanUse(Person(1), machine));
        Assert.False(Permissions.CanUse(Person(2, grants: Grant.Clone), machine));
        Assert.True(Permissions.CanUse(Person(3, grants: Grant.ViewAll), machine));
    }

    [Theory]
    [InlineData(RequestCommands.Shutdown, Grant.Shutdown, Grant.ShutdownAll)]
    [InlineData(RequestCommands.ForceShutdown, Grant.Shutdown, Grant.ShutdownAll)]
    [InlineData(RequestCommands.Reboot, Grant.Shutdown, Grant.ShutdownAll)]
    [InlineData(RequestCommands.Resume, Grant.Shutdown, Grant.ShutdownAll)]
    [InlineData(RequestCommands.Hibernate, Grant.Hibernate, Grant.HibernateAll)]
    [InlineData(RequestCommands.Restore, Grant.ChangeSettings, Grant.ChangeSettingsAll)]
    [InlineData(RequestCommands.Remove, Grant.Remove, Grant.RemoveAll)]
    public void Each_machine_command_asks_for_its_own_grant_pair(string command, Grant own, Grant all)
    {
        var machine = Owned(ownerId: 1);

        Assert.True(Permissions.MayRequest(Person(1, grants: own), machine, command));
        Assert.False(Permissions.MayRequest(Person(1), machine, command));
        Assert.False(Permissions.MayRequest(Person(2, grants: own), machine, command));
        Assert.True(Permissions.MayRequest(Person(2, grants: all), machine, command));
        Assert.True(Permissions.MayRequest(Person(3, admin: true), machine, command));
    }

    [Fact]
    public void Starting_follows_use_and_unknown_commands_are_for_administrators()
    {
        var machine = Owned(ownerId: 1);

        Assert.True(Permissions.MayRequest(Person(1), machine, RequestCommands.Start));
        Assert.False(Permissions.MayRequest(Person(2), machine, RequestCommands.Start));
        Assert.False(Permissions.MayRequest(Person(1), machine, "refresh_vms"));
        Assert.True(Permissions.MayRequest(Person(3, admin: true), machine, "refresh_vms"));
    }

    [Fact]
    public void A_refusal_says_what_was_refused()
    {
        var denied = Assert.Throws<RequestDeniedException>(() => Permissions.Demand(false, "remove desk-1"));

        Assert.Equal("You may not remove desk-1.", denied.Message);
        Permissions.Demand(true, "anything");
    }
}
