using System.Data.Common;
using Dapper;
using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary>
/// <see cref="IMachineStore"/> on <c>machines</c> and its child tables. The store keeps the bookkeeping
/// times: creation sets all three to now, an update sets <c>changed_at</c> (and <c>state_changed_at</c> when the
/// state differs), whatever the record passed in says.
/// </summary>
internal sealed class MachineStore(SqlExecutor sql, ISqlDialect dialect, TimeProvider timeProvider) : IMachineStore
{
    private const string MachineColumns = """
        id, uuid, name, alias, description, owner_id AS OwnerId, base_id AS BaseId, is_base AS IsBase,
        is_public AS IsPublic, is_volatile AS IsVolatile, volatile_clones AS VolatileClones, keep_cdrom AS KeepCdrom, state, node_id AS NodeId, os_family AS OsFamily,
        memory_mib AS MemoryMiB, vcpus AS VirtualCpus, network, run_timeout_seconds AS RunTimeoutSeconds,
        shutdown_timeout_seconds AS ShutdownTimeoutSeconds, client_connected AS ClientConnected,
        client_address AS ClientAddress, viewer_address AS ViewerAddress, needs_restart AS NeedsRestart, created_by_request_id AS CreatedByRequestId,
        created_at AS CreatedAt, changed_at AS ChangedAt, state_changed_at AS StateChangedAt
        """;

    private const string VolumeColumns =
        "target, device, path, format, capacity_bytes AS CapacityBytes, backing_path AS BackingPath, is_base_image AS IsBaseImage";

    public async Task<Machine> CreateAsync(Machine machine, CancellationToken cancellationToken = default)
    {
        var now = EpochTime.Now(timeProvider);
        var insert = dialect.InsertReturningId("""
            INSERT INTO machines (uuid, name, alias, description, owner_id, base_id, is_base, is_public, is_volatile, volatile_clones, keep_cdrom, state,
                node_id, os_family, memory_mib, vcpus, network, run_timeout_seconds, shutdown_timeout_seconds, client_connected,
                client_address, needs_restart, created_by_request_id, created_at, changed_at, state_changed_at)
            VALUES (@Uuid, @Name, @Alias, @Description, @OwnerId, @BaseId, @IsBase, @IsPublic, @IsVolatile, @VolatileClones, @KeepCdrom, @State,
                @NodeId, @OsFamily, @MemoryMiB, @VirtualCpus, @Network, @RunTimeoutSeconds, @ShutdownTimeoutSeconds, @ClientConnected,
                @ClientAddress, @NeedsRestart, @CreatedByRequestId, @Now, @Now, @Now)
            """);
        try
        {
            var id = await sql.ScalarAsync<long>(insert, Parameters(machine, now), cancellationToken);
            var time = EpochTime.FromMilliseconds(now);
            return machine with { Id = id, CreatedAt = time, ChangedAt = time, StateChangedAt = time };
        }
        catch (DbException exception) when (dialect.IsUniqueViolation(exception))
        {
            throw await DuplicateAsync(machine, exception, cancellationToken);
        }
    }

    public async Task UpdateAsync(Machine machine, CancellationToken cancellationToken = default)
    {
        // state_changed_at comes before state: MySQL evaluates SET assignments left to right, so the CASE must see the old state.
        const string Update = """
            UPDATE machines SET state_changed_at = CASE WHEN state <> @State THEN @Now ELSE state_changed_at END,
                uuid = @Uuid, name = @Name, alias = @Alias, description = @Description, owner_id = @OwnerId, base_id = @BaseId,
                is_base = @IsBase, is_public = @IsPublic, is_volatile = @IsVolatile, volatile_clones = @VolatileClones,
                keep_cdrom = @KeepCdrom, state = @State, node_id = @NodeId,
                os_family = @OsFamily, memory_mib = @MemoryMiB, vcpus = @VirtualCpus, network = @Network,
                run_timeout_seconds = @RunTimeoutSeconds, shutdown_timeout_seconds = @ShutdownTimeoutSeconds,
                client_connected = @ClientConnected, client_address = @ClientAddress, needs_restart = @NeedsRestart,
                created_by_request_id = @CreatedByRequestId, changed_at = @Now
            WHERE id = @Id
            """;
        try
        {
            await sql.ExecuteAsync(Update, Parameters(machine, EpochTime.Now(timeProvider)), cancellationToken);
        }
        catch (DbException exception) when (dialect.IsUniqueViolation(exception))
        {
            throw await DuplicateAsync(machine, exception, cancellationToken);
        }
    }

