using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Data.Tests.Support;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Stores;

public sealed class MachineStoreTests
{
    [Theory, DatabaseData]
    public async Task Every_field_of_a_machine_survives_the_round_trip(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var baseMachine = await CreateMachineAsync(database, "debian-base", alice, node);
        var now = database.Time.GetUtcNow();
        var clone = Machine("alice-debian", alice, node) with
        {
            Alias = "Alice's Debian ✓",
            Description = "for the course",
            BaseId = baseMachine.Id,
            IsPublic = true,
            IsVolatile = true,
            State = MachineState.Hibernated,
            OsFamily = GuestOsFamily.Windows,
            MemoryMiB = 8192,
            VirtualCpus = 4,
            Network = "default",
            RunTimeoutSeconds = 3600,
            ShutdownTimeoutSeconds = 120,
            ClientConnected = true,
            ClientAddress = "192.0.2.7",
            NeedsRestart = true,
            CreatedByRequestId = 42,
        };

        var created = await machines.CreateAsync(clone, Cancel);

        var expected = clone with { Id = created.Id, CreatedAt = now, ChangedAt = now, StateChangedAt = now };
        Assert.Equal(expected, created);
        Assert.Equal(expected, await machines.FindAsync(created.Id, Cancel));
        Assert.Equal(expected, await machines.FindByUuidAsync(clone.Uuid, Cancel));
        Assert.Equal(expected, await machines.FindByNameAsync("alice-debian", Cancel));
        Assert.Equal(expected, await machines.FindByCreatingRequestAsync(42, Cancel));
    }

    [Theory, DatabaseData]
    public async Task Unknown_machines_are_not_found(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var machines = database.Get<IMachineStore>();

        Assert.Null(await machines.FindAsync(1, Cancel));
        Assert.Null(await machines.FindByUuidAsync(Guid.NewGuid(), Cancel));
        Assert.Null(await machines.FindByNameAsync("nothing", Cancel));
        Assert.Null(await machines.FindByCreatingRequestAsync(1, Cancel));
        Assert.False(await machines.NameExistsAsync("nothing", Cancel));
    }

    [Theory, DatabaseData]
    public async Task A_taken_name_or_uuid_is_refused_and_named(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var first = await CreateMachineAsync(database, "desktop", alice, node);

        var sameName = await Assert.ThrowsAsync<DuplicateNameException>(() => machines.CreateAsync(Machine("desktop", alice, node), Cancel));
        var sameUuid = await Assert.ThrowsAsync<DuplicateNameException>(
            () => machines.CreateAsync(Machine("other", alice, node) with { Uuid = first.Uuid }, Cancel));

        Assert.Equal("a machine named 'desktop' already exists", sameName.Message);
        Assert.Equal($"a machine with UUID {first.Uuid} already exists", sameUuid.Message);
        Assert.Single(await machines.ListAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task An_update_writes_every_field_and_dates_the_state_change_only_when_the_state_changes(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var created = await CreateMachineAsync(database, "desktop", alice, node);
        var createdAt = database.Time.GetUtcNow();

        database.Time.Advance(TimeSpan.FromMinutes(1));
        await machines.UpdateAsync(created with { Name = "renamed", MemoryMiB = 4096, Alias = "New name" }, Cancel);
        var sameState = await machines.FindAsync(created.Id, Cancel);
        database.Time.Advance(TimeSpan.FromMinutes(1));
        await machines.UpdateAsync(sameState! with { State = MachineState.Running, CreatedAt = DateTimeOffset.UnixEpoch }, Cancel);
        var running = await machines.FindAsync(created.Id, Cancel);

        Assert.Equal(created with { Name = "renamed", MemoryMiB = 4096, Alias = "New name", ChangedAt = createdAt.AddMinutes(1) }, sameState);
        Assert.Equal(sameState! with { State = MachineState.Running, ChangedAt = createdAt.AddMinutes(2), StateChangedAt = createdAt.AddMinutes(2) }, running);
    }

    [Theory, DatabaseData]
    public async Task A_rename_onto_a_taken_name_is_refused(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        await CreateMachineAsync(database, "first", alice, node);
        var second = await CreateMachineAsync(database, "second", alice, node);

        var error = await Assert.ThrowsAsync<DuplicateNameException>(
            () => database.Get<IMachineStore>().UpdateAsync(second with { Name = "first" }, Cancel));

        Assert.Equal("a machine named 'first' already exists", error.Message);
    }

    [Theory, DatabaseData]
    public async Task Recording_the_same_state_again_reports_no_change(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);
        var at = database.Time.GetUtcNow().AddSeconds(5);

        Assert.True(await machines.SetStateAsync(machine.Id, MachineState.Running, at, Cancel));
        Assert.False(await machines.SetStateAsync(machine.Id, MachineState.Running, at.AddSeconds(1), Cancel));
        Assert.False(await machines.SetStateAsync(machine.Id + 100, MachineState.Running, at, Cancel));
        var stored = await machines.FindAsync(machine.Id, Cancel);
        Assert.Equal((MachineState.Running, at, at), (stored!.State, stored.StateChangedAt, stored.ChangedAt));
    }

    [Theory, DatabaseData]
    public async Task The_display_client_is_recorded(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);

        await machines.SetClientAsync(machine.Id, connected: true, "198.51.100.4", database.Time.GetUtcNow(), Cancel);
        var connected = await machines.FindAsync(machine.Id, Cancel);
        await machines.SetClientAsync(machine.Id, connected: false, null, database.Time.GetUtcNow(), Cancel);
        var disconnected = await machines.FindAsync(machine.Id, Cancel);

        Assert.Equal((true, "198.51.100.4"), (connected!.ClientConnected, connected.ClientAddress));
        Assert.Equal((false, null), (disconnected!.ClientConnected, disconnected.ClientAddress));
    }

