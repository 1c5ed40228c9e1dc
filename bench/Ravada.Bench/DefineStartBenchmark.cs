using System.Diagnostics;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench;

/// <summary>
/// Defining and starting a desktop that boots the idle guest from a fresh clone disk: through the broker
/// layer, and with <c>virsh define</c> + <c>virsh start</c> given the very same domain XML. The two take
/// turns, in alternating order.
/// </summary>
internal static class DefineStartBenchmark
{
    private const string Virsh = "virsh";

    public static async Task<BenchmarkResult> RunAsync(
        IHypervisor hypervisor, HostFeatures features, Accelerator accelerator, BenchScratch scratch, IdleGuest guest, BenchmarkSizes sizes, CancellationToken cancellationToken)
    {
        var throughHypervisor = new List<double>(sizes.DefineStartRuns);
        var withVirsh = new List<double>(sizes.DefineStartRuns);
        for (var round = -sizes.DefineStartWarmupRuns; round < sizes.DefineStartRuns; round++)
        {
            var index = round + sizes.DefineStartWarmupRuns;
            var hypervisorFirst = index % 2 == 0;
            for (var turn = 0; turn < 2; turn++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var useHypervisor = hypervisorFirst == (turn == 0);
                var name = scratch.Name($"{(useHypervisor ? "broker" : "virsh")}-{index}");
                var disk = await hypervisor.CloneDiskAsync(scratch.PoolName, scratch.BaseVolumePath, name + ".qcow2", cancellationToken);
                var desktop = guest.Desktop(name, disk.Path);

                var elapsed = useHypervisor
                    ? await DefineAndStartThroughHypervisorAsync(hypervisor, desktop, cancellationToken)
                    : await DefineAndStartWithVirshAsync(DesktopDomainXml.Build(desktop, features, accelerator).ToString(), desktop.Name, scratch, cancellationToken);
                if (round >= 0)
                {
                    (useHypervisor ? throughHypervisor : withVirsh).Add(elapsed);
                }

                await hypervisor.ForceOffAsync(desktop.Id, cancellationToken);
                await hypervisor.UndefineAsync(desktop.Id, cancellationToken);
                await hypervisor.DeleteVolumeAsync(disk.Path, cancellationToken);
            }
        }

        return new BenchmarkResult(
            "Define + start of a desktop",
            $"""
            A 256 MiB, 1-vCPU desktop with SPICE and VNC that boots the idle guest (Debian kernel + busybox
            initramfs, direct kernel boot) from a fresh qcow2 clone, {sizes.DefineStartRuns} times after
            {ReportCells.Count(sizes.DefineStartWarmupRuns, "unmeasured round")}; the clone is made before the clock starts, and each run is forced
            off and undefined after it (not counted). Ours is `IHypervisor.DefineMachineAsync` + `StartAsync`, timed
            until `StartAsync` returns, i.e. the domain runs (libvirt returns from `virDomainCreateWithFlags` once QEMU
            is up and its vCPUs resumed; the guest's own boot is not included). The floor writes the very same domain
            XML (from `DesktopDomainXml.Build`) to a file and times `virsh define FILE` + `virsh start NAME`, two
            processes. The two paths take turns, in alternating order. Starting QEMU dominates both. The floor also
            pays two process starts and two connections to libvirtd; ours keeps its connection open but asks libvirtd
            to validate the XML against its schema (`VIR_DOMAIN_DEFINE_VALIDATE`), which `virsh define` does not.
            """,
            DisplayUnit.Milliseconds,
            [
                new ComparisonGroup(BenchmarkRun.SystemUri, $"libvirt domain type {DesktopDomainXml.DomainType(accelerator)}", [
                    new Measurement("virsh define + virsh start (processes)", MeasurementRole.Floor, LatencySummary.FromMicroseconds(withVirsh)),
                    new Measurement("IHypervisor.DefineMachineAsync + StartAsync", MeasurementRole.Ours, LatencySummary.FromMicroseconds(throughHypervisor)),
                ]),
            ],
            TargetRatio: 1.2);
    }

    private static async Task<double> DefineAndStartThroughHypervisorAsync(IHypervisor hypervisor, DesktopDefinition desktop, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await hypervisor.DefineMachineAsync(desktop, cancellationToken);
        await hypervisor.StartAsync(desktop.Id, cancellationToken);
        return LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
    }

    private static async Task<double> DefineAndStartWithVirshAsync(string domainXml, string name, BenchScratch scratch, CancellationToken cancellationToken)
    {
        var xmlPath = Path.Combine(scratch.WorkDirectory, name + ".xml");
        await File.WriteAllTextAsync(xmlPath, domainXml, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        await ExternalProgram.RunAsync(Virsh, ["-c", BenchmarkRun.SystemUri, "define", xmlPath], cancellationToken);
        await ExternalProgram.RunAsync(Virsh, ["-c", BenchmarkRun.SystemUri, "start", name], cancellationToken);
        return LatencySummary.MicrosecondsBetween(start, Stopwatch.GetTimestamp());
    }
}
