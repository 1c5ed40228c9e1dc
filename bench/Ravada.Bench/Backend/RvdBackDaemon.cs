using System.Diagnostics;
using System.Globalization;

namespace Ravada.Bench.Backend;

/// <summary>
/// The real rvd_back daemon, started from its published release build as its own process with a configuration
/// file, as systemd would start it. Its output is kept (the last lines) to explain a failure.
/// </summary>
internal sealed class RvdBackDaemon : IAsyncDisposable
{
    private const string ReadyLine = "Request workers started";
    private const int KeptLines = 400;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly Lock linesLock = new();
    private bool ready;

    private RvdBackDaemon(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process id, for /proc/PID.</summary>
    public int ProcessId => process.Id;

    /// <summary>The last lines rvd_back printed.</summary>
    public string RecentOutput
    {
        get
        {
            lock (linesLock)
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>The full path of <paramref name="program"/>, or an explanation of how to publish it.</summary>
    public static string Locate(string program)
    {
        var path = Path.GetFullPath(program);
        return File.Exists(path)
            ? path
            : throw new BenchmarkException(
                $"rvd_back is not at {path}: publish it with dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back (bench/run.sh does), or name it with --rvd-back");
    }

    /// <summary>Starts <paramref name="program"/> with <c>--config <paramref name="configPath"/></c> and waits until its request workers run.</summary>
    public static async Task<RvdBackDaemon> StartAsync(string program, string configPath, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("--config");
        startInfo.ArgumentList.Add(configPath);
        var daemon = new RvdBackDaemon(Process.Start(startInfo) ?? throw new BenchmarkException($"{program} did not start"));
        try
        {
            await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1), cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops it as systemd does: SIGTERM, then SIGKILL when it has not exited within a minute.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                await ExternalProgram.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(StopTimeout);
            }
            catch (Exception exception) when (exception is TimeoutException or BenchmarkException)
            {
                Console.Error.WriteLine($"warning: rvd_back {process.Id} did not stop on SIGTERM ({exception.Message}); killing it");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!Volatile.Read(ref ready))
        {
            if (process.HasExited)
            {
                throw new BenchmarkException($"rvd_back exited with code {process.ExitCode} before its workers started:\n{RecentOutput}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BenchmarkException($"rvd_back did not start its workers within {timeout.TotalSeconds:0} s:\n{RecentOutput}");
            }
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (linesLock)
        {
            lines.Enqueue(line);
            if (lines.Count > KeptLines)
            {
                lines.Dequeue();
            }
        }

        if (line.Contains(ReadyLine, StringComparison.Ordinal))
        {
            Volatile.Write(ref ready, true);
        }
    }
}
