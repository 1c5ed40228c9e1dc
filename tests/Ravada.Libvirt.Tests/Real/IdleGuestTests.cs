using System.Xml.Linq;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Tests.Support;
using Ravada.TestSupport;

namespace Ravada.Libvirt.Tests.Real;

/// <summary>The idle guest: Debian's kernel with a busybox initramfs, a shell on serial and VGA, a virtio NIC.</summary>
[Collection(nameof(QemuSystem))]
public sealed class IdleGuestTests(QemuSystemFixture bed)
{
    [Fact]
    public async Task The_idle_guest_boots_to_a_shell_on_the_serial_console_gets_an_address_on_its_virtio_nic_and_reports_a_reset()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await using var events = bed.Hypervisor.WatchEventsAsync(watch.Token).GetAsyncEnumerator(cancel);
        var definition = bed.IdleDesktop(bed.UniqueName("idle"));
        await bed.Hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            await bed.Hypervisor.StartAsync(definition.Id, cancel);
            var serial = SerialPty(definition.Id);
            await Processes.RunCheckedAsync("stty", "-F", serial, "raw", "-echo");
            await using var console = new FileStream(serial, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);

            var marker = $"shell-answers-{Guid.NewGuid():N}";
            var output = await AskUntilAnsweredAsync(console, $"echo {marker} $(( 6 * 7 ))\n", $"{marker} 42", cancel);
            Assert.Contains($"{marker} 42", output, StringComparison.Ordinal);

            var nic = await WaitForLeaseAsync(definition.Id, cancel);
            var address = nic.Addresses.Single(candidate => candidate.Type == VirIPAddrType.IPv4).Address;
            Assert.StartsWith("10.231.", address, StringComparison.Ordinal);
            using (var network = bed.Connection.NetworkLookupByName(bed.NetworkName))
            {
                var lease = Assert.Single(network.GetDHCPLeases(nic.HardwareAddress));
                Assert.Equal(address, lease.IpAddress);
                Assert.Equal("ravada-idle", lease.Hostname);
            }

            var screen = await bed.Hypervisor.TakeScreenshotAsync(definition.Id, cancel);
            Assert.True(Png.HasNonBlackPixel(screen.Data.Span), "the VGA console shows the shell");

            await bed.Hypervisor.ResetAsync(definition.Id, cancel);
            await Hypervisors.WaitForAsync<MachineRebootedEvent>(events, e => e.MachineId == definition.Id);
        }
        finally
        {
            await watch.CancelAsync();
            await bed.Hypervisor.ForceOffAsync(definition.Id, cancel);
            await bed.Hypervisor.UndefineAsync(definition.Id, cancel);
        }
    }

    [Fact]
    public async Task A_hibernated_guest_resumes_from_its_saved_memory()
    {
        var cancel = TestContext.Current.CancellationToken;
        var hypervisor = bed.Hypervisor;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        await using var events = hypervisor.WatchEventsAsync(watch.Token).GetAsyncEnumerator(cancel);
        var definition = bed.IdleDesktop(bed.UniqueName("hib"));
        await hypervisor.DefineMachineAsync(definition, cancel);
        try
        {
            await hypervisor.StartAsync(definition.Id, cancel);
            await hypervisor.HibernateAsync(definition.Id, cancel);
            var saved = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Stopped);
            Assert.Equal("saved", saved.Detail);
            Assert.Equal(MachineState.Hibernated, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);

            await hypervisor.StartAsync(definition.Id, cancel);

            var restored = await Hypervisors.WaitForAsync<MachineLifecycleEvent>(events, e => e.MachineId == definition.Id && e.Transition == MachineTransition.Started);
            Assert.Equal("restored", restored.Detail);
            Assert.Equal(MachineState.Running, (await hypervisor.FindMachineAsync(definition.Id, cancel))!.State);
        }
        finally
        {
            await watch.CancelAsync();
            await hypervisor.ForceOffAsync(definition.Id, cancel);
            await hypervisor.UndefineAsync(definition.Id, cancel);
        }
    }

    [Fact]
    public async Task A_volatile_guest_vanishes_when_it_is_powered_off()
    {
        var cancel = TestContext.Current.CancellationToken;
        var definition = bed.IdleDesktop(bed.UniqueName("vol")) with { Ownership = new MachineOwnership("tester", null, Volatile: true) };

        var machine = await bed.Hypervisor.StartTransientMachineAsync(definition, cancel);
        Assert.Equal(MachineState.Running, machine.State);
        Assert.False(machine.IsPersistent);

        await bed.Hypervisor.ForceOffAsync(definition.Id, cancel);
        Assert.Null(await bed.Hypervisor.FindMachineAsync(definition.Id, cancel));
    }

    private string SerialPty(Guid machineId)
    {
        using var domain = bed.Connection.DomainLookupByUUID(machineId);
        return (string?)XDocument.Parse(domain.GetXMLDesc()).Root!.Element("devices")!.Element("serial")!.Element("source")!.Attribute("path")
            ?? throw new InvalidOperationException("the serial console has no pty");
    }

    /// <summary>Types <paramref name="command"/> every few seconds until the shell's output contains <paramref name="expected"/>.</summary>
    private static async Task<string> AskUntilAnsweredAsync(FileStream console, string command, string expected, CancellationToken cancel)
    {
        var output = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await console.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command), cancel);
            await console.FlushAsync(cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                while (!output.ToString().Contains(expected, StringComparison.Ordinal))
                {
                    var read = await console.ReadAsync(buffer, wait.Token);
                    output.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                }

                return output.ToString();
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // The guest is still booting; ask again.
            }
        }

        throw new TimeoutException($"the serial shell never answered; it printed: {output}");
    }

    private async Task<VirDomainInterface> WaitForLeaseAsync(Guid machineId, CancellationToken cancel)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            using (var domain = bed.Connection.DomainLookupByUUID(machineId))
            {
                var interfaces = domain.InterfaceAddresses(VirDomainInterfaceAddressesSource.Lease);
                if (interfaces.FirstOrDefault(nic => nic.Addresses.Count > 0) is { } nic)
                {
                    return nic;
                }
            }

            await Task.Delay(500, cancel);
        }

        throw new TimeoutException("the guest's NIC got no DHCP lease within a minute");
    }
}
