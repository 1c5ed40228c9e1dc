using System.Globalization;
using System.Net;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Libvirt;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench.Front;

/// <summary>
/// A whole system for the click-to-display benchmark: a <see cref="PortalBed"/> whose configuration also names a
/// libvirt storage pool of its own (holding the idle guest's ISO) and an isolated libvirt network, the real rvd_back
/// daemon, and a public base of the idle guest made through rvd_back's own requests. Everything in libvirt is named
/// <c>rvdbench-RUNID-…</c> and removed at the end.
/// </summary>
internal sealed class DesktopBed : IAsyncDisposable
{
    public const string IdleIso = "idle.iso";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(3);

    private DotnetProcess? back;
    private User? admin;

    private DesktopBed(PortalBed portal)
    {
        Portal = portal;
    }

    public PortalBed Portal { get; }

    public string PoolName => $"{PortalBed.Prefix}{Portal.RunId}-fpool";

    public string NetworkName => $"{PortalBed.Prefix}{Portal.RunId}-fnet";

    public string BaseName => $"{PortalBed.Prefix}{Portal.RunId}-idle";

    /// <summary>The end of what rvd_back printed, for error messages.</summary>
    public string BackOutput => back?.Output ?? "(not started)";

    public User Admin => admin ?? throw new InvalidOperationException("the bed has no administrator yet");

    public static async Task<DesktopBed> CreateAsync(string runId, string idleGuestDirectory, CancellationToken cancellationToken)
    {
        var iso = Path.Combine(idleGuestDirectory, IdleIso);
        if (!File.Exists(iso))
        {
            throw new BenchmarkException($"{iso} does not exist: build the idle guest first (tests/guests/build-idle-guest.sh {idleGuestDirectory})");
        }

        var pool = $"{PortalBed.Prefix}{runId}-fpool";
        var network = $"{PortalBed.Prefix}{runId}-fnet";
        var portal = await PortalBed.CreateAsync(runId, "desktop",
            """
            lease_seconds: 10
            screenshot_interval_seconds: 0
            shutdown_timeout_seconds: 20
            stop_grace_seconds: 5
            """,
            $"""
            libvirt:
              uri: qemu:///system
            storage:
              pool: {pool}
            network: {network}
            display:
              listen_address: 127.0.0.1
            """,
            cancellationToken);
        var bed = new DesktopBed(portal);
        try
        {
            var poolDirectory = Path.Combine(portal.Directory, "pool");
            Directory.CreateDirectory(poolDirectory);
            File.SetUnixFileMode(poolDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
            using (var connection = VirConnect.Open("qemu:///system"))
            {
                using var storagePool = connection.StoragePoolDefineXML(StorageXml.DirectoryPool(pool, poolDirectory).ToString());
                storagePool.Create();
                Upload(connection, storagePool, IdleIso, iso);
                var gateway = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.233.{Random.Shared.Next(2, 250)}.1"));
                using var libvirtNetwork = connection.NetworkDefineXML(NetworkXml.Nat(network, $"rvdf{runId[..6]}", gateway, isolated: true).ToString());
                libvirtNetwork.Create();
            }

            bed.admin = await portal.UserAsync("bench-admin", Passwords.Hash(PortalSeed.Password), admin: true, cancellationToken);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts rvd_back on this configuration and waits until its workers run.</summary>
    public async Task StartBackAsync(string rvdBackDll, CancellationToken cancellationToken)
    {
        back = DotnetProcess.Start(rvdBackDll, Portal.Directory, "--config", Portal.ConfigPath);
        await back.WaitForOutputAsync("Request workers started", TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>A public base of the idle guest whose clones boot its CD-ROM, made with rvd_back's create and prepare_base.</summary>
    public async Task<Machine> MakeIdleBaseAsync(CancellationToken cancellationToken)
    {
        await RunOkAsync(RequestCommands.Create, null, RequestArguments.Empty
            .With("name", BaseName).With("iso", IdleIso).With("memory_mib", 192).With("vcpus", 1).With("disk_gib", 1), cancellationToken);
        var machine = await Portal.Get<IMachineStore>().FindByNameAsync(BaseName, cancellationToken) ?? throw new BenchmarkException("the base was not recorded");
        await RunOkAsync(RequestCommands.PrepareBase, machine.Id, RequestArguments.Empty.With("publish", true).With("with_cd", true), cancellationToken);
        return await Portal.Get<IMachineStore>().FindAsync(machine.Id, cancellationToken) ?? throw new BenchmarkException("the base vanished");
    }

    /// <summary>Queues a request as the administrator and waits until it is done; throws when it failed.</summary>
    public async Task<Request> RunOkAsync(string command, long? machineId, RequestArguments arguments, CancellationToken cancellationToken)
    {
        var queue = Portal.Get<IRequestQueue>();
        var request = await queue.EnqueueAsync(
            new NewRequest { Command = command, UserId = Admin.Id, MachineId = machineId, Arguments = arguments, AllowDuplicate = true },
            cancellationToken);
        var finished = await WaitAsync(request.Id, cancellationToken);
        return finished.Status == RequestStatus.Done
            ? finished
            : throw new BenchmarkException($"{command} failed: {finished.Error}\nrvd_back said:\n{back?.Output}");
    }

    public async Task<Request> WaitAsync(long requestId, CancellationToken cancellationToken)
    {
        var queue = Portal.Get<IRequestQueue>();
        var started = Elapsed.Now();
        while (true)
        {
            var current = await queue.FindAsync(requestId, cancellationToken) ?? throw new BenchmarkException($"request {requestId} vanished");
            if (current.IsFinished)
            {
                return current;
            }

            if (Elapsed.MillisecondsSince(started) > RequestTimeout.TotalMilliseconds)
            {
                throw new BenchmarkException($"request {requestId} {current.Command} is still {current.Status} ({current.Phase}); rvd_back said:\n{back?.Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (back is not null)
        {
            try
            {
                // Clones before their bases, through rvd_back, which removes domains and volumes as it should.
                foreach (var machine in (await Portal.Get<IMachineStore>().ListAsync()).OrderBy(machine => machine.IsBase))
                {
                    await RunOkAsync(RequestCommands.Remove, machine.Id, RequestArguments.Empty, CancellationToken.None);
                }
            }
            finally
            {
                await back.DisposeAsync();
            }
        }

        RemoveLibvirtObjects();
        await Portal.DisposeAsync();
    }

    /// <summary>Whatever of this run is still in libvirt: domains, the pool with its volumes, the network.</summary>
    private void RemoveLibvirtObjects()
    {
        using var connection = VirConnect.Open("qemu:///system");
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                if (!domain.GetName().StartsWith($"{PortalBed.Prefix}{Portal.RunId}", StringComparison.Ordinal))
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
