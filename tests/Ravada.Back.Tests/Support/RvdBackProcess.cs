using System.Diagnostics;

namespace Ravada.Back.Tests.Support;

/// <summary>Runs the real rvd_back program (the built rvd_back.dll under dotnet) as a child process.</summary>
public sealed class RvdBackProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock linesLock = new();

    private RvdBackProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static RvdBackProcess Start(params string[] arguments) => StartWithInput(standardInput: null, arguments);

    public static RvdBackProcess StartWithInput(string? standardInput, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rvd_back.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("rvd_back did not start");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        return new RvdBackProcess(process);
    }

    public static Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments) => RunWithInputAsync(standardInput: null, arguments);

    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string? standardInput, params string[] arguments)
    {
        await using var backEnd = StartWithInput(standardInput, arguments);
        await backEnd.process.WaitForExitAsync(TestContext.Current.CancellationToken);
        backEnd.process.WaitForExit();
        return (backEnd.process.ExitCode, backEnd.Output);
    }

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

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"rvd_back exited with {process.ExitCode} before printing '{text}':\n{Output}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Sends SIGTERM, as systemd does to stop the service, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

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
