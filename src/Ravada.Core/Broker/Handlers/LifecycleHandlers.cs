using System.Globalization;
using System.Text.Json;
using Ravada.Core.Firewall;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Core.Requests;
using Ravada.Core.Users;

namespace Ravada.Core.Broker.Handlers;

/// <summary><c>ping</c>: does nothing; measures the queue and proves a worker is alive.</summary>
public sealed class PingHandler : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Ping;

    /// <inheritdoc />
    public Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        return Task.FromResult<string?>("""{"pong":true}""");
    }
}

/// <summary>
/// <c>start</c>: starts a machine (resuming it if hibernated) with new display passwords; the client IP in
/// <c>remote_ip</c> becomes the one address, besides the administrators', that may reach its displays.
/// </summary>
public sealed class StartHandler(MachineOperations operations, IMachineStore machines, IRequestQueue queue, DisplayAccessChanges displayAccess, TimeProvider timeProvider) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Start;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("remote_ip");
        var viewerAddress = ViewerAddress(context.Arguments);

        var machine = await operations.RequireMachineAsync(context, "start", cancellationToken);
        if (machine.IsBase)
        {
            throw new RequestRefusedException($"{machine.Name} is a base: clone it and start the clone, or remove the base first.");
        }

        await EnforceStartLimitAsync(context.User, machine, cancellationToken);
        await machines.SetViewerAddressAsync(machine.Id, viewerAddress, cancellationToken);
        await context.PhaseAsync("starting");
        var displays = await operations.StartAsync(machine, cancellationToken);
        displayAccess.Notify();
        await context.PhaseAsync("display ready");
        if (machine.RunTimeoutSeconds is { } seconds)
        {
            await queue.EnqueueAsync(
                new NewRequest
                {
                    Command = RequestCommands.Shutdown,
                    UserId = context.User.User.Id,
                    MachineId = machine.Id,
                    At = timeProvider.GetUtcNow().AddSeconds(seconds),
                },
                cancellationToken);
        }

        return JsonSerializer.Serialize(new
        {
            machine = machine.Id,
            displays = displays.Select(display => new { protocol = display.Protocol.ToString().ToLowerInvariant(), address = display.ListenAddress, port = display.Port }),
        });
    }

    /// <summary>
    /// The argument <c>remote_ip</c> in the form the firewall writes it (an IPv4 address seen through a dual-stack
    /// socket as plain IPv4), or null when absent; anything but an IP address is refused.
    /// </summary>
    internal static string? ViewerAddress(RequestArguments arguments)
    {
        var remoteIp = arguments.GetString("remote_ip");
        if (remoteIp is null)
        {
            return null;
        }

        return DisplayFirewallPolicy.ParseViewer(remoteIp)?.ToString()
            ?? throw new RequestArgumentException($"argument 'remote_ip' must be an IP address, not '{remoteIp}'");
    }

    private async Task EnforceStartLimitAsync(UserWithGrants user, Machine machine, CancellationToken cancellationToken)
    {
        if (user.Has(Grant.StartMany) || user.Value(Grant.StartLimit) is not ({ } limit and > 0))
        {
            return;
        }

        var running = (await machines.ListByOwnerAsync(machine.OwnerId, cancellationToken))
            .Count(owned => owned.Id != machine.Id && owned.State is MachineState.Running or MachineState.Paused);
        if (running >= limit)
        {
            throw new RequestRefusedException(string.Create(
                CultureInfo.InvariantCulture,
                $"You already run {running} machine(s) and your limit is {limit}: shut one down first."));
        }
    }
}

/// <summary><c>shutdown</c>: asks the guest to shut down and powers it off after the timeout.</summary>
public sealed class ShutdownHandler(MachineOperations operations) : IRequestHandler
{
    /// <inheritdoc />
    public string Command => RequestCommands.Shutdown;

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow("timeout");
        var machine = await operations.RequireMachineAsync(context, "shut down", cancellationToken);
        var timeout = context.Arguments.GetInt64InRange("timeout", 1, 3600, machine.ShutdownTimeoutSeconds);
        await context.PhaseAsync("shutting down");
        var forced = await operations.ShutDownAsync(machine, TimeSpan.FromSeconds(timeout), cancellationToken);
        return forced ? """{"forced":true}""" : """{"forced":false}""";
    }
}

/// <summary>
/// The one-step machine commands: power off, reboot, reset, pause, resume, hibernate. Each checks its
/// right (<see cref="Permissions.MayRequest"/>) and calls the hypervisor, which is idempotent where it matters.
/// </summary>
public sealed class SimpleLifecycleHandler : IRequestHandler
{
    private readonly MachineOperations operations;
    private readonly IHypervisor hypervisor;
    private readonly string verb;
    private readonly Func<IHypervisor, Guid, CancellationToken, Task> action;

    private SimpleLifecycleHandler(string command, string verb, Func<IHypervisor, Guid, CancellationToken, Task> action, MachineOperations operations, IHypervisor hypervisor)
    {
        Command = command;
        this.verb = verb;
        this.action = action;
        this.operations = operations;
        this.hypervisor = hypervisor;
    }

    /// <inheritdoc />
    public string Command { get; }

    /// <summary>The commands these handlers serve.</summary>
    public static IReadOnlyList<string> Commands { get; } =
    [
        RequestCommands.ForceShutdown, RequestCommands.Reboot, RequestCommands.ForceReboot,
        RequestCommands.Pause, RequestCommands.Resume, RequestCommands.Hibernate,
    ];

    /// <summary>The handler of one of <see cref="Commands"/>.</summary>
    public static IRequestHandler Create(string command, MachineOperations operations, IHypervisor hypervisor) => command switch
    {
        RequestCommands.ForceShutdown => new SimpleLifecycleHandler(command, "power off", (node, id, cancel) => node.ForceOffAsync(id, cancel), operations, hypervisor),
        RequestCommands.Reboot => new SimpleLifecycleHandler(command, "reboot", (node, id, cancel) => node.RequestRebootAsync(id, cancel), operations, hypervisor),
        RequestCommands.ForceReboot => new SimpleLifecycleHandler(command, "reset", (node, id, cancel) => node.ResetAsync(id, cancel), operations, hypervisor),
        RequestCommands.Pause => new SimpleLifecycleHandler(command, "pause", (node, id, cancel) => node.PauseAsync(id, cancel), operations, hypervisor),
        RequestCommands.Resume => new SimpleLifecycleHandler(command, "resume", (node, id, cancel) => node.ResumeAsync(id, cancel), operations, hypervisor),
        RequestCommands.Hibernate => new SimpleLifecycleHandler(command, "hibernate", (node, id, cancel) => node.HibernateAsync(id, cancel), operations, hypervisor),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a one-step lifecycle command"),
    };

    /// <inheritdoc />
    public async Task<string?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Arguments.OnlyAllow();
        var machine = await operations.RequireMachineAsync(context, verb, cancellationToken);
        if (machine.IsVolatile && Command == RequestCommands.Hibernate)
        {
            throw new RequestRefusedException($"{machine.Name} is volatile: it can be shut down but not hibernated.");
        }

        await context.PhaseAsync(verb);
        try
        {
            await action(hypervisor, machine.Uuid, cancellationToken);
        }
        catch (HypervisorException exception) when (exception.Kind == HypervisorFailure.InvalidState)
        {
            throw new RequestRefusedException($"Cannot {verb} {machine.Name} now: {exception.Message}", exception);
        }

        var state = await operations.RecordStateAsync(machine, cancellationToken);
        return JsonSerializer.Serialize(new { state = state.ToString() });
    }
}
