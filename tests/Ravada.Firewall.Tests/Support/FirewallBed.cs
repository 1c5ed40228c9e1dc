using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Users;
using Ravada.Data.Migrations;
using Ravada.TestSupport;

namespace Ravada.Firewall.Tests.Support;

/// <summary>
/// The display firewall for real, as rvd_back runs it: a SQLite database with the broker's stores, the firewall
/// loop on a chain of its own (<c>rvdtest-RUNID</c>) guarding a port range of its own, and client hosts in
/// network namespaces: the owner of a machine, a stranger and an administrator workstation. The back end can be
/// stopped and started again on the same database. Disposing it removes the chain, its jump and the namespaces,
/// whatever happened before.
/// </summary>
internal sealed class FirewallBed : IAsyncDisposable
{
    /// <summary>The promise of docs/architecture.md: the chain is right again this soon after a flush or a restart.</summary>
    public static readonly TimeSpan ConvergenceLimit = TimeSpan.FromSeconds(5);

    public static readonly AddressFamily[] FamiliesOf = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private readonly string directory;
    private readonly Dictionary<string, string?> settings;
    private ServiceProvider? backEnd;
    private CancellationTokenSource? backEndStop;
    private Task? backEndLoop;

    private FirewallBed(string runId, string directory, int firstPort, NetworkBed network, ClientHost owner, ClientHost stranger, ClientHost admin)
    {
        RunId = runId;
        this.directory = directory;
        FirstPort = firstPort;
        Network = network;
        Owner = owner;
        Stranger = stranger;
        Admin = admin;
        settings = new()
        {
            ["db:driver"] = "sqlite",
            ["db:file"] = Path.Combine(directory, "ravada.db"),
            ["firewall:enabled"] = "true",
            ["firewall:chain"] = Chain,
            ["firewall:display_port_min"] = FirstPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["firewall:display_port_max"] = (FirstPort + 9).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["frontend:port"] = PortalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["admin_workstations:0"] = $"{admin.ClientV4}/32",
            ["admin_workstations:1"] = $"{admin.ClientV6}/128",
        };
    }

    public string RunId { get; }

    public string Chain => $"rvdtest-{RunId}";

    /// <summary>The first of the ten ports the chain guards; the machine's displays are the next two.</summary>
    public int FirstPort { get; }

    public int DisplayPort => FirstPort + 1;

    public int TlsPort => FirstPort + 2;

    /// <summary>A port of the range that belongs to no machine.</summary>
    public int OtherPort => FirstPort + 5;

    /// <summary>A port of the range where rvd_front would listen (<c>frontend.port</c>).</summary>
    public int PortalPort => FirstPort + 7;

    public NetworkBed Network { get; }

    public ClientHost Owner { get; }

    public ClientHost Stranger { get; }

    public ClientHost Admin { get; }

    public Machine Machine { get; private set; } = null!;

    public IServiceProvider Services => backEnd ?? throw new InvalidOperationException("the back end is stopped");

    public DisplayFirewall Firewall => Services.GetRequiredService<DisplayFirewall>();