    public async Task<bool> SetStateAsync(long machineId, MachineState state, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            "UPDATE machines SET state = @State, state_changed_at = @At, changed_at = @At WHERE id = @Id AND state <> @State",
            new { Id = machineId, State = state.ToString(), At = EpochTime.ToMilliseconds(at) }, cancellationToken) > 0;

    public Task SetClientAsync(long machineId, bool connected, string? clientAddress, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            "UPDATE machines SET client_connected = @Connected, client_address = @ClientAddress, client_changed_at = @At WHERE id = @Id",
            new { Id = machineId, Connected = connected, ClientAddress = clientAddress, At = EpochTime.ToMilliseconds(at) }, cancellationToken);

    public Task SetViewerAddressAsync(long machineId, string? viewerAddress, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            "UPDATE machines SET viewer_address = @ViewerAddress WHERE id = @Id",
            new { Id = machineId, ViewerAddress = viewerAddress }, cancellationToken);

    public async Task<IReadOnlyList<OpenDisplay>> ListOpenDisplaysAsync(CancellationToken cancellationToken = default)
    {
        // The states are the enum's own names, not input: written into the query, they need no list parameter.
        var states = string.Join(", ", DisplayFirewallPolicy.OpenStates.Select(state => $"'{state}'"));
        var rows = await sql.ListAsync<OpenDisplayRow>(
            $"""
            SELECT m.id AS MachineId, m.viewer_address AS ViewerAddress, d.port AS Port, d.tls_port AS TlsPort
            FROM machines m JOIN machine_displays d ON d.machine_id = m.id
            WHERE m.state IN ({states})
            ORDER BY m.id, d.protocol
            """,
            null, cancellationToken);
        return [.. rows
            .GroupBy(row => row.MachineId)
            .Select(machine => new OpenDisplay(
                machine.Key,
                machine.First().ViewerAddress,
                [.. machine.SelectMany(row => new[] { row.Port, row.TlsPort }).OfType<int>().Distinct()]))];
    }

    public Task<Machine?> FindAsync(long machineId, CancellationToken cancellationToken = default) =>
        FindOneAsync("id = @Value", machineId, cancellationToken);

    public Task<Machine?> FindByUuidAsync(Guid uuid, CancellationToken cancellationToken = default) =>
        FindOneAsync("uuid = @Value", uuid.ToString("D"), cancellationToken);

    public Task<Machine?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        FindOneAsync("name = @Value", name, cancellationToken);

    public Task<Machine?> FindByCreatingRequestAsync(long requestId, CancellationToken cancellationToken = default) =>
        FindOneAsync("created_by_request_id = @Value", requestId, cancellationToken);

    public Task<IReadOnlyList<Machine>> ListAsync(CancellationToken cancellationToken = default) =>
        ListWhereAsync("1 = 1", null, cancellationToken);

    public Task<IReadOnlyList<Machine>> ListByOwnerAsync(long ownerId, CancellationToken cancellationToken = default) =>
        ListWhereAsync("owner_id = @Value", ownerId, cancellationToken);

    public Task<IReadOnlyList<Machine>> ListClonesAsync(long baseId, CancellationToken cancellationToken = default) =>
        ListWhereAsync("base_id = @Value", baseId, cancellationToken);

    public Task<IReadOnlyList<Machine>> ListBasesAsync(CancellationToken cancellationToken = default) =>
        ListWhereAsync("is_base = @Value", true, cancellationToken);

