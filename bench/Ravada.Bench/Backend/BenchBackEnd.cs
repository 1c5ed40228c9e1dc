using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Config;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data;
using Ravada.Data.Migrations;
using Ravada.Libvirt;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench.Backend;

/// <summary>
/// A whole back end of its own, as <c>tests/Ravada.TestSupport/BackEndBed.cs</c> stands one up: a directory
/// in /var/tmp with ravada.conf (its own SQLite file, PID file and wake-up socket, the firewall off, every other
/// key at its default), a libvirt storage pool holding the idle guest's ISO, an isolated libvirt network, and the published
/// rvd_back started as a process from that configuration. The benchmark talks to it as rvd_front does: through
/// the Data layer's <see cref="IRequestQueue"/> and stores on the same database. Everything is named
/// <c>rvdbench-XXXXXXXX-…</c>; <see cref="DisposeAsync"/> stops rvd_back and removes all of it, whatever state a
/// failed or interrupted run left it in.
/// </summary>
internal sealed class BenchBackEnd : IAsyncDisposable
{
    /// <summary>The idle guest's ISO as a volume of the pool; bases boot from it and keep it for their clones.</summary>
    public const string IsoVolume = "idle.iso";

    private const string AdminName = "admin";
    private const int BaseMemoryMiB = 192;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SetupPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly List<ServiceProvider> providers = [];
    private readonly string passwordHash = Passwords.Hash("rvdbench-password");
    private IConfiguration? configuration;
    private ServiceProvider? client;
    private RvdBackDaemon? daemon;
    private User? admin;

    private BenchBackEnd(string prefix)
    {
        Prefix = prefix;
        Directory = Path.Combine("/var/tmp", prefix);
    }

    /// <summary>The start of every name the back end gives: the run's prefix and <c>-back</c>.</summary>
    public string Prefix { get; }

    /// <summary>The run's directory: configuration, databases, PID file, wake-up socket, and the pool's directory.</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "ravada.conf");

    public string PoolName => Name("pool");

    public string PoolDirectory => Path.Combine(Directory, "pool");

    public string NetworkName => Name("net");

    /// <summary>A Unix socket path where nobody listens: wake-ups sent there are lost.</summary>
    public string NowhereSocket => Path.Combine(Directory, "nobody-listens.sock");

    /// <summary>The services of the client (the benchmark in rvd_front's place), with wake-ups reaching rvd_back.</summary>
    public IServiceProvider Client => client ?? throw new InvalidOperationException("the back end is not started");

    /// <summary>The running daemon.</summary>
    public RvdBackDaemon Daemon => daemon ?? throw new InvalidOperationException("rvd_back is not running");

    /// <summary>The administrator every set-up request runs as.</summary>
    public User Admin => admin ?? throw new InvalidOperationException("the back end is not started");

    /// <summary>The configuration file as the benchmark wrote it, for the report.</summary>
    public string ConfigText { get; private set; } = "";

    /// <summary>Sets everything up and starts rvd_back; removes what it made if that fails.</summary>
    public static async Task<BenchBackEnd> StartAsync(string rvdBackProgram, IdleGuest guest, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var backEnd = new BenchBackEnd(prefix);
        try
        {
            await backEnd.SetUpAsync(rvdBackProgram, guest, cancellationToken);
            return backEnd;
        }
        catch
        {
            await backEnd.DisposeAsync();
            throw;
        }
    }

    /// <summary>A name of this run: the prefix, a dash and <paramref name="what"/>.</summary>
    public string Name(string what) => $"{Prefix}-{what}";

    /// <summary>
    /// The value rvd_back runs with for <paramref name="key"/> (<c>backend:workers_interactive</c>): the file's, or
    /// the default, as the configuration loader fills in every key of the schema.
    /// </summary>
    public int IntegerSetting(string key)
    {
        var value = (configuration ?? throw new InvalidOperationException("the back end is not started"))[key];
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new BenchmarkException($"the configuration has no integer {key} (it reads '{value}')");
    }

    /// <summary>The service of type <typeparamref name="T"/> of the client.</summary>
    public T Get<T>()
        where T : notnull => Client.GetRequiredService<T>();

