using System.Runtime.InteropServices;
using Microsoft.Playwright;
using Ravada.Bench.Front;
using Ravada.Libvirt;

var options = FrontBenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(FrontBenchOptions.Usage);
    return 2;
}

using var stopping = new CancellationTokenSource();
// Ctrl+C or SIGTERM stops the measurements; the processes, files and libvirt objects of the run are still removed.
using var interruptRegistration = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
using var terminateRegistration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);

try
{
    var report = await FrontSuite.RunAsync(options, stopping.Token);
    var block = MarkdownBlock.Render(report);
    Console.WriteLine(block);
    if (options.OutputPath is not null)
    {
        var existing = File.Exists(options.OutputPath) ? await File.ReadAllTextAsync(options.OutputPath, CancellationToken.None) : null;
        var updated = options.Only is null ? MarkdownBlock.Replace(existing, block) : MarkdownBlock.Merge(existing, report);
        await File.WriteAllTextAsync(options.OutputPath, updated, CancellationToken.None);
        Console.WriteLine(options.Only is null
            ? $"Wrote the front-end block of {options.OutputPath}"
            : $"Put the {options.Only} section into the front-end block of {options.OutputPath}");
    }

    return 0;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; what the benchmark had created is removed.");
    return 130;
}
catch (Exception exception) when (exception is BenchmarkException or LibvirtException or PlaywrightException or HttpRequestException or TimeoutException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

void StopGracefully(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
