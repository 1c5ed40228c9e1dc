using System.Diagnostics;

namespace Ravada.Bench;

/// <summary>Runs another program with an argument list (never through a shell) and returns what it printed.</summary>
internal static class ExternalProgram
{
    /// <summary>Runs <paramref name="program"/> to its end; throws a <see cref="BenchmarkException"/> when it fails.</summary>
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = StartOrExplain(startInfo);
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await standardOutput;
        var error = await standardError;
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"{CommandLine(program, arguments)} exited with code {process.ExitCode}: {error.Trim()}");
        }

        return output;
    }

    private static Process StartOrExplain(ProcessStartInfo startInfo)
    {
        try
        {
            return Process.Start(startInfo) ?? throw new BenchmarkException($"{startInfo.FileName} did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new BenchmarkException($"cannot run {startInfo.FileName}: {exception.Message} (bench/run.sh installs what the benchmark needs)", exception);
        }
    }

    private static string CommandLine(string program, IReadOnlyList<string> arguments) =>
        string.Join(' ', [program, .. arguments]);
}
