using System.Globalization;
using Ravada.Core.Users;

namespace Ravada.Core.Broker;

/// <summary>What a <c>manage_users</c> holder does to an existing account.</summary>
public enum AccountChange
{
    /// <summary>Flag the account to change its password at the next login.</summary>
    ForcePasswordChange,

    /// <summary>Forget the failed logins that locked the account.</summary>
    Unlock,

    /// <summary>Remove the account.</summary>
    Remove,

    /// <summary>Add the account to a local group, or take it out of one.</summary>
    Groups,
}

/// <summary>
/// Who may administer users, decided from grants alone (no I/O), for the portal's user pages. <c>grant</c> gives and
/// takes permissions, <c>manage_users</c> creates, changes and removes accounts; neither lets its holder raise
/// anybody (itself included) above what it holds, and neither touches administrators. Each method answers why not,
/// or null when the change is allowed.
/// </summary>
public static class UserAdministration
{
    /// <summary>The largest value of a numeric grant (start_limit).</summary>
    public const int MaxGrantValue = 10_000;

    /// <summary>The longest group name.</summary>
    public const int MaxGroupNameLength = 128;

    /// <summary>Whether <paramref name="actor"/> may see the users and their grants at all.</summary>
    public static bool MaySee(UserWithGrants actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Has(Grant.ManageUsers) || actor.Has(Grant.GrantPermissions);
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not set <paramref name="grant"/> of <paramref name="target"/> to
    /// <paramref name="value"/> (0 takes it), or null. <see cref="Grant.Admin"/> is the administrator flag: only
    /// administrators change it, and never their own. Anything else: administrators change anyone's; a <c>grant</c>
    /// holder changes only grants it holds itself (start_limit up to its own value), never its own grants nor an
    /// administrator's.
    /// </summary>
    public static string? GrantRefusal(UserWithGrants actor, User target, Grant grant, int value)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        var name = GrantNames.Name(grant);
        if (ValueProblem(grant, value) is { } problem)
        {
            return problem;
        }

        if (grant == Grant.Admin)
        {
            return !actor.User.IsAdmin ? "only administrators make or unmake administrators"
                : target.Id == actor.User.Id ? "nobody changes their own administrator flag here"
                : null;
        }

        if (actor.User.IsAdmin)
        {
            return null;
        }

        if (!actor.Has(Grant.GrantPermissions))
        {
            return "you may not give or take permissions";
        }

        if (target.Id == actor.User.Id)
        {
            return "you may not change your own permissions";
        }

        if (target.IsAdmin)
        {
            return "you may not change an administrator's permissions";
        }

        if (!actor.Has(grant))
        {
            return $"you may not give or take {name}: you do not hold it yourself";
        }

        return GrantNames.IsNumeric(grant) && value > actor.Value(grant)
            ? string.Create(CultureInfo.InvariantCulture, $"you may not give {name} above your own ({actor.Value(grant)})")
            : null;
    }

    /// <summary>
    /// Why the value is wrong for the grant, or null: 0 takes any grant; a yes/no grant is given with 1, a numeric
    /// one with 1 to <see cref="MaxGrantValue"/>.
    /// </summary>
    public static string? ValueProblem(Grant grant, int value) =>
        value == 0 ? null
        : GrantNames.IsNumeric(grant)
            ? value is > 0 and <= MaxGrantValue ? null : string.Create(CultureInfo.InvariantCulture, $"{GrantNames.Name(grant)} needs a number from 1 to {MaxGrantValue}")
            : value == 1 ? null : $"{GrantNames.Name(grant)} is given or taken, it has no number";

    /// <summary>Why <paramref name="actor"/> may not create an account (an administrator's, with <paramref name="admin"/>), or null.</summary>
    public static string? CreateRefusal(UserWithGrants actor, bool admin)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return !actor.Has(Grant.ManageUsers) ? "you may not create users"
            : admin && !actor.User.IsAdmin ? "only administrators make administrators"
            : null;
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not make <paramref name="change"/> to <paramref name="target"/>, or null: it needs
    /// manage_users; only administrators touch administrators; nobody removes their own account, nor the built-in
    /// daemon; passwords kept by LDAP are not ours to force.
    /// </summary>
    public static string? AccountRefusal(UserWithGrants actor, User target, AccountChange change)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        if (!actor.Has(Grant.ManageUsers))
        {
            return "you may not change users";
        }

        if (target.IsAdmin && !actor.User.IsAdmin)
        {
            return "you may not change an administrator";
        }

        if (target.Name == User.DaemonName)
        {
            return $"{User.DaemonName} is built in and cannot be changed";
        }

        return change switch
        {
            AccountChange.Remove when target.Id == actor.User.Id => "you may not remove yourself",
            AccountChange.ForcePasswordChange when target.ExternalAuth != "sql" =>
                $"{target.Name} logs in through {target.ExternalAuth}: the password is changed there",
            AccountChange.Groups when target.Id == actor.User.Id && !actor.User.IsAdmin => "you may not change your own groups",
            _ => null,
        };
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not add <paramref name="target"/> to a group giving <paramref name="groupGrants"/>,
    /// or null: besides <see cref="AccountRefusal"/>, a holder who is not an administrator adds only to groups whose
    /// grants it holds itself, so that a membership never gives more than the one who gave it has.
    /// </summary>
    public static string? JoinRefusal(UserWithGrants actor, User target, IReadOnlyDictionary<Grant, int> groupGrants)
    {
        ArgumentNullException.ThrowIfNull(groupGrants);
        if (AccountRefusal(actor, target, AccountChange.Groups) is { } refusal)
        {
            return refusal;
        }

        var beyond = actor.User.IsAdmin
            ? []
            : groupGrants.Where(pair => pair.Value != 0 && (!actor.Has(pair.Key) || (GrantNames.IsNumeric(pair.Key) && pair.Value > actor.Value(pair.Key))))
                .Select(pair => GrantNames.Name(pair.Key)).Order(StringComparer.Ordinal).ToList();
        return beyond.Count == 0 ? null : $"the group gives {string.Join(", ", beyond)}, which you do not hold yourself";
    }

    /// <summary>The group name typed, trimmed, or null when it is empty, longer than <see cref="MaxGroupNameLength"/> or has control characters.</summary>
    public static string? GroupName(string? typed) =>
        typed?.Trim() is { Length: > 0 and <= MaxGroupNameLength } name && !name.Any(char.IsControl) ? name : null;
}
