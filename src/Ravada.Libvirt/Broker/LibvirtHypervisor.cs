using System.Net.Sockets;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Broker;

/// <summary>
/// <see cref="IHypervisor"/> on libvirt through our own binding. Blocking libvirt calls run on the thread pool,
/// at most <see cref="LibvirtOptions.MaxConcurrentCalls"/> at a time; each reads libvirt's error on its own
/// thread before returning, so errors are never mixed up between concurrent calls.
/// </summary>
public sealed partial class LibvirtHypervisor : IHypervisor, IAsyncDisposable
{
    private const VirDomainUndefineFlags UndefineLeftovers = VirDomainUndefineFlags.ManagedSave | VirDomainUndefineFlags.SnapshotsMetadata;

    private const VirDomainUndefineFlags UndefineEverything =
        UndefineLeftovers | VirDomainUndefineFlags.CheckpointsMetadata | VirDomainUndefineFlags.Nvram;

    private static readonly TimeSpan StartUpWait = TimeSpan.FromSeconds(30);
    private readonly LibvirtOptions options;
    private readonly IVirtualizationProbe probe;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<LibvirtHypervisor> logger;
    private readonly HypervisorEventHub hub = new();
    private readonly LibvirtConnection connection;
    private readonly SemaphoreSlim callSlots;
    private NodeProfile? profile;
    private int disposed;

    /// <summary>Creates the hypervisor; nothing is opened until the first call.</summary>
    public LibvirtHypervisor(IOptions<LibvirtOptions> options, IVirtualizationProbe probe, TimeProvider timeProvider, ILogger<LibvirtHypervisor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.probe = probe;
        this.timeProvider = timeProvider;
        this.logger = logger;
        callSlots = new SemaphoreSlim(this.options.MaxConcurrentCalls);
        connection = new LibvirtConnection(this.options, hub, timeProvider, logger);
        connection.Connected += _ => Volatile.Write(ref profile, null);
    }

    /// <summary>Whether the connection to libvirt is open right now.</summary>
    public bool IsConnected => connection.IsConnected;

