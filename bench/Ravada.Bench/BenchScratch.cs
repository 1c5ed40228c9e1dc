using Ravada.Core.Hypervisor;
using Ravada.Libvirt;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>
/// Everything a run creates: a transient directory pool in /var/tmp (world-traversable, so QEMU can read
/// it), a 1 GiB qcow2 base volume in it, and a private work directory for the C floor and domain XML files.
/// Every domain, volume and file is named with <see cref="Prefix"/>; <see cref="Dispose"/> removes all of
/// them, whatever state a failed or interrupted run left them in.
/// </summary>
internal sealed class BenchScratch : IDisposable
{
    /// <summary>The size of the base volume the clones are made from.</summary>
    public const long BaseVolumeBytes = 1L << 30;

    private const UnixFileMode WorldTraversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly VirConnect connection;
    private VirStoragePool? pool;
    private string? baseVolumePath;

    private BenchScratch(VirConnect connection, string prefix)
    {
        this.connection = connection;
        Prefix = prefix;
        PoolDirectory = Path.Combine("/var/tmp", prefix);
        Directory.CreateDirectory(PoolDirectory);
        File.SetUnixFileMode(PoolDirectory, WorldTraversable);
        WorkDirectory = Directory.CreateTempSubdirectory(prefix + "-work-").FullName;
    }

    /// <summary>The start of every name this run gives: <c>rvdbench-</c> and 8 random hex digits.</summary>
    public string Prefix { get; }

    /// <summary>The pool's name (the prefix itself).</summary>
    public string PoolName => Prefix;

    /// <summary>The pool's directory; the qemu-img floor writes its clones here too, on the same file system.</summary>
    public string PoolDirectory { get; }

    /// <summary>A private directory for the compiled C floor and the domain XML files given to virsh.</summary>
    public string WorkDirectory { get; }

    /// <summary>The pool, for calls on the native layer.</summary>
    public VirStoragePool Pool => pool ?? throw new InvalidOperationException("the scratch pool is not created yet");

    /// <summary>The path of the 1 GiB qcow2 base volume.</summary>
    public string BaseVolumePath => baseVolumePath ?? throw new InvalidOperationException("the base volume is not created yet");

    /// <summary>Creates the pool and the base volume; removes what it made if that fails.</summary>
    public static async Task<BenchScratch> CreateAsync(IHypervisor hypervisor, VirConnect connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hypervisor);
        var scratch = new BenchScratch(connection, $"rvdbench-{Guid.NewGuid():N}"[..17]);
        try
        {
            scratch.pool = connection.StoragePoolCreateXML(StorageXml.DirectoryPool(scratch.PoolName, scratch.PoolDirectory).ToString());
            var baseVolume = await hypervisor.CreateVolumeAsync(scratch.PoolName, scratch.Name("base.qcow2"), BaseVolumeBytes, cancellationToken);
            scratch.baseVolumePath = baseVolume.Path;
            return scratch;
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    /// <summary>A name of this run: the prefix, a dash and <paramref name="what"/>.</summary>
    public string Name(string what) => $"{Prefix}-{what}";

    /// <summary>Powers off and undefines this run's domains, deletes its volumes, the pool and both directories.</summary>
    public void Dispose()
    {
        RemoveDomains();
        RemovePool();
        DeleteDirectory(PoolDirectory);
        DeleteDirectory(WorkDirectory);
    }

    private void RemoveDomains()
    {
        IReadOnlyList<VirDomain> domains;
        try
        {
            domains = connection.ListAllDomains();
        }
        catch (LibvirtException exception)
        {
            Warn($"cannot list domains to remove those named {Prefix}-*: {exception.Message}");
            return;
        }

        foreach (var domain in domains)
        {
            using (domain)
            {
                try
                {
                    var name = domain.GetName();
                    if (!name.StartsWith(Prefix + "-", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (domain.IsActive())
                    {
                        domain.DestroyFlags();
                    }

                    if (domain.IsPersistent())
                    {
                        domain.UndefineFlags();
                    }
                }
                catch (LibvirtException exception)
                {
                    Warn($"cannot remove a benchmark domain: {exception.Message}");
                }
            }
        }
    }

    private void RemovePool()
    {
        if (pool is null)
        {
            return;
        }

        try
        {
            foreach (var volume in pool.ListAllVolumes())
            {
                using (volume)
                {
                    volume.Delete();
                }
            }

            // A transient pool disappears when it is stopped.
            pool.Destroy();
        }
        catch (LibvirtException exception)
        {
            Warn($"cannot remove storage pool {PoolName}: {exception.Message} (remove it with: virsh pool-destroy {PoolName})");
        }
        finally
        {
            pool.Dispose();
            pool = null;
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Warn($"cannot delete {path}: {exception.Message}");
        }
    }

    private static void Warn(string message) => Console.Error.WriteLine($"warning: {message}");
}
