using System.Security.Cryptography;
using System.Text.Json;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Bench.Front;

/// <summary>What <see cref="PortalSeed"/> put in the database.</summary>
/// <param name="Typical">A student with five desktops, two of them running.</param>
/// <param name="Heavy">A teacher who owns a tenth of all machines.</param>
/// <param name="TypicalMachines">The student's machines.</param>
/// <param name="Node">The node every machine lives on.</param>
/// <param name="Bases">How many bases.</param>
/// <param name="Machines">How many machines besides the bases.</param>
/// <param name="Users">How many users.</param>
internal sealed record SeededPortal(User Typical, User Heavy, IReadOnlyList<Machine> TypicalMachines, Node Node, int Bases, int Machines, int Users);

/// <summary>
/// Fills a database through the Data layer's stores the way rvd_back would have: an administrator's public
/// bases, students' and a teacher's clones of them, each created by a finished <c>clone</c> request, a third of
/// them running with SPICE and VNC displays. Everyone's password is <see cref="Password"/>.
/// </summary>
internal static class PortalSeed
{
    public const string Password = "bench-password-1";
    public const string TypicalName = "student-001";
    public const string HeavyName = "teacher";
    private const int MachinesPerStudent = 5;
    private const string Worker = "bench-seed:0";

    public static async Task<SeededPortal> SeedAsync(PortalBed bed, int bases, int machines, CancellationToken cancellationToken)
    {
        var users = bed.Get<IUserStore>();
        var store = bed.Get<IMachineStore>();
        var queue = bed.Get<IRequestQueue>();
        var node = await bed.Get<INodeStore>().EnsureAsync("localhost", "qemu:///system", cancellationToken);
        var hash = Passwords.Hash(Password);

        var admin = await users.CreateAsync("bench-admin", hash, isAdmin: true, mustChangePassword: false, cancellationToken);
        var baseMachines = new List<Machine>(bases);
        for (var index = 1; index <= bases; index++)
        {
            baseMachines.Add(await store.CreateAsync(
                new Machine
                {
                    Id = 0,
                    Uuid = Guid.NewGuid(),
                    Name = $"base-{index:000}",
                    Alias = $"Desktop {index:000}",
                    Description = $"Course desktop {index:000}: Debian with the course's tools.",
                    OwnerId = admin.Id,
                    IsBase = true,
                    IsPublic = true,
                    State = MachineState.ShutOff,
                    NodeId = node.Id,
                    MemoryMiB = 2048,
                    VirtualCpus = 2,
                    Network = "default",
                },
                cancellationToken));
        }

        // The teacher owns a tenth of the machines; students own five each.
        var heavy = await users.CreateAsync(HeavyName, hash, isAdmin: false, mustChangePassword: false, cancellationToken);
        var owners = new List<User>();
        for (var student = 1; owners.Count * MachinesPerStudent < machines - (machines / 10); student++)
        {
            owners.Add(await users.CreateAsync($"student-{student:000}", hash, isAdmin: false, mustChangePassword: false, cancellationToken));
        }

        var typicalMachines = new List<Machine>();
        var created = 0;
        foreach (var owner in owners)
        {
            for (var index = 0; index < MachinesPerStudent && created < machines - (machines / 10); index++)
            {
                var machine = await CloneAsync(store, queue, owner, baseMachines[created % bases], running: created % 3 == 0, cancellationToken);
                if (owner.Name == TypicalName)
                {
                    typicalMachines.Add(machine);
                }

                created++;
            }
        }

        while (created < machines)
        {
            await CloneAsync(store, queue, heavy, baseMachines[created % bases], running: created % 3 == 0, cancellationToken);
            created++;
        }

        return new SeededPortal(owners[0], heavy, typicalMachines, node, bases, machines, owners.Count + 2);
    }

    /// <summary>A clone of <paramref name="baseMachine"/> for <paramref name="owner"/>, recorded as rvd_back records one: request, machine, displays.</summary>
    public static async Task<Machine> CloneAsync(IMachineStore store, IRequestQueue queue, User owner, Machine baseMachine, bool running, CancellationToken cancellationToken)
    {
        var request = await queue.EnqueueAsync(
            new NewRequest
            {
                Command = RequestCommands.Clone,
                UserId = owner.Id,
                Arguments = RequestArguments.Empty.With("base_id", baseMachine.Id).With("start", running),
                AllowDuplicate = true,
            },
            cancellationToken);
        _ = await queue.ClaimByIdAsync(request.Id, Worker, TimeSpan.FromMinutes(1), cancellationToken)
            ?? throw new BenchmarkException($"could not claim the seeding request {request.Id}");
        var name = $"{baseMachine.Name}-{owner.Name}";
        var machine = await store.CreateAsync(
            new Machine
            {
                Id = 0,
                Uuid = Guid.NewGuid(),
                Name = (await store.NameExistsAsync(name, cancellationToken)) ? $"{name}-{request.Id}" : name,
                OwnerId = owner.Id,
                BaseId = baseMachine.Id,
                State = running ? MachineState.Running : MachineState.ShutOff,
                NodeId = baseMachine.NodeId,
                MemoryMiB = baseMachine.MemoryMiB,
                VirtualCpus = baseMachine.VirtualCpus,
                Network = baseMachine.Network,
                CreatedByRequestId = request.Id,
            },
            cancellationToken);
        if (running)
        {
            var port = 5900 + (2 * (int)(machine.Id % 20_000));
            await store.SetDisplaysAsync(
                machine.Id,
                [
                    new MachineDisplay(DisplayProtocol.Spice, "127.0.0.1", port, null, Ticket()),
                    new MachineDisplay(DisplayProtocol.Vnc, "127.0.0.1", port + 1, null, Ticket()),
                ],
                cancellationToken);
        }

        var result = JsonSerializer.Serialize(new { machine = machine.Id, name = machine.Name, reused = false });
        if (!await queue.CompleteAsync(request.Id, Worker, result, "[]", cancellationToken))
        {
            throw new BenchmarkException($"could not finish the seeding request {request.Id}");
        }

        return machine;
    }

    /// <summary>A display password as rvd_back makes them: random, at most 8 characters for VNC.</summary>
    public static string Ticket() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
}
