using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Core.Broker;
using Ravada.Core.Users;
using Ravada.Front.Auth;

namespace Ravada.Front.Pages.Admin.Users;

/// <summary>
/// The users, for holders of manage_users or grant (and administrators); anybody else gets 404. Holders of
/// manage_users create accounts here; the rules are <see cref="UserAdministration"/>'s.
/// </summary>
internal sealed class UsersModel(IUserStore users, ILoginRecords loginRecords, TimeProvider timeProvider) : PageModel
{
    private static readonly IReadOnlyList<string> NoGroups = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool MustChangePassword { get; set; }

    [BindProperty]
    public bool Admin { get; set; }

    public IReadOnlyList<Row> Users { get; private set; } = [];

    public bool MayCreate { get; private set; }

    public bool MayCreateAdmins { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (HttpContext.CurrentUser() is not { } actor || !UserAdministration.MaySee(actor))
        {
            return NotFound();
        }

        MustChangePassword = true;
        await LoadAsync(actor);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (HttpContext.CurrentUser() is not { } actor || !UserAdministration.MaySee(actor))
        {
            return NotFound();
        }

        var cancellationToken = HttpContext.RequestAborted;
        var (status, problem) = UserAdministration.CreateRefusal(actor, Admin) is { } refusal ? (StatusCodes.Status403Forbidden, refusal)
            : !UserName.IsValid(Name) ? (StatusCodes.Status400BadRequest, $"that is not a valid name: use 1 to {UserName.MaxLength} letters, digits, '.', '_', '-' or '@', starting with a letter or digit")
            : Passwords.Problem(Password ?? string.Empty) is { } weakness ? (StatusCodes.Status400BadRequest, weakness)
            : (StatusCodes.Status200OK, null);
        if (problem is null)
        {
            try
            {
                var created = await users.CreateAsync(Name!, Passwords.Hash(Password!), Admin, MustChangePassword, cancellationToken);
                return LocalRedirect($"/admin/users/{created.Id}");
            }
            catch (DuplicateNameException)
            {
                (status, problem) = (StatusCodes.Status409Conflict, $"a user named {Name} exists already");
            }
        }

        Problem = $"{char.ToUpperInvariant(problem[0])}{problem[1..]}.";
        Response.StatusCode = status;
        Password = null;
        await LoadAsync(actor);
        return Page();
    }

    private async Task LoadAsync(UserWithGrants actor)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var now = timeProvider.GetUtcNow();
        var locked = await loginRecords.ListLockedAsync(now, cancellationToken);
        var memberships = await users.ListMembershipsAsync(cancellationToken);
        Users = [.. (await users.ListAsync(cancellationToken))
            .Select(user => new Row(user, locked.Contains(user.Id), memberships.GetValueOrDefault(user.Id, NoGroups)))];
        MayCreate = UserAdministration.CreateRefusal(actor, admin: false) is null;
        MayCreateAdmins = UserAdministration.CreateRefusal(actor, admin: true) is null;
    }

    /// <summary>One line of the list.</summary>
    public sealed record Row(User User, bool Locked, IReadOnlyList<string> Groups);
}
