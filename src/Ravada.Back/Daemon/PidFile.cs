using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ravada.Back.Daemon;

/// <summary>
/// The daemon's PID file, held open with an exclusive lock for the daemon's whole life: a second rvd_back
/// on the same host cannot take it, and the command line can tell whether the daemon runs.
/// </summary>
internal sealed partial class PidFile : IDisposable
{
    private readonly FileStream stream;

    private PidFile(string path, FileStream stream)
    {
        Path = path;
        this.stream = stream;
    }

    /// <summary>Where the file is.</summary>
    public string Path { get; }

    /// <summary>Takes the PID file or throws <see cref="InvalidOperationException"/> naming the running daemon.</summary>
    public static PidFile Acquire(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"rvd_back is already running (pid {ReadPid(path) ?? "unknown"}, {path})", exception);
        }

        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }

        stream.Flush(flushToDisk: true);
        return new PidFile(path, stream);
    }

    /// <summary>The pid of the daemon holding <paramref name="path"/>, or null when no daemon holds it.</summary>
    public static string? RunningDaemonPid(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return null;
        }
        catch (IOException)
        {
            return ReadPid(path) ?? "unknown";
        }
    }

    /// <summary>Releases the lock and removes the file.</summary>
    public void Dispose()
    {
        stream.Dispose();
        File.Delete(Path);
    }

    private static string? ReadPid(string path)
    {
        // FileStream takes a shared flock when it opens a file, which the daemon's exclusive lock refuses:
        // the file is opened with open(2) and only wrapped in a stream.
        var descriptor = Open(path, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Read));
            var text = reader.ReadLine()?.Trim();
            return string.IsNullOrEmpty(text) ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY (0) | O_CLOEXEC on Linux

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}
