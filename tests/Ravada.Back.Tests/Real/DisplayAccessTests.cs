using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.TestSupport;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;

namespace Ravada.Back.Tests.Real;

/// <summary>What the display firewall is computed from, recorded by the real daemon: the client IP of each start.</summary>
[Collection(nameof(BackEnd))]
public sealed class DisplayAccessTests(BackEndBed bed)
{
    [Fact]
    public async Task The_client_that_asks_for_a_machine_is_recorded_and_its_displays_are_open_only_while_it_runs()
    {
        var user = await bed.UserAsync("vera");
        var grub = await bed.GrubBaseAsync();
        var machines = bed.Get<IMachineStore>();

        var cloned = await bed.RunOkAsync(
            RequestCommands.Clone, user, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("start", true).With("remote_ip", "::ffff:198.51.100.20"));
        var machineId = JsonDocument.Parse(cloned.Result!).RootElement.GetProperty("machine").GetInt64();
        await bed.WaitForMachineAsync(machineId, machine => machine.State == MachineState.Running);

        Assert.Equal("198.51.100.20", (await machines.FindAsync(machineId))!.ViewerAddress);
        var open = Assert.Single(await machines.ListOpenDisplaysAsync(), display => display.MachineId == machineId);
        var recorded = await machines.ListDisplaysAsync(machineId);
        Assert.NotEmpty(open.Ports);
        Assert.Equal(
            recorded.SelectMany(display => new[] { display.Port, display.TlsPort }).OfType<int>().Order(),
            open.Ports.Order());

        await bed.RunOkAsync(RequestCommands.Shutdown, user, machineId, RequestArguments.Empty.With("timeout", 2));
        Assert.DoesNotContain(await machines.ListOpenDisplaysAsync(), display => display.MachineId == machineId);

        var refused = await bed.RunAsync(RequestCommands.Start, user, machineId, RequestArguments.Empty.With("remote_ip", "198.51.100.20; rm -rf /"));
        Assert.Equal(RequestStatus.Failed, refused.Status);
        Assert.Equal("198.51.100.20", (await machines.FindAsync(machineId))!.ViewerAddress);

        await bed.RunOkAsync(RequestCommands.Start, user, machineId, RequestArguments.Empty.With("remote_ip", "2001:db8::20"));
        Assert.Equal("2001:db8::20", (await machines.FindAsync(machineId))!.ViewerAddress);
        Assert.Equal("2001:db8::20", Assert.Single(await machines.ListOpenDisplaysAsync(), display => display.MachineId == machineId).ViewerAddress);

        await bed.RunOkAsync(RequestCommands.Remove, user, machineId);
    }
}
