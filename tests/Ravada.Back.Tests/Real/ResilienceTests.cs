using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Libvirt;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>The daemon dies, libvirtd restarts, the administrator stops the service: nothing is lost or done twice.</summary>
[Collection(nameof(BackEnd))]
public sealed class ResilienceTests(BackEndBed bed)
{
    [Fact]
    public async Task Killing_rvd_back_in_the_middle_of_a_clone_twenty_times_loses_no_request_and_leaves_no_orphan()
    {
        var grub = await bed.GrubBaseAsync();
        var queue = bed.Get<IRequestQueue>();
        var machines = bed.Get<IMachineStore>();
        for (var round = 0; round < 20; round++)
        {
            var user = await bed.UserAsync($"crash{round}");
            var request = await queue.EnqueueAsync(new NewRequest
            {
                Command = RequestCommands.Clone,
                UserId = user.Id,
                Arguments = RequestArguments.Empty.With("base_id", grub.Id).With("start", true),
            });
            await Task.Delay(Random.Shared.Next(0, 400));
            await bed.KillDaemonAsync();
            await bed.StartDaemonAsync();

            var finished = await bed.WaitAsync(request.Id);

            Assert.True(finished.Status == RequestStatus.Done, $"round {round}: {finished.Status} {finished.Error}");
            var clone = Assert.Single(await machines.ListByOwnerAsync(user.Id));
            Assert.Equal(JsonDocument.Parse(finished.Result!).RootElement.GetProperty("machine").GetInt64(), clone.Id);
            Assert.Equal(MachineState.Running, clone.State);
            Assert.Equal(MachineState.Running, await HypervisorStateAsync(clone.Uuid));
            await bed.RunOkAsync(RequestCommands.Remove, user, clone.Id);
        }

        Assert.Empty(await queue.ListAsync(new RequestFilter(PendingOnly: true)));
        await AssertNoOrphanVolumesAsync();
    }

    [Fact]
    public async Task A_libvirtd_restart_during_a_burst_of_starts_is_survived()
    {
        var idle = await bed.IdleBaseAsync();
        var queue = bed.Get<IRequestQueue>();
        var users = new List<Ravada.Core.Users.User>();
        for (var index = 0; index < 8; index++)
        {
            users.Add(await bed.UserAsync($"burst{index}"));
        }

        var requests = new List<Request>();
        foreach (var user in users)
        {
            requests.Add(await queue.EnqueueAsync(new NewRequest
            {
                Command = RequestCommands.Clone,
                UserId = user.Id,
                Arguments = RequestArguments.Empty.With("base_id", idle.Id).With("start", true),
            }));
        }

        await Task.Delay(300);
        await LibvirtDaemon.RestartAsync();

        foreach (var request in requests)
        {
            var finished = await bed.WaitAsync(request.Id);
            Assert.True(finished.Status == RequestStatus.Done, $"{finished.Command} {finished.Status}: {finished.Error}");
        }

        foreach (var user in users)
        {
            var clone = Assert.Single(await bed.Get<IMachineStore>().ListByOwnerAsync(user.Id));
            Assert.Equal(MachineState.Running, await HypervisorStateAsync(clone.Uuid));
            await bed.WaitForMachineAsync(clone.Id, machine => machine.State == MachineState.Running);
            await bed.RunOkAsync(RequestCommands.Remove, user, clone.Id);
        }

        await AssertNoOrphanVolumesAsync();
    }

    [Fact]
    public async Task On_sigterm_a_request_that_ends_in_time_finishes_and_a_longer_one_goes_back_to_the_queue()
    {
        var owner = await bed.UserAsync("stopper");
        var grub = await bed.GrubBaseAsync();
        var clone = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id).With("start", true));
        var machineId = JsonDocument.Parse(clone.Result!).RootElement.GetProperty("machine").GetInt64();
        var queue = bed.Get<IRequestQueue>();

        // GRUB ignores ACPI, so a shutdown lasts its whole timeout; the bed gives in-flight work 5 s after SIGTERM.
        var quick = await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.ForceShutdown, UserId = owner.Id, MachineId = machineId });
        await WaitUntilClaimedAsync(quick.Id);
        Assert.Equal(0, await bed.Daemon.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(RequestStatus.Done, (await queue.FindAsync(quick.Id))!.Status);

        await bed.StartDaemonAsync();
        await bed.RunOkAsync(RequestCommands.Start, owner, machineId);
        var slow = await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Shutdown, UserId = owner.Id, MachineId = machineId, Arguments = RequestArguments.Empty.With("timeout", 12) });
        await WaitUntilClaimedAsync(slow.Id);
        Assert.Equal(0, await bed.Daemon.TerminateAsync(TimeSpan.FromSeconds(60)));
        var released = (await queue.FindAsync(slow.Id))!;
        Assert.Equal((RequestStatus.Requested, 0), (released.Status, released.Attempts));

        await bed.StartDaemonAsync();
        var finished = await bed.WaitAsync(slow.Id);
        Assert.Equal(RequestStatus.Done, finished.Status);
        Assert.Equal(MachineState.ShutOff, (await bed.Get<IMachineStore>().FindAsync(machineId))!.State);
        await bed.RunOkAsync(RequestCommands.Remove, owner, machineId);
    }

    private async Task WaitUntilClaimedAsync(long requestId)
    {
        while ((await bed.Get<IRequestQueue>().FindAsync(requestId))!.Status == RequestStatus.Requested)
        {
            await Task.Delay(20);
        }
    }

    private static Task<MachineState> HypervisorStateAsync(Guid uuid)
    {
        using var connection = VirConnect.Open("qemu:///system");
        using var domain = connection.DomainLookupByUUID(uuid);
        return Task.FromResult(domain.GetState().State == VirDomainState.Running ? MachineState.Running : MachineState.ShutOff);
    }

    /// <summary>Every volume of the bed's pool belongs to a machine (or is one of the ISOs).</summary>
    private async Task AssertNoOrphanVolumesAsync()
    {
        var known = await bed.Get<IMachineStore>().AllVolumePathsAsync();
        using var connection = VirConnect.Open("qemu:///system");
        using var pool = connection.StoragePoolLookupByName(bed.PoolName);
        pool.Refresh();
        var orphans = pool.ListAllVolumes().Select(volume =>
        {
            using (volume)
            {
                return volume.GetPath();
            }
        }).Where(path => !known.Contains(path) && !path.EndsWith(".iso", StringComparison.Ordinal)).ToList();
        Assert.Empty(orphans);
    }
}
