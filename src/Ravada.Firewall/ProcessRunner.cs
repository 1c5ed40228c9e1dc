using System.Diagnostics;

namespace Ravada.Firewall;

/// <summary>What a program said and how it ended.</summary>
/// <param name="ExitCode">Its exit status.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error.</param>
internal sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program with an argument list (never through a shell), feeding it standard input.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> to its end; it is killed if <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The C locale keeps the messages that end up in logs and exceptions stable.
        startInfo.Environment["LC_ALL"] = "C";
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{program} did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It ended before reading all of its input; its exit status and messages say why.
            }

            await process.WaitForExitAsync(cancellationToken);
            return new ProcessResult(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
