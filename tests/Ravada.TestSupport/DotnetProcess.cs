using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Ravada.TestSupport;

/// <summary>Runs a built .NET program (its dll under <c>dotnet</c>), such as rvd_back or rvd_front, as a child process.</summary>
public sealed class DotnetProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock linesLock = new();

    private DotnetProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// Starts <paramref name="assembly"/> (a path, or a file name beside the test binaries) with <paramref name="arguments"/>,
    /// writes <paramref name="standardInput"/> to it and closes its input.
    /// </summary>
    public static DotnetProcess Start(string assembly, string? standardInput, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{assembly} did not start");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        return new DotnetProcess(process);
    }

    /// <summary>Runs <paramref name="assembly"/> to its end; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string assembly, string? standardInput, IEnumerable<string> arguments)
    {
        await using var program = Start(assembly, standardInput, arguments);
        await program.process.WaitForExitAsync(TestContext.Current.CancellationToken);
        program.process.WaitForExit();
        return (program.process.ExitCode, program.Output);
    }

    /// <summary>Everything the program printed so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (linesLock)
            {
                return string.Join('\n', lines);
            }
        }
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.ArgumentList[0]} exited with {process.ExitCode} before printing '{text}':\n{Output}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Sends SIGTERM, as systemd does to stop a service, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
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
}
