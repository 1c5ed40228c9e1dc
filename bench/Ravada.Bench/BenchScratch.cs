using Ravada.Core.Hypervisor;
using Ravada.Libvirt;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>
/// Everything the binding suite creates: a transient directory pool in /var/tmp (world-traversable, so QEMU can
/// read it), a 1 GiB qcow2 base volume in it, and a private work directory in /tmp for the C floor and domain XML
/// files. Every domain, volume and file is named with <see cref="Prefix"/>; <see cref="DisposeAsync"/> removes all
/// of them (<see cref="RunObjects"/>), whatever state a failed or interrupted run left them in.
/// </summary>
internal sealed class BenchScratch : IAsyncDisposable
{
    /// <summary>The size of the base volume the clones are made from.</summary>
    public const long BaseVolumeBytes = 1L << 30;

    private const UnixFileMode WorldTraversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private VirStoragePool? pool;
    private string? baseVolumePath;

    private BenchScratch(string prefix)
    {
        Prefix = prefix;
        PoolDirectory = Path.Combine("/var/tmp", prefix);
        Directory.CreateDirectory(PoolDirectory);
        File.SetUnixFileMode(PoolDirectory, WorldTraversable);
        WorkDirectory = Path.Combine("/tmp", prefix + "-work");
        Directory.CreateDirectory(WorkDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The start of every name the suite gives: the run's prefix and <c>-binding</c>.</summary>
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
    public static async Task<BenchScratch> CreateAsync(IHypervisor hypervisor, VirConnect connection, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hypervisor);
        ArgumentNullException.ThrowIfNull(connection);
        var scratch = new BenchScratch(prefix);
        try
        {
            scratch.pool = connection.StoragePoolCreateXML(StorageXml.DirectoryPool(scratch.PoolName, scratch.PoolDirectory).ToString());
            var baseVolume = await hypervisor.CreateVolumeAsync(scratch.PoolName, scratch.Name("base.qcow2"), BaseVolumeBytes, cancellationToken);
            scratch.baseVolumePath = baseVolume.Path;
            return scratch;
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>A name of this run: the prefix, a dash and <paramref name="what"/>.</summary>
    public string Name(string what) => $"{Prefix}-{what}";

    /// <summary>Powers off and undefines the suite's domains, deletes its volumes, the pool and both directories.</summary>
    public async ValueTask DisposeAsync()
    {
        pool?.Dispose();
        pool = null;
        (await RunObjects.RemoveAsync(Prefix)).WarnAboutLeftovers();
    }
}