    public static async Task<FirewallBed> CreateAsync()
    {
        var runId = Guid.NewGuid().ToString("N")[..6];
        var directory = Directory.CreateTempSubdirectory($"rvdtest-{runId}-").FullName;
        var network = new NetworkBed(runId);
        FirewallBed? bed = null;
        try
        {
            var owner = await network.AddClientAsync("o");
            var stranger = await network.AddClientAsync("s");
            var admin = await network.AddClientAsync("a");
            bed = new FirewallBed(runId, directory, network.ListenOnFreeRange(), network, owner, stranger, admin);

            await bed.StartBackEndAsync();
            await bed.CreateMachineAsync();
            return bed;
        }
        catch
        {
            if (bed is not null)
            {
                await bed.DisposeAsync();
            }
            else
            {
                await network.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Starts the back end's firewall loop (as rvd_back does at start-up) on fresh services.</summary>
    public async Task StartBackEndAsync()
    {
        var collection = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Data.ServiceCollectionExtensions.AddRavadaData(collection, configuration);
        collection.AddRavadaFirewall(configuration);
        collection.AddSingleton<MachineStateTracker>();
        backEnd = collection.BuildServiceProvider();
        await backEnd.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(Cancel);
        backEndStop = new CancellationTokenSource();
        var loop = backEnd.GetRequiredService<DisplayFirewallLoop>();
        var stopToken = backEndStop.Token;
        backEndLoop = Task.Run(() => loop.RunAsync(stopToken), CancellationToken.None);
    }

    /// <summary>Stops the back end; the chain stays as it was.</summary>
    public async Task StopBackEndAsync()
    {
        if (backEndStop is not null)
        {
            await backEndStop.CancelAsync();
            await backEndLoop!;
            backEndStop.Dispose();
            backEndStop = null;
        }

        if (backEnd is not null)
        {
            await backEnd.DisposeAsync();
            backEnd = null;
        }
    }

    /// <summary>The machine runs with its displays, started on behalf of <paramref name="viewer"/>, as the start handler and libvirt's event record it.</summary>
    public async Task RunMachineAsync(System.Net.IPAddress viewer)
    {
        var machines = Services.GetRequiredService<IMachineStore>();
        await machines.SetViewerAddressAsync(Machine.Id, viewer.ToString(), Cancel);
        await machines.SetDisplaysAsync(Machine.Id, [new MachineDisplay(DisplayProtocol.Spice, "0.0.0.0", DisplayPort, TlsPort, "ticket")], Cancel);
        await RecordStateAsync(MachineState.Running);
    }

    /// <summary>Records a state change the way libvirt's events are recorded.</summary>
    public async Task RecordStateAsync(MachineState state)
    {
        var machine = await Services.GetRequiredService<IMachineStore>().FindAsync(Machine.Id, Cancel);
        await Services.GetRequiredService<MachineStateTracker>().RecordAsync(machine!, state, state.ToString().ToLowerInvariant(), null, Cancel);
    }

    /// <summary>Waits until the chain of both IP versions matches the database, at most <see cref="ConvergenceLimit"/>; false if it does not.</summary>
    public async Task<bool> ConvergesAsync()
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < ConvergenceLimit)
        {
            if (await Firewall.IsConvergedAsync(AddressFamily.InterNetwork, Cancel) && await Firewall.IsConvergedAsync(AddressFamily.InterNetworkV6, Cancel))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Cancel);
        }

        return false;
    }

    /// <summary>Runs iptables or ip6tables as the administrator would by hand.</summary>
    public static Task<string> IptablesAsync(AddressFamily family, params string[] arguments) =>
        Processes.RunCheckedAsync(family == AddressFamily.InterNetworkV6 ? "ip6tables" : "iptables", ["-w", .. arguments]);

    /// <summary>The lines of INPUT that mention this bed's chain.</summary>
    public async Task<IReadOnlyList<string>> InputLinesAsync(AddressFamily family) =>
        [.. (await IptablesAsync(family, "-S", "INPUT")).Split('\n').Where(line => line.Contains(Chain, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopBackEndAsync();
        }
        finally
        {
            try
            {
                await RemoveChainAsync();
            }
            finally
            {
                try
                {
                    await Network.DisposeAsync();
                }
                finally
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
    }

    /// <summary>Removes the chain and its jump with services of their own, whatever state the back end was left in.</summary>
    private async Task RemoveChainAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection().AddLogging();
        Data.ServiceCollectionExtensions.AddRavadaData(collection, configuration);
        collection.AddRavadaFirewall(configuration);
        await using var cleanup = collection.BuildServiceProvider();
        await cleanup.GetRequiredService<DisplayFirewall>().RemoveAsync(CancellationToken.None);
    }

    private async Task CreateMachineAsync()
    {
        var owner = await Services.GetRequiredService<IUserStore>().CreateAsync("owner", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var node = await Services.GetRequiredService<INodeStore>().EnsureAsync("localhost", "qemu:///system", Cancel);
        Machine = await Services.GetRequiredService<IMachineStore>().CreateAsync(
            new Machine
            {
                Id = 0,
                Uuid = Guid.NewGuid(),
                Name = $"rvdtest-{RunId}",
                OwnerId = owner.Id,
                NodeId = node.Id,
                State = MachineState.ShutOff,
                OsFamily = GuestOsFamily.Linux,
                MemoryMiB = 256,
            },
            Cancel);
    }
}
