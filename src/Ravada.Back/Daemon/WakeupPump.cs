using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ravada.Core.Requests;

namespace Ravada.Back.Daemon;

/// <summary>Turns wake-ups from the front end (datagrams, PostgreSQL notifications) into worker signals.</summary>
internal sealed partial class WakeupPump(IRequestWakeupListener listener, WorkSignals signals, ILogger<WakeupPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var requestClass in listener.ListenAsync(stoppingToken))
            {
                signals.Wake(requestClass);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // Without wake-ups the workers still poll: degrade, do not die.
            LogListenerFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The wake-up listener stopped; requests are picked up by polling only")]
    private partial void LogListenerFailed(Exception exception);
}