    public async Task<IReadOnlySet<string>> AccessGroupsAsync(long baseId, CancellationToken cancellationToken = default) =>
        (await sql.ListAsync<string>(
            "SELECT g.name FROM base_access_groups a JOIN user_groups g ON g.id = a.group_id WHERE a.machine_id = @BaseId",
            new { BaseId = baseId }, cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<long, IReadOnlySet<string>>> ListAccessGroupsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await sql.ListAsync<(long MachineId, string Name)>(
            "SELECT a.machine_id AS MachineId, g.name AS Name FROM base_access_groups a JOIN user_groups g ON g.id = a.group_id",
            null, cancellationToken);
        return rows.GroupBy(row => row.MachineId)
            .ToDictionary(group => group.Key, IReadOnlySet<string> (group) => group.Select(row => row.Name).ToHashSet(StringComparer.Ordinal));
    }

    public Task AllowGroupAsync(long baseId, long groupId, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            dialect.InsertUnlessExists("INSERT INTO base_access_groups (machine_id, group_id) VALUES (@BaseId, @GroupId)", "machine_id, group_id"),
            new { BaseId = baseId, GroupId = groupId }, cancellationToken);

    public async Task<bool> DisallowGroupAsync(long baseId, long groupId, CancellationToken cancellationToken = default) =>
        await sql.ExecuteAsync(
            "DELETE FROM base_access_groups WHERE machine_id = @BaseId AND group_id = @GroupId",
            new { BaseId = baseId, GroupId = groupId }, cancellationToken) > 0;

    public async Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await sql.ScalarAsync<long>("SELECT COUNT(*) FROM machines WHERE name = @Name", new { Name = name }, cancellationToken) > 0;

    public async Task<bool> RemoveAsync(long machineId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await sql.ExecuteAsync("DELETE FROM machines WHERE id = @Id", new { Id = machineId }, cancellationToken) > 0;
        }
        catch (DbException exception) when (dialect.IsForeignKeyViolation(exception))
        {
            throw new InvalidOperationException($"machine {machineId} is the base of clones: remove the clones before the base", exception);
        }
    }

    public Task SetVolumesAsync(long machineId, IReadOnlyList<MachineVolume> volumes, CancellationToken cancellationToken = default) =>
        sql.InTransactionAsync(async transaction =>
        {
            await transaction.ExecuteAsync("DELETE FROM machine_volumes WHERE machine_id = @MachineId", new { MachineId = machineId });
            return await transaction.ExecuteAsync(
                """
                INSERT INTO machine_volumes (machine_id, target, device, path, format, capacity_bytes, backing_path, is_base_image)
                VALUES (@MachineId, @Target, @Device, @Path, @Format, @CapacityBytes, @BackingPath, @IsBaseImage)
                """,
                volumes.Select(volume => new
                {
                    MachineId = machineId,
                    volume.Target,
                    volume.Device,
                    volume.Path,
                    volume.Format,
                    volume.CapacityBytes,
                    volume.BackingPath,
                    volume.IsBaseImage,
                }).ToList());
        }, cancellationToken);

