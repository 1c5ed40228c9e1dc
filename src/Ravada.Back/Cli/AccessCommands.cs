using System.Globalization;
using Ravada.Core.Broker;
using Ravada.Core.Machines;
using Ravada.Core.Users;

namespace Ravada.Back.Cli;

/// <summary>
/// The administrator's commands for rights: grants of users and of groups, group memberships, and bases restricted
/// to groups. Groups named here that do not exist yet are created, so that a directory's group can be given rights
/// before any of its members has logged in.
/// </summary>
internal sealed class AccessCommands(IUserStore users, IMachineStore machines, TextWriter output)
{
    private const int MaxGroupNameLength = UserAdministration.MaxGroupNameLength;
    private const int MaxGrantValue = UserAdministration.MaxGrantValue;

    public async Task GrantUserAsync(string userName, string permission, CancellationToken cancellationToken)
    {
        var user = await users.RequireUserAsync(userName, cancellationToken);
        var (grant, value) = GrantToGive(permission);
        await users.SetGrantAsync(user.Id, grant, value, cancellationToken);
        await output.WriteLineAsync($"{user.Name} now has {GrantNames.Describe(grant, value)}.");
    }

    public async Task RevokeUserAsync(string userName, string permission, CancellationToken cancellationToken)
    {
        var user = await users.RequireUserAsync(userName, cancellationToken);
        var grant = GrantToTake(permission);
        await users.SetGrantAsync(user.Id, grant, 0, cancellationToken);
        var left = await users.FindWithGrantsAsync(user.Id, cancellationToken);
        await output.WriteLineAsync(left is not null && left.Has(grant)
            ? $"{user.Name} no longer has {GrantNames.Name(grant)} of its own, but still holds it {(user.IsAdmin ? "as an administrator" : "through a group")}."
            : $"{user.Name} no longer has {GrantNames.Name(grant)}.");
    }

    public async Task GrantGroupAsync(string groupName, string permission, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var (grant, value) = GrantToGive(permission);
        var group = await users.EnsureGroupAsync(groupName, cancellationToken);
        await users.SetGroupGrantAsync(group, grant, value, cancellationToken);
        await output.WriteLineAsync($"Members of {groupName} now have {GrantNames.Describe(grant, value)}.");
    }

    public async Task RevokeGroupAsync(string groupName, string permission, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var grant = GrantToTake(permission);
        var group = await RequireGroupAsync(groupName, cancellationToken);
        await users.SetGroupGrantAsync(group, grant, 0, cancellationToken);
        await output.WriteLineAsync($"Members of {groupName} no longer get {GrantNames.Name(grant)} from it.");
    }

    public async Task AddToGroupAsync(string userName, string groupName, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var user = await users.RequireUserAsync(userName, cancellationToken);
        var group = await users.EnsureGroupAsync(groupName, cancellationToken);
        await users.AddToGroupAsync(user.Id, group, cancellationToken);
        await output.WriteLineAsync($"{user.Name} is a member of {groupName}.");
    }

    public async Task RemoveFromGroupAsync(string userName, string groupName, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var user = await users.RequireUserAsync(userName, cancellationToken);
        var group = await RequireGroupAsync(groupName, cancellationToken);
        await users.RemoveFromGroupAsync(user.Id, group, cancellationToken);
        await output.WriteLineAsync(user.ExternalAuth == "sql"
            ? $"{user.Name} is no longer a member of {groupName}."
            : $"{user.Name} is no longer a member of {groupName} (until the next login, if the directory still lists the membership).");
    }

    public async Task AllowGroupAsync(string baseName, string groupName, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var baseMachine = await RequireBaseAsync(baseName, cancellationToken);
        var group = await users.EnsureGroupAsync(groupName, cancellationToken);
        await machines.AllowGroupAsync(baseMachine.Id, group, cancellationToken);
        var groups = await machines.AccessGroupsAsync(baseMachine.Id, cancellationToken);
        await output.WriteLineAsync($"{baseMachine.Name} may be used by members of {string.Join(", ", groups.Order(StringComparer.Ordinal))}"
            + (baseMachine.IsPublic ? "." : " once it is public (rvd_back --prepare-base NAME --public)."));
    }

