using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;

namespace Ravada.Back.Daemon;

/// <summary>
/// Reports what the node runs as soon as libvirt answers (retrying while it does not), then logs every
/// hypervisor event as a structured line and records it (machine state, event log) at once.
/// </summary>
internal sealed partial class HypervisorWatcher(IHypervisor hypervisor, HypervisorEventRecorder recorder, TimeProvider timeProvider, ILogger<HypervisorWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var events = hypervisor.WatchEventsAsync(stoppingToken);
        await ReportNodeAsync(stoppingToken);
        try
        {
            await foreach (var hypervisorEvent in events.WithCancellation(stoppingToken))
            {
                Log(hypervisorEvent);
                await RecordAsync(hypervisorEvent, stoppingToken);
                if (hypervisorEvent is HypervisorReconnectedEvent)
                {
                    await ReportNodeAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RecordAsync(HypervisorEvent hypervisorEvent, CancellationToken stoppingToken)
    {
        try
        {
            await recorder.RecordAsync(hypervisorEvent, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The reconcile after the next reconnection (or a refresh) repairs what this one missed.
            LogRecordFailed(exception);
        }
    }

    private async Task ReportNodeAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var node = await hypervisor.DescribeAsync(stoppingToken);
                LogNode(node.Driver, node.HypervisorVersion, node.LibvirtVersion, node.Uri, node.Hostname, node.AcceleratorReason, node.Cpus, node.MemoryBytes / (1024 * 1024));
                return;
            }
            catch (HypervisorException exception) when (exception.IsTransient)
            {
                LogUnreachable(exception.Message, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private void Log(HypervisorEvent hypervisorEvent)
    {
        switch (hypervisorEvent)
        {
            case MachineLifecycleEvent lifecycle:
                LogLifecycle(lifecycle.MachineName, lifecycle.MachineId, lifecycle.Transition, lifecycle.Detail);
                break;
            case MachineRebootedEvent reboot:
                LogReboot(reboot.MachineName, reboot.MachineId);
                break;
            case DisplayClientEvent display:
                LogDisplay(display.MachineName, display.MachineId, display.Phase, display.ClientAddress);
                break;
            case GuestAgentEvent agent:
                LogAgent(agent.MachineName, agent.MachineId, agent.Connected);
                break;
            case HypervisorDisconnectedEvent disconnected:
                LogDisconnected(disconnected.Reason);
                break;
            case HypervisorReconnectedEvent:
                LogReconnected();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Hypervisor {Driver} {HypervisorVersion} via libvirt {LibvirtVersion} at {Uri} on {Host}; guests run with {AcceleratorReason}; {Cpus} CPUs, {MemoryMiB} MiB")]
    private partial void LogNode(string driver, Version hypervisorVersion, Version libvirtVersion, string uri, string host, string acceleratorReason, int cpus, long memoryMiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hypervisor does not answer ({Reason}); retrying in {DelaySeconds} s")]
    private partial void LogUnreachable(string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} ({MachineId}) {Transition}: {Detail}")]
    private partial void LogLifecycle(string machine, Guid machineId, MachineTransition transition, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} ({MachineId}) rebooted")]
    private partial void LogReboot(string machine, Guid machineId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} ({MachineId}) display client {Phase} from {ClientAddress}")]
    private partial void LogDisplay(string machine, Guid machineId, DisplayClientPhase phase, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} ({MachineId}) guest agent connected: {Connected}")]
    private partial void LogAgent(string machine, Guid machineId, bool connected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a hypervisor event failed")]
    private partial void LogRecordFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the hypervisor: {Reason}")]
    private partial void LogDisconnected(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The hypervisor is back; events flow again")]
    private partial void LogReconnected();
}
