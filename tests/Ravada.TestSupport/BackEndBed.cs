using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ravada.Config;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data;
using Ravada.Data.Migrations;
using Ravada.Libvirt.Xml;
using Ravada.Libvirt;
using Xunit;

namespace Ravada.TestSupport;

/// <summary>
/// A whole back end for the tests: a configuration file with its own SQLite database, PID file and wake-up
/// socket in a temporary directory, a libvirt storage pool holding the GRUB rescue and idle-guest ISOs, an
/// isolated libvirt network, and the real rvd_back daemon started from that configuration. Everything is
/// named after <see cref="RunId"/> and removed at the end; a leftover of this run fails it.
/// </summary>
public sealed class BackEndBed : IAsyncLifetime
{
    public const string Prefix = "rvdtest-";
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-1";
    public const string GrubIso = "grub-rescue.iso";
    public const string IdleIso = "idle.iso";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(3);
    private ServiceProvider? services;
    private DotnetProcess? daemon;
    private Task<Machine>? grubBase;
    private Task<Machine>? idleBase;
    private bool disposed;

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public string Directory => $"/var/tmp/{Prefix}back-{RunId}";

    public string ConfigPath => Path.Combine(Directory, "ravada.conf");

    public string PoolName => $"{Prefix}bpool-{RunId}";

    public string NetworkName => $"{Prefix}bnet-{RunId}";

    public string PidFile => Path.Combine(Directory, "rvd_back.pid");

    /// <summary>More of the configuration file (YAML sections the back end does not read, such as <c>frontend</c>).</summary>
    public string ExtraConfiguration { get; set; } = string.Empty;

    public IServiceProvider Services => services ?? throw new InvalidOperationException("the bed is not initialized");

    public DotnetProcess Daemon => daemon ?? throw new InvalidOperationException("the daemon is not running");

    /// <summary>A name for a machine of this run (so that leftovers can be attributed).</summary>
    public string Name(string what) => $"{Prefix}{what}-{RunId}";

    public async ValueTask InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The back-end tests need root (qemu:///system): run ./test.sh as root.");
        }

