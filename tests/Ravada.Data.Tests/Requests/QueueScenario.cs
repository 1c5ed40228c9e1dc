using Ravada.Core.Requests;
using Ravada.Data.Tests.Support;

namespace Ravada.Data.Tests.Requests;

/// <summary>Shortcuts for queue tests: requests by the daemon user (id 1), claimed with a 30 s lease.</summary>
internal static class QueueScenario
{
    public const long DaemonId = 1;
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public static NewRequest Start(long machineId) => new() { Command = RequestCommands.Start, UserId = DaemonId, MachineId = machineId };

    public static NewRequest Ping(string tag) =>
        new() { Command = RequestCommands.Ping, UserId = DaemonId, Arguments = RequestArguments.Empty.With("tag", tag) };

    public static Task<Request> EnqueueAsync(this TestDatabase database, NewRequest request) =>
        database.Get<IRequestQueue>().EnqueueAsync(request, Scenario.Cancel);

    public static Task<Request?> ClaimAsync(this TestDatabase database, RequestClass requestClass = RequestClass.Interactive, string worker = "worker-1") =>
        database.Get<IRequestQueue>().ClaimAsync(requestClass, worker, Lease, Scenario.Cancel);

    public static async Task<Request> FindAsync(this TestDatabase database, long id) =>
        (await database.Get<IRequestQueue>().FindAsync(id, Scenario.Cancel))!;

    /// <summary>Claims with <paramref name="worker"/> and completes whatever it gets, asserting it was <paramref name="expected"/>.</summary>
    public static async Task ClaimAndCompleteAsync(this TestDatabase database, Request expected, string worker = "worker-1")
    {
        var claimed = await database.ClaimAsync(expected.Class, worker);
        Assert.Equal(expected.Id, claimed?.Id);
        Assert.True(await database.Get<IRequestQueue>().CompleteAsync(expected.Id, worker, null, "[]", Scenario.Cancel));
    }
}
