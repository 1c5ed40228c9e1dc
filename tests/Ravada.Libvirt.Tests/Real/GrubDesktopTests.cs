using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.Libvirt.Xml;
using Ravada.TestSupport;

namespace Ravada.Libvirt.Tests.Real;

/// <summary>The whole path of a desktop on real QEMU: base disk, clone, define, start, display, stop, clean up.</summary>
[Collection(nameof(QemuSystem))]
public sealed class GrubDesktopTests(QemuSystemFixture bed)
{
    private const long OneGiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task A_desktop_cloned_from_a_base_boots_grub_shows_its_screen_and_answers_on_vnc_and_spice()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await using var events = hypervisor.WatchEventsAsync(watch.Token).GetAsyncEnumerator(cancel);

        var baseVolume = await hypervisor.CreateVolumeAsync(bed.PoolName, bed.UniqueName("base") + ".qcow2", OneGiB, cancel);
        var clone = await hypervisor.CloneDiskAsync(bed.PoolName, baseVolume.Path, bed.UniqueName("clone") + ".qcow2", cancel);
        Assert.Equal(baseVolume.Path, clone.BackingPath);
        var imageInfo = await Processes.RunCheckedAsync("qemu-img", "info", "-U", clone.Path);
        Assert.Contains($"backing file: {baseVolume.Path}", imageInfo, StringComparison.Ordinal);
        Assert.Contains("compat: 1.1", imageInfo, StringComparison.Ordinal);
        Assert.True(clone.AllocationBytes < 4 * 1024 * 1024, $"a fresh clone should be nearly empty, it takes {clone.AllocationBytes} bytes");

        var definition = bed.GrubDesktop(bed.UniqueName("grub"), clone.Path);
        var machine = await hypervisor.DefineMachineAsync(definition, cancel);
        Assert.Equal(MachineState.ShutOff, machine.State);
        Assert.Contains(machine.Disks, disk => disk.Path == clone.Path);

        await hypervisor.StartAsync(definition.Id, cancel);
        var started = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Started);
        Assert.Equal("booted", started.Detail);

        // SeaBIOS and GRUB's rescue prompt draw in VGA text mode: 80x25 cells of 9x16 pixels.
        var screenshot = await WaitForDrawnScreenAsync(definition.Id, width: 720, height: 400, cancel);
        Assert.Equal("image/png", screenshot.MimeType);

        await using (var vnc = await hypervisor.OpenDisplayAsync(definition.Id, DisplayProtocol.Vnc, skipAuthentication: false, cancel))
        {
            var banner = new byte[12];
            await vnc.ReadExactlyAsync(banner, cancel);
            Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(banner));
            await Hypervisors.WaitForAsync<DisplayClientEvent>(events, e => e.MachineId == definition.Id && e.Phase == DisplayClientPhase.Connected);
        }

        await Hypervisors.WaitForAsync<DisplayClientEvent>(events, e => e.MachineId == definition.Id && e.Phase == DisplayClientPhase.Disconnected);

        var running = (await hypervisor.FindMachineAsync(definition.Id, cancel))!;
        var spice = running.Displays.Single(display => display.Protocol == DisplayProtocol.Spice);
        Assert.Equal("127.0.0.1", spice.ListenAddress);
        Assert.NotNull(spice.Port);
        Assert.Equal("REDQ", await SpiceLinkReplyMagicAsync(spice.ListenAddress, spice.Port!.Value, cancel));

        await hypervisor.ForceOffAsync(definition.Id, cancel);
        var stopped = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Stopped);
        Assert.Equal("destroyed", stopped.Detail);
        await hypervisor.UndefineAsync(definition.Id, cancel);
        await hypervisor.DeleteVolumeAsync(clone.Path, cancel);
        await hypervisor.DeleteVolumeAsync(baseVolume.Path, cancel);
        await watch.CancelAsync();

        Assert.Null(await hypervisor.FindMachineAsync(definition.Id, cancel));
        Assert.False(File.Exists(clone.Path));
        Assert.False(File.Exists(baseVolume.Path));
    }

    [Fact]
    public async Task Display_passwords_are_replaced_on_the_running_machine_and_in_its_definition()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        var disk = await hypervisor.CreateVolumeAsync(bed.PoolName, bed.UniqueName("pw") + ".qcow2", OneGiB, cancel);
        var definition = bed.GrubDesktop(bed.UniqueName("pw"), disk.Path);
        await hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            await hypervisor.StartAsync(definition.Id, cancel);

            await hypervisor.SetDisplayPasswordsAsync(definition.Id, new DisplayPasswords("next-spice-ticket", "nextvnc1"), cancel);

            using var domain = bed.Connection.DomainLookupByUUID(definition.Id);
            var live = DomainXmlReader.Read(domain.GetXMLDesc(VirDomainXmlFlags.Secure));
            var stored = DomainXmlReader.Read(domain.GetXMLDesc(VirDomainXmlFlags.Secure | VirDomainXmlFlags.Inactive));
            Assert.Equal("next-spice-ticket", live.DisplayPasswords[DisplayProtocol.Spice]);
            Assert.Equal("nextvnc1", live.DisplayPasswords[DisplayProtocol.Vnc]);
            Assert.Equal("nextvnc1", stored.DisplayPasswords[DisplayProtocol.Vnc]);
        }
        finally
        {
            await hypervisor.ForceOffAsync(definition.Id, cancel);
            await hypervisor.UndefineAsync(definition.Id, cancel);
            await hypervisor.DeleteVolumeAsync(disk.Path, cancel);
        }
    }

    private async Task<Screenshot> WaitForDrawnScreenAsync(Guid machineId, int width, int height, CancellationToken cancel)
    {
        Screenshot? last = null;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            last = await bed.Hypervisor.TakeScreenshotAsync(machineId, cancel);
            if ((last.Width, last.Height) == (width, height) && Png.HasNonBlackPixel(last.Data.Span))
            {
                return last;
            }

            await Task.Delay(500, cancel);
        }

        throw new TimeoutException($"no drawn {width}x{height} screen within a minute; the last one was {last?.Width}x{last?.Height}");
    }

    /// <summary>Sends a SPICE link message for the main channel and returns the magic of the server's reply.</summary>
    private static async Task<string> SpiceLinkReplyMagicAsync(string address, int port, CancellationToken cancel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address, port, cancel);
        await using var stream = client.GetStream();
        var link = new byte[16 + 18];
        "REDQ"u8.CopyTo(link);
        BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(4), 2);   // major version
        BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(8), 2);   // minor version
        BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(12), 18); // size of SpiceLinkMess
        link[16 + 4] = 1;                                               // channel type: main
        BinaryPrimitives.WriteUInt32LittleEndian(link.AsSpan(16 + 14), 18); // caps offset
        await stream.WriteAsync(link, cancel);
        var reply = new byte[4];
        await stream.ReadExactlyAsync(reply, cancel);
        return Encoding.ASCII.GetString(reply);
    }
}