    /// <summary>
    /// Services of another client on the same configuration but with <paramref name="overrides"/> (such as a
    /// wake-up socket where nobody listens, or another database file); disposed with the back end.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("IDisposableAnalyzers.Correctness", "IDISP005", Justification = "The back end owns the provider and disposes it.")]
    public IServiceProvider ClientWith(params (string Key, string Value)[] overrides)
    {
        var overridden = new ConfigurationBuilder()
            .AddConfiguration(RavadaConfiguration.Load(ConfigPath).Configuration)
            .AddInMemoryCollection(overrides.Select(entry => new KeyValuePair<string, string?>(entry.Key, entry.Value)))
            .Build();
        var provider = new ServiceCollection().AddLogging().AddRavadaData(overridden).BuildServiceProvider();
        providers.Add(provider);
        return provider;
    }

    /// <summary>A user of this back end with a user's default grants, created when missing.</summary>
    public Task<User> UserAsync(string name, CancellationToken cancellationToken) => UserAsync(Get<IUserStore>(), name, isAdmin: false, cancellationToken);

    /// <summary>A user in the database of <paramref name="users"/>, created when missing.</summary>
    public async Task<User> UserAsync(IUserStore users, string name, bool isAdmin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        return await users.FindByNameAsync(name, cancellationToken)
            ?? await users.CreateAsync(name, passwordHash, isAdmin, mustChangePassword: false, cancellationToken);
    }

    /// <summary>Queues a request as the administrator and waits, untimed, until it is done; throws when it fails.</summary>
    public async Task<Request> RunOkAsync(string command, long? machineId, RequestArguments arguments, CancellationToken cancellationToken)
    {
        var queued = await Get<IRequestQueue>().EnqueueAsync(
            new NewRequest { Command = command, UserId = Admin.Id, MachineId = machineId, Arguments = arguments, AllowDuplicate = true },
            cancellationToken);
        return await WaitUntilDoneAsync(queued.Id, cancellationToken);
    }

    /// <summary>Waits, untimed, until request <paramref name="requestId"/> is done; throws when it fails or takes minutes.</summary>
    public async Task<Request> WaitUntilDoneAsync(long requestId, CancellationToken cancellationToken)
    {
        var queue = Get<IRequestQueue>();
        var deadline = TimeProvider.System.GetUtcNow() + RequestTimeout;
        while (true)
        {
            var request = await queue.FindAsync(requestId, cancellationToken)
                ?? throw new BenchmarkException($"request {requestId} vanished from the queue");
            if (request.IsFinished)
            {
                return request.Status == RequestStatus.Done
                    ? request
                    : throw new BenchmarkException($"request {request.Id} {request.Command} failed: {request.Error}\nrvd_back said:\n{daemon?.RecentOutput}");
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new BenchmarkException($"request {request.Id} {request.Command} is still {request.Status} ({request.Phase}) after {RequestTimeout.TotalMinutes:0} minutes\nrvd_back said:\n{daemon?.RecentOutput}");
            }

            await Task.Delay(SetupPollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// A public base as an administrator makes one: <c>create</c> from the idle guest's ISO with a 1 GiB qcow2
    /// disk, then <c>prepare_base</c> keeping the ISO in the CD-ROM, so that its clones boot the idle guest.
    /// </summary>
    public async Task<Machine> MakeBaseAsync(string what, CancellationToken cancellationToken)
    {
        var name = Name(what);
        await RunOkAsync(RequestCommands.Create, null, RequestArguments.Empty
            .With("name", name).With("iso", IsoVolume).With("memory_mib", BaseMemoryMiB).With("vcpus", 1).With("disk_gib", 1),
            cancellationToken);
        var machines = Get<IMachineStore>();
        var created = await machines.FindByNameAsync(name, cancellationToken) ?? throw new BenchmarkException($"create did not record {name}");
        await RunOkAsync(RequestCommands.PrepareBase, created.Id, RequestArguments.Empty.With("publish", true).With("with_cd", true), cancellationToken);
        return await machines.FindAsync(created.Id, cancellationToken) ?? throw new BenchmarkException($"{name} vanished");
    }

    /// <summary>Whether libvirt runs domain <paramref name="name"/> now.</summary>
    public static bool IsRunning(string name)
    {
        using var connection = Connect();
        using var domain = connection.DomainLookupByName(name);
        return domain.GetState().State == VirDomainState.Running;
    }

    /// <summary>How many domains of this back end libvirt holds, and how many of them run.</summary>
    public (int Defined, int Running) CountDomains()
    {
        var (defined, running) = (0, 0);
        using var connection = Connect();
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                if (RunObjects.Belongs(domain.GetName(), Prefix))
                {
                    defined++;
                    running += domain.IsActive() ? 1 : 0;
                }
            }
        }

        return (defined, running);
    }

    /// <summary>What the host offers guests, as the broker reads it to build domain XML.</summary>
    public static HostFeatures ReadHostFeatures()
    {
        using var connection = Connect();
        return HostFeatures.Parse(connection.GetCapabilities(), connection.GetDomainCapabilities());
    }

    /// <summary>Powers off and undefines domain <paramref name="name"/>, when it exists.</summary>
    public static void DestroyAndUndefine(string name)
    {
        using var connection = Connect();
        VirDomain domain;
        try
        {
            domain = connection.DomainLookupByName(name);
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoDomain)
        {
            return;
        }

        using (domain)
        {
            if (domain.IsActive())
            {
                domain.DestroyFlags();
            }

            domain.UndefineFlags(VirDomainUndefineFlags.ManagedSave | VirDomainUndefineFlags.SnapshotsMetadata);
        }
    }

    /// <summary>Stops rvd_back, then removes every domain, volume, pool, network and file of the back end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (daemon is not null)
        {
            await daemon.DisposeAsync();
            daemon = null;
        }

        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        if (client is not null)
        {
            await client.DisposeAsync();
            client = null;
        }

        (await RunObjects.RemoveAsync(Prefix)).WarnAboutLeftovers();
    }

