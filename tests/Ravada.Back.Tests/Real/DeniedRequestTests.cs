using System.Text.Json;
using Ravada.Back.Tests.Support;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.TestSupport;

namespace Ravada.Back.Tests.Real;

/// <summary>
/// The handlers' side of the permission matrix, through the real daemon: every command a user without the grant
/// asks about another user's clone fails with "You may not …", and the clone, its volumes and the hypervisor
/// are as they were.
/// </summary>
[Collection(nameof(BackEnd))]
public sealed class DeniedRequestTests(BackEndBed bed)
{
    /// <summary>Every command about one machine, with arguments that would be valid if the user were allowed.</summary>
    private static readonly Dictionary<string, RequestArguments> MachineCommands = new(StringComparer.Ordinal)
    {
        [RequestCommands.Start] = RequestArguments.Empty,
        [RequestCommands.Shutdown] = RequestArguments.Empty,
        [RequestCommands.ForceShutdown] = RequestArguments.Empty,
        [RequestCommands.Reboot] = RequestArguments.Empty,
        [RequestCommands.ForceReboot] = RequestArguments.Empty,
        [RequestCommands.Pause] = RequestArguments.Empty,
        [RequestCommands.Resume] = RequestArguments.Empty,
        [RequestCommands.Hibernate] = RequestArguments.Empty,
        [RequestCommands.Restore] = RequestArguments.Empty,
        [RequestCommands.Rename] = RequestArguments.Empty.With("name", "taken-over"),
        [RequestCommands.ChangeHardware] = RequestArguments.Empty.With("memory_mib", 512),
        [RequestCommands.AddDisk] = RequestArguments.Empty.With("size_gib", 1),
        [RequestCommands.RemoveDisk] = RequestArguments.Empty.With("target", "vda"),
        [RequestCommands.SetCdrom] = RequestArguments.Empty,
        [RequestCommands.Remove] = RequestArguments.Empty,
        [RequestCommands.PrepareBase] = RequestArguments.Empty.With("publish", true),
        [RequestCommands.RemoveBase] = RequestArguments.Empty,
        [RequestCommands.Screenshot] = RequestArguments.Empty,
        [RequestCommands.RefreshMachine] = RequestArguments.Empty,
    };

    [Fact]
    public async Task Another_user_asking_for_anything_on_a_clone_not_theirs_is_refused_and_nothing_changes()
    {
        var grub = await bed.GrubBaseAsync();
        var owner = await bed.UserAsync("matrix-owner");
        var stranger = await bed.UserAsync("matrix-stranger");
        var cloned = await bed.RunOkAsync(RequestCommands.Clone, owner, arguments: RequestArguments.Empty.With("base_id", grub.Id));
        var cloneId = JsonDocument.Parse(cloned.Result!).RootElement.GetProperty("machine").GetInt64();
        var machines = bed.Get<IMachineStore>();
        var before = await DescribeAsync(machines, cloneId);

        Assert.Equal(
            MachineCommands.Keys.Order(StringComparer.Ordinal),
            RequestCommands.All.Where(command => command is not (RequestCommands.Ping or RequestCommands.Create or RequestCommands.Import
                or RequestCommands.Clone or RequestCommands.Reconcile)).Order(StringComparer.Ordinal));
        foreach (var (command, arguments) in MachineCommands)
        {
            var refused = await bed.RunAsync(command, stranger, cloneId, arguments);

            Assert.True(refused.Status == RequestStatus.Failed, $"{command}: {refused.Status}");
            Assert.StartsWith("You may not", refused.Error, StringComparison.Ordinal);
            Assert.Equal(before, await DescribeAsync(machines, cloneId));
        }

        await bed.RunOkAsync(RequestCommands.Remove, owner, cloneId);
    }

    [Fact]
    public async Task A_plain_user_may_not_create_import_or_refresh_everything_and_nothing_changes()
    {
        var stranger = await bed.UserAsync("matrix-plain");
        var countBefore = (await bed.Get<IMachineStore>().ListAsync()).Count;

        foreach (var (command, arguments) in new (string, RequestArguments)[]
        {
            (RequestCommands.Create, RequestArguments.Empty.With("name", bed.Name("matrix-create")).With("iso", BackEndBed.GrubIso)),
            (RequestCommands.Import, RequestArguments.Empty.With("name", bed.Name("matrix-import"))),
            (RequestCommands.Reconcile, RequestArguments.Empty),
        })
        {
            var refused = await bed.RunAsync(command, stranger, arguments: arguments);

            Assert.True(refused.Status == RequestStatus.Failed, $"{command}: {refused.Status}");
            Assert.StartsWith("You may not", refused.Error, StringComparison.Ordinal);
        }

        Assert.Equal(countBefore, (await bed.Get<IMachineStore>().ListAsync()).Count);
    }

    private static async Task<string> DescribeAsync(IMachineStore machines, long machineId) => JsonSerializer.Serialize(new
    {
        machine = await machines.FindAsync(machineId),
        volumes = await machines.ListVolumesAsync(machineId),
        displays = await machines.ListDisplaysAsync(machineId),
    });
}
