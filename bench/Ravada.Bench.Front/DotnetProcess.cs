using System.Diagnostics;
using System.Globalization;

namespace Ravada.Bench.Front;

/// <summary>A process's resident memory (/proc/PID/status), in bytes.</summary>
/// <param name="Total">VmRSS.</param>
/// <param name="Anonymous">RssAnon: heaps, stacks, the garbage-collected heap.</param>
/// <param name="Files">RssFile: mapped files, mostly the .NET runtime's and ASP.NET Core's assemblies, shared with every .NET process.</param>
/// <param name="Shared">RssShmem: shared memory; .NET maps its generated code twice through it (write xor execute).</param>
internal sealed record ResidentMemory(long Total, long Anonymous, long Files, long Shared);

/// <summary>
/// A published Ravada program (<c>rvd_front.dll</c>, <c>rvd_back.dll</c>) run with <c>dotnet</c> as a child process,
/// its output kept for error messages, its memory and CPU time read from /proc.
/// </summary>
internal sealed class DotnetProcess : IAsyncDisposable
{
    private static readonly Lazy<long> ClockTicksPerSecond = new(ReadClockTicks);
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock linesLock = new();

    private DotnetProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (linesLock)
            {
                return string.Join('\n', lines.TakeLast(60));
            }
        }
    }

    /// <summary>Starts <c>dotnet DLL ARGUMENTS…</c> in <paramref name="workingDirectory"/>.</summary>
    public static DotnetProcess Start(string dll, string workingDirectory, params string[] arguments)
    {
        if (!File.Exists(dll))
        {
            throw new BenchmarkException($"{dll} does not exist: publish it first (bench/run.sh does)");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.GetFullPath(dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new BenchmarkException($"{dll} did not start");
        process.StandardInput.Close();
        return new DotnetProcess(Path.GetFileNameWithoutExtension(dll), process);
    }

    /// <summary>Waits until the program prints <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!Contains(text))
            {
                if (process.HasExited)
                {
                    throw new BenchmarkException($"{Name} exited with {process.ExitCode} before printing '{text}':\n{Output}");
                }

                await Task.Delay(20, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchmarkException($"{Name} did not print '{text}' within {timeout.TotalSeconds:0} s:\n{Output}");
        }
    }

    /// <summary>The resident set size now (VmRSS), in bytes.</summary>
    public long ResidentBytes() => StatusNumber("VmRSS") * 1024;

    /// <summary>The resident set size now and its parts: anonymous memory, mapped files, shared memory.</summary>
    public ResidentMemory Memory() => new(
        StatusNumber("VmRSS") * 1024, StatusNumber("RssAnon") * 1024, StatusNumber("RssFile") * 1024, StatusNumber("RssShmem") * 1024);

    /// <summary>The CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        // /proc/PID/stat: "PID (comm) state …"; utime and stime are fields 14 and 15, counted after the ')'.
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond.Value);
    }

    /// <summary>Stops the program with SIGTERM, as systemd would, and kills it if it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        process.Dispose();
    }

    private bool Contains(string text)
    {
        lock (linesLock)
        {
            return lines.Exists(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The process's threads now.</summary>
    public long Threads() => StatusNumber("Threads");

    private long StatusNumber(string key)
    {
        // "VmRSS:	  123456 kB", "Threads:	23"
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(candidate => candidate.StartsWith(key + ":", StringComparison.Ordinal))
            ?? throw new BenchmarkException($"/proc/{process.Id}/status has no {key}");
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (linesLock)
        {
            lines.Add(line);
        }
    }

    private static long ReadClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true })
            ?? throw new BenchmarkException("getconf did not start");
        var output = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