    private async Task SetUpAsync(string rvdBackProgram, IdleGuest guest, CancellationToken cancellationToken)
    {
        // World-traversable, so that QEMU (libvirt-qemu) reaches the pool's files.
        const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        System.IO.Directory.CreateDirectory(PoolDirectory);
        File.SetUnixFileMode(Directory, Traversable);
        File.SetUnixFileMode(PoolDirectory, Traversable);

        using var connection = Connect();
        using (var pool = connection.StoragePoolDefineXML(StorageXml.DirectoryPool(PoolName, PoolDirectory).ToString()))
        {
            pool.Create();
            Upload(connection, pool, IsoVolume, guest.IsoPath);
        }

        // An isolated network of its own, on an address range the tests (10.232.x) do not use.
        var gateway = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.233.{Random.Shared.Next(2, 250)}.1"));
        using (var network = connection.NetworkDefineXML(NetworkXml.Nat(NetworkName, $"rvbn{Prefix[9..15]}", gateway, isolated: true).ToString()))
        {
            network.Create();
        }

        // The defaults of /etc/ravada.conf except the paths, the names of this run's pool and network, and the
        // firewall: the host's iptables chain belongs to the rvd_back of the host (and to other people's tests).
        ConfigText = $"""
            db:
              driver: sqlite
              file: {Directory}/ravada.db
            storage:
              pool: {PoolName}
            network: {NetworkName}
            backend:
              pid_file: {Directory}/rvd_back.pid
              wakeup_socket: {Directory}/wake.sock
            firewall:
              enabled: false
            """;
        await File.WriteAllTextAsync(ConfigPath, ConfigText, cancellationToken);
        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        configuration = RavadaConfiguration.Load(ConfigPath).Configuration;
        client = new ServiceCollection().AddLogging().AddRavadaData(configuration).BuildServiceProvider();
        await Get<DatabaseMigrator>().MigrateUpAsync(cancellationToken);
        admin = await UserAsync(Get<IUserStore>(), AdminName, isAdmin: true, cancellationToken);
        daemon = await RvdBackDaemon.StartAsync(rvdBackProgram, ConfigPath, cancellationToken);
    }

    private static void Upload(VirConnect connection, VirStoragePool pool, string name, string source)
    {
        var size = new FileInfo(source).Length;
        using var volume = pool.StorageVolCreateXML(StorageXml.Volume(name, Math.Max(size, 1024 * 1024), "raw").ToString());
        using var stream = connection.StreamNew();
        volume.Upload(stream, 0, (ulong)size);
        using var file = File.OpenRead(source);
        stream.SendAll(file);
    }

    /// <summary>
    /// A connection of its own for each use: other people's tests restart libvirtd, and a connection kept from
    /// before a restart fails every later call.
    /// </summary>
    private static VirConnect Connect() => VirConnect.Open(BenchmarkRun.SystemUri);
}