    [Theory, DatabaseData]
    public async Task Machines_are_listed_by_name_all_of_them_by_owner_and_by_base(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var bob = await database.Get<IUserStore>().CreateAsync("bob", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var machines = database.Get<IMachineStore>();
        var baseMachine = await CreateMachineAsync(database, "base", alice, node);
        await machines.CreateAsync(Machine("zz-alice-clone", alice, node) with { BaseId = baseMachine.Id }, Cancel);
        await machines.CreateAsync(Machine("bob-clone", bob, node) with { BaseId = baseMachine.Id }, Cancel);
        await CreateMachineAsync(database, "alice-other", alice, node);

        Assert.Equal(["alice-other", "base", "bob-clone", "zz-alice-clone"], (await machines.ListAsync(Cancel)).Select(machine => machine.Name));
        Assert.Equal(["alice-other", "base", "zz-alice-clone"], (await machines.ListByOwnerAsync(alice.Id, Cancel)).Select(machine => machine.Name));
        Assert.Equal(["bob-clone", "zz-alice-clone"], (await machines.ListClonesAsync(baseMachine.Id, Cancel)).Select(machine => machine.Name));
        Assert.True(await machines.NameExistsAsync("bob-clone", Cancel));
    }

    [Theory, DatabaseData]
    public async Task Bases_are_listed_by_name(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        await machines.CreateAsync(Machine("windows", alice, node) with { IsBase = true }, Cancel);
        await machines.CreateAsync(Machine("debian", alice, node) with { IsBase = true, IsPublic = true }, Cancel);
        await CreateMachineAsync(database, "plain", alice, node);

        Assert.Equal(["debian", "windows"], (await machines.ListBasesAsync(Cancel)).Select(machine => machine.Name));
    }

    [Theory, DatabaseData]
    public async Task A_base_is_restricted_to_groups_and_opened_again(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var users = database.Get<IUserStore>();
        var physics = await CreateMachineAsync(database, "physics-base", alice, node);
        var maths = await CreateMachineAsync(database, "maths-base", alice, node);
        var open = await CreateMachineAsync(database, "open-base", alice, node);
        var physicists = await users.EnsureGroupAsync("physicists", Cancel);
        var staff = await users.EnsureGroupAsync("staff", Cancel);

        await machines.AllowGroupAsync(physics.Id, physicists, Cancel);
        await machines.AllowGroupAsync(physics.Id, physicists, Cancel);
        await machines.AllowGroupAsync(physics.Id, staff, Cancel);
        await machines.AllowGroupAsync(maths.Id, staff, Cancel);

        Assert.Equal(["physicists", "staff"], (await machines.AccessGroupsAsync(physics.Id, Cancel)).Order(StringComparer.Ordinal));
        Assert.Empty(await machines.AccessGroupsAsync(open.Id, Cancel));
        var all = await machines.ListAccessGroupsAsync(Cancel);
        Assert.Equal(new[] { maths.Id, physics.Id }.Order(), all.Keys.Order());
        Assert.Equal(["staff"], all[maths.Id]);

        Assert.True(await machines.DisallowGroupAsync(maths.Id, staff, Cancel));
        Assert.False(await machines.DisallowGroupAsync(maths.Id, staff, Cancel));
        Assert.Empty(await machines.AccessGroupsAsync(maths.Id, Cancel));
        Assert.Equal([physics.Id], (await machines.ListAccessGroupsAsync(Cancel)).Keys);

        Assert.True(await machines.RemoveAsync(physics.Id, Cancel));
        Assert.Empty(await machines.ListAccessGroupsAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task Volumes_are_replaced_as_a_whole_and_listed_by_target(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var baseMachine = await CreateMachineAsync(database, "base", alice, node);
        var clone = await CreateMachineAsync(database, "clone", alice, node);
        var baseDisk = new MachineVolume("vda", "disk", "/var/lib/libvirt/images/base-vda.qcow2", "qcow2", 20L << 30, null, IsBaseImage: true);
        var cdrom = new MachineVolume("sda", "cdrom", null, null, 0, null, IsBaseImage: false);
        var overlay = new MachineVolume("vda", "disk", "/var/lib/libvirt/images/clone-vda.qcow2", "qcow2", 20L << 30, baseDisk.Path, IsBaseImage: false);

        await machines.SetVolumesAsync(baseMachine.Id, [baseDisk], Cancel);
        await machines.SetVolumesAsync(clone.Id, [new MachineVolume("vdb", "disk", "/old.qcow2", "qcow2", 1, null, false)], Cancel);
        await machines.SetVolumesAsync(clone.Id, [overlay, cdrom], Cancel);

        Assert.Equal([cdrom, overlay], await machines.ListVolumesAsync(clone.Id, Cancel));
        Assert.Equal([baseDisk], await machines.ListVolumesAsync(baseMachine.Id, Cancel));
        Assert.Equal(
            new HashSet<string> { "/var/lib/libvirt/images/base-vda.qcow2", "/var/lib/libvirt/images/clone-vda.qcow2" },
            await machines.AllVolumePathsAsync(Cancel));
    }

    [Theory, DatabaseData]
    public async Task Displays_are_replaced_as_a_whole(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);
        var spice = new MachineDisplay(DisplayProtocol.Spice, "192.0.2.1", 5900, 5901, "ticket-2");
        var vnc = new MachineDisplay(DisplayProtocol.Vnc, "192.0.2.1", null, null, "vncpass2");

        await machines.SetDisplaysAsync(machine.Id, [new MachineDisplay(DisplayProtocol.Spice, "127.0.0.1", 5950, null, "ticket-1")], Cancel);
        await machines.SetDisplaysAsync(machine.Id, [vnc, spice], Cancel);

        Assert.Equal([spice, vnc], await machines.ListDisplaysAsync(machine.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task A_64_KiB_thumbnail_is_stored_and_replaced(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);
        var image = new byte[64 * 1024];
        Random.Shared.NextBytes(image);
        var at = database.Time.GetUtcNow();

        Assert.Null(await machines.GetThumbnailAsync(machine.Id, Cancel));
        await machines.SetThumbnailAsync(machine.Id, new Thumbnail([1, 2, 3], "image/png", 1, 1, at), Cancel);
        await machines.SetThumbnailAsync(machine.Id, new Thumbnail(image, "image/png", 320, 200, at.AddMinutes(1)), Cancel);
        var stored = await machines.GetThumbnailAsync(machine.Id, Cancel);

        Assert.Equal(image, stored!.Image);
        Assert.Equal(("image/png", 320, 200, at.AddMinutes(1)), (stored.MimeType, stored.Width, stored.Height, stored.TakenAt));
    }

    [Theory, DatabaseData]
    public async Task Thumbnail_times_come_without_the_images_for_the_machines_asked(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var pictured = await CreateMachineAsync(database, "pictured", alice, node);
        var blank = await CreateMachineAsync(database, "blank", alice, node);
        var notAsked = await CreateMachineAsync(database, "not-asked", alice, node);
        var at = database.Time.GetUtcNow().AddMinutes(-3);
        await machines.SetThumbnailAsync(pictured.Id, new Thumbnail([1], "image/webp", 1, 1, at), Cancel);
        await machines.SetThumbnailAsync(notAsked.Id, new Thumbnail([1], "image/webp", 1, 1, at), Cancel);

        var times = await machines.ThumbnailTimesAsync([pictured.Id, blank.Id], Cancel);

        Assert.Equal(new Dictionary<long, DateTimeOffset> { [pictured.Id] = at }, times);
        Assert.Empty(await machines.ThumbnailTimesAsync([], Cancel));
    }

    [Theory, DatabaseData]
    public async Task Removing_a_machine_removes_its_volumes_displays_and_thumbnail(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);
        var kept = await CreateMachineAsync(database, "kept", alice, node);
        foreach (var id in new[] { machine.Id, kept.Id })
        {
            await machines.SetVolumesAsync(id, [new MachineVolume("vda", "disk", $"/images/{id}.qcow2", "qcow2", 1, null, false)], Cancel);
            await machines.SetDisplaysAsync(id, [new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", 5900, null, "secret")], Cancel);
            await machines.SetThumbnailAsync(id, new Thumbnail([1], "image/png", 1, 1, database.Time.GetUtcNow()), Cancel);
        }

        Assert.True(await machines.RemoveAsync(machine.Id, Cancel));

        Assert.Null(await machines.FindAsync(machine.Id, Cancel));
        Assert.False(await machines.RemoveAsync(machine.Id, Cancel));
        foreach (var table in new[] { "machine_volumes", "machine_displays", "machine_thumbnails" })
        {
            Assert.Equal(0, await SqlProbe.CountAsync(database, table, "machine_id = @Id", new { machine.Id }));
            Assert.Equal(1, await SqlProbe.CountAsync(database, table, "machine_id = @Id", new { kept.Id }));
        }
    }

    [Theory, DatabaseData]
    public async Task A_base_with_clones_cannot_be_removed(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var baseMachine = await CreateMachineAsync(database, "base", alice, node);
        await machines.CreateAsync(Machine("clone", alice, node) with { BaseId = baseMachine.Id }, Cancel);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => machines.RemoveAsync(baseMachine.Id, Cancel));

        Assert.Equal($"machine {baseMachine.Id} is the base of clones: remove the clones before the base", error.Message);
        Assert.NotNull(await machines.FindAsync(baseMachine.Id, Cancel));
    }

    [Theory, DatabaseData]
    public async Task The_viewer_address_is_written_only_on_its_own_and_survives_updates(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var machine = await CreateMachineAsync(database, "desktop", alice, node);

        await machines.SetViewerAddressAsync(machine.Id, "2001:db8::7", Cancel);
        await machines.UpdateAsync(machine with { MemoryMiB = 4096 }, Cancel);

        Assert.Equal("2001:db8::7", (await machines.FindAsync(machine.Id, Cancel))!.ViewerAddress);
        await machines.SetViewerAddressAsync(machine.Id, null, Cancel);
        Assert.Null((await machines.FindAsync(machine.Id, Cancel))!.ViewerAddress);
    }

    [Theory, DatabaseData]
    public async Task Open_displays_are_those_of_running_machines_with_every_port(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var (alice, node) = await OwnerAndNodeAsync(database);
        var machines = database.Get<IMachineStore>();
        var running = await CreateMachineAsync(database, "running", alice, node);
        var shuttingDown = await CreateMachineAsync(database, "shutting-down", alice, node);
        var paused = await CreateMachineAsync(database, "paused", alice, node);
        var hibernated = await CreateMachineAsync(database, "hibernated", alice, node);
        var off = await CreateMachineAsync(database, "off", alice, node);
        var states = new[] { (running, MachineState.Running), (shuttingDown, MachineState.ShuttingDown), (paused, MachineState.Paused), (hibernated, MachineState.Hibernated) };
        var port = 5900;
        foreach (var (machine, state) in states.Append((off, MachineState.ShutOff)))
        {
            await machines.SetStateAsync(machine.Id, state, database.Time.GetUtcNow(), Cancel);
            await machines.SetDisplaysAsync(
                machine.Id,
                [new MachineDisplay(DisplayProtocol.Spice, "0.0.0.0", port, port + 1, "a"), new MachineDisplay(DisplayProtocol.Vnc, "0.0.0.0", port + 2, null, "b")],
                Cancel);
            port += 10;
        }

        await machines.SetViewerAddressAsync(running.Id, "192.0.2.7", Cancel);

        var open = await machines.ListOpenDisplaysAsync(Cancel);

        Assert.Equal(
            [$"{running.Id} 192.0.2.7 5900,5901,5902", $"{shuttingDown.Id}  5910,5911,5912"],
            open.Select(display => $"{display.MachineId} {display.ViewerAddress} {string.Join(',', display.Ports.Order())}"));
    }
}