        await Beds.SetUpOrTearDownAsync("test bed", SetUpAsync, DisposeAsync);
    }

    private async Task SetUpAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "pool"));
        File.SetUnixFileMode(Directory, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(Path.Combine(Directory, "pool"), (UnixFileMode)Convert.ToInt32("755", 8));
        var idleGuest = Environment.GetEnvironmentVariable("RAVADA_IDLE_GUEST_DIR") ?? "/var/tmp/ravada-idle-guest";
        await RepositoryPaths.BuildIdleGuestAsync(idleGuest);

        using (var connection = VirConnect.Open("qemu:///system"))
        {
            using var pool = connection.StoragePoolDefineXML(StorageXml.DirectoryPool(PoolName, Path.Combine(Directory, "pool")).ToString());
            pool.Create();
            Upload(connection, pool, GrubIso, "/usr/lib/grub-rescue/grub-rescue-cdrom.iso");
            Upload(connection, pool, IdleIso, Path.Combine(idleGuest, "idle.iso"));
            var gateway = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.232.{Random.Shared.Next(2, 250)}.1"));
            using var network = connection.NetworkDefineXML(NetworkXml.Nat(NetworkName, $"rvdb{RunId[..6]}", gateway, isolated: true).ToString());
            network.Create();
        }

        await File.WriteAllTextAsync(ConfigPath, $"""
            db:
              driver: sqlite
              file: {Directory}/ravada.db
            libvirt:
              uri: qemu:///system
            storage:
              pool: {PoolName}
            network: {NetworkName}
            display:
              listen_address: 127.0.0.1
            backend:
              pid_file: {PidFile}
              wakeup_socket: {Directory}/wake.sock
              lease_seconds: 10
              poll_interval_ms: 1000
              screenshot_interval_seconds: 0
              shutdown_timeout_seconds: 20
              stop_grace_seconds: 5
            firewall:
              enabled: false
            {ExtraConfiguration}
            """);
        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ravada = RavadaConfiguration.Load(ConfigPath);
        var collection = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        collection.AddRavadaData(ravada.Configuration);
        services = collection.BuildServiceProvider();
        await Get<DatabaseMigrator>().MigrateUpAsync();
        var (exitCode, output) = await RunCliAsync(AdminPassword + "\n", "--add-user", AdminName, "--admin");
        if (exitCode != 0)
        {
            throw new InvalidOperationException("could not add the administrator: " + output);
        }

        await StartDaemonAsync();
    }

    /// <summary>
    /// A public base made from the GRUB rescue ISO (created, prepared and kept on the CD-ROM for its clones),
    /// made once per run.
    /// </summary>
    public Task<Machine> GrubBaseAsync() => grubBase ??= MakeBaseAsync("grub", GrubIso);

    /// <summary>A public base that boots the idle guest's ISO: clones idle at about 1 % of a core.</summary>
    public Task<Machine> IdleBaseAsync() => idleBase ??= MakeBaseAsync("idle", IdleIso);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs the rvd_back command line against this bed's configuration.</summary>
    public Task<(int ExitCode, string Output)> RunCliAsync(string? standardInput, params string[] arguments) =>
        RvdBackProcess.RunWithInputAsync(standardInput, ["--config", ConfigPath, .. arguments]);

    public async Task StartDaemonAsync()
    {
        daemon = RvdBackProcess.Start("--config", ConfigPath);
        await daemon.WaitForOutputAsync("Request workers started", TimeSpan.FromSeconds(60));
    }

    public async Task StopDaemonAsync()
    {
        if (daemon is null)
        {
            return;
        }

        if (!daemon.HasExited)
        {
            await daemon.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await daemon.DisposeAsync();
        daemon = null;
    }

    /// <summary>Kills the daemon with SIGKILL, as a crash would, leaving its PID file behind.</summary>
    public async Task KillDaemonAsync()
    {
        await Daemon.KillAsync();
        await daemon!.DisposeAsync();
        daemon = null;
    }

    public async Task<User> UserAsync(string name, bool admin = false, params Grant[] grants)
    {
        var users = Get<IUserStore>();
        var user = await users.FindByNameAsync(name) ?? await users.CreateAsync(name, Passwords.Hash(name + "-password"), admin, mustChangePassword: false);
        foreach (var grant in grants)
        {
            await users.SetGrantAsync(user.Id, grant, 1);
        }

        return user;
    }

    /// <summary>Queues a request and waits until it has finished.</summary>
    public async Task<Request> RunAsync(string command, User user, long? machineId = null, RequestArguments? arguments = null)
    {
        var queue = Get<IRequestQueue>();
        var request = await queue.EnqueueAsync(new NewRequest
        {
            Command = command,
            UserId = user.Id,
            MachineId = machineId,
            Arguments = arguments ?? RequestArguments.Empty,
            AllowDuplicate = true,
        });
        return await WaitAsync(request.Id);
    }

    public async Task<Request> WaitAsync(long requestId)
    {
        var queue = Get<IRequestQueue>();
        var deadline = DateTimeOffset.UtcNow + RequestTimeout;
        while (true)
        {
            var current = await queue.FindAsync(requestId) ?? throw new InvalidOperationException($"request {requestId} vanished");
            if (current.IsFinished)
            {
                return current;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"request {requestId} {current.Command} is still {current.Status} ({current.Phase}); daemon output:\n{daemon?.Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Runs a request that must succeed and returns its result.</summary>
    public async Task<Request> RunOkAsync(string command, User user, long? machineId = null, RequestArguments? arguments = null)
    {
        var finished = await RunAsync(command, user, machineId, arguments);
        return finished.Status == RequestStatus.Done
            ? finished
            : throw new InvalidOperationException($"{command} failed: {finished.Error}\ndaemon output:\n{daemon?.Output}");
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the machine's record.</summary>
    public async Task<Machine> WaitForMachineAsync(long machineId, Func<Machine, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var machine = await Get<IMachineStore>().FindAsync(machineId);
            if (machine is not null && condition(machine))
            {
                return machine;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"machine {machineId} never reached the expected state; it is {machine?.State}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var problems = new List<Exception>();
        if (services is not null)
        {
            try
            {
                if (daemon is null || daemon.HasExited)
                {
                    await StartDaemonAsync();
                }

                await RemoveEveryMachineAsync();
            }
            catch (Exception exception)
            {
                problems.Add(exception);
            }
        }

        try
        {
            await StopDaemonAsync();
        }
        catch (Exception exception)
        {
            problems.Add(exception);
            if (daemon is not null)
            {
                await daemon.DisposeAsync();
            }
        }

        var leftovers = RemoveLibvirtObjects();
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        if (leftovers.Count > 0)
        {
            problems.Add(new InvalidOperationException("The tests left volumes behind: " + string.Join(", ", leftovers)));
        }

        if (problems.Count > 0)
        {
            throw new AggregateException("Taking the test bed down failed", problems);
        }
    }

    /// <summary>Removes this run's domains, pool (with its volumes) and network; returns the volumes the tests left.</summary>
    private List<string> RemoveLibvirtObjects()
    {
        var leftovers = new List<string>();
        using var connection = VirConnect.Open("qemu:///system");
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                if (!domain.GetName().Contains(RunId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (domain.IsActive())
                {
                    domain.DestroyFlags();
                }

                if (domain.IsPersistent())
                {
                    domain.UndefineFlags(VirDomainUndefineFlags.ManagedSave | VirDomainUndefineFlags.SnapshotsMetadata);
                }
            }
        }

        foreach (var pool in connection.ListAllStoragePools())
        {
            using (pool)
            {
                if (pool.GetName() != PoolName)
                {
                    continue;
                }

                if (pool.IsActive())
                {
                    foreach (var volume in pool.ListAllVolumes())
                    {
                        using (volume)
                        {
                            var name = volume.GetName();
                            if (name is not GrubIso and not IdleIso)
                            {
                                leftovers.Add("volume " + name);
                            }

                            volume.Delete();
                        }
                    }

                    pool.Destroy();
                }

                pool.Undefine();
            }
        }

        foreach (var network in connection.ListAllNetworks())
        {
            using (network)
            {
                if (network.GetName() != NetworkName)
                {
                    continue;
                }

                if (network.IsActive())
                {
                    network.Destroy();
                }

                network.Undefine();
            }
        }

        return leftovers;
    }

    /// <summary>Removes the run's machines through the daemon, clones before their bases, as an administrator would.</summary>
    private async Task RemoveEveryMachineAsync()
    {
        var admin = (await Get<IUserStore>().FindByNameAsync(AdminName))!;
        var machines = await Get<IMachineStore>().ListAsync();
        foreach (var machine in machines.OrderBy(machine => machine.IsBase))
        {
            await RunOkAsync(RequestCommands.Remove, admin, machine.Id);
        }
    }

    private async Task<Machine> MakeBaseAsync(string what, string iso)
    {
        var admin = (await Get<IUserStore>().FindByNameAsync(AdminName))!;
        await RunOkAsync(RequestCommands.Create, admin, arguments: RequestArguments.Empty
            .With("name", Name(what)).With("iso", iso).With("memory_mib", 192).With("vcpus", 1).With("disk_gib", 1));
        var machine = (await Get<IMachineStore>().FindByNameAsync(Name(what)))!;
        await RunOkAsync(RequestCommands.PrepareBase, admin, machine.Id, RequestArguments.Empty.With("publish", true).With("with_cd", true));
        return (await Get<IMachineStore>().FindAsync(machine.Id))!;
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
}
