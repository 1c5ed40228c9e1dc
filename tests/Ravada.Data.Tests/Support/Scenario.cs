using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Users;

namespace Ravada.Data.Tests.Support;

/// <summary>Rows most tests need: an owner, a node, machines.</summary>
internal static class Scenario
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<(User Owner, Node Node)> OwnerAndNodeAsync(TestDatabase database)
    {
        var owner = await database.Get<IUserStore>().CreateAsync("alice", "hash-of-alice", isAdmin: false, mustChangePassword: false, Cancel);
        var node = await database.Get<INodeStore>().EnsureAsync("localhost", "qemu:///system", Cancel);
        return (owner, node);
    }

    public static Machine Machine(string name, User owner, Node node) => new()
    {
        Id = 0,
        Uuid = Guid.NewGuid(),
        Name = name,
        OwnerId = owner.Id,
        NodeId = node.Id,
        State = MachineState.ShutOff,
        OsFamily = GuestOsFamily.Linux,
        MemoryMiB = 2048,
        VirtualCpus = 2,
    };

    public static Task<Machine> CreateMachineAsync(TestDatabase database, string name, User owner, Node node) =>
        database.Get<IMachineStore>().CreateAsync(Machine(name, owner, node), Cancel);
}
