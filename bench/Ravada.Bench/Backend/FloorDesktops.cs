using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Libvirt.Xml;

namespace Ravada.Bench.Backend;

/// <summary>A desktop of the floor: its name, the file of its domain XML and the path of its disk overlay.</summary>
internal sealed record FloorDesktop(string Name, string XmlPath, string OverlayPath);

/// <summary>
/// The floor's desktops: the domain XML the broker gives a clone of the base (built with
/// <see cref="DesktopDomainXml.Build"/> from the same inputs as <c>MachineOperations.DefinitionFor</c>), handled
/// with plain <c>qemu-img</c> and <c>virsh</c> processes.
/// </summary>
internal sealed class FloorDesktops
{
    private const string Virsh = "virsh";
    private readonly BenchBackEnd backEnd;
    private readonly Machine baseMachine;
    private readonly string baseImagePath;
    private readonly string? cdromPath;
    private readonly HostFeatures features;
    private readonly Accelerator accelerator;
    private readonly string xmlDirectory;

    private FloorDesktops(BenchBackEnd backEnd, Machine baseMachine, string baseImagePath, string? cdromPath, HostFeatures features, Accelerator accelerator)
    {
        this.backEnd = backEnd;
        this.baseMachine = baseMachine;
        this.baseImagePath = baseImagePath;
        this.cdromPath = cdromPath;
        this.features = features;
        this.accelerator = accelerator;
        // The XML holds display passwords: a directory only root reads.
        xmlDirectory = Path.Combine(backEnd.Directory, "floor-xml");
        Directory.CreateDirectory(xmlDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static async Task<FloorDesktops> CreateAsync(BenchBackEnd backEnd, Machine baseMachine, HostFeatures features, Accelerator accelerator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backEnd);
        ArgumentNullException.ThrowIfNull(baseMachine);
        var volumes = await backEnd.Get<IMachineStore>().ListVolumesAsync(baseMachine.Id, cancellationToken);
        var baseImage = volumes.Single(volume => volume.IsBaseImage).Path ?? throw new BenchmarkException($"the base image of {baseMachine.Name} has no path");
        var cdrom = baseMachine.KeepCdrom ? volumes.FirstOrDefault(volume => volume.Device == "cdrom")?.Path : null;
        return new FloorDesktops(backEnd, baseMachine, baseImage, cdrom, features, accelerator);
    }

    /// <summary>Writes the domain XML of a new floor desktop (not timed); nothing exists in libvirt yet.</summary>
    public async Task<FloorDesktop> WriteXmlAsync(string what, CancellationToken cancellationToken)
    {
        var name = backEnd.Name(what);
        var desktop = new FloorDesktop(name, Path.Combine(xmlDirectory, name + ".xml"), Path.Combine(backEnd.PoolDirectory, name + ".qcow2"));
        var definition = new DesktopDefinition
        {
            Name = name,
            MemoryMiB = baseMachine.MemoryMiB,
            VirtualCpus = baseMachine.VirtualCpus,
            OsFamily = baseMachine.OsFamily,
            Disks = [new DiskAttachment(desktop.OverlayPath)],
            CdromPath = cdromPath,
            BootFromCdrom = cdromPath is not null,
            Network = baseMachine.Network,
            Display = new DisplaySettings("127.0.0.1", DisplayTickets.Create()),
            Ownership = new MachineOwnership("floor", baseMachine.Name, Volatile: false),
        };
        await File.WriteAllTextAsync(desktop.XmlPath, DesktopDomainXml.Build(definition, features, accelerator).ToString(), cancellationToken);
        return desktop;
    }

    /// <summary><c>qemu-img create -f qcow2 -F qcow2 -b BASE OVERLAY</c>.</summary>
    public Task CreateOverlayAsync(FloorDesktop desktop, CancellationToken cancellationToken) =>
        ExternalProgram.RunAsync("qemu-img", ["create", "-f", "qcow2", "-F", "qcow2", "-b", baseImagePath, desktop.OverlayPath], cancellationToken);

    /// <summary><c>virsh define FILE</c>.</summary>
    public static Task DefineAsync(FloorDesktop desktop, CancellationToken cancellationToken) =>
        ExternalProgram.RunAsync(Virsh, ["-c", BenchmarkRun.SystemUri, "define", desktop.XmlPath], cancellationToken);

    /// <summary><c>virsh start NAME</c>.</summary>
    public static Task StartAsync(FloorDesktop desktop, CancellationToken cancellationToken) =>
        ExternalProgram.RunAsync(Virsh, ["-c", BenchmarkRun.SystemUri, "start", desktop.Name], cancellationToken);

    /// <summary><c>virsh domdisplay NAME</c>: the display's URI, with its port.</summary>
    public static async Task<string> DisplayAsync(FloorDesktop desktop, CancellationToken cancellationToken)
    {
        var uri = (await ExternalProgram.RunAsync(Virsh, ["-c", BenchmarkRun.SystemUri, "domdisplay", desktop.Name], cancellationToken)).Trim();
        return uri.Length > 0 ? uri : throw new BenchmarkException($"virsh domdisplay {desktop.Name} printed no display");
    }

    /// <summary>Powers the desktop off, undefines it and deletes its overlay and XML (not timed).</summary>
    public static void Remove(FloorDesktop desktop)
    {
        ArgumentNullException.ThrowIfNull(desktop);
        BenchBackEnd.DestroyAndUndefine(desktop.Name);
        File.Delete(desktop.OverlayPath);
        File.Delete(desktop.XmlPath);
    }
}
