using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Config;
using Ravada.Data;
using Ravada.Data.Migrations;
using Ravada.Front.Consoles;

namespace Ravada.Front.Tests.Support;

/// <summary>
/// rvd_front in memory on its real pipeline, with a throw-away configuration file and SQLite database: the
/// same composition as the daemon, only served by the test server. Tests seed users, machines and requests
/// through the data layer and act as browsers from chosen client addresses.
/// </summary>
public sealed class TestPortal : WebApplicationFactory<Program>
{
    public const string Password = "correct-horse-battery";

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"rvd-front-{Guid.NewGuid():N}");
    private readonly bool wholeClockFake;
    private readonly ILoggerProvider? logs;
    private readonly Action<IServiceCollection>? testServices;
    private bool keepDirectory;

    /// <param name="extraFrontendYaml">More keys of the <c>frontend</c> section, indented by two spaces.</param>
    /// <param name="wholeClockFake">Whether every clock of the portal is <see cref="TokenClock"/> (the live feed then stands still).</param>
    /// <param name="logs">Receives every log message of the portal, down to debug, when given.</param>
    /// <param name="testServices">Changes the portal's services after its own composition (kept across a restart).</param>
    public TestPortal(string extraFrontendYaml = "", bool wholeClockFake = false, ILoggerProvider? logs = null, Action<IServiceCollection>? testServices = null)
    {
        this.wholeClockFake = wholeClockFake;
        this.logs = logs;
        this.testServices = testServices;
        Directory.CreateDirectory(directory);
        WriteConfiguration(extraFrontendYaml);
    }

    private TestPortal(string directory, bool wholeClockFake, FakeTimeProvider clock, Action<IServiceCollection>? testServices)
    {
        this.directory = directory;
        this.wholeClockFake = wholeClockFake;
        this.testServices = testServices;
        TokenClock = clock;
    }

    private void WriteConfiguration(string extraFrontendYaml)
    {
        File.WriteAllText(ConfigurationPath, $"""
            db:
              driver: sqlite
              file: {directory}/ravada.db
            frontend:
              data_protection_dir: {directory}/keys
            {(extraFrontendYaml.Contains("login_attempts_per_minute", StringComparison.Ordinal) ? string.Empty : "  login_attempts_per_minute: 5")}
            {extraFrontendYaml}
            """);
        File.SetUnixFileMode(ConfigurationPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The clock of the console tokens (of everything, with <c>wholeClockFake</c>), which tests move forward.</summary>
    public FakeTimeProvider TokenClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Stops this portal and starts another on the same configuration and database, as a restart does.</summary>
    public async Task<TestPortal> RestartAsync()
    {
        keepDirectory = true;
        await DisposeAsync();
        var restarted = new TestPortal(directory, wholeClockFake, TokenClock, testServices);
        await restarted.StartAsync();
        return restarted;
    }

    /// <summary>
    /// Starts another portal on the same configuration, database and keys while this one runs, as a second
    /// rvd_front process would be; this one still owns the directory.
    /// </summary>
    public async Task<TestPortal> SecondProcessAsync()
    {
        var second = new TestPortal(directory, wholeClockFake, TokenClock, testServices) { keepDirectory = true };
        await second.StartAsync();
        return second;
    }

    /// <summary>Where the database and the keys are.</summary>
    public string DataDirectory => directory;

    private string ConfigurationPath => Path.Combine(directory, "ravada.conf");

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Migrates the database, as the daemon does before it serves, then starts the portal (its live feed included).</summary>
    public async Task StartAsync()
    {
        var configuration = RavadaConfiguration.Load(ConfigurationPath);
        await using (var data = new ServiceCollection().AddLogging().AddRavadaData(configuration.Configuration).BuildServiceProvider())
        {
            await data.GetRequiredService<DatabaseMigrator>().MigrateUpAsync();
        }

        _ = Server;
        await BeatAsync();
    }

    /// <summary>A browser of the portal, coming from <paramref name="clientAddress"/> (loopback when not given).</summary>
    public Browser Browser(string clientAddress = "127.0.0.1", bool https = false) =>
        new(this, IPAddress.Parse(clientAddress), https);

    /// <summary>A user with the default grants (or an administrator) and <see cref="Password"/>.</summary>
    public async Task<User> UserAsync(string name, bool admin = false, bool mustChangePassword = false, params Grant[] extraGrants)
    {
        var users = Get<IUserStore>();
        var user = await users.CreateAsync(name, Passwords.Hash(Password), admin, mustChangePassword);
        foreach (var grant in extraGrants)
        {
            await users.SetGrantAsync(user.Id, grant, 1);
        }

        return user;
    }

    public async Task<Machine> MachineAsync(string name, User owner, MachineState state = MachineState.ShutOff, Machine? fromBase = null, bool isBase = false, bool isPublic = false)
    {
        var node = await Get<INodeStore>().EnsureAsync("localhost", "qemu:///system");
        return await Get<IMachineStore>().CreateAsync(new Machine
        {
            Id = 0,
            Uuid = Guid.NewGuid(),
            Name = name,
            OwnerId = owner.Id,
            BaseId = fromBase?.Id,
            IsBase = isBase,
            IsPublic = isPublic,
            State = state,
            NodeId = node.Id,
            MemoryMiB = 256,
        });
    }

    /// <summary>
    /// The usual people and machines: the administrator <c>root</c>, plain users <c>alice</c> and <c>bob</c>, a
    /// public base and a private one of root's, and alice's running desktop cloned from the public base.
    /// </summary>
    public async Task<Cast> CastAsync()
    {
        var admin = await UserAsync("root", admin: true);
        var alice = await UserAsync("alice");
        var bob = await UserAsync("bob");
        var publicBase = await PublicBaseAsync("debian-desktop", admin);
        var privateBase = await MachineAsync("admins-only", admin, isBase: true);
        var aliceDesktop = await MachineAsync("debian-desktop-alice", alice, MachineState.Running, publicBase);
        return new Cast(admin, alice, bob, publicBase, privateBase, aliceDesktop);
    }

    public Task<Machine> PublicBaseAsync(string name, User owner) => MachineAsync(name, owner, isBase: true, isPublic: true);

    /// <summary>Gives a machine a display listening on <paramref name="port"/> of loopback.</summary>
    public Task DisplayAsync(Machine machine, DisplayProtocol protocol, int port, string password = "display-secret") =>
        Get<IMachineStore>().SetDisplaysAsync(machine.Id, [new MachineDisplay(protocol, "127.0.0.1", port, null, password)]);

    /// <summary>Changes a machine's state the way rvd_back does: the row and an event in the log.</summary>
    public async Task SetStateAsync(Machine machine, MachineState state)
    {
        var now = DateTimeOffset.UtcNow;
        await Get<IMachineStore>().SetStateAsync(machine.Id, state, now);
        await Get<IMachineEventLog>().AppendAsync(new MachineEvent(0, machine.Id, machine.Uuid, "state", null, state, now));
    }

    public Task<IReadOnlyList<Request>> RequestsAsync() => Get<IRequestQueue>().ListAsync(new RequestFilter(Limit: 1000));

    /// <summary>rvd_back's heartbeat, as if it were running.</summary>
    public Task BeatAsync() => BackendHeartbeat.BeatAsync(Get<ISettingsStore>(), DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>rvd_back stopped long ago.</summary>
    public Task StopBeatingAsync() => BackendHeartbeat.BeatAsync(Get<ISettingsStore>(), DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("config", ConfigurationPath);
        // As the daemon runs: no developer exception page, bad parameters answered 400 rather than thrown.
        builder.UseEnvironment(Environments.Production);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Debug);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ConsoleTokens>();
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ConsoleTokens>(provider, TokenClock));
            if (wholeClockFake)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(TokenClock);
            }

            testServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !keepDirectory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>The people and machines of <see cref="TestPortal.CastAsync"/>.</summary>
public sealed record Cast(User Admin, User Alice, User Bob, Machine PublicBase, Machine PrivateBase, Machine AliceDesktop);
