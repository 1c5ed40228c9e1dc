using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// Every route of the running portal, tried by every kind of user against a machine of the owner's, a public
/// base and a private base: anonymous, the owner, another plain user, a user holding exactly one grant (each
/// grant in turn, the defaults taken away) and an administrator. The expectations are written here, route by
/// route, in terms of grants; a route the portal serves without an entry here fails. A refused attempt must
/// leave the request queue, every machine row and every user (account, own grants, groups) as they were. The user
/// pages act on people who are not actors (a plain user, a second administrator, the owner), so that what an
/// allowed attempt changes does not change what the actors may do.
/// </summary>
public sealed class PermissionMatrixTests : IAsyncLifetime
{
    private static readonly string[] Protocols = ["vnc", "spice"];
    private static readonly Dictionary<string, string> MachineActions = new(StringComparer.Ordinal)
    {
        ["start"] = RequestCommands.Start,
        ["shutdown"] = RequestCommands.Shutdown,
        ["force-off"] = RequestCommands.ForceShutdown,
        ["reboot"] = RequestCommands.Reboot,
        ["hibernate"] = RequestCommands.Hibernate,
        ["resume"] = RequestCommands.Resume,
        ["restore"] = RequestCommands.Restore,
        ["remove"] = RequestCommands.Remove,
    };

    private readonly TestPortal portal = new();
    private readonly List<Actor> actors = [];
    private User owner = null!;
    private Machine desktop = null!;
    private Machine publicBase = null!;
    private Machine privateBase = null!;
    private Request ownersRequest = null!;
    private User subject = null!;
    private User otherAdmin = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        var users = portal.Get<IUserStore>();
        var admin = await portal.UserAsync("root", admin: true);
        owner = await portal.UserAsync("owner");
        await portal.UserAsync("stranger");
        publicBase = await portal.PublicBaseAsync("public-base", admin);
        privateBase = await portal.MachineAsync("private-base", admin, isBase: true);
        desktop = await portal.MachineAsync("public-base-owner", owner, MachineState.Running, publicBase);
        await portal.Get<IMachineStore>().SetDisplaysAsync(desktop.Id, [
            new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", 5900, null, "display-secret"),
            new MachineDisplay(DisplayProtocol.Spice, "127.0.0.1", 5901, null, "display-secret"),
        ]);
        foreach (var machine in new[] { desktop, publicBase, privateBase })
        {
            await portal.Get<IMachineStore>().SetThumbnailAsync(machine.Id, new Thumbnail([0x89, 0x50, 0x4e, 0x47], "image/png", 1, 1, DateTimeOffset.UtcNow));
        }

        subject = await portal.UserAsync("subject");
        otherAdmin = await portal.UserAsync("other-admin", admin: true);
        await portal.MachineAsync("other-admin-machine", otherAdmin);
        await users.EnsureGroupAsync("plain-group");
        await users.SetGroupGrantAsync(await users.EnsureGroupAsync("powerful-group"), Grant.RemoveAll, 1);
        ownersRequest = await portal.Get<IRequestQueue>().EnqueueAsync(
            new NewRequest { Command = RequestCommands.Start, UserId = owner.Id, MachineId = desktop.Id, Arguments = RequestArguments.Empty });

        actors.Add(new Actor("anonymous", null));
        actors.Add(new Actor("owner", await users.FindWithGrantsAsync(owner.Id)));
        actors.Add(new Actor("stranger", await users.FindWithGrantsAsync((await users.FindByNameAsync("stranger"))!.Id)));
        foreach (var grant in GrantNames.All)
        {
            var name = $"only-{GrantNames.Name(grant)}";
            var user = await portal.UserAsync(name);
            foreach (var given in GrantNames.DefaultForUsers)
            {
                await users.SetGrantAsync(user.Id, given, 0);
            }

            await users.SetGrantAsync(user.Id, grant, 1);
            actors.Add(new Actor(name, await users.FindWithGrantsAsync(user.Id)));
        }

