using System.Globalization;
using System.Net;
using System.Text;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Front.Tests.Support;

namespace Ravada.Front.Tests;

/// <summary>
/// Malformed input on every route, anonymous, signed in as a plain user and as a holder of grant: at least 10,000
/// requests built from a list of classic nasties and a seeded generator. None may answer 5xx, leak how the portal is built (a stack trace,
/// an exception, a source path) or change anything.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private const int Seed = 20261125;
    private const int Rounds = 10_000;
    private const string Punctuation = "'\"<>;&=/\\%?#{}[]$`|.,:-_ ~!*()+@";

    private static readonly string[] Leaks = ["Exception", "   at ", "StackTrace", "/work/", "/src/", ".cs:line", "Microsoft.AspNetCore.", "Npgsql", "SqliteError", "SQLite Error"];

    private static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=\"x\"",
        "application/x-www-form-urlencoded; charset=utf-16", "application/octet-stream", "text/html; charset=\u00ff", ";;;", "",
    ];

    /// <summary>Inputs as they travel on the wire (already percent-encoded where they are encoded at all).</summary>
    private static readonly string[] Nasties =
    [
        "99999999999999999999", "-1", "0", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1e9", "0x10", "1.5", "+1", " 1", "１",
        "%00", "%00%00%00", "a%00b", "%0d%0aSet-Cookie:%20x=1", "%1b%5b31m", "%7f", "%01%02%03%04%05",
        "%c0%af", "%c0%ae%c0%ae%c0%af", "%e0%80%af", "%f0%80%80%af", "%ed%a0%80", "%ff%fe", "%fe%ff", "%c3", "%f4%90%80%80",
        "%", "%%", "%zz", "%2", "%%32%65", "%u002e", "%252e%252e%252f",
        "..", "../..", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd", "..%5c..%5cwindows", "%2fetc%2fshadow",
        "'", "''", "1'%20OR%20'1'='1", "1;DROP%20TABLE%20users;--", "1%20UNION%20SELECT%20password_hash%20FROM%20users", "admin'--", "%22%3b%20--",
        "%3cscript%3ealert(1)%3c%2fscript%3e", "%3cimg%20src=x%20onerror=alert(1)%3e", "javascript:alert(1)", "%22%3e%3csvg%2fonload=alert(1)%3e", "{{7*7}}", "${7*7}", "@(1+1)",
        "%7b%22UserName%22%3a%22alice%22%7d", "%5b%5d", "null", "undefined", "NaN", "true", "[object Object]",
        "http://evil.example/", "//evil.example", "/%2f%2fevil.example", "https:evil.example", "%5c%5cevil.example", "/\\evil.example", "\\\\evil.example",
        new string('A', 5_000), new string('9', 2_000), string.Concat(Enumerable.Repeat("%00", 1_000)), string.Concat(Enumerable.Repeat("../", 500)),
        string.Concat(Enumerable.Repeat("%c0%af", 700)), "%e2%80%ae", "%ef%bb%bf", "%f0%9f%92%a9", "%e2%80%8b",
    ];

    private readonly TestPortal portal = new("  login_attempts_per_minute: 200");
    private Machine othersMachine = null!;
    private Machine othersPrivateBase = null!;

    public async ValueTask InitializeAsync()
    {
        await portal.StartAsync();
        await portal.UserAsync("alice");
        await GrantorAsync();
        var bob = await portal.UserAsync("bob");
        othersMachine = await portal.MachineAsync("bob-desktop", bob, MachineState.Running);
        await portal.DisplayAsync(othersMachine, DisplayProtocol.Spice, 5900, "bob-ticket");
        othersPrivateBase = await portal.MachineAsync("bob-base", bob, isBase: true);
    }

    public async ValueTask DisposeAsync() => await portal.DisposeAsync();

    /// <summary>
    /// A holder of grant alone, who sees the user pages: no input can make it change anything, since a grant's name
    /// and its value get the same input, and everything else on those pages needs manage_users.
    /// </summary>
    private async Task GrantorAsync()
    {
        var users = portal.Get<IUserStore>();
        var grantor = await portal.UserAsync("grantor", extraGrants: Grant.GrantPermissions);
        foreach (var grant in GrantNames.DefaultForUsers)
        {
            await users.SetGrantAsync(grantor.Id, grant, 0);
        }
    }

    [Fact]
    public async Task Ten_thousand_malformed_requests_get_no_5xx_no_leak_and_change_nothing()
    {
        var before = await SnapshotAsync();
        using var anonymous = portal.Browser();
        await anonymous.PageAsync("/login");
        using var signedIn = portal.Browser();
        await signedIn.LogInToPortalAsync("alice");
        using var grantor = portal.Browser();
        await grantor.LogInToPortalAsync("grantor");
        var routes = Routes();
        var random = new Random(Seed);
        var failures = new List<string>();

        var delivered = 0;
        for (var round = 0; delivered < Rounds && failures.Count < 20; round++)
        {
            var input = round < Nasties.Length * 2 ? Nasties[round % Nasties.Length] : Generate(random);
            var (name, build) = routes[round % routes.Count];
            var browser = ((round / routes.Count) % 3) switch { 0 => anonymous, 1 => signedIn, _ => grantor };
            using var request = build(input, browser, random);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await SendAsync(browser, request, timeout.Token);
            if (response is null)
            {
                continue;
            }

            delivered++;
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
                ? string.Empty
                : await response.Content.ReadAsStringAsync(timeout.Token);
            var decodedInput = WebUtility.UrlDecode(input);
            var leak = Leaks.FirstOrDefault(marker => body.Contains(marker, StringComparison.OrdinalIgnoreCase)
                && !decodedInput.Contains(marker, StringComparison.OrdinalIgnoreCase) && !input.Contains(marker, StringComparison.OrdinalIgnoreCase));
            if ((int)response.StatusCode >= 500 || leak is not null)
            {
                failures.Add($"round {round} {name} ({(browser == anonymous ? "anonymous" : browser == signedIn ? "alice" : "grantor")}) input '{Shorten(input)}': {(int)response.StatusCode}{(leak is null ? string.Empty : $" leaks '{leak}'")}: {Shorten(body)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/")).StatusCode);
    }

    /// <summary>
    /// Sends a request; null when the test host itself refuses to build it (a path with an encoded NUL, which
    /// Kestrel answers 400 before the portal sees it).
    /// </summary>
    private static async Task<HttpResponseMessage?> SendAsync(Browser browser, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await browser.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (InvalidOperationException refused) when (refused.StackTrace?.Contains("PathString.FromUriComponent", StringComparison.Ordinal) == true)
        {
            return null;
        }
    }

    private async Task<string> SnapshotAsync()
    {
        var users = portal.Get<IUserStore>();
        var snapshot = new StringBuilder();
        foreach (var user in await users.ListAsync())
        {
            var grants = string.Join(',', (await users.OwnGrantsAsync(user.Id)).OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}"));
            snapshot.Append(CultureInfo.InvariantCulture,
                $"user {user.Id} {user.Name} admin={user.IsAdmin} change={user.MustChangePassword} hash={await users.GetPasswordHashAsync(user.Id)} grants={grants} groups={string.Join(',', await users.GroupsOfAsync(user.Id))}\n");
        }

        foreach (var group in await users.ListGroupsAsync())
        {
            snapshot.Append(CultureInfo.InvariantCulture, $"group {group.Name} members={group.Members}\n");
        }

        foreach (var machine in await portal.Get<IMachineStore>().ListAsync())
        {
            snapshot.Append(CultureInfo.InvariantCulture, $"machine {machine.Id} {machine.Name} owner={machine.OwnerId} state={machine.State} base={machine.IsBase} public={machine.IsPublic}\n");
        }

        snapshot.Append(CultureInfo.InvariantCulture, $"requests {(await portal.RequestsAsync()).Count}\n");
        return snapshot.ToString();
    }

    private delegate HttpRequestMessage RequestBuilder(string input, Browser browser, Random random);

    private List<(string Name, RequestBuilder Build)> Routes()
    {
        var victim = othersMachine.Id.ToString(CultureInfo.InvariantCulture);
        var privateBase = othersPrivateBase.Id.ToString(CultureInfo.InvariantCulture);
        var victimUser = othersMachine.OwnerId.ToString(CultureInfo.InvariantCulture);
        return
        [
            ("login ReturnUrl", (input, browser, random) => Get($"/login?ReturnUrl={input}")),
            ("login form", (input, browser, random) => Form("/login", browser, random, $"UserName={input}&Password={input}")),
            ("login form ReturnUrl", (input, browser, random) => Form($"/login?ReturnUrl={input}", browser, random, $"UserName=x{input}&Password=y&ReturnUrl={input}")),
            ("login JSON", (input, browser, random) => Raw(HttpMethod.Post, "/login", $"{{\"UserName\":\"{input}\",\"Password\":[{input}]}}", "application/json")),
            ("login wrong content type", (input, browser, random) => Raw(HttpMethod.Post, "/login", input, ContentTypes[random.Next(ContentTypes.Length)])),
            ("console page", (input, browser, random) => Get($"/machines/{input}/console/vnc")),
            ("machine action id", (input, browser, random) => Htmx($"/machines/{input}/start", browser, random, input)),
            ("machine action name", (input, browser, random) => Htmx($"/machines/{victim}/{input}", browser, random, input)),
            ("others' machine action", (input, browser, random) => Htmx($"/machines/{victim}/{(random.Next(2) == 0 ? "shutdown" : "remove")}?{input}", browser, random, input)),
            ("desktop id", (input, browser, random) => Htmx($"/bases/{input}/desktop", browser, random, input)),
            ("private base desktop", (input, browser, random) => Htmx($"/bases/{privateBase}/desktop?id={input}", browser, random, input)),
            ("thumbnail", (input, browser, random) => Get($"/machines/{input}/thumbnail")),
            ("console token id", (input, browser, random) => Htmx($"/machines/{input}/console/spice/token", browser, random, input)),
            ("console token protocol", (input, browser, random) => Htmx($"/machines/{victim}/console/{input}/token", browser, random, input)),
            ("websocket token", (input, browser, random) => Get($"/ws/console/{input}")),
            ("viewer file", (input, browser, random) => Get($"/machines/{input}/viewer.vv")),
            ("request page", (input, browser, random) => Get($"/requests/{input}")),
            ("events", (input, browser, random) => Get($"/events?request={input}")),
            ("error page", (input, browser, random) => Get($"/error/{input}")),
            ("password form", (input, browser, random) => Form("/password", browser, random, $"Current={input}&NewPassword={input}&Confirm={input}")),
            ("logout with a forged token", (input, browser, random) => Raw(HttpMethod.Post, "/logout", $"__RequestVerificationToken={input}", "application/x-www-form-urlencoded")),
            ("users page", (input, browser, random) => Get($"/admin/users?{input}")),
            ("user page", (input, browser, random) => Get($"/admin/users/{input}")),
            ("user create form", (input, browser, random) => Form("/admin/users", browser, random, $"Name={input}&Password={input}&MustChangePassword={input}&Admin={input}")),
            ("user change form", (input, browser, random) => Form($"/admin/users/{victimUser}?handler={(random.Next(2) == 0 ? "Grant" : input)}", browser, random, $"grant={input}&value={input}&group={input}")),
            ("any path", (input, browser, random) => Get($"/{input}")),
            ("odd method", (input, browser, random) => Raw(new HttpMethod(random.Next(2) == 0 ? "PUT" : "DELETE"), $"/machines/{victim}/start?{input}", input, "text/plain")),
            ("headers", (input, browser, random) => Headers(input, random)),
            ("huge body", (input, browser, random) => Form("/login", browser, random, $"UserName={new string('u', 100_000 + random.Next(1_000_000))}&Password={input}")),
            ("many fields", (input, browser, random) => Form("/password", browser, random, string.Join('&', Enumerable.Range(0, 1_500 + random.Next(3_000)).Select(index => $"f{index}={input}")))),
        ];
    }

    private static HttpRequestMessage Get(string pathAndQuery) => new(HttpMethod.Get, Address(pathAndQuery));

    /// <summary>A form post with the page's antiforgery token (or, now and then, none or a broken one).</summary>
    private static HttpRequestMessage Form(string pathAndQuery, Browser browser, Random random, string body)
    {
        var token = TokenFor(browser, random);
        var content = token is null ? body : $"{body}&__RequestVerificationToken={Uri.EscapeDataString(token)}";
        return Raw(HttpMethod.Post, pathAndQuery, content, random.Next(10) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : "application/x-www-form-urlencoded");
    }

    /// <summary>An htmx post with the antiforgery header (or, now and then, none or a broken one) and a body.</summary>
    private static HttpRequestMessage Htmx(string pathAndQuery, Browser browser, Random random, string body)
    {
        var request = Raw(HttpMethod.Post, pathAndQuery, body, ContentTypes[random.Next(ContentTypes.Length)]);
        request.Headers.Add("HX-Request", "true");
        if (TokenFor(browser, random) is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-CSRF-Token", token);
        }

        return request;
    }

    private static HttpRequestMessage Raw(HttpMethod method, string pathAndQuery, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(method, Address(pathAndQuery)) { Content = content };
    }

    private static HttpRequestMessage Headers(string input, Random random)
    {
        var value = HeaderSafe(WebUtility.UrlDecode(input));
        var request = Get(random.Next(2) == 0 ? "/" : "/login");
        switch (random.Next(7))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Cookie", $"ravada_session={value}; ravada_antiforgery={value}");
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", value);
                request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", value);
                request.Headers.TryAddWithoutValidation("X-Forwarded-Host", value);
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("HX-Request", value);
                request.Headers.TryAddWithoutValidation("HX-Current-URL", value);
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 64 * 1024 + random.Next(256 * 1024)));
                break;
            case 4:
                request.Headers.TryAddWithoutValidation("Accept", value);
                request.Headers.TryAddWithoutValidation("Accept-Language", value);
                break;
            case 5:
                request.Headers.TryAddWithoutValidation("Origin", value);
                request.Headers.TryAddWithoutValidation("Referer", value);
                break;
            default:
                request.Headers.TryAddWithoutValidation("Host", value.Length == 0 ? "x" : value);
                break;
        }

        return request;
    }

    /// <summary>The browser's token, mostly; sometimes none, a truncated one or a made-up one.</summary>
    private static string? TokenFor(Browser browser, Random random) => random.Next(8) switch
    {
        0 => null,
        1 => browser.CsrfToken is { Length: > 10 } token ? token[..^5] : "x",
        2 => "CfDJ8" + new string('A', random.Next(300)),
        _ => browser.CsrfToken,
    };

    private static Uri Address(string pathAndQuery)
    {
        try
        {
            return new Uri("http://localhost" + pathAndQuery);
        }
        catch (UriFormatException)
        {
            return new Uri("http://localhost/" + Uri.EscapeDataString(pathAndQuery));
        }
    }

    private static string HeaderSafe(string value) =>
        new([.. value.Where(character => character is >= ' ' and <= '~').Take(4_000)]);

    /// <summary>A random input in wire form: percent-encoded text of odd characters, or raw bytes, or printable noise.</summary>
    private static string Generate(Random random)
    {
        var length = random.Next(10) == 0 ? random.Next(2_000, 20_000) : random.Next(0, 80);
        var wire = new StringBuilder(length * 3);
        for (var index = 0; index < length; index++)
        {
            switch (random.Next(6))
            {
                case 0:
                    wire.Append(CultureInfo.InvariantCulture, $"%{random.Next(256):x2}");
                    break;
                case 1:
                    wire.Append(Uri.EscapeDataString(char.ConvertFromUtf32(RandomCodePoint(random))));
                    break;
                case 2:
                    wire.Append(Punctuation[random.Next(Punctuation.Length)]);
                    break;
                case 3:
                    wire.Append((char)random.Next('0', '9' + 1));
                    break;
                default:
                    wire.Append((char)random.Next('a', 'z' + 1));
                    break;
            }
        }

        return wire.ToString();
    }

    private static int RandomCodePoint(Random random)
    {
        while (true)
        {
            var codePoint = random.Next(4) == 0 ? random.Next(0x110000) : random.Next(0x800);
            if (codePoint is < 0xD800 or > 0xDFFF)
            {
                return codePoint;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : $"{text[..300]}…";
}
