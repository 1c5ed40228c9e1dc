using System.Xml.Linq;
using Ravada.Core.Hypervisor;
using Ravada.TestSupport;

namespace Ravada.Libvirt.Tests.Real;

/// <summary>The hardware and storage changes the broker's handlers rely on, on real QEMU.</summary>
[Collection(nameof(QemuSystem))]
public sealed class MachineChangesTests(QemuSystemFixture bed)
{
    private const long OneGiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task Memory_cpus_disks_cdrom_name_and_ownership_change_and_the_display_passwords_survive()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        var system = await hypervisor.CreateVolumeAsync(bed.PoolName, bed.UniqueName("sys") + ".qcow2", OneGiB, cancel);
        var extra = await hypervisor.CreateVolumeAsync(bed.PoolName, bed.UniqueName("data") + ".qcow2", OneGiB, cancel);
        var definition = bed.GrubDesktop(bed.UniqueName("change"), system.Path) with { CdromPath = null, BootFromCdrom = false };
        await hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            Assert.False(await hypervisor.SetMemoryAndCpusAsync(definition.Id, 512, 2, cancel));
            var changed = (await hypervisor.FindMachineAsync(definition.Id, cancel))!;
            Assert.Equal((512L, 2), (changed.MemoryMiB, changed.VirtualCpus));

            var target = await hypervisor.AttachDiskAsync(definition.Id, new DiskAttachment(extra.Path), cancel);
            Assert.Equal("vdb", target);
            Assert.Contains((await hypervisor.FindMachineAsync(definition.Id, cancel))!.Disks, disk => disk.Target == "vdb" && disk.Path == extra.Path);

            await hypervisor.SetCdromAsync(definition.Id, bed.IsoPath, cancel);
            Assert.Contains((await hypervisor.FindMachineAsync(definition.Id, cancel))!.Disks, disk => disk.Device == "cdrom" && disk.Path == bed.IsoPath);
            await hypervisor.SetCdromAsync(definition.Id, null, cancel);
            Assert.Contains((await hypervisor.FindMachineAsync(definition.Id, cancel))!.Disks, disk => disk.Device == "cdrom" && disk.Path is null);

            await hypervisor.DetachDiskAsync(definition.Id, "vdb", cancel);
            Assert.DoesNotContain((await hypervisor.FindMachineAsync(definition.Id, cancel))!.Disks, disk => disk.Target == "vdb");

            await hypervisor.ReplaceDiskAsync(definition.Id, "vda", extra.Path, cancel);
            Assert.Contains((await hypervisor.FindMachineAsync(definition.Id, cancel))!.Disks, disk => disk.Target == "vda" && disk.Path == extra.Path);

            var newName = bed.UniqueName("renamed");
            await hypervisor.RenameAsync(definition.Id, newName, cancel);
            Assert.Equal(newName, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.Name);

            await hypervisor.SetOwnershipAsync(definition.Id, new MachineOwnership("bob@example.org", null, false), cancel);
            Assert.Equal("bob@example.org", (await hypervisor.FindMachineAsync(definition.Id, cancel))!.Ownership!.Owner);

            using var domain = bed.Connection.DomainLookupByUUID(definition.Id);
            var graphics = XDocument.Parse(domain.GetXMLDesc(VirDomainXmlFlags.Secure | VirDomainXmlFlags.Inactive)).Root!.Element("devices")!.Elements("graphics");
            Assert.Contains(graphics, element => (string?)element.Attribute("passwd") == "vncsecr1");
        }
        finally
        {
            await hypervisor.UndefineAsync(definition.Id, cancel);
            await hypervisor.DeleteVolumeAsync(system.Path, cancel);
            await hypervisor.DeleteVolumeAsync(extra.Path, cancel);
        }
    }

    [Fact]
    public async Task Renaming_a_running_machine_is_refused_as_an_invalid_state()
    {
        var cancel = TestContext.Current.CancellationToken;
        var definition = bed.IdleDesktop(bed.UniqueName("busy"));
        await bed.Hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            await bed.Hypervisor.StartAsync(definition.Id, cancel);

            var error = await Assert.ThrowsAsync<HypervisorException>(() => bed.Hypervisor.RenameAsync(definition.Id, bed.UniqueName("other"), cancel));

            Assert.Equal(HypervisorFailure.InvalidState, error.Kind);
        }
        finally
        {
            await bed.Hypervisor.ForceOffAsync(definition.Id, cancel);
            await bed.Hypervisor.UndefineAsync(definition.Id, cancel);
        }
    }

    [Fact]
    public async Task A_copy_flattens_an_overlay_into_a_standalone_read_only_image()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        var baseVolume = await hypervisor.CreateVolumeAsync(bed.PoolName, bed.UniqueName("b") + ".qcow2", OneGiB, cancel);
        var overlay = await hypervisor.CloneDiskAsync(bed.PoolName, baseVolume.Path, bed.UniqueName("o") + ".qcow2", cancel);
        var copyName = bed.UniqueName("copy") + ".qcow2";
        try
        {
            var copy = await hypervisor.CopyVolumeAsync(overlay.Path, bed.PoolName, copyName, readOnly: true, cancel);

            Assert.Null(copy.BackingPath);
            Assert.Equal(OneGiB, copy.CapacityBytes);
            Assert.Equal(copy.Path, (await hypervisor.FindVolumeByNameAsync(bed.PoolName, copyName, cancel))!.Path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(copy.Path));
            Assert.DoesNotContain("backing file", await Processes.RunCheckedAsync("qemu-img", "info", "-U", copy.Path), StringComparison.Ordinal);
            Assert.Null(await hypervisor.FindVolumeByNameAsync(bed.PoolName, "absent.qcow2", cancel));
        }
        finally
        {
            await hypervisor.DeleteVolumeAsync(Path.Combine(bed.PoolDirectory, copyName), cancel);
            await hypervisor.DeleteVolumeAsync(overlay.Path, cancel);
            await hypervisor.DeleteVolumeAsync(baseVolume.Path, cancel);
        }
    }
}