    /// <inheritdoc />
    public Task<HypervisorInfo> DescribeAsync(CancellationToken cancellationToken = default) =>
        RunAsync("describe the node", connect =>
        {
            var node = Profile(connect);
            var nodeInfo = connect.GetNodeInfo();
            long freeMemory;
            try
            {
                freeMemory = (long)connect.GetFreeMemory();
            }
            catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoSupport)
            {
                freeMemory = 0;
            }

            return new HypervisorInfo(
                connect.GetUri(),
                connect.GetHostname(),
                connect.GetTypeName(),
                connect.GetVersion(),
                connect.GetLibVersion(),
                node.Accelerator,
                node.AcceleratorReason,
                (int)nodeInfo.Cpus,
                (long)nodeInfo.MemoryKiB * 1024,
                freeMemory);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<MachineDescription> DefineMachineAsync(DesktopDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return RunAsync($"define machine {definition.Name}", connect =>
        {
            var xml = BuildXml(connect, definition);
            using var domain = connect.DomainDefineXMLFlags(xml, VirDomainDefineFlags.Validate);
            return Describe(domain);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<MachineDescription> StartTransientMachineAsync(DesktopDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return RunAsync($"start volatile machine {definition.Name}", connect =>
        {
            var xml = BuildXml(connect, definition);
            using var domain = connect.DomainCreateXML(xml, VirDomainCreateFlags.Validate);
            return Describe(domain);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MachineDescription>> ListMachinesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<MachineDescription>>("list machines", connect =>
        {
            var domains = connect.ListAllDomains();
            try
            {
                var machines = new List<MachineDescription>(domains.Count);
                foreach (var domain in domains)
                {
                    try
                    {
                        machines.Add(Describe(domain));
                    }
                    catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoDomain)
                    {
                        // Undefined between the listing and the look: it is simply gone.
                    }
                }

                return machines;
            }
            finally
            {
                foreach (var domain in domains)
                {
                    domain.Dispose();
                }
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<MachineDescription?> FindMachineAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        RunAsync($"find machine {machineId}", connect =>
        {
            using var domain = TryLookup(connect, machineId);
            return domain is null ? null : Describe(domain);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<MachineDescription?> FindMachineByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        MachineName.Validate(name);
        return RunAsync($"find machine {name}", connect =>
        {
            VirDomain domain;
            try
            {
                domain = connect.DomainLookupByName(name);
            }
            catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoDomain)
            {
                return null;
            }

            using (domain)
            {
                return Describe(domain);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task StartAsync(Guid machineId, CancellationToken cancellationToken = default)
    {
        var startingUp = await RunAsync($"start machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            if (domain.IsActive())
            {
                return IsStartingUp(domain);
            }

            domain.CreateWithFlags();
            return false;
        }, cancellationToken);

        // Another caller (a daemon killed mid-start, say) started it and libvirt has not let it run yet.
        var deadline = timeProvider.GetUtcNow() + StartUpWait;
        while (startingUp && timeProvider.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
            startingUp = await RunAsync($"start machine {machineId}", connect =>
            {
                using var domain = Lookup(connect, machineId);
                return IsStartingUp(domain);
            }, cancellationToken);
        }
    }

    private static bool IsStartingUp(VirDomain domain) =>
        domain.GetState() is (VirDomainState.Paused, (int)VirDomainPausedReason.StartingUp);

    /// <inheritdoc />
    public Task RequestShutdownAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "shut down", domain =>
        {
            if (domain.IsActive())
            {
                domain.ShutdownFlags();
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task ForceOffAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "force off", domain =>
        {
            if (!domain.IsActive())
            {
                return;
            }

            try
            {
                domain.DestroyFlags();
            }
            catch (LibvirtException exception) when (exception.Code == VirErrorCode.OperationInvalid && !domain.IsActive())
            {
                // It stopped by itself between the check and the call.
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task RequestRebootAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "reboot", domain => domain.Reboot(), cancellationToken);

    /// <inheritdoc />
    public Task ResetAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "reset", domain => domain.Reset(), cancellationToken);

    /// <inheritdoc />
    public Task PauseAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "pause", domain =>
        {
            if (domain.GetState().State != VirDomainState.Paused)
            {
                domain.Suspend();
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task ResumeAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "resume", domain =>
        {
            if (domain.GetState().State == VirDomainState.Paused)
            {
                domain.Resume();
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task HibernateAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "hibernate", domain =>
        {
            if (domain.IsActive())
            {
                domain.ManagedSave();
            }
            else if (!domain.HasManagedSaveImage())
            {
                throw new HypervisorException(HypervisorFailure.InvalidState, $"hibernate {domain.GetName()}: the machine is off");
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task DiscardHibernationAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, "discard the hibernation of", domain =>
        {
            if (domain.HasManagedSaveImage())
            {
                domain.ManagedSaveRemove();
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task UndefineAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        RunAsync($"remove machine {machineId}", connect =>
        {
            using var domain = TryLookup(connect, machineId);
            if (domain is null)
            {
                return true;
            }

            if (domain.IsActive())
            {
                throw new HypervisorException(HypervisorFailure.InvalidState, $"remove machine {domain.GetName()}: it is running; stop it first");
            }

            try
            {
                domain.UndefineFlags(UndefineEverything);
            }
            catch (LibvirtException exception) when (exception.Code == VirErrorCode.InvalidArg)
            {
                // Drivers without NVRAM or checkpoints (the test driver) reject those flags.
                domain.UndefineFlags(UndefineLeftovers);
            }

            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetDisplayPasswordsAsync(Guid machineId, DisplayPasswords passwords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        return OnMachineAsync(machineId, "set the display passwords of", domain =>
        {
            var summary = DomainXmlReader.Read(domain.GetXMLDesc(VirDomainXmlFlags.Secure));
            var impact = domain.IsActive() && domain.IsPersistent()
                ? VirDomainModificationImpact.Live | VirDomainModificationImpact.Config
                : VirDomainModificationImpact.Current;
            foreach (var display in summary.Displays)
            {
                var password = display.Protocol == DisplayProtocol.Spice ? passwords.Spice : passwords.Vnc;
                domain.UpdateDeviceFlags(DesktopDomainXml.Graphics(display.Protocol, display.ListenAddress, password).ToString(), impact);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetOwnershipAsync(Guid machineId, MachineOwnership ownership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        Core.Users.UserName.Validate(ownership.Owner);
        return OnMachineAsync(machineId, "mark as ours", domain =>
        {
            var impact = domain.IsActive() && domain.IsPersistent()
                ? VirDomainModificationImpact.Live | VirDomainModificationImpact.Config
                : VirDomainModificationImpact.Current;
            var element = RavadaMetadata.ToUnqualifiedElement(ownership);
            domain.SetMetadata(VirDomainMetadataType.Element, element.ToString(), RavadaMetadata.Prefix, RavadaMetadata.Namespace.NamespaceName, impact);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RenameAsync(Guid machineId, string newName, CancellationToken cancellationToken = default)
    {
        MachineName.Validate(newName);
        return OnMachineAsync(machineId, $"rename as {newName}", domain =>
        {
            if (domain.IsActive())
            {
                throw new HypervisorException(HypervisorFailure.InvalidState, $"rename {domain.GetName()}: it is running; shut it down first");
            }

            if (domain.GetName() != newName)
            {
                domain.Rename(newName);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetMemoryAndCpusAsync(Guid machineId, long? memoryMiB, int? virtualCpus, CancellationToken cancellationToken = default) =>
        RunAsync($"change the hardware of machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            var xml = StoredXml(domain);
            DomainXmlEditor.SetMemoryAndCpus(xml, memoryMiB, virtualCpus);
            Redefine(connect, xml);
            return domain.IsActive();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string> AttachDiskAsync(Guid machineId, DiskAttachment disk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        HostPath.Validate(disk.Path, "disk path");
        return RunAsync($"add a disk to machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            var xml = StoredXml(domain);
            var bus = DomainXmlEditor.DiskBus(xml);
            var target = DomainXmlEditor.FreeTarget(xml, bus);
            var device = DesktopDomainXml.Disk(disk, target, bus).ToString();
            domain.AttachDeviceFlags(device, domain.IsActive() ? VirDomainModificationImpact.Live | VirDomainModificationImpact.Config : VirDomainModificationImpact.Config);
            return target;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DetachDiskAsync(Guid machineId, string target, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, $"remove disk {target} from", domain =>
        {
            var disk = DomainXmlEditor.FindDisk(StoredXml(domain), target)
                ?? throw new HypervisorException(HypervisorFailure.NotFound, $"machine {domain.GetName()} has no disk {target}");
            domain.DetachDeviceFlags(disk.ToString(), domain.IsActive() ? VirDomainModificationImpact.Live | VirDomainModificationImpact.Config : VirDomainModificationImpact.Config);
        }, cancellationToken);

    /// <inheritdoc />
    public Task ReplaceDiskAsync(Guid machineId, string target, string path, CancellationToken cancellationToken = default)
    {
        HostPath.Validate(path, "disk path");
        return RunAsync($"replace disk {target} of machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            if (domain.IsActive())
            {
                throw new HypervisorException(HypervisorFailure.InvalidState, $"replace a disk of {domain.GetName()}: it is running; shut it down first");
            }

            var xml = StoredXml(domain);
            DomainXmlEditor.ReplaceDiskSource(xml, target, path);
            Redefine(connect, xml);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetCdromAsync(Guid machineId, string? isoPath, CancellationToken cancellationToken = default) =>
        OnMachineAsync(machineId, isoPath is null ? "eject the CD-ROM of" : "insert a CD-ROM into", domain =>
        {
            var cdrom = DomainXmlEditor.SetCdromMedia(StoredXml(domain), isoPath);
            domain.UpdateDeviceFlags(cdrom.ToString(), domain.IsActive() && domain.IsPersistent()
                ? VirDomainModificationImpact.Live | VirDomainModificationImpact.Config
                : VirDomainModificationImpact.Current);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Screenshot> TakeScreenshotAsync(Guid machineId, CancellationToken cancellationToken = default) =>
        RunAsync($"take a screenshot of machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            using var stream = connect.StreamNew();
            string mimeType;
            try
            {
                mimeType = domain.Screenshot(stream);
            }
            catch
            {
                stream.Abort();
                throw;
            }

            using var image = new MemoryStream();
            stream.ReceiveAll(image);
            return Screenshot.FromEncoded(image.ToArray(), mimeType);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Stream> OpenDisplayAsync(Guid machineId, DisplayProtocol protocol, bool skipAuthentication, CancellationToken cancellationToken = default) =>
        RunAsync<Stream>($"open the {protocol} display of machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            var index = DomainXmlReader.GraphicsIndex(DomainXmlReader.Read(domain.GetXMLDesc()), protocol)
                ?? throw new HypervisorException(HypervisorFailure.NotFound, $"machine {domain.GetName()} has no {protocol} display");
            var socket = domain.OpenGraphicsFD((uint)index, skipAuthentication ? VirDomainOpenGraphicsFlags.SkipAuth : VirDomainOpenGraphicsFlags.None);
            return new NetworkStream(socket, ownsSocket: true);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoragePoolDescription>> ListStoragePoolsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<StoragePoolDescription>>("list storage pools", connect =>
        {
            var pools = connect.ListAllStoragePools();
            try
            {
                return [.. pools.Select(pool =>
                {
                    var info = pool.GetInfo();
                    return new StoragePoolDescription(
                        pool.GetName(),
                        StorageXml.ReadPoolPath(pool.GetXMLDesc()),
                        info.State == VirStoragePoolState.Running,
                        (long)info.CapacityBytes,
                        (long)info.AvailableBytes);
                })];
            }
            finally
            {
                foreach (var pool in pools)
                {
                    pool.Dispose();
                }
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<VolumeDescription> CreateVolumeAsync(string pool, string name, long capacityBytes, CancellationToken cancellationToken = default)
    {
        var xml = StorageXml.Volume(name, capacityBytes).ToString();
        return RunAsync($"create volume {name} in pool {pool}", connect =>
        {
            using var storagePool = connect.StoragePoolLookupByName(pool);
            using var volume = storagePool.StorageVolCreateXML(xml);
            return DescribeVolume(volume, pool);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VolumeDescription> CloneDiskAsync(string pool, string baseVolumePath, string name, CancellationToken cancellationToken = default)
    {
        MachineName.Validate(name, "volume name");
        HostPath.Validate(baseVolumePath, "base volume path");
        return RunAsync($"clone {baseVolumePath} as {name} in pool {pool}", connect =>
        {
            using var baseVolume = connect.StorageVolLookupByPath(baseVolumePath);
            var capacity = (long)baseVolume.GetInfo().CapacityBytes;
            var (format, _) = StorageXml.ReadVolume(baseVolume.GetXMLDesc());
            var xml = StorageXml.Overlay(name, capacity, baseVolumePath, format ?? "qcow2").ToString();
            using var storagePool = connect.StoragePoolLookupByName(pool);
            using var clone = storagePool.StorageVolCreateXML(xml);
            return new VolumeDescription(pool, name, clone.GetPath(), "qcow2", capacity, (long)clone.GetInfo().AllocationBytes, baseVolumePath);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VolumeDescription> CopyVolumeAsync(string sourcePath, string pool, string name, bool readOnly, CancellationToken cancellationToken = default)
    {
        HostPath.Validate(sourcePath, "source volume path");
        MachineName.Validate(name, "volume name");
        return RunAsync($"copy {sourcePath} as {name} in pool {pool}", connect =>
        {
            using var source = connect.StorageVolLookupByPath(sourcePath);
            var capacity = (long)source.GetInfo().CapacityBytes;
            using var storagePool = connect.StoragePoolLookupByName(pool);
            using var copy = storagePool.StorageVolCreateXMLFrom(StorageXml.Volume(name, capacity, "qcow2", readOnly).ToString(), source);
            return DescribeVolume(copy, pool);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VolumeDescription?> FindVolumeByNameAsync(string pool, string name, CancellationToken cancellationToken = default)
    {
        MachineName.Validate(name, "volume name");
        return RunAsync($"find volume {name} in pool {pool}", connect =>
        {
            using var storagePool = connect.StoragePoolLookupByName(pool);
            VirStorageVol volume;
            try
            {
                volume = storagePool.StorageVolLookupByName(name);
            }
            catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoStorageVol)
            {
                return null;
            }

            using (volume)
            {
                return DescribeVolume(volume, pool);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<VolumeDescription?> FindVolumeAsync(string path, CancellationToken cancellationToken = default)
    {
        HostPath.Validate(path, "volume path");
        return RunAsync($"find volume {path}", connect =>
        {
            using var volume = TryLookupVolume(connect, path);
            if (volume is null)
            {
                return null;
            }

            using var pool = volume.StoragePoolLookupByVolume();
            return DescribeVolume(volume, pool.GetName());
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VolumeDescription>> ListVolumesAsync(string pool, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<VolumeDescription>>($"list volumes of pool {pool}", connect =>
        {
            using var storagePool = connect.StoragePoolLookupByName(pool);
            var volumes = storagePool.ListAllVolumes();
            try
            {
                return [.. volumes.Select(volume => DescribeVolume(volume, pool))];
            }
            finally
            {
                foreach (var volume in volumes)
                {
                    volume.Dispose();
                }
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task DeleteVolumeAsync(string path, CancellationToken cancellationToken = default)
    {
        HostPath.Validate(path, "volume path");
        return RunAsync($"delete volume {path}", connect =>
        {
            using var volume = TryLookupVolume(connect, path);
            volume?.Delete();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HypervisorEvent> WatchEventsAsync(CancellationToken cancellationToken = default)
    {
        var events = hub.Subscribe(cancellationToken);
        EnsureConnectedInBackground();
        return events;
    }

    /// <summary>Closes the connection and ends every event watch.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await connection.DisposeAsync();
        hub.CompleteAll();
        callSlots.Dispose();
    }

    private void EnsureConnectedInBackground()
    {
        if (connection.IsConnected)
        {
            return;
        }

        // Watching events needs a connection even when no other call has been made yet.
        _ = Task.Run(() =>
        {
            try
            {
                connection.Use(connect => connect.IsAlive());
            }
            catch (HypervisorException exception)
            {
                LogWatchWithoutConnection(exception.Message);
            }
        });
    }

    private async Task<T> RunAsync<T>(string operation, Func<VirConnect, T> call, CancellationToken cancellationToken)
    {
        await callSlots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(
                () =>
                {
                    try
                    {
                        return connection.Use(call);
                    }
                    catch (LibvirtException exception)
                    {
                        throw LibvirtErrors.ToHypervisorException(exception, operation);
                    }
                },
                cancellationToken);
        }
        finally
        {
            callSlots.Release();
        }
    }

    private Task OnMachineAsync(Guid machineId, string verb, Action<VirDomain> action, CancellationToken cancellationToken) =>
        RunAsync($"{verb} machine {machineId}", connect =>
        {
            using var domain = Lookup(connect, machineId);
            action(domain);
            return true;
        }, cancellationToken);

    private static VirDomain Lookup(VirConnect connect, Guid machineId)
    {
        try
        {
            return connect.DomainLookupByUUID(machineId);
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoDomain)
        {
            throw new HypervisorException(HypervisorFailure.NotFound, $"no machine with id {machineId} on this node", exception);
        }
    }

    private static VirDomain? TryLookup(VirConnect connect, Guid machineId)
    {
        try
        {
            return connect.DomainLookupByUUID(machineId);
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoDomain)
        {
            return null;
        }
    }

    private static VirStorageVol? TryLookupVolume(VirConnect connect, string path)
    {
        try
        {
            return connect.StorageVolLookupByPath(path);
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoStorageVol)
        {
            return null;
        }
    }

    /// <summary>The persistent definition with passwords, ready to be edited and defined again.</summary>
    private static XDocument StoredXml(VirDomain domain) =>
        XDocument.Parse(domain.GetXMLDesc(VirDomainXmlFlags.Secure | VirDomainXmlFlags.Inactive));

    private static void Redefine(VirConnect connect, XDocument xml)
    {
        using var redefined = connect.DomainDefineXMLFlags(xml.ToString(), VirDomainDefineFlags.Validate);
    }

    private static MachineDescription Describe(VirDomain domain)
    {
        var summary = DomainXmlReader.Read(domain.GetXMLDesc());
        var (state, _) = domain.GetState();
        var hasManagedSave = state == VirDomainState.Shutoff && domain.HasManagedSaveImage();
        return new MachineDescription(
            summary.Id,
            summary.Name,
            EventTranslator.State(state, hasManagedSave),
            domain.IsPersistent(),
            summary.Ownership,
            summary.MemoryMiB,
            summary.VirtualCpus,
            summary.Disks,
            summary.Displays);
    }

    private static VolumeDescription DescribeVolume(VirStorageVol volume, string pool)
    {
        var info = volume.GetInfo();
        var (format, backing) = StorageXml.ReadVolume(volume.GetXMLDesc());
        return new VolumeDescription(pool, volume.GetName(), volume.GetPath(), format, (long)info.CapacityBytes, (long)info.AllocationBytes, backing);
    }

    private string BuildXml(VirConnect connect, DesktopDefinition definition)
    {
        var node = Profile(connect);
        return DesktopDomainXml.Build(definition, node.Features, definition.Accelerator ?? node.Accelerator).ToString();
    }

    private NodeProfile Profile(VirConnect connect)
    {
        if (Volatile.Read(ref profile) is { } known)
        {
            return known;
        }

        string? domainCapabilities;
        try
        {
            domainCapabilities = connect.GetDomainCapabilities();
        }
        catch (LibvirtException exception) when (exception.Code == VirErrorCode.NoSupport)
        {
            domainCapabilities = null;
        }

        var features = HostFeatures.Parse(connect.GetCapabilities(), domainCapabilities);
        var (accelerator, reason) = features.DomainTypes.Contains("test")
            ? (Accelerator.Test, "the libvirt test driver (no guest runs)")
            : AcceleratorPolicy.Choose(options.Accelerator, probe.Probe(options.Uri, features.DomainTypes.Contains("kvm")));
        var node = new NodeProfile(features, accelerator, reason);
        Volatile.Write(ref profile, node);
        LogProfile(reason);
        return node;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Guests will run with {Reason}")]
    private partial void LogProfile(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching events without a libvirt connection yet: {Reason}")]
    private partial void LogWatchWithoutConnection(string reason);

    private sealed record NodeProfile(HostFeatures Features, Accelerator Accelerator, string AcceleratorReason);
}