    public async Task<IReadOnlyList<MachineVolume>> ListVolumesAsync(long machineId, CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<VolumeRow>(
            $"SELECT {VolumeColumns} FROM machine_volumes WHERE machine_id = @MachineId ORDER BY target",
            new { MachineId = machineId }, cancellationToken)).Select(row => row.ToVolume())];

    public async Task<IReadOnlySet<string>> AllVolumePathsAsync(CancellationToken cancellationToken = default)
    {
        var paths = await sql.ListAsync<string>(
            """
            SELECT path FROM machine_volumes WHERE path IS NOT NULL
            UNION SELECT backing_path FROM machine_volumes WHERE backing_path IS NOT NULL
            """, null, cancellationToken);
        return paths.ToHashSet(StringComparer.Ordinal);
    }

    public Task SetDisplaysAsync(long machineId, IReadOnlyList<MachineDisplay> displays, CancellationToken cancellationToken = default) =>
        sql.InTransactionAsync(async transaction =>
        {
            await transaction.ExecuteAsync("DELETE FROM machine_displays WHERE machine_id = @MachineId", new { MachineId = machineId });
            return await transaction.ExecuteAsync(
                """
                INSERT INTO machine_displays (machine_id, protocol, listen_address, port, tls_port, password)
                VALUES (@MachineId, @Protocol, @ListenAddress, @Port, @TlsPort, @Password)
                """,
                displays.Select(display => new
                {
                    MachineId = machineId,
                    Protocol = display.Protocol.ToString(),
                    display.ListenAddress,
                    display.Port,
                    display.TlsPort,
                    display.Password,
                }).ToList());
        }, cancellationToken);

    public async Task<IReadOnlyList<MachineDisplay>> ListDisplaysAsync(long machineId, CancellationToken cancellationToken = default) =>
        [.. (await sql.ListAsync<DisplayRow>(
            """
            SELECT protocol, listen_address AS ListenAddress, port, tls_port AS TlsPort, password
            FROM machine_displays WHERE machine_id = @MachineId ORDER BY protocol
            """,
            new { MachineId = machineId }, cancellationToken)).Select(row => row.ToDisplay())];

    public Task SetThumbnailAsync(long machineId, Thumbnail thumbnail, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            dialect.Upsert(
                """
                INSERT INTO machine_thumbnails (machine_id, image, mime_type, width, height, taken_at)
                VALUES (@MachineId, @Image, @MimeType, @Width, @Height, @TakenAt)
                """,
                "machine_id", "image", "mime_type", "width", "height", "taken_at"),
            new
            {
                MachineId = machineId,
                thumbnail.Image,
                thumbnail.MimeType,
                thumbnail.Width,
                thumbnail.Height,
                TakenAt = EpochTime.ToMilliseconds(thumbnail.TakenAt),
            }, cancellationToken);

    public async Task<Thumbnail?> GetThumbnailAsync(long machineId, CancellationToken cancellationToken = default) =>
        (await sql.SingleOrDefaultAsync<ThumbnailRow>(
            "SELECT image, mime_type AS MimeType, width, height, taken_at AS TakenAt FROM machine_thumbnails WHERE machine_id = @MachineId",
            new { MachineId = machineId }, cancellationToken))?.ToThumbnail();

    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> ThumbnailTimesAsync(IReadOnlyCollection<long> machineIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(machineIds);
        if (machineIds.Count == 0)
        {
            return new Dictionary<long, DateTimeOffset>();
        }

        // Named parameters one by one: Dapper hands an array to Npgsql as one array parameter, which IN cannot take.
        var parameters = new DynamicParameters();
        var names = machineIds.Select((id, index) =>
        {
            parameters.Add($"id{index}", id);
            return $"@id{index}";
        }).ToList();
        var rows = await sql.ListAsync<(long MachineId, long TakenAt)>(
            $"SELECT machine_id AS MachineId, taken_at AS TakenAt FROM machine_thumbnails WHERE machine_id IN ({string.Join(", ", names)})",
            parameters, cancellationToken);
        return rows.ToDictionary(row => row.MachineId, row => EpochTime.FromMilliseconds(row.TakenAt));
    }

    private static object Parameters(Machine machine, long now) => new
    {
        machine.Id,
        Uuid = machine.Uuid.ToString("D"),
        machine.Name,
        machine.Alias,
        machine.Description,
        machine.OwnerId,
        machine.BaseId,
        machine.IsBase,
        machine.IsPublic,
        machine.IsVolatile,
        machine.VolatileClones,
        machine.KeepCdrom,
        State = machine.State.ToString(),
        machine.NodeId,
        OsFamily = machine.OsFamily.ToString(),
        machine.MemoryMiB,
        machine.VirtualCpus,
        machine.Network,
        machine.RunTimeoutSeconds,
        machine.ShutdownTimeoutSeconds,
        machine.ClientConnected,
        machine.ClientAddress,
        machine.NeedsRestart,
        machine.CreatedByRequestId,
        Now = now,
    };

    private async Task<DuplicateNameException> DuplicateAsync(Machine machine, DbException exception, CancellationToken cancellationToken)
    {
        var sameName = await sql.ScalarAsync<long>(
            "SELECT COUNT(*) FROM machines WHERE name = @Name AND id <> @Id", new { machine.Name, machine.Id }, cancellationToken);
        return new DuplicateNameException(
            sameName > 0 ? $"a machine named '{machine.Name}' already exists" : $"a machine with UUID {machine.Uuid} already exists",
            exception);
    }

    private async Task<Machine?> FindOneAsync(string condition, object value, CancellationToken cancellationToken) =>
        (await sql.SingleOrDefaultAsync<MachineRow>($"SELECT {MachineColumns} FROM machines WHERE {condition}", new { Value = value }, cancellationToken))
            ?.ToMachine();

    private async Task<IReadOnlyList<Machine>> ListWhereAsync(string condition, object? value, CancellationToken cancellationToken) =>
        [.. (await sql.ListAsync<MachineRow>($"SELECT {MachineColumns} FROM machines WHERE {condition} ORDER BY name", new { Value = value }, cancellationToken))
            .Select(row => row.ToMachine())];

    private sealed class MachineRow
    {
        public long Id { get; init; }

        public string Uuid { get; init; } = "";

        public string Name { get; init; } = "";

        public string? Alias { get; init; }

        public string? Description { get; init; }

        public long OwnerId { get; init; }

        public long? BaseId { get; init; }

        public bool IsBase { get; init; }

        public bool IsPublic { get; init; }

        public bool IsVolatile { get; init; }

        public bool VolatileClones { get; init; }

        public bool KeepCdrom { get; init; }

        public string State { get; init; } = "";

        public long NodeId { get; init; }

        public string OsFamily { get; init; } = "";

        public long MemoryMiB { get; init; }

        public int VirtualCpus { get; init; }

        public string? Network { get; init; }

        public int? RunTimeoutSeconds { get; init; }

        public int ShutdownTimeoutSeconds { get; init; }

        public bool ClientConnected { get; init; }

        public string? ClientAddress { get; init; }

        public string? ViewerAddress { get; init; }

        public bool NeedsRestart { get; init; }

        public long? CreatedByRequestId { get; init; }

        public long CreatedAt { get; init; }

        public long ChangedAt { get; init; }

        public long StateChangedAt { get; init; }

        public Machine ToMachine() => new()
        {
            Id = Id,
            Uuid = Guid.Parse(Uuid),
            Name = Name,
            Alias = Alias,
            Description = Description,
            OwnerId = OwnerId,
            BaseId = BaseId,
            IsBase = IsBase,
            IsPublic = IsPublic,
            IsVolatile = IsVolatile,
            VolatileClones = VolatileClones,
            KeepCdrom = KeepCdrom,
            State = Enum.Parse<MachineState>(State),
            NodeId = NodeId,
            OsFamily = Enum.Parse<GuestOsFamily>(OsFamily),
            MemoryMiB = MemoryMiB,
            VirtualCpus = VirtualCpus,
            Network = Network,
            RunTimeoutSeconds = RunTimeoutSeconds,
            ShutdownTimeoutSeconds = ShutdownTimeoutSeconds,
            ClientConnected = ClientConnected,
            ClientAddress = ClientAddress,
            ViewerAddress = ViewerAddress,
            NeedsRestart = NeedsRestart,
            CreatedByRequestId = CreatedByRequestId,
            CreatedAt = EpochTime.FromMilliseconds(CreatedAt),
            ChangedAt = EpochTime.FromMilliseconds(ChangedAt),
            StateChangedAt = EpochTime.FromMilliseconds(StateChangedAt),
        };
    }

    private sealed class OpenDisplayRow
    {
        public long MachineId { get; init; }

        public string? ViewerAddress { get; init; }

        public int? Port { get; init; }

        public int? TlsPort { get; init; }
    }

    private sealed class VolumeRow
    {
        public string Target { get; init; } = "";

        public string Device { get; init; } = "";

        public string? Path { get; init; }

        public string? Format { get; init; }

        public long CapacityBytes { get; init; }

        public string? BackingPath { get; init; }

        public bool IsBaseImage { get; init; }

        public MachineVolume ToVolume() => new(Target, Device, Path, Format, CapacityBytes, BackingPath, IsBaseImage);
    }

    private sealed class DisplayRow
    {
        public string Protocol { get; init; } = "";

        public string ListenAddress { get; init; } = "";

        public int? Port { get; init; }

        public int? TlsPort { get; init; }

        public string Password { get; init; } = "";

        public MachineDisplay ToDisplay() => new(Enum.Parse<DisplayProtocol>(Protocol), ListenAddress, Port, TlsPort, Password);
    }

    private sealed class ThumbnailRow
    {
        public byte[] Image { get; init; } = [];

        public string MimeType { get; init; } = "";

        public int Width { get; init; }

        public int Height { get; init; }

        public long TakenAt { get; init; }

        public Thumbnail ToThumbnail() => new(Image, MimeType, Width, Height, EpochTime.FromMilliseconds(TakenAt));
    }
}
