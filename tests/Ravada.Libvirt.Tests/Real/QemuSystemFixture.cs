using System.Net;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Broker;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;
using Ravada.TestSupport;

namespace Ravada.Libvirt.Tests.Real;

/// <summary>
/// The real test bed on qemu:///system: a storage pool in a temporary directory, an isolated network,
/// the GRUB rescue ISO uploaded into the pool and the idle guest's kernel and initramfs. Everything is
/// named <see cref="Prefix"/>…-&lt;run id&gt;… and removed at the end; anything of this run left over fails
/// it. Objects of other runs are left alone (test.sh checks for any leftover once everything has run).
/// </summary>
public sealed class QemuSystemFixture : IAsyncLifetime
{
    public const string Uri = "qemu:///system";
    public const string Prefix = "rvdtest-";
    private const string GrubRescueIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";

    private readonly string runId = Guid.NewGuid().ToString("N")[..8];

    public string PoolName => $"{Prefix}pool-{runId}";

    public string PoolDirectory => $"/var/tmp/{Prefix}{runId}";

    public string NetworkName => $"{Prefix}net-{runId}";

    public string IsoPath { get; private set; } = string.Empty;

    public string IdleGuestDirectory { get; private set; } = string.Empty;

    /// <summary>A plain binding connection for checks from the side; see <see cref="ReopenConnection"/>.</summary>
    public VirConnect Connection { get; private set; } = null!;

    public LibvirtHypervisor Hypervisor { get; private set; } = null!;

    public string UniqueName(string what) => $"{Prefix}{what}-{runId}-{Guid.NewGuid().ToString("N")[..4]}";

    public async ValueTask InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The real-guest tests need root (qemu:///system): run ./test.sh as root.");
        }

        try
        {
            Connection = VirConnect.Open(Uri);
        }
        catch (LibvirtException exception)
        {
            throw new InvalidOperationException($"libvirtd is not reachable at {Uri} ({exception.LibvirtMessage}); ./test.sh starts it.", exception);
        }

        IdleGuestDirectory = Environment.GetEnvironmentVariable("RAVADA_IDLE_GUEST_DIR") ?? "/var/tmp/ravada-idle-guest";
        await RepositoryPaths.BuildIdleGuestAsync(IdleGuestDirectory);

        Directory.CreateDirectory(PoolDirectory);
        File.SetUnixFileMode(PoolDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        using (var pool = Connection.StoragePoolDefineXML(StorageXml.DirectoryPool(PoolName, PoolDirectory).ToString()))
        {
            pool.Create();
            IsoPath = UploadIso(pool);
        }

        var gateway = IPAddress.Parse($"10.231.{Random.Shared.Next(2, 250)}.1");
        using (var network = Connection.NetworkDefineXML(NetworkXml.Nat(NetworkName, $"rvdt{runId[..6]}", gateway, isolated: true).ToString()))
        {
            network.Create();
        }

        Hypervisor = Hypervisors.Create(Uri);
    }

    /// <summary>Replaces <see cref="Connection"/> after a test restarted libvirtd.</summary>
    public void ReopenConnection()
    {
        Connection.Dispose();
        Connection = VirConnect.Open(Uri);
    }

    public DesktopDefinition GrubDesktop(string name, string diskPath) => new()
    {
        Name = name,
        MemoryMiB = 256,
        Disks = [new DiskAttachment(diskPath)],
        CdromPath = IsoPath,
        BootFromCdrom = true,
        Network = NetworkName,
        Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("spice-secret", "vncsecr1")),
        Ownership = new MachineOwnership("tester", null, Volatile: false),
    };

    public DesktopDefinition IdleDesktop(string name) => new()
    {
        Name = name,
        MemoryMiB = 192,
        KernelBoot = new KernelBoot(
            Path.Combine(IdleGuestDirectory, "vmlinuz"),
            Path.Combine(IdleGuestDirectory, "initramfs.gz"),
            "console=tty0 console=ttyS0 quiet"),
        Network = NetworkName,
        Display = new DisplaySettings("127.0.0.1", new DisplayPasswords("spice-secret", "vncsecr1")),
        Ownership = new MachineOwnership("tester", null, Volatile: false),
    };

    public async ValueTask DisposeAsync()
    {
        if (Hypervisor is not null)
        {
            await Hypervisor.DisposeAsync();
        }

        if (Connection is null)
        {
            return;
        }

        RemoveEverythingOfThisRun();
        var leftovers = Leftovers();
        Connection.Dispose();
        if (Directory.Exists(PoolDirectory))
        {
            Directory.Delete(PoolDirectory, recursive: true);
        }

        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException("The real-guest tests left libvirt objects behind: " + string.Join(", ", leftovers));
        }
    }

    /// <summary>Every libvirt object of this run.</summary>
    public List<string> Leftovers()
    {
        var leftovers = new List<string>();
        foreach (var domain in Connection.ListAllDomains())
        {
            using (domain)
            {
                if (IsOfThisRun(domain.GetName()))
                {
                    leftovers.Add("domain " + domain.GetName());
                }
            }
        }

        foreach (var pool in Connection.ListAllStoragePools())
        {
            using (pool)
            {
                var name = pool.GetName();
                if (IsOfThisRun(name))
                {
                    leftovers.Add("pool " + name);
                }
                else if (pool.IsActive())
                {
                    leftovers.AddRange(pool.ListAllVolumes().Select(volume =>
                    {
                        using (volume)
                        {
                            return volume.GetName();
                        }
                    }).Where(IsOfThisRun).Select(volume => $"volume {volume} in {name}"));
                }
            }
        }

        foreach (var network in Connection.ListAllNetworks())
        {
            using (network)
            {
                if (IsOfThisRun(network.GetName()))
                {
                    leftovers.Add("network " + network.GetName());
                }
            }
        }

        return leftovers;
    }

    private bool IsOfThisRun(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) && name.Contains(runId, StringComparison.Ordinal);

    private string UploadIso(VirStoragePool pool)
    {
        var name = $"{Prefix}grub-rescue-{runId}.iso";
        var size = new FileInfo(GrubRescueIso).Length;
        using var volume = pool.StorageVolCreateXML(StorageXml.Volume(name, Math.Max(size, 1024 * 1024), "raw").ToString());
        using var stream = Connection.StreamNew();
        volume.Upload(stream, 0, (ulong)size);
        using (var iso = File.OpenRead(GrubRescueIso))
        {
            stream.SendAll(iso);
        }

        return volume.GetPath();
    }

    private void RemoveEverythingOfThisRun()
    {
        foreach (var domain in Connection.ListAllDomains())
        {
            using (domain)
            {
                if (!IsOfThisRun(domain.GetName()))
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

        try
        {
            using var pool = Connection.StoragePoolLookupByName(PoolName);
            foreach (var volume in pool.ListAllVolumes())
            {
                using (volume)
                {
                    volume.Delete();
                }
            }

            pool.Destroy();
            pool.Undefine();
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoStoragePool)
        {
        }

        try
        {
            using var network = Connection.NetworkLookupByName(NetworkName);
            network.Destroy();
            network.Undefine();
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoNetwork)
        {
        }
    }
}

[CollectionDefinition(nameof(QemuSystem), DisableParallelization = true)]
public sealed class QemuSystem : ICollectionFixture<QemuSystemFixture>;
