using System.Diagnostics;
using System.Globalization;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt;

namespace Ravada.Bench;

/// <summary>
/// The cost of one native call through the binding: <c>DomainLookupByName</c> + <c>GetState</c> +
/// <c>Dispose</c>, beside the same loop in C (compiled here with gcc against libvirt-dev).
/// </summary>
internal static class NativeCallBenchmark
{
    private const string TestDriverUri = "test:///default";
    private const string TestDriverDomain = "test";
    private const string FloorSourceName = "lookup_state_loop.c";

    public static async Task<BenchmarkResult> RunAsync(
        IHypervisor hypervisor, VirConnect systemConnection, BenchScratch scratch, IdleGuest guest, BenchmarkSizes sizes, CancellationToken cancellationToken)
    {
        var floorProgram = await CompileFloorAsync(scratch.WorkDirectory, cancellationToken);

        // A defined, shut-off desktop: the lookup reaches libvirtd and its domain list, nothing more.
        var disk = await hypervisor.CloneDiskAsync(scratch.PoolName, scratch.BaseVolumePath, scratch.Name("lookup.qcow2"), cancellationToken);
        var desktop = guest.Desktop(scratch.Name("lookup"), disk.Path);
        await hypervisor.DefineMachineAsync(desktop, cancellationToken);
        var system = await CompareAsync(
            "libvirtd, through its UNIX socket",
            systemConnection,
            desktop.Name,
            floorProgram,
            sizes,
            cancellationToken);
        await hypervisor.UndefineAsync(desktop.Id, cancellationToken);
        await hypervisor.DeleteVolumeAsync(disk.Path, cancellationToken);

        using var testConnection = VirConnect.Open(TestDriverUri);
        var testDriver = await CompareAsync(
            "libvirt's test driver, in the process: no daemon, no I/O",
            testConnection,
            TestDriverDomain,
            floorProgram,
            sizes,
            cancellationToken);

        return new BenchmarkResult(
            "Native call overhead: lookup + state",
            $"""
            One call is `virDomainLookupByName` + `virDomainGetState` + `virDomainFree` on a defined, shut-off
            domain, timed alone, {sizes.NativeCalls:N0} times per path in {sizes.NativeBlocks} blocks; the paths take turns block by block.
            Each C block starts with {sizes.NativeWarmupCalls:N0} unmeasured calls; .NET calls for one second before its first block,
            for the JIT. Ours goes through the binding (`VirConnect.DomainLookupByName`,
            `VirDomain.GetState`, `Dispose`: source-generated P/Invoke, SafeHandles, UTF-8 marshalling, error checks). The floor is the same loop in C, compiled with gcc against libvirt-dev
            when the benchmark runs. The binding always runs libvirt's default event loop on a thread of its own
            (events, keepalive, close notifications), so the C loop is also measured with that event loop running:
            the difference between the two C rows is libvirt's, not the binding's. On test:///default nothing leaves
            the process, so its rows show the binding's own cost per call.
            """,
            DisplayUnit.Microseconds,
            [system, testDriver],
            TargetRatio: null);
    }

    private static async Task<ComparisonGroup> CompareAsync(
        string setting, VirConnect connection, string domainName, string floorProgram, BenchmarkSizes sizes, CancellationToken cancellationToken)
    {
        WarmUpBinding(connection, domainName, sizes);
        var callsPerBlock = sizes.NativeCalls / sizes.NativeBlocks;
        Func<Task<IReadOnlyList<double>>>[] paths =
        [
            () => MeasureFloorAsync(floorProgram, connection.Uri, domainName, withEventLoop: false, callsPerBlock, sizes.NativeWarmupCalls, cancellationToken),
            () => MeasureFloorAsync(floorProgram, connection.Uri, domainName, withEventLoop: true, callsPerBlock, sizes.NativeWarmupCalls, cancellationToken),
            () => Task.FromResult<IReadOnlyList<double>>(MeasureBinding(connection, domainName, callsPerBlock, cancellationToken)),
        ];
        var durations = paths.Select(_ => new List<double>(sizes.NativeCalls)).ToArray();
        for (var block = 0; block < sizes.NativeBlocks; block++)
        {
            for (var turn = 0; turn < paths.Length; turn++)
            {
                var path = (block + turn) % paths.Length;
                durations[path].AddRange(await paths[path]());
            }
        }

        return new ComparisonGroup(connection.Uri, setting, [
            new Measurement("C: lookup + get state + free", MeasurementRole.Floor, LatencySummary.FromMicroseconds(durations[0])),
            new Measurement("C, with libvirt's event loop running", MeasurementRole.Reference, LatencySummary.FromMicroseconds(durations[1])),
            new Measurement("Binding: DomainLookupByName + GetState + Dispose", MeasurementRole.Ours, LatencySummary.FromMicroseconds(durations[2])),
        ]);
    }

    private static void WarmUpBinding(VirConnect connection, string domainName, BenchmarkSizes sizes)
    {
        // Long enough for tiered compilation to replace the first code with optimized code: it waits for
        // 100 ms without new methods to compile before it does.
        var warmupEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        for (var call = 0; call < sizes.NativeWarmupCalls || Stopwatch.GetTimestamp() < warmupEnd; call++)
        {
            LookupAndGetState(connection, domainName);
        }
    }

    private static double[] MeasureBinding(VirConnect connection, string domainName, int calls, CancellationToken cancellationToken)
    {
        var durations = new double[calls];
        for (var call = 0; call < durations.Length; call++)
        {
            if (call % 1000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var start = Stopwatch.GetTimestamp();
            LookupAndGetState(connection, domainName);
            durations[call] = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        }

        return durations;
    }

    private static void LookupAndGetState(VirConnect connection, string domainName)
    {
        using var domain = connection.DomainLookupByName(domainName);
        domain.GetState();
    }

    private static async Task<string> CompileFloorAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Native", FloorSourceName);
        var program = Path.Combine(workDirectory, Path.GetFileNameWithoutExtension(FloorSourceName));
        await ExternalProgram.RunAsync("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", program, source, "-lvirt", "-lpthread"], cancellationToken);
        return program;
    }

    private static async Task<IReadOnlyList<double>> MeasureFloorAsync(
        string floorProgram, string uri, string domainName, bool withEventLoop, int calls, int warmupCalls, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            uri,
            domainName,
            calls.ToString(CultureInfo.InvariantCulture),
            warmupCalls.ToString(CultureInfo.InvariantCulture),
        ];
        if (withEventLoop)
        {
            arguments.Add("event-loop");
        }

        var output = await ExternalProgram.RunAsync(floorProgram, arguments, cancellationToken);
        var durations = output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => long.Parse(line, NumberStyles.Integer, CultureInfo.InvariantCulture) / 1000.0)
            .ToList();
        return durations.Count == calls
            ? durations
            : throw new BenchmarkException($"{floorProgram} printed {durations.Count} durations instead of {calls}");
    }
}