        actors.Add(new Actor("administrator", await users.FindWithGrantsAsync(admin.Id)));
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public void Every_route_of_the_portal_has_an_entry_in_the_matrix()
    {
        var routes = PortalRoutes();
        var matrix = Matrix();

        var missing = routes.Where(route => !matrix.ContainsKey(route)).ToList();
        var stale = matrix.Keys.Where(route => !routes.Contains(route)).ToList();

        Assert.True(missing.Count == 0, $"Routes without an entry in the permission matrix: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"Matrix entries for routes the portal no longer serves: {string.Join(", ", stale)}");
    }

    [Fact]
    public async Task Each_actor_is_allowed_or_refused_as_the_matrix_says_and_a_refusal_changes_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var failures = new StringBuilder();
        var matrix = Matrix();
        var tried = 0;
        var address = 10;
        foreach (var actor in actors)
        {
            using var browser = portal.Browser($"127.0.1.{address++}");
            if (actor.User is { } user)
            {
                await browser.LogInToPortalAsync(user.User.Name);
            }
            else
            {
                await browser.PageAsync("/login");
            }

            // Logging out ends the session the other probes need, so it comes last.
            foreach (var (route, probes) in matrix.OrderBy(entry => entry.Key.EndsWith(" /logout", StringComparison.Ordinal)))
            {
                foreach (var probe in probes)
                {
                    var before = await SnapshotAsync(cancellationToken);
                    var queuedBefore = (await portal.RequestsAsync()).Select(request => request.Id).ToHashSet();
                    var refused = await IsRefusedAsync(browser, route.Split(' ')[0], probe, actor, cancellationToken);
                    var expected = probe.Allowed(actor);
                    tried++;
                    if (refused == expected)
                    {
                        failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{actor.Name}: {route.Split(' ')[0]} {probe.Path} was {(refused ? "refused" : "allowed")}, the matrix says {(expected ? "allowed" : "refused")}");
                    }

                    if (!refused && probe.Queues is { } command)
                    {
                        var queued = (await portal.RequestsAsync()).Where(request => !queuedBefore.Contains(request.Id)).ToList();
                        if (queued is not [{ } request] || request.Command != command || request.UserId != actor.User?.User.Id)
                        {
                            failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{actor.Name}: the allowed POST {probe.Path} did not queue one {command} in the actor's name");
                        }
                    }

                    if (refused && await SnapshotAsync(cancellationToken) != before)
                    {
                        failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{actor.Name}: the refused {route.Split(' ')[0]} {probe.Path} changed the queue, a machine or a user");
                    }
                }
            }
        }

        Assert.True(failures.Length == 0, $"{failures}");
        Assert.True(tried > 1000, $"only {tried} attempts");
    }

