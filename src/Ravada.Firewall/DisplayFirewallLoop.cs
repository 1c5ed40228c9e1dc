using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Firewall;

namespace Ravada.Firewall;

/// <summary>
/// rvd_back's firewall duty: converge at once, again after every change of display access, and at each check
/// interval in between, so that a chain someone flushed or deleted is back within that interval.
/// </summary>
public sealed partial class DisplayFirewallLoop(
    DisplayFirewall firewall, DisplayAccessChanges changes, IOptions<FirewallOptions> options, TimeProvider timeProvider, ILogger<DisplayFirewallLoop> logger)
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires; returns at once when the firewall is disabled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        string? lastFailure = null;
        try
        {
            while (true)
            {
                try
                {
                    await firewall.ConvergeAsync(cancellationToken);
                    if (lastFailure is not null)
                    {
                        LogRecovered(logger, firewall.Chain);
                        lastFailure = null;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Said once per distinct failure, not every interval.
                    if (exception.Message != lastFailure)
                    {
                        LogFailed(logger, exception.Message);
                        lastFailure = exception.Message;
                    }
                }

                await changes.WaitAsync(options.Value.CheckInterval, timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; the chain stays as it is.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The display firewall is disabled (firewall.enabled: false): display ports are guarded by nothing but their passwords")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The display firewall could not be applied: {Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "The display firewall chain {Chain} is applied again")]
    private static partial void LogRecovered(ILogger logger, string chain);
}
