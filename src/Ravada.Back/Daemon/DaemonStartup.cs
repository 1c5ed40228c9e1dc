using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Nodes;
using Ravada.Core.Requests;
using Ravada.Core.Users;
using Ravada.Data.Migrations;
using Ravada.Libvirt.Broker;

namespace Ravada.Back.Daemon;

/// <summary>
/// Runs first and stops last: takes the PID file (one daemon per host), brings the database schema up to date,
/// records this node and queues a full reconcile so that whatever changed while rvd_back was down is repaired.
/// </summary>
internal sealed partial class DaemonStartup(
    IOptions<BackendOptions> backend,
    IOptions<LibvirtOptions> libvirt,
    DatabaseMigrator migrator,
    INodeStore nodes,
    IUserStore users,
    IRequestQueue queue,
    TimeProvider timeProvider,
    ILogger<DaemonStartup> logger) : IHostedService, IDisposable
{
    private PidFile? pidFile;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        pidFile = PidFile.Acquire(backend.Value.PidFile);
        LogPid(Environment.ProcessId, pidFile.Path);
        await migrator.MigrateUpAsync(cancellationToken);
        await nodes.EnsureAsync(Environment.MachineName, libvirt.Value.Uri, cancellationToken);
        var daemon = await users.FindByNameAsync(User.DaemonName, cancellationToken)
            ?? throw new InvalidOperationException($"the built-in user {User.DaemonName} is missing from the database");
        await RequeueWorkOfDeadDaemonsAsync(cancellationToken);
        await queue.EnqueueAsync(new NewRequest { Command = RequestCommands.Reconcile, UserId = daemon.Id }, cancellationToken);
    }

    /// <summary>
    /// Requests an earlier rvd_back of this host was working on when it died (kill -9, power cut) go back to the
    /// queue now, counting the attempt, rather than after their lease expires.
    /// </summary>
    private async Task RequeueWorkOfDeadDaemonsAsync(CancellationToken cancellationToken)
    {
        var pending = await queue.ListAsync(new RequestFilter(PendingOnly: true, Limit: 10_000), cancellationToken);
        foreach (var request in pending.Where(request => request.Status == RequestStatus.Working && request.ClaimedBy is not null))
        {
            if (WorkerOfDeadLocalDaemon(request.ClaimedBy!))
            {
                await queue.RetryAsync(request.Id, request.ClaimedBy!, "rvd_back stopped while working on it", timeProvider.GetUtcNow(), cancellationToken);
                LogRequeued(request.Id, request.Command, request.ClaimedBy!);
            }
        }
    }

    /// <summary>Worker ids are host:pid:…; a worker of this host whose rvd_back process is gone is dead.</summary>
    private static bool WorkerOfDeadLocalDaemon(string workerId)
    {
        var parts = workerId.Split(':');
        if (parts.Length < 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            return !File.ReadAllText($"/proc/{pid}/cmdline").Contains("rvd_back", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        pidFile?.Dispose();
        pidFile = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} {Command} was left working by a stopped rvd_back ({Worker}); it goes back to the queue")]
    private partial void LogRequeued(long requestId, string command, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "rvd_back {Pid} started ({PidFile})")]
    private partial void LogPid(int pid, string pidFile);
}
