using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Ravada.Core.Machines;
using Ravada.TestSupport;

namespace Ravada.Front.Browser.Tests.Support;

/// <summary>
/// The whole system as a person meets it: the back-end bed (configuration file, SQLite, libvirt pool and network,
/// the real rvd_back daemon), users added with <c>rvd_back --add-user</c>, a public demo base made from the GRUB
/// rescue ISO, the real rvd_front program on a free loopback port, and Debian's Chromium driven by Playwright.
/// Everything is taken down at the end, also when setting it up failed half-way.
/// </summary>
public sealed class PortalBed : IAsyncLifetime
{
    /// <summary>Debian's Chromium: Playwright never downloads a browser of its own here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Users of the stories; each one's password is <see cref="PasswordOf"/>.</summary>
    public static readonly IReadOnlyList<string> UserNames = ["alice", "bob", "carol"];

    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private DotnetProcess? front;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private Machine? demoBase;
    private bool disposed;

    public PortalBed()
    {
        Port = FreeLoopbackPort();
        BackEnd = new BackEndBed();
        BackEnd.ExtraConfiguration = $"""
            frontend:
              port: {Port}
              data_protection_dir: {BackEnd.Directory}/front-keys
            """;
    }

    public BackEndBed BackEnd { get; }

    public int Port { get; }

    /// <summary>The portal's address, as run.sh would print it.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public IBrowser Browser => browser ?? throw new InvalidOperationException("the browser is not running");

    /// <summary>The rvd_front process (its output helps to explain a failure).</summary>
    public DotnetProcess Front => front ?? throw new InvalidOperationException("rvd_front is not running");

    /// <summary>The public base every user may start a desktop from.</summary>
    public Machine DemoBase => demoBase ?? throw new InvalidOperationException("the demo base is not made");

    public static string PasswordOf(string userName) => $"{userName}-secret-1";

    public async ValueTask InitializeAsync()
    {
        await Beds.SetUpOrTearDownAsync("portal bed", SetUpAsync, DisposeAsync);
    }

    /// <summary>A new browser window with its own cookies, logged in as <paramref name="userName"/> on the portal's home page.</summary>
    public async Task<BrowserSession> LogInAsync(string userName)
    {
        var session = await OpenAsync();
        try
        {
            await session.LogInAsync(userName, PasswordOf(userName));
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new browser window with its own cookies, on no page yet.</summary>
    public async Task<BrowserSession> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Url, AcceptDownloads = true });
        return await BrowserSession.OpenAsync(context, this);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var problems = new List<Exception>();
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (front is not null)
        {
            try
            {
                if (!front.HasExited)
                {
                    await front.TerminateAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
            {
                problems.Add(exception);
            }

            await front.DisposeAsync();
        }

        try
        {
            await BackEnd.DisposeAsync();
        }
        catch (Exception exception)
        {
            problems.Add(exception);
        }

        if (problems.Count > 0)
        {
            throw new AggregateException("Taking the portal bed down failed", problems);
        }
    }

    private async Task SetUpAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium package ({ChromiumPath}): run ./test.sh, which installs it.");
        }

        await BackEnd.InitializeAsync();
        foreach (var userName in UserNames)
        {
            var (exitCode, output) = await BackEnd.RunCliAsync(PasswordOf(userName) + "\n", "--add-user", userName);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"rvd_back --add-user {userName} failed ({exitCode}): {output}");
            }
        }

        demoBase = await BackEnd.GrubBaseAsync();

        // The portal serves its pages and browser libraries from its content root, the project's folder.
        front = DotnetProcess.Start("rvd_front.dll", standardInput: null, ["--config", BackEnd.ConfigPath], Path.Combine(RepositoryPaths.Root(), "src", "Ravada.Front"));
        await front.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ChromiumArguments,
            Headless = true,
        });
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(nameof(Portal), DisableParallelization = true)]
public sealed class Portal : ICollectionFixture<PortalBed>;
