using System.Runtime.InteropServices;
using Ravada.Bench;
using Ravada.Libvirt;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var stopping = new CancellationTokenSource();
// Ctrl+C or SIGTERM stops the measurements, and what the run created (scratch pool, volumes, domains, the back
// end's rvd_back, network and files) is still removed.
using var interruptRegistration = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
using var terminateRegistration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);
using var hangUpRegistration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopGracefully);

// The lock tells later runs that this one is alive; what dead runs left (SIGKILL, a libvirtd restarted under a
// clean-up) goes first.
using var run = RunLock.Acquire();
try
{
    await StaleRuns.PurgeAsync(run);
    var report = await BenchmarkRun.RunAsync(options, run, stopping.Token);
    Console.WriteLine(ConsoleReport.Render(report));
    if (options.OutputPath is not null)
    {
        var existing = File.Exists(options.OutputPath) ? await File.ReadAllTextAsync(options.OutputPath, CancellationToken.None) : null;
        await File.WriteAllTextAsync(options.OutputPath, MarkdownReport.Render(report, existing), CancellationToken.None);
        Console.WriteLine($"Wrote {options.OutputPath}");
    }

    return 0;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; what the benchmark had created is removed.");
    return 130;
}
catch (Exception exception) when (exception is BenchmarkException or LibvirtException or Ravada.Core.Hypervisor.HypervisorException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    if (exception is LibvirtException { ErrorDomain: VirErrorDomain.Rpc })
    {
        Console.Error.WriteLine("libvirtd went away during the run (other people's tests restart it); run the benchmark again");
    }

    return 1;
}
finally
{
    // Each suite removes what it made; this catches what an interrupted set-up made before its suite knew of it.
    var outcome = await RunObjects.RemoveAsync(run.Prefix, keepPath: run.LockPath);
    outcome.WarnAboutLeftovers();
    if (outcome.Left.Count > 0)
    {
        run.KeepLockFileForNextRun();
    }
}

void StopGracefully(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
