using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Core.Broker;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages.Admin.Users;

/// <summary>
/// One user: its own grants, what its groups give, its groups; holders of grant give and take grants, holders of
/// manage_users force a password change, add to and take out of groups, and remove the account. Every change is
/// decided by <see cref="UserAdministration"/> on the server; a refusal is answered 4xx and changes nothing.
/// </summary>
internal sealed class ShowUserModel(IUserStore users, ILoginRecords loginRecords, IMachineStore machines, TimeProvider timeProvider) : PageModel
{
    public User Target { get; private set; } = null!;

    public bool Locked { get; private set; }

    public IReadOnlyList<GrantLine> Grants { get; private set; } = [];

    public IReadOnlyList<GroupLine> Groups { get; private set; } = [];

    public bool MayForcePassword { get; private set; }

    public bool MayRemove { get; private set; }

    public bool MayUnlock { get; private set; }

    public bool MayChangeGroups { get; private set; }

    public string? Problem { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id) =>
        await FindAsync(id) is { } found ? await ShowAsync(found.Actor, found.Target) : NotFound();

    public async Task<IActionResult> OnPostGrantAsync(long id, string? grant, string? value)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (GrantNames.Parse(grant ?? string.Empty) is not { } chosen)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest, "there is no such permission");
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest,
                string.Create(CultureInfo.InvariantCulture, $"the value must be 0 to take {GrantNames.Name(chosen)}, or a number from 1 to {UserAdministration.MaxGrantValue} to give it"));
        }

        if (UserAdministration.ValueProblem(chosen, number) is { } problem)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest, problem);
        }

        if (UserAdministration.GrantRefusal(actor, target, chosen, number) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        var cancellationToken = HttpContext.RequestAborted;
        if (chosen == Grant.Admin)
        {
            await users.SetAdminAsync(target.Id, number != 0, cancellationToken);
        }
        else
        {
            await users.SetGrantAsync(target.Id, chosen, number, cancellationToken);
        }

        Done = number == 0
            ? $"{target.Name} no longer has {GrantNames.Name(chosen)} of its own."
            : $"{target.Name} now has {GrantNames.Describe(chosen, number)}.";
        return await ShowAsync(actor, (await users.FindAsync(target.Id, cancellationToken))!);
    }

    public async Task<IActionResult> OnPostPasswordAsync(long id)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (UserAdministration.AccountRefusal(actor, target, AccountChange.ForcePasswordChange) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        var cancellationToken = HttpContext.RequestAborted;
        if (await users.GetPasswordHashAsync(target.Id, cancellationToken) is not { } hash)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status409Conflict, $"{target.Name} has no password of ours");
        }

        await users.SetPasswordHashAsync(target.Id, hash, mustChangePassword: true, cancellationToken);
        Done = $"{target.Name} must change the password at the next login.";
        return await ShowAsync(actor, (await users.FindAsync(target.Id, cancellationToken))!);
    }

    public async Task<IActionResult> OnPostUnlockAsync(long id)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (UserAdministration.AccountRefusal(actor, target, AccountChange.Unlock) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        await loginRecords.ClearFailuresAsync(target.Id, HttpContext.RequestAborted);
        Done = $"{target.Name} may log in again: the failed attempts are forgotten.";
        return await ShowAsync(actor, target);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (UserAdministration.AccountRefusal(actor, target, AccountChange.Remove) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        if (Request.Form["confirm"] != "yes")
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest, $"tick the box to confirm that {target.Name} is to be removed");
        }

        var cancellationToken = HttpContext.RequestAborted;
        var owned = await machines.ListByOwnerAsync(target.Id, cancellationToken);
        if (owned.Count > 0)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status409Conflict, OwnsMachines(target, owned));
        }

        try
        {
            await users.RemoveAsync(target.Id, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status409Conflict,
                OwnsMachines(target, await machines.ListByOwnerAsync(target.Id, cancellationToken)));
        }

        return LocalRedirect("/admin/users");
    }

    public async Task<IActionResult> OnPostJoinAsync(long id, string? group)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (UserAdministration.AccountRefusal(actor, target, AccountChange.Groups) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        if (UserAdministration.GroupName(group) is not { } name)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest,
                string.Create(CultureInfo.InvariantCulture, $"a group name has 1 to {UserAdministration.MaxGroupNameLength} characters and no control characters"));
        }

        var cancellationToken = HttpContext.RequestAborted;
        var existing = await users.FindGroupAsync(name, cancellationToken);
        var given = existing is { } groupId ? await users.GroupGrantsAsync(groupId, cancellationToken) : new Dictionary<Grant, int>();
        if (UserAdministration.JoinRefusal(actor, target, given) is { } beyond)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, beyond);
        }

        await users.AddToGroupAsync(target.Id, existing ?? await users.EnsureGroupAsync(name, cancellationToken), cancellationToken);
        Done = $"{target.Name} is a member of {name}.";
        return await ShowAsync(actor, target);
    }

    public async Task<IActionResult> OnPostLeaveAsync(long id, string? group)
    {
        if (await FindAsync(id) is not { } found)
        {
            return NotFound();
        }

        var (actor, target) = found;
        if (UserAdministration.AccountRefusal(actor, target, AccountChange.Groups) is { } refusal)
        {
            return await RefuseAsync(actor, target, StatusCodes.Status403Forbidden, refusal);
        }

        var cancellationToken = HttpContext.RequestAborted;
        if (UserAdministration.GroupName(group) is not { } name
            || await users.FindGroupAsync(name, cancellationToken) is not { } groupId
            || !(await users.GroupsOfAsync(target.Id, cancellationToken)).Contains(name, StringComparer.Ordinal))
        {
            return await RefuseAsync(actor, target, StatusCodes.Status400BadRequest, $"{target.Name} is not a member of that group");
        }

        await users.RemoveFromGroupAsync(target.Id, groupId, cancellationToken);
        Done = target.ExternalAuth == "sql"
            ? $"{target.Name} is no longer a member of {name}."
            : $"{target.Name} is no longer a member of {name} (until the next login, if the directory still lists the membership).";
        return await ShowAsync(actor, target);
    }

    /// <summary>The signed-in user and the user of the page, or null when either is not to be shown (404).</summary>
    private async Task<(UserWithGrants Actor, User Target)?> FindAsync(long id) =>
        HttpContext.CurrentUser() is { } actor && UserAdministration.MaySee(actor)
            && await users.FindAsync(id, HttpContext.RequestAborted) is { } target
            ? (actor, target)
            : null;

    private async Task<IActionResult> RefuseAsync(UserWithGrants actor, User target, int status, string problem)
    {
        Problem = $"{char.ToUpperInvariant(problem[0])}{problem[1..]}.";
        Response.StatusCode = status;
        return await ShowAsync(actor, target);
    }

    private async Task<IActionResult> ShowAsync(UserWithGrants actor, User target)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Target = target;
        Locked = (await loginRecords.GetLockAsync(target.Id, cancellationToken)).IsLockedAt(timeProvider.GetUtcNow());
        var own = await users.OwnGrantsAsync(target.Id, cancellationToken);
        List<GroupLine> groups = [.. (await users.GroupGrantsOfMemberAsync(target.Id, cancellationToken))
            .Select(group => new GroupLine(group.Key, group.Value))
            .OrderBy(group => group.Name, StringComparer.Ordinal)];
        Groups = groups;
        Grants = [.. GrantNames.All.Select(grant => new GrantLine(
            grant,
            grant == Grant.Admin ? (target.IsAdmin ? 1 : null) : own.TryGetValue(grant, out var value) && value != 0 ? value : null,
            [.. groups.Where(group => group.Grants.GetValueOrDefault(grant) != 0).Select(group => group.Name)],
            UserAdministration.GrantRefusal(actor, target, grant, 1) is null,
            UserAdministration.GrantRefusal(actor, target, grant, 0) is null))];
        MayForcePassword = UserAdministration.AccountRefusal(actor, target, AccountChange.ForcePasswordChange) is null && target.ExternalAuth == "sql";
        MayRemove = UserAdministration.AccountRefusal(actor, target, AccountChange.Remove) is null;
        MayUnlock = Locked && UserAdministration.AccountRefusal(actor, target, AccountChange.Unlock) is null;
        MayChangeGroups = UserAdministration.AccountRefusal(actor, target, AccountChange.Groups) is null;
        return Page();
    }

    private static string OwnsMachines(User target, IReadOnlyList<Machine> owned) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{target.Name} owns {owned.Count} machine(s) ({string.Join(", ", owned.Take(5).Select(machine => machine.Name))}): remove them first");

    /// <summary>One grant: the user's own value (null when not its own), the groups that give it, and what the viewer may do.</summary>
    public sealed record GrantLine(Grant Grant, int? Own, IReadOnlyList<string> FromGroups, bool MayGive, bool MayTake)
    {
        public string Name => GrantNames.Name(Grant);

        public bool Numeric => GrantNames.IsNumeric(Grant);
    }

    /// <summary>A group of the user and the grants it gives.</summary>
    public sealed record GroupLine(string Name, IReadOnlyDictionary<Grant, int> Grants)
    {
        public string Describe() => Grants.Count == 0 ? "nothing" : GrantNames.Describe(Grants);
    }
}
