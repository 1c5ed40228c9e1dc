using System.Diagnostics;
using System.Globalization;
using Ravada.Libvirt;

namespace Ravada.Bench;

/// <summary>What a removal took away, and what it could not.</summary>
/// <param name="Removed">Each thing removed, in words: <c>domain rvdbench-1234abcd-back-idle</c>.</param>
/// <param name="Left">What is still there afterwards, with the command that removes it by hand.</param>
internal sealed record RemovalOutcome(IReadOnlyList<string> Removed, IReadOnlyList<string> Left)
{
    /// <summary>Tells the operator, on stderr, what is still there and how to remove it.</summary>
    public void WarnAboutLeftovers()
    {
        foreach (var left in Left)
        {
            Console.Error.WriteLine($"warning: still there: {left}");
        }
    }
}

/// <summary>
/// Finds and removes everything whose name belongs to a prefix (<c>rvdbench-ID</c> or <c>rvdbench-ID-back</c>):
/// rvd_back processes started with a configuration below <c>/var/tmp/PREFIX…</c>; libvirt domains (powered off,
/// undefined with their managed saves and snapshot metadata), volumes of any pool, pools with all their volumes,
/// networks; and the files and directories of /var/tmp and /tmp. A name belongs to a prefix when it is the prefix
/// or continues it with <c>-</c> or <c>.</c>. Each removal opens a libvirt connection of its own and tries again
/// for a while when libvirtd does not answer: other engineers' tests restart libvirtd, and a connection opened
/// before that restart can no longer list anything.
/// </summary>
internal static class RunObjects
{
    private static readonly TimeSpan LibvirtPatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProcessExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] FileDirectories = ["/var/tmp", "/tmp"];

    /// <summary>Whether <paramref name="name"/> belongs to <paramref name="prefix"/>.</summary>
    public static bool Belongs(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(prefix);
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && (name.Length == prefix.Length || name[prefix.Length] is '-' or '.');
    }

    /// <summary>
    /// Every name of libvirt objects, of the entries of /var/tmp and /tmp, and of rvd_back configurations of running
    /// processes that starts with <paramref name="start"/>; for finding the runs that left something behind.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListNamesAsync(string start)
    {
        var names = new List<string>();
        names.AddRange(await WithConnectionAsync(connection => LibvirtNames(connection).Where(name => name.StartsWith(start, StringComparison.Ordinal)).ToList()));
        names.AddRange(FileDirectories.SelectMany(directory => EntriesStartingWith(directory, start)).Select(Path.GetFileName).OfType<string>());
        names.AddRange(ConfiguredProcesses().Select(process => process.RunDirectory).Where(name => name.StartsWith(start, StringComparison.Ordinal)));
        return names;
    }

    /// <summary>Removes what belongs to <paramref name="prefix"/>, except the file <paramref name="keepPath"/>; never throws for what it cannot remove.</summary>
    public static async Task<RemovalOutcome> RemoveAsync(string prefix, string? keepPath = null)
    {
        var removed = new List<string>();
        await StopProcessesAsync(prefix, removed);
        var left = new List<string>();
        try
        {
            left.AddRange(await WithConnectionAsync(connection =>
            {
                RemoveDomains(connection, prefix, removed);
                RemoveVolumes(connection, prefix, removed);
                RemovePools(connection, prefix, removed);
                RemoveNetworks(connection, prefix, removed);
                return LibvirtLeftovers(connection, prefix);
            }));
        }
        catch (LibvirtException exception)
        {
            left.Add($"libvirt objects named {prefix}-*, which could not be removed ({exception.Message}); the next benchmark run removes them");
        }

        foreach (var path in FileDirectories.SelectMany(directory => EntriesStartingWith(directory, prefix)))
        {
            if (path == keepPath || !Belongs(Path.GetFileName(path), prefix))
            {
                continue;
            }

            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }

                removed.Add(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                left.Add($"{path} ({exception.Message}): rm -r {path}");
            }
        }

        return new RemovalOutcome([.. removed.Distinct(StringComparer.Ordinal)], left);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a fresh connection to qemu:///system; when libvirtd does not answer, or stops
    /// answering in the middle, it tries again on a new connection until <see cref="LibvirtPatience"/> has passed.
    /// </summary>
    private static async Task<T> WithConnectionAsync<T>(Func<VirConnect, T> work)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(LibvirtPatience.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using var connection = VirConnect.Open(BenchmarkRun.SystemUri);
                return work(connection);
            }
            catch (LibvirtException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(RetryPause, CancellationToken.None);
            }
        }
    }

    private static void RemoveDomains(VirConnect connection, string prefix, List<string> removed)
    {
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                var name = domain.GetName();
                if (!Belongs(name, prefix))
                {
                    continue;
                }

                // A domain that vanishes meanwhile (a transient one, destroyed) is gone, which is what is wanted.
                IgnoreMissing(() =>
                {
                    if (domain.IsActive())
                    {
                        domain.DestroyFlags();
                    }

                    if (domain.IsPersistent())
                    {
                        domain.UndefineFlags(VirDomainUndefineFlags.ManagedSave | VirDomainUndefineFlags.SnapshotsMetadata);
                    }
                });
                removed.Add($"domain {name}");
            }
        }
    }

    private static void RemoveVolumes(VirConnect connection, string prefix, List<string> removed)
    {
        foreach (var pool in connection.ListAllStoragePools())
        {
            using (pool)
            {
                if (Belongs(pool.GetName(), prefix))
                {
                    continue;
                }

                foreach (var volume in VolumesOf(pool))
                {
                    using (volume)
                    {
                        var name = volume.GetName();
                        if (Belongs(name, prefix))
                        {
                            IgnoreMissing(volume.Delete);
                            removed.Add($"volume {name} of pool {pool.GetName()}");
                        }
                    }
                }
            }
        }
    }

    private static void RemovePools(VirConnect connection, string prefix, List<string> removed)
    {
        foreach (var pool in connection.ListAllStoragePools())
        {
            using (pool)
            {
                var name = pool.GetName();
                if (!Belongs(name, prefix))
                {
                    continue;
                }

                if (pool.IsActive())
                {
                    // Files written into the pool's directory behind libvirt's back (qemu-img) are volumes after a refresh.
                    pool.Refresh();
                    foreach (var volume in pool.ListAllVolumes())
                    {
                        using (volume)
                        {
                            IgnoreMissing(volume.Delete);
                        }
                    }

                    pool.Destroy();
                }

                // A transient pool is gone once stopped; a persistent one is still there to undefine.
                IgnoreMissing(() =>
                {
                    using var persistent = connection.StoragePoolLookupByName(name);
                    persistent.Undefine();
                });
                removed.Add($"pool {name}");
            }
        }
    }

    private static void RemoveNetworks(VirConnect connection, string prefix, List<string> removed)
    {
        foreach (var network in connection.ListAllNetworks())
        {
            using (network)
            {
                var name = network.GetName();
                if (!Belongs(name, prefix))
                {
                    continue;
                }

                if (network.IsActive())
                {
                    network.Destroy();
                }

                IgnoreMissing(() =>
                {
                    using var persistent = connection.NetworkLookupByName(name);
                    persistent.Undefine();
                });
                removed.Add($"network {name}");
            }
        }
    }

    private static List<string> LibvirtLeftovers(VirConnect connection, string prefix)
    {
        var left = new List<string>();
        left.AddRange(Names(connection.ListAllDomains(), domain => domain.GetName()).Where(name => Belongs(name, prefix))
            .Select(name => $"domain {name}: virsh destroy {name}; virsh undefine {name} --managed-save"));
        left.AddRange(Names(connection.ListAllStoragePools(), pool => pool.GetName()).Where(name => Belongs(name, prefix))
            .Select(name => $"pool {name}: virsh pool-destroy {name}; virsh pool-undefine {name}"));
        left.AddRange(Names(connection.ListAllNetworks(), network => network.GetName()).Where(name => Belongs(name, prefix))
            .Select(name => $"network {name}: virsh net-destroy {name}; virsh net-undefine {name}"));
        return left;
    }

    /// <summary>The names of domains, pools, networks and the volumes of active pools.</summary>
    private static List<string> LibvirtNames(VirConnect connection)
    {
        var names = new List<string>();
        names.AddRange(Names(connection.ListAllDomains(), domain => domain.GetName()));
        names.AddRange(Names(connection.ListAllNetworks(), network => network.GetName()));
        foreach (var pool in connection.ListAllStoragePools())
        {
            using (pool)
            {
                names.Add(pool.GetName());
                names.AddRange(Names(VolumesOf(pool), volume => volume.GetName()));
            }
        }

        return names;
    }

    /// <summary>
    /// The volumes of someone's pool; none when it is not active or vanishes meanwhile (other people's pools come
    /// and go). Errors of the connection itself still propagate, so that the caller reconnects.
    /// </summary>
    private static IReadOnlyList<VirStorageVol> VolumesOf(VirStoragePool pool)
    {
        try
        {
            return pool.IsActive() ? pool.ListAllVolumes() : [];
        }
        catch (LibvirtException exception) when (exception.Code is VirErrorCode.NoStoragePool or VirErrorCode.OperationInvalid)
        {
            return [];
        }
    }

    private static List<string> Names<T>(IReadOnlyList<T> objects, Func<T, string> name)
        where T : IDisposable
    {
        var names = new List<string>(objects.Count);
        foreach (var item in objects)
        {
            using (item)
            {
                names.Add(name(item));
            }
        }

        return names;
    }

    private static void IgnoreMissing(Action action)
    {
        try
        {
            action();
        }
        catch (LibvirtException exception) when (exception.Code is VirErrorCode.NoDomain or VirErrorCode.NoStoragePool or VirErrorCode.NoStorageVol or VirErrorCode.NoNetwork)
        {
            // Already gone.
        }
    }

    private static IEnumerable<string> EntriesStartingWith(string directory, string start) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory, start + "*") : [];

    /// <summary>Kills the processes started with <c>--config /var/tmp/PREFIX…</c>: a back end's rvd_back that outlived its run.</summary>
    private static async Task StopProcessesAsync(string prefix, List<string> removed)
    {
        foreach (var (processId, runDirectory) in ConfiguredProcesses())
        {
            if (!Belongs(runDirectory, prefix))
            {
                continue;
            }

            try
            {
                using var process = Process.GetProcessById(processId);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(ProcessExitTimeout);
                removed.Add(string.Create(CultureInfo.InvariantCulture, $"process {processId} (rvd_back of {runDirectory})"));
            }
            catch (ArgumentException)
            {
                // It has exited meanwhile.
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"warning: cannot stop process {processId} of {runDirectory}: {exception.Message}");
            }
        }
    }

    /// <summary>Processes whose command line has <c>--config /var/tmp/rvdbench-…/FILE</c>, with that directory's name.</summary>
    private static IEnumerable<(int ProcessId, string RunDirectory)> ConfiguredProcesses()
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var processId) || processId == Environment.ProcessId)
            {
                continue;
            }

            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            for (var index = 0; index + 1 < arguments.Length; index++)
            {
                const string RunDirectories = "/var/tmp/" + RunLock.NamePrefix;
                if (arguments[index] == "--config" && arguments[index + 1].StartsWith(RunDirectories, StringComparison.Ordinal))
                {
                    var runDirectory = arguments[index + 1]["/var/tmp/".Length..].Split('/')[0];
                    yield return (processId, runDirectory);
                }
            }
        }
    }
}
