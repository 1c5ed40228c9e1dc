using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ravada.Core.Requests;
using Ravada.Data.Connections;
using Ravada.Data.Tests.Support;
using Ravada.Data.Wakeup;
using static Ravada.Data.Tests.Requests.QueueScenario;
using static Ravada.Data.Tests.Support.Scenario;

namespace Ravada.Data.Tests.Wakeup;

public sealed class RequestWakeupTests
{
    [Theory, DatabaseData]
    public async Task Queuing_a_request_wakes_the_back_end(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var recorder = new WakeupRecorder(database.Get<IRequestWakeupListener>());
        await WaitUntilListeningAsync(database);

        await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Remove, UserId = DaemonId, MachineId = 1 });

        Assert.Equal(RequestClass.Disk, await recorder.NextAsync());
    }

    [Fact]
    public async Task PostgreSQL_notifies_its_listener_of_each_queued_request()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.PostgreSql);
        await using var services = database.CreateServices(TimeProvider.System);
        await using var recorder = new WakeupRecorder(ActivatorUtilities.CreateInstance<PostgreSqlNotifyListener>(services));
        await WaitForNotifyListenerAsync(database);

        await database.EnqueueAsync(new NewRequest { Command = RequestCommands.Screenshot, UserId = DaemonId, MachineId = 1 });
        await database.EnqueueAsync(Start(1));

        Assert.Equal(RequestClass.Maintenance, await recorder.NextAsync());
        Assert.Equal(RequestClass.Interactive, await recorder.NextAsync());
    }

    [Fact]
    public async Task The_PostgreSQL_listener_reconnects_and_signals_every_class_after_losing_its_connection()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.PostgreSql);
        await using var services = database.CreateServices(TimeProvider.System);
        await using var recorder = new WakeupRecorder(ActivatorUtilities.CreateInstance<PostgreSqlNotifyListener>(services));
        await WaitForNotifyListenerAsync(database);

        await using (var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel))
        {
            await connection.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ravada-wakeup' AND datname = current_database()");
        }

        var signalled = new List<RequestClass>();
        foreach (var _ in Enum.GetValues<RequestClass>())
        {
            signalled.Add(await recorder.NextAsync());
        }

        Assert.Equal(Enum.GetValues<RequestClass>(), signalled.Order());
        await WaitForNotifyListenerAsync(database);
        await database.EnqueueAsync(Start(1));
        Assert.Equal(RequestClass.Interactive, await recorder.NextAsync());
    }

    private static async Task WaitUntilListeningAsync(TestDatabase database)
    {
        while (!File.Exists(database.Settings["backend:wakeup_socket"]))
        {
            await Task.Delay(10, Cancel);
        }

        if (database.Engine == DatabaseEngine.PostgreSql)
        {
            await WaitForNotifyListenerAsync(database);
        }
    }

    /// <summary>Waits until the listener's session has run LISTEN, so that no notification goes out before it listens.</summary>
    private static async Task WaitForNotifyListenerAsync(TestDatabase database)
    {
        await using var connection = await database.Get<IDbConnectionFactory>().OpenAsync(Cancel);
        while (await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM pg_stat_activity
            WHERE application_name = 'ravada-wakeup' AND datname = current_database() AND query LIKE 'LISTEN%'
            """) == 0)
        {
            await Task.Delay(10, Cancel);
        }
    }
}