    /// <summary>"METHOD pattern" of every route endpoint; Razor pages (which take any method) count as GET and POST.</summary>
    private HashSet<string> PortalRoutes()
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in portal.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared ? declared : ["GET", "POST"];
            foreach (var method in methods)
            {
                routes.Add($"{method} {pattern}");
            }
        }

        return routes;
    }

    /// <summary>
    /// The matrix: for each route, the paths tried and who may. "Use" a machine (its display, its screen): its
    /// owner, view_all, administrators. Clone a base: clone_all, or clone for a public base (or one's own). Start:
    /// use it, or shutdown_all. Any other action: the action's grant on one's own machines, or its _all grant.
    /// </summary>
    private Dictionary<string, Probe[]> Matrix()
    {
        Machine[] targets = [desktop, publicBase, privateBase];
        Probe[] Everyone(string path, params int[] ownAnswers) => [new(path, _ => true, ownAnswers)];
        Probe[] Nobody(string path) => [new(path, _ => false)];
        Probe[] LoggedIn(string path) => [new(path, actor => actor.User is not null)];
        Probe[] UsersOf(Func<Machine, string> path) => [.. targets.Select(target => new Probe(path(target), actor => MayUse(actor, target)))];
        Probe[] Consoles() => [.. targets.SelectMany(target => Protocols.Select(protocol =>
            new Probe($"/machines/{target.Id}/console/{protocol}", actor => MayUse(actor, target))))];
        Probe[] Administration(string path, Func<Actor, bool> allowed, Func<Actor, string> form, params int[] ownAnswers) =>
            [new(path, allowed, ownAnswers) { Form = form }];
        string Subject(string handler) => $"/admin/users/{subject.Id}?handler={handler}";
        Probe[] RequestPage() => [new($"/requests/{ownersRequest.Id}", actor => actor.User is { } user && (user.User.Id == owner.Id || user.User.IsAdmin))];

        return new Dictionary<string, Probe[]>(StringComparer.Ordinal)
        {
            ["GET /"] = LoggedIn("/"),
            ["POST /"] = Nobody("/"),
            ["GET /login"] = Everyone("/login"),
            ["POST /login"] = Everyone("/login", StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests),
            ["GET /logout"] = Everyone("/logout"),
            ["POST /logout"] = Everyone("/logout"),
            ["GET /password"] = LoggedIn("/password"),
            ["POST /password"] = LoggedIn("/password"),
            ["GET /error/{code:int?}"] = Everyone("/error/404", StatusCodes.Status404NotFound),
            ["POST /error/{code:int?}"] = Everyone("/error/404", StatusCodes.Status404NotFound),
            ["GET /requests/{id:long}"] = RequestPage(),
            ["POST /requests/{id:long}"] = Nobody($"/requests/{ownersRequest.Id}"),
            ["GET /machines/{id:long}/console/{protocol:regex(^(vnc|spice)$)}"] = Consoles(),
            ["POST /machines/{id:long}/console/{protocol:regex(^(vnc|spice)$)}"] = [.. Consoles().Select(probe => probe with { Allowed = _ => false })],
            ["POST /machines/{id:long}/console/{protocol:regex(^(vnc|spice)$)}/token"] = [.. targets.SelectMany(target => Protocols.Select(protocol =>
                new Probe($"/machines/{target.Id}/console/{protocol}/token", actor => MayUse(actor, target))))],
            ["GET /machines/{id:long}/viewer.vv"] = UsersOf(target => $"/machines/{target.Id}/viewer.vv"),
            ["GET /machines/{id:long}/thumbnail"] = [.. targets.Select(target =>
                new Probe($"/machines/{target.Id}/thumbnail", actor => MayUse(actor, target) || (target.IsBase && MayClone(actor, target))))],
            ["POST /bases/{id:long}/desktop"] = [.. targets.Select(target =>
                new Probe($"/bases/{target.Id}/desktop", actor => target.IsBase && MayClone(actor, target)) { Queues = RequestCommands.Clone })],
            ["POST /machines/{id:long}/{action:regex(^(start|shutdown|force-off|reboot|hibernate|resume|restore|remove)$)}"] =
                [.. targets.SelectMany(target => MachineActions.Select(action =>
                    new Probe($"/machines/{target.Id}/{action.Key}", actor => !target.IsBase && MayAct(actor, target, action.Key)) { Queues = action.Value }))],
            ["GET /events"] = [.. LoggedIn("/events"), .. RequestPage().Select(probe => probe with { Path = $"/events?request={ownersRequest.Id}" })],
            ["GET /ws/console/{token}"] = LoggedIn("/ws/console/not-a-token"),
            ["GET /admin/users"] = [new("/admin/users", MaySeeUsers)],
            ["POST /admin/users"] =
            [
                .. Administration("/admin/users", actor => Holds(actor, Grant.ManageUsers), actor => $"Name=made-by-{actor.Name}&Password=a-long-password&MustChangePassword=true"),
                .. Administration("/admin/users", IsAdmin, actor => $"Name=admin-by-{actor.Name}&Password=a-long-password&Admin=true"),
            ],
            ["GET /admin/users/{id:long}"] = [new($"/admin/users/{subject.Id}", MaySeeUsers), new($"/admin/users/{otherAdmin.Id}", MaySeeUsers)],
            ["POST /admin/users/{id:long}"] =
            [
                .. Nobody($"/admin/users/{subject.Id}"),
                .. Administration(Subject("grant"), actor => Holds(actor, Grant.GrantPermissions), _ => "grant=grant&value=1"),
                .. Administration(Subject("grant"), actor => Holds(actor, Grant.GrantPermissions) && Holds(actor, Grant.Clone), _ => "grant=clone&value=1"),
                .. Administration(Subject("grant"), IsAdmin, _ => "grant=admin&value=0"),
                .. Administration($"/admin/users/{otherAdmin.Id}?handler=grant", IsAdmin, _ => "grant=grant&value=1"),
                .. Administration(Subject("password"), actor => Holds(actor, Grant.ManageUsers), _ => string.Empty),
                .. Administration($"/admin/users/{otherAdmin.Id}?handler=password", IsAdmin, _ => string.Empty),
                .. Administration(Subject("unlock"), actor => Holds(actor, Grant.ManageUsers), _ => string.Empty),
                .. Administration($"/admin/users/{otherAdmin.Id}?handler=unlock", IsAdmin, _ => string.Empty),
                .. Administration(Subject("join"), actor => Holds(actor, Grant.ManageUsers), _ => "group=plain-group"),
                .. Administration(Subject("leave"), actor => Holds(actor, Grant.ManageUsers), _ => "group=plain-group"),
                .. Administration(Subject("join"), IsAdmin, _ => "group=powerful-group"),
                .. Administration($"/admin/users/{owner.Id}?handler=remove", actor => Holds(actor, Grant.ManageUsers), _ => "confirm=yes", StatusCodes.Status409Conflict),
                .. Administration($"/admin/users/{otherAdmin.Id}?handler=remove", IsAdmin, _ => "confirm=yes", StatusCodes.Status409Conflict),
            ],
        };
    }

    private static bool Holds(Actor actor, Grant grant) => actor.User is { } user && (user.User.IsAdmin || user.Grants.GetValueOrDefault(grant) != 0);

    private static bool IsAdmin(Actor actor) => actor.User?.User.IsAdmin == true;

    private static bool MaySeeUsers(Actor actor) => Holds(actor, Grant.ManageUsers) || Holds(actor, Grant.GrantPermissions);

    private static bool Owns(Actor actor, Machine machine) => actor.User?.User.Id == machine.OwnerId;

    private static bool MayUse(Actor actor, Machine machine) => actor.User is not null && (Owns(actor, machine) || Holds(actor, Grant.ViewAll));

    private static bool MayClone(Actor actor, Machine baseMachine) =>
        Holds(actor, Grant.CloneAll) || (Holds(actor, Grant.Clone) && (baseMachine.IsPublic || Owns(actor, baseMachine)));

    private static bool MayAct(Actor actor, Machine machine, string action)
    {
        var (own, all) = action switch
        {
            "start" => ((Grant?)null, (Grant?)Grant.ShutdownAll),
            "shutdown" or "force-off" or "reboot" or "resume" => (Grant.Shutdown, Grant.ShutdownAll),
            "hibernate" => (Grant.Hibernate, Grant.HibernateAll),
            "restore" => (Grant.ChangeSettings, Grant.ChangeSettingsAll),
            "remove" => (Grant.Remove, Grant.RemoveAll),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not in the matrix"),
        };
        return own is null
            ? MayUse(actor, machine) || Holds(actor, all!.Value)
            : Holds(actor, all!.Value) || (Owns(actor, machine) && Holds(actor, own.Value));
    }

    /// <summary>Refused: 401, 403, 404, 405, or sent to the login page to authenticate.</summary>
    private static async Task<bool> IsRefusedAsync(Browser browser, string method, Probe probe, Actor actor, CancellationToken cancellationToken)
    {
        var path = probe.Path;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("HX-Request", "true");
        request.Headers.Accept.ParseAdd("text/html");
        if (method == "POST")
        {
            request.Content = probe.Form is { } form
                ? new StringContent(form(actor), Encoding.UTF8, "application/x-www-form-urlencoded")
                : new StringContent(string.Empty);
            if (browser.CsrfToken is { } token)
            {
                request.Headers.Add("X-CSRF-Token", token);
            }
        }

        using var response = await browser.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}");
        // Only the forms that check what they are sent answer an empty POST with 400; anywhere else it would mean
        // the antiforgery token was refused and the attempt proved nothing.
        Assert.False(
            response.StatusCode == HttpStatusCode.BadRequest && method == "POST" && path is not ("/password" or "/login"),
            $"{method} {path}: the antiforgery token was refused");
        if (probe.OwnAnswers.Contains((int)response.StatusCode))
        {
            return false;
        }

        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            || (response.Headers.Location is { } location && location.OriginalString.Contains("ReturnUrl=", StringComparison.Ordinal));
    }

    private async Task<string> SnapshotAsync(CancellationToken cancellationToken)
    {
        var requests = await portal.RequestsAsync();
        var machines = await portal.Get<IMachineStore>().ListAsync(cancellationToken);
        var store = portal.Get<IUserStore>();
        var users = new List<object>();
        foreach (var user in await store.ListAsync(cancellationToken))
        {
            users.Add(new
            {
                user,
                hash = await store.GetPasswordHashAsync(user.Id, cancellationToken),
                grants = (await store.OwnGrantsAsync(user.Id, cancellationToken)).OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}"),
                groups = await store.GroupsOfAsync(user.Id, cancellationToken),
            });
        }

        var groups = new List<object>();
        foreach (var group in await store.ListGroupsAsync(cancellationToken))
        {
            groups.Add(new { group, grants = (await store.GroupGrantsAsync(group.Id, cancellationToken)).OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}") });
        }

        return JsonSerializer.Serialize(new { requests = requests.Select(request => request.Id), machines, users, groups });
    }

    private sealed record Actor(string Name, UserWithGrants? User);

    /// <param name="Path">What is asked for.</param>
    /// <param name="Allowed">Whether the matrix allows it to an actor.</param>
    /// <param name="OwnAnswers">Statuses that are the route's own answer to an allowed attempt (a form refusing wrong input), not a refusal.</param>
    private sealed record Probe(string Path, Func<Actor, bool> Allowed, params int[] OwnAnswers)
    {
        /// <summary>The command an allowed attempt queues, in the actor's name.</summary>
        public string? Queues { get; init; }

        /// <summary>The form a POST sends (url-encoded), made for the actor; an empty body without it.</summary>
        public Func<Actor, string>? Form { get; init; }
    }
}
