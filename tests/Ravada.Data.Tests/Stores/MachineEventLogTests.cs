using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class MachineEventLogTests
{
    [Theory, DatabaseData]
    public async Task Readers_follow_the_log_by_id_in_pages(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var log = database.Get<IMachineEventLog>();
        var uuid = Guid.NewGuid();
        var at = database.Time.GetUtcNow();

        var appended = new List<MachineEvent>();
        foreach (var (kind, state) in new[] { ("started", MachineState.Running), ("display-connected", MachineState.Running), ("stopped", MachineState.ShutOff) })
        {
            appended.Add(await log.AppendAsync(new MachineEvent(0, null, uuid, kind, "detail of " + kind, state, at), Cancel));
        }

        Assert.Equal(appended.Select(machineEvent => machineEvent.Id).Order(), appended.Select(machineEvent => machineEvent.Id));
        Assert.Equal(new MachineEvent(appended[0].Id, null, uuid, "started", "detail of started", MachineState.Running, at), appended[0]);
        Assert.Equal(appended[..2], await log.ReadAfterAsync(0, 2, Cancel));
        Assert.Equal(appended[2..], await log.ReadAfterAsync(appended[1].Id, 10, Cancel));
        Assert.Empty(await log.ReadAfterAsync(appended[2].Id, 10, Cancel));
    }

    [Theory, DatabaseData]
    public async Task A_new_reader_starts_after_the_latest_event(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var log = database.Get<IMachineEventLog>();
        Assert.Equal(0, await log.LatestIdAsync(Cancel));

        var appended = await log.AppendAsync(new MachineEvent(0, null, Guid.NewGuid(), "started", null, MachineState.Running, database.Time.GetUtcNow()), Cancel);

        Assert.Equal(appended.Id, await log.LatestIdAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task The_events_of_a_machine_come_newest_first_and_outlive_it(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machine = await CreateMachineAsync(database, "desktop", alice, node);
        var other = await CreateMachineAsync(database, "other", alice, node);
        var log = database.Get<IMachineEventLog>();
        var at = database.Time.GetUtcNow();
        var started = await log.AppendAsync(new MachineEvent(0, machine.Id, machine.Uuid, "started", null, MachineState.Running, at), Cancel);
        await log.AppendAsync(new MachineEvent(0, other.Id, other.Uuid, "started", null, MachineState.Running, at), Cancel);
        var stopped = await log.AppendAsync(new MachineEvent(0, machine.Id, machine.Uuid, "stopped", null, MachineState.ShutOff, at), Cancel);

        await database.Get<IMachineStore>().RemoveAsync(machine.Id, Cancel);

        Assert.Equal([stopped, started], await log.ListForMachineAsync(machine.Id, 10, Cancel));
        Assert.Equal([stopped], await log.ListForMachineAsync(machine.Id, 1, Cancel));
    }
}
