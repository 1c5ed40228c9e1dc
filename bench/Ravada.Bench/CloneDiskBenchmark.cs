using System.Diagnostics;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>
/// Creating the copy-on-write disk of a new desktop: through the broker layer, through the native layer,
/// and with plain <c>qemu-img create -b</c>. The three run in turn within each round, in a rotating order,
/// so that a slow spell of the machine touches all of them alike.
/// </summary>
internal static class CloneDiskBenchmark
{
    private const string QemuImg = "qemu-img";

    public static async Task<BenchmarkResult> RunAsync(IHypervisor hypervisor, BenchScratch scratch, BenchmarkSizes sizes, CancellationToken cancellationToken)
    {
        Func<string, Task<double>>[] paths =
        [
            name => CloneThroughHypervisorAsync(hypervisor, scratch, name, cancellationToken),
            name => Task.FromResult(CloneThroughNativeLayer(scratch, name)),
            name => CloneWithQemuImgAsync(scratch, name, cancellationToken),
        ];
        var durations = paths.Select(_ => new List<double>(sizes.CloneRuns)).ToArray();

        for (var round = -sizes.CloneWarmupRuns; round < sizes.CloneRuns; round++)
        {
            for (var turn = 0; turn < paths.Length; turn++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = (round + sizes.CloneWarmupRuns + turn) % paths.Length;
                var elapsed = await paths[path](scratch.Name($"clone-{path}-{round + sizes.CloneWarmupRuns}.qcow2"));
                if (round >= 0)
                {
                    durations[path].Add(elapsed);
                }
            }
        }

        return new BenchmarkResult(
            "Clone-disk creation",
            $"""
            A qcow2 overlay of a 1 GiB qcow2 base volume in a directory pool on the same file system, {sizes.CloneRuns} times
            after {ReportCells.Count(sizes.CloneWarmupRuns, "unmeasured round")}; each clone is deleted after it is timed (not counted). The three
            paths take turns in every round. `CloneDiskAsync` is what the broker calls: it looks the base volume up,
            reads its size and format, looks the pool up, creates the overlay with `virStorageVolCreateXML` and reads
            the new volume's path and allocation. The native row is `VirStoragePool.StorageVolCreateXML` alone, with
            the XML of `StorageXml.Overlay`, on a pool handle kept open. The floor is
            `qemu-img create -f qcow2 -F qcow2 -b BASE CLONE` started as a process; libvirtd itself runs one
            `qemu-img create` for each of the other two. So the gap between the two rows of ours is the six extra
            round trips of `CloneDiskAsync` (each costs about what a native call to qemu:///system costs, in section 1),
            and the gap between the native row and the floor is libvirtd's own work: it forks `qemu-img` from a
            multi-threaded daemon, then opens the new volume and its backing file to refresh the volume's metadata.
            """,
            DisplayUnit.Milliseconds,
            [
                new ComparisonGroup(BenchmarkRun.SystemUri, "a directory pool in /var/tmp", [
                    new Measurement("qemu-img create -b (process)", MeasurementRole.Floor, LatencySummary.FromMicroseconds(durations[2])),
                    new Measurement("IHypervisor.CloneDiskAsync", MeasurementRole.Ours, LatencySummary.FromMicroseconds(durations[0])),
                    new Measurement("VirStoragePool.StorageVolCreateXML (overlay)", MeasurementRole.Ours, LatencySummary.FromMicroseconds(durations[1])),
                ]),
            ],
            TargetRatio: 2.0);
    }

    private static async Task<double> CloneThroughHypervisorAsync(IHypervisor hypervisor, BenchScratch scratch, string name, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var clone = await hypervisor.CloneDiskAsync(scratch.PoolName, scratch.BaseVolumePath, name, cancellationToken);
        var elapsed = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        await hypervisor.DeleteVolumeAsync(clone.Path, cancellationToken);
        return elapsed;
    }

    private static double CloneThroughNativeLayer(BenchScratch scratch, string name)
    {
        var overlayXml = StorageXml.Overlay(name, BenchScratch.BaseVolumeBytes, scratch.BaseVolumePath, "qcow2").ToString();
        var start = Stopwatch.GetTimestamp();
        using var clone = scratch.Pool.StorageVolCreateXML(overlayXml);
        var elapsed = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        clone.Delete();
        return elapsed;
    }

    private static async Task<double> CloneWithQemuImgAsync(BenchScratch scratch, string name, CancellationToken cancellationToken)
    {
        var clonePath = Path.Combine(scratch.PoolDirectory, name);
        var start = Stopwatch.GetTimestamp();
        await ExternalProgram.RunAsync(QemuImg, ["create", "-f", "qcow2", "-F", "qcow2", "-b", scratch.BaseVolumePath, clonePath], cancellationToken);
        var elapsed = LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
        File.Delete(clonePath);
        return elapsed;
    }
}
