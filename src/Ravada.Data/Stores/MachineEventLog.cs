using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="IMachineEventLog"/> on the append-only <c>machine_events</c> table.</summary>
internal sealed class MachineEventLog(SqlExecutor sql, ISqlDialect dialect) : IMachineEventLog
{
    private const string EventColumns = "id, machine_id AS MachineId, machine_uuid AS MachineUuid, kind, detail, state, at";

    public async Task<MachineEvent> AppendAsync(MachineEvent machineEvent, CancellationToken cancellationToken = default)
    {
        var at = EpochTime.ToMilliseconds(machineEvent.At);
        var id = await sql.ScalarAsync<long>(
            dialect.InsertReturningId("""
                INSERT INTO machine_events (machine_id, machine_uuid, kind, detail, state, at)
                VALUES (@MachineId, @MachineUuid, @Kind, @Detail, @State, @At)
                """),
            new
            {
                machineEvent.MachineId,
                MachineUuid = machineEvent.MachineUuid.ToString("D"),
                machineEvent.Kind,
                machineEvent.Detail,
                State = machineEvent.State.ToString(),
                At = at,
            }, cancellationToken);
        return machineEvent with { Id = id, At = EpochTime.FromMilliseconds(at) };
    }

    public async Task<IReadOnlyList<MachineEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<EventRow>(
            $"SELECT {EventColumns} FROM machine_events WHERE id > @AfterId ORDER BY id LIMIT @Limit",
            new { AfterId = afterId, Limit = limit }, cancellationToken)).Select(row => row.ToEvent())];

    public async Task<long> LatestIdAsync(CancellationToken cancellationToken = default) =>
        await sql.ScalarAsync<long?>("SELECT MAX(id) FROM machine_events", null, cancellationToken) ?? 0;

    public async Task<IReadOnlyList<MachineEvent>> ListForMachineAsync(long machineId, int limit, CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<EventRow>(
            $"SELECT {EventColumns} FROM machine_events WHERE machine_id = @MachineId ORDER BY id DESC LIMIT @Limit",
            new { MachineId = machineId, Limit = limit }, cancellationToken)).Select(row => row.ToEvent())];

    private sealed class EventRow
    {
        public long Id { get; init; }

        public long? MachineId { get; init; }

        public string MachineUuid { get; init; } = "";

        public string Kind { get; init; } = "";

        public string? Detail { get; init; }

        public string State { get; init; } = "";

        public long At { get; init; }

        public MachineEvent ToEvent() =>
            new(Id, MachineId, Guid.Parse(MachineUuid), Kind, Detail, Enum.Parse<MachineState>(State), EpochTime.FromMilliseconds(At));
    }
}
