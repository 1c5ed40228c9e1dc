using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Machines;
using Ravada.Core.Users;
using Ravada.Data.Connections;
using Ravada.Data.Migrations;
using Ravada.Data.Tests.Support;

namespace Ravada.Data.Tests.Migrations;

public sealed class MigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Migrating_an_up_to_date_database_again_changes_nothing(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await database.Get<IUserStore>().CreateAsync("kept", "hash", isAdmin: false, mustChangePassword: false, Cancel);
        var before = await AppliedVersionsAsync(database);

        await database.Get<DatabaseMigrator>().MigrateUpAsync(Cancel);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], before);
        Assert.Equal(before, await AppliedVersionsAsync(database));
        Assert.NotNull(await database.Get<IUserStore>().FindByNameAsync("kept", Cancel));
    }

    [Theory, DatabaseData]
    public async Task Two_processes_starting_at_once_both_end_with_one_schema(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var first = database.CreateServices(database.Time);
        await using var second = database.CreateServices(database.Time);

        await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(Cancel), Cancel),
            Task.Run(() => second.GetRequiredService<DatabaseMigrator>().MigrateUpAsync(Cancel), Cancel));

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], await AppliedVersionsAsync(database));
        Assert.Single(await database.Get<IUserStore>().ListAsync(Cancel), user => user.Name == User.DaemonName);
    }

    [Theory, DatabaseData]
    public async Task The_schema_starts_with_the_daemon_user_and_every_grant_type(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var users = database.Get<IUserStore>();

        var daemon = Assert.Single(await users.ListAsync(Cancel));

        Assert.Equal((User.DaemonName, true, "sql"), (daemon.Name, daemon.IsAdmin, daemon.ExternalAuth));
        Assert.Null(await users.GetPasswordHashAsync(daemon.Id, Cancel));
        Assert.Equal(GrantNames.All.Count, await SqlProbe.CountAsync(database, "grant_types"));
        Assert.Equal(GrantNames.DefaultForUsers.Count, await SqlProbe.CountAsync(database, "grant_types", "default_user = 1"));
        Assert.Equal(1, await SqlProbe.CountAsync(database, "grant_types", "is_numeric = TRUE AND name = 'start_limit'"));
    }

    [Theory, DatabaseData]
    public async Task Upgrading_keeps_existing_machines_and_lets_a_base_record_an_image_beside_its_disk(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await database.Get<DatabaseMigrator>().MigrateUpToAsync(3, Cancel);
        var (owner, node) = await Scenario.OwnerAndNodeAsync(database);
        await using (var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO machines (uuid, name, owner_id, is_base, is_public, is_volatile, state, node_id, os_family, memory_mib, vcpus,
                    shutdown_timeout_seconds, client_connected, needs_restart, created_at, changed_at, state_changed_at)
                VALUES (@Uuid, 'old-desktop', @Owner, @False, @False, @False, 'ShutOff', @Node, 'Linux', 1024, 1, 60, @False, @False, 1, 1, 1)
                """,
                new { Uuid = Guid.NewGuid().ToString("D"), Owner = owner.Id, Node = node.Id, False = false });
            await connection.ExecuteAsync(
                """
                INSERT INTO machine_volumes (machine_id, target, device, path, format, capacity_bytes, is_base_image)
                SELECT id, 'vda', 'disk', '/pool/old-desktop-vda.qcow2', 'qcow2', 1024, @False FROM machines WHERE name = 'old-desktop'
                """,
                new { False = false });
        }

        await database.Get<DatabaseMigrator>().MigrateUpAsync(Cancel);

        var machines = database.Get<IMachineStore>();
        var machine = (await machines.FindByNameAsync("old-desktop", Cancel))!;
        Assert.False(machine.VolatileClones);
        Assert.False(machine.KeepCdrom);
        var disk = Assert.Single(await machines.ListVolumesAsync(machine.Id, Cancel));
        await machines.SetVolumesAsync(machine.Id, [disk, disk with { Path = "/base/old-desktop-vda.ro.qcow2", IsBaseImage = true }], Cancel);
        Assert.Equal(2, (await machines.ListVolumesAsync(machine.Id, Cancel)).Count);
    }

    private static async Task<IReadOnlyList<long>> AppliedVersionsAsync(TestDatabase database)
    {
        var quote = database.Engine == DatabaseEngine.MariaDb ? "`" : "\"";
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel);
        return [.. await connection.QueryAsync<long>($"SELECT {quote}Version{quote} FROM {quote}VersionInfo{quote} ORDER BY 1")];
    }
}
