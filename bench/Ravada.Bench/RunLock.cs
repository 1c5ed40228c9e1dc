using System.Globalization;
using System.Security.Cryptography;

namespace Ravada.Bench;

/// <summary>
/// This run's id, and the sign that the run is alive: an exclusive lock on <c>/var/tmp/rvdbench-ID.lock</c>
/// (.NET takes <c>flock</c> for <see cref="FileShare.None"/>). The kernel releases it when the process ends, however
/// it ends, SIGKILL included; so a run whose lock file is there but held by nobody is dead, and what it left is
/// stale (<see cref="StaleRuns"/>). The file is created before anything else of the run and deleted after
/// everything else. Every name a run gives (libvirt objects, files, directories, the back end's
/// rvd_back configuration) starts with <see cref="Prefix"/>.
/// </summary>
internal sealed class RunLock : IDisposable
{
    /// <summary>The start of every name a benchmark run gives, before its id.</summary>
    public const string NamePrefix = "rvdbench-";

    private const string LockDirectory = "/var/tmp";
    private const int Attempts = 5;

    private readonly FileStream lockFile;
    private bool keepLockFile;

    private RunLock(string id, FileStream lockFile)
    {
        Id = id;
        this.lockFile = lockFile;
    }

    /// <summary>8 random hex digits.</summary>
    public string Id { get; }

    /// <summary><c>rvdbench-</c> and the id: the start of every name this run gives.</summary>
    public string Prefix => NamePrefix + Id;

    /// <summary>The file this run holds locked while it lives.</summary>
    public string LockPath => LockPathOf(Id);

    /// <summary>Where run <paramref name="id"/> keeps its lock.</summary>
    public static string LockPathOf(string id) => Path.Combine(LockDirectory, $"{NamePrefix}{id}.lock");

    /// <summary>Takes the lock of a new run id.</summary>
    public static RunLock Acquire()
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var path = LockPathOf(id);
            if (TryHold(path) is not { } held)
            {
                continue;
            }

            // A purge that held this new file for a moment may have deleted it before this process locked it:
            // a lock on a file that is no longer at its path proves nothing to the next purge, so take another id.
            if (!File.Exists(path))
            {
                held.Dispose();
                continue;
            }

            using (var writer = new StreamWriter(held, leaveOpen: true))
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}"));
            }

            return new RunLock(id, held);
        }

        throw new BenchmarkException($"cannot take a run lock in {LockDirectory}");
    }

    /// <summary>The lock file at <paramref name="path"/>, locked by this process; null when another process holds it.</summary>
    public static FileStream? TryHold(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Leaves the lock file behind when the run ends: something of the run could not be removed, and the next run
    /// finds it through the file, unheld, and removes it.
    /// </summary>
    public void KeepLockFileForNextRun() => keepLockFile = true;

    /// <summary>Deletes the lock file while still holding it (unless it is to be kept), then releases it.</summary>
    public void Dispose()
    {
        try
        {
            if (!keepLockFile)
            {
                File.Delete(LockPath);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: cannot delete {LockPath}: {exception.Message}");
        }

        lockFile.Dispose();
    }
}