    public async Task DisallowGroupAsync(string baseName, string groupName, CancellationToken cancellationToken)
    {
        groupName = ValidGroupName(groupName);
        var baseMachine = await RequireBaseAsync(baseName, cancellationToken);
        var group = await RequireGroupAsync(groupName, cancellationToken);
        if (!await machines.DisallowGroupAsync(baseMachine.Id, group, cancellationToken))
        {
            throw new CliException($"{baseMachine.Name} is not restricted to {groupName}");
        }

        var groups = await machines.AccessGroupsAsync(baseMachine.Id, cancellationToken);
        await output.WriteLineAsync(groups.Count == 0
            ? $"{baseMachine.Name} is no longer restricted to groups: {(baseMachine.IsPublic ? "every user with clone may use it" : "it is private")}."
            : $"{baseMachine.Name} may be used by members of {string.Join(", ", groups.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>A user's account, groups and grants: its own, those it gets from each group, and the result.</summary>
    public async Task ShowUserAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await users.RequireUserAsync(userName, cancellationToken);
        var effective = await users.FindWithGrantsAsync(user.Id, cancellationToken) ?? throw new CliException($"there is no user named {userName}");
        await output.WriteLineAsync($"{user.Name}: {(user.IsAdmin ? "administrator" : "user")}, password checked by {user.ExternalAuth}{(user.MustChangePassword ? ", must change the password" : "")}");
        var groups = effective.Groups.Order(StringComparer.Ordinal).ToList();
        await output.WriteLineAsync($"groups: {(groups.Count == 0 ? "none" : string.Join(", ", groups))}");
        var fromGroups = await users.GroupGrantsOfMemberAsync(user.Id, cancellationToken);
        foreach (var groupName in groups)
        {
            if (fromGroups.GetValueOrDefault(groupName) is { Count: > 0 } given)
            {
                await output.WriteLineAsync($"from {groupName}: {DescribeAll(given)}");
            }
        }

        await output.WriteLineAsync(user.IsAdmin ? "grants: all (administrator)" : $"grants: {DescribeAll(effective.Grants)}");
    }

    /// <summary>Every group with its number of members and the grants it gives.</summary>
    public async Task ListGroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await users.ListGroupsAsync(cancellationToken);
        if (groups.Count == 0)
        {
            await output.WriteLineAsync("No groups.");
            return;
        }

        foreach (var group in groups)
        {
            var given = await users.GroupGrantsAsync(group.Id, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{group.Name}: {group.Members} member(s){(given.Count == 0 ? "" : $", grants {DescribeAll(given)}")}"));
        }
    }

    private async Task<long> RequireGroupAsync(string name, CancellationToken cancellationToken) =>
        await users.FindGroupAsync(name, cancellationToken) ?? throw new CliException($"there is no group named {name}");

    private async Task<Machine> RequireBaseAsync(string name, CancellationToken cancellationToken)
    {
        var machine = await machines.RequireMachineAsync(name, cancellationToken);
        return machine.IsBase ? machine : throw new CliException($"{machine.Name} is not a base: prepare it with rvd_back --prepare-base {machine.Name}");
    }

    private static string ValidGroupName(string name) =>
        UserAdministration.GroupName(name)
            ?? throw new CliException($"'{name}' is not a valid group name: 1 to {MaxGroupNameLength} characters, no control characters");

    /// <summary><c>clone</c>, or <c>start_limit=N</c> for the numeric grant.</summary>
    private static (Grant Grant, int Value) GrantToGive(string permission)
    {
        var parts = permission.Split('=', 2);
        var grant = ParseGrant(parts[0]);
        if (!GrantNames.IsNumeric(grant))
        {
            return parts.Length == 1 ? (grant, 1) : throw new CliException($"{parts[0]} takes no value");
        }

        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= MaxGrantValue
            ? (grant, value)
            : throw new CliException($"{parts[0]} needs a number from 1 to {MaxGrantValue}, as {parts[0]}=3");
    }

    private static Grant GrantToTake(string permission) =>
        permission.Contains('=', StringComparison.Ordinal) ? throw new CliException("a permission is taken by its name alone") : ParseGrant(permission);

    private static Grant ParseGrant(string name) => GrantNames.Parse(name) switch
    {
        null => throw new CliException($"there is no permission named {name}; they are {string.Join(", ", GrantNames.All.Select(GrantNames.Name).Order(StringComparer.Ordinal))}"),
        Grant.Admin => throw new CliException("admin is not a grant to give: make an administrator with rvd_back --make-admin NAME"),
        { } grant => grant,
    };

    private static string DescribeAll(IReadOnlyDictionary<Grant, int> grants) =>
        grants.Count == 0 ? "none" : GrantNames.Describe(grants);
}
