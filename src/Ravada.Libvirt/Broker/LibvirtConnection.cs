using Microsoft.Extensions.Logging;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>
/// Keeps one live <see cref="VirConnect"/> to a node: opens it on first use with keepalive, the close callback
/// and the domain event subscriptions; when libvirtd goes away (close callback, or a call failing with a
/// connection error) it reports <see cref="HypervisorDisconnectedEvent"/>, reconnects with exponential back-off,
/// subscribes again and reports <see cref="HypervisorReconnectedEvent"/> so that state can be reconciled.
/// </summary>
internal sealed partial class LibvirtConnection : IAsyncDisposable
{
    private static readonly VirDomainEventId[] Subscriptions =
        [VirDomainEventId.Lifecycle, VirDomainEventId.Reboot, VirDomainEventId.Graphics, VirDomainEventId.AgentLifecycle];

    private readonly LibvirtOptions options;
    private readonly HypervisorEventHub hub;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposing = new();
    private VirConnect? current;
    private Task? reconnecting;
    private bool everConnected;
    private int disposed;

    public LibvirtConnection(LibvirtOptions options, HypervisorEventHub hub, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.hub = hub;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Raised after every successful (re)connection, before <see cref="HypervisorReconnectedEvent"/> is published.</summary>
    public event Action<VirConnect>? Connected;

    /// <summary>Whether a connection is open now.</summary>
    public bool IsConnected
    {
        get
        {
            lock (gate)
            {
                return current is not null;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the live connection, opening it if needed. A lost connection becomes a
    /// transient <see cref="HypervisorException"/> and starts the reconnection.
    /// </summary>
    public T Use<T>(Func<VirConnect, T> call)
    {
        var connection = GetOrConnect();
        try
        {
            return call(connection);
        }
        catch (LibvirtException exception) when (exception.IsConnectionLost)
        {
            ConnectionLost(connection, exception.LibvirtMessage);
            throw new HypervisorException(HypervisorFailure.Unavailable, $"lost the connection to libvirt at {options.Uri}: {exception.LibvirtMessage}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await disposing.CancelAsync();
        Task? pending;
        VirConnect? connection;
        lock (gate)
        {
            pending = reconnecting;
            connection = current;
            current = null;
        }

        if (pending is not null)
        {
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        connection?.Dispose();
        disposing.Dispose();
    }

    private VirConnect GetOrConnect()
    {
        VirConnect opened;
        lock (gate)
        {
            if (current is not null)
            {
                return current;
            }

            if (reconnecting is not null)
            {
                throw new HypervisorException(HypervisorFailure.Unavailable, $"libvirt at {options.Uri} is unreachable; reconnecting");
            }

            try
            {
                opened = Open();
                current = opened;
            }
            catch (LibvirtException exception)
            {
                if (everConnected)
                {
                    StartReconnecting();
                }

                throw new HypervisorException(HypervisorFailure.Unavailable, $"cannot connect to libvirt at {options.Uri}: {exception.LibvirtMessage}", exception);
            }

            everConnected = true;
        }

        Connected?.Invoke(opened);
        return opened;
    }

    private VirConnect Open()
    {
        var connection = VirConnect.Open(options.Uri);
        try
        {
            if (options.KeepAliveIntervalSeconds > 0)
            {
                connection.SetKeepAlive(options.KeepAliveIntervalSeconds, (uint)options.KeepAliveCount);
            }

            connection.RegisterCloseCallback(reason => ConnectionLost(connection, $"connection closed ({reason})"));
            foreach (var subscription in Subscriptions)
            {
                connection.DomainEventRegisterAny(subscription, domainEvent => hub.Publish(EventTranslator.Translate(domainEvent, timeProvider.GetUtcNow())));
            }

            LogConnected(options.Uri);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ConnectionLost(VirConnect connection, string reason)
    {
        lock (gate)
        {
            if (!ReferenceEquals(current, connection))
            {
                return;
            }

            current = null;
            if (!disposing.IsCancellationRequested)
            {
                StartReconnecting();
            }
        }

        LogLost(options.Uri, reason);
        hub.Publish(new HypervisorDisconnectedEvent(timeProvider.GetUtcNow(), reason));

        // Closing from inside libvirt's own close callback is not allowed: do it off the event-loop thread.
        _ = Task.Run(connection.Dispose);
    }

    private void StartReconnecting() => reconnecting = Task.Run(ReconnectAsync);

    private async Task ReconnectAsync()
    {
        var delay = TimeSpan.FromMilliseconds(options.ReconnectMinDelayMilliseconds);
        var longestDelay = TimeSpan.FromMilliseconds(options.ReconnectMaxDelayMilliseconds);
        while (!disposing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, timeProvider, disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            VirConnect connection;
            try
            {
                connection = Open();
            }
            catch (LibvirtException exception)
            {
                LogRetry(options.Uri, delay.TotalMilliseconds, exception.LibvirtMessage);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, longestDelay.Ticks));
                continue;
            }

            lock (gate)
            {
                current = connection;
                reconnecting = null;
            }

            Connected?.Invoke(connection);
            hub.Publish(new HypervisorReconnectedEvent(timeProvider.GetUtcNow()));
            return;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to libvirt at {Uri}")]
    private partial void LogConnected(string uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to libvirt at {Uri}: {Reason}; reconnecting")]
    private partial void LogLost(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconnecting to libvirt at {Uri} failed, next try in {DelayMs} ms: {Reason}")]
    private partial void LogRetry(string uri, double delayMs, string reason);
}
