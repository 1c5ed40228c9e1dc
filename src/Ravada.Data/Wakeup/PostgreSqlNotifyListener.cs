using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Ravada.Core.Requests;
using Ravada.Data.Connections;
using Ravada.Data.Dialects;
using Ravada.Data.Requests;

namespace Ravada.Data.Wakeup;

/// <summary>
/// Listens on PostgreSQL's <c>ravada_requests</c> channel, on a dedicated connection that is re-opened with
/// back-off when it drops. After a reconnection every class is signalled once, for what was missed meanwhile.
/// </summary>
internal sealed partial class PostgreSqlNotifyListener(
    IOptions<DatabaseOptions> options, TimeProvider timeProvider, ILogger<PostgreSqlNotifyListener> logger) : IRequestWakeupListener
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(10);

    public async IAsyncEnumerable<RequestClass> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wakeups = Channel.CreateUnbounded<RequestClass>(new UnboundedChannelOptions { SingleReader = true });
        var pump = PumpAsync(wakeups.Writer, stop.Token);
        try
        {
            await foreach (var requestClass in wakeups.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return requestClass;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    private async Task PumpAsync(ChannelWriter<RequestClass> wakeups, CancellationToken cancellationToken)
    {
        // A long-lived connection of its own, never pooled, probed while idle so that a dead peer is noticed.
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStrings.PostgreSql(options.Value, pooling: false))
        {
            KeepAlive = 15,
            ApplicationName = "ravada-wakeup",
        }.ConnectionString;
        var delay = FirstRetryDelay;
        var connectedBefore = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await ListenUntilDroppedAsync(connectionString, wakeups, connectedBefore, () => delay = FirstRetryDelay, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (NpgsqlException exception)
                {
                    LogDropped(exception, delay);
                }

                connectedBefore = true;
                if (!await DelayAsync(delay, cancellationToken))
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
            }
        }
        finally
        {
            wakeups.TryComplete();
        }
    }

    private static async Task ListenUntilDroppedAsync(
        string connectionString, ChannelWriter<RequestClass> wakeups, bool missedSome, Action connected, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, notification) =>
        {
            if (RequestNames.TryParseClass(notification.Payload, out var requestClass))
            {
                wakeups.TryWrite(requestClass);
            }
        };
        await connection.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlDialect.RequestChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        connected();
        if (missedSome)
        {
            foreach (var requestClass in Enum.GetValues<RequestClass>())
            {
                wakeups.TryWrite(requestClass);
            }
        }

        while (true)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL wake-up connection; reconnecting in {Delay}")]
    private partial void LogDropped(Exception exception, TimeSpan delay);
}
