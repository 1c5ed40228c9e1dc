using Ravada.Core.Requests;

namespace Ravada.Back.Daemon;

/// <summary>
/// Wakes the idle workers of a class at once when a request may be due, instead of letting them sleep
/// until the next poll.
/// </summary>
internal sealed class WorkSignals
{
    private readonly Dictionary<RequestClass, SemaphoreSlim> signals = Enum.GetValues<RequestClass>()
        .ToDictionary(requestClass => requestClass, _ => new SemaphoreSlim(0));

    /// <summary>Wakes every worker of <paramref name="requestClass"/> that is waiting.</summary>
    public void Wake(RequestClass requestClass)
    {
        var signal = signals[requestClass];
        // Releasing more than the waiters is harmless: a spurious wake-up is one extra claim attempt.
        if (signal.CurrentCount < 64)
        {
            signal.Release();
        }
    }

    /// <summary>Wakes the workers of every class.</summary>
    public void WakeAll()
    {
        foreach (var requestClass in signals.Keys)
        {
            Wake(requestClass);
        }
    }

    /// <summary>Waits for a wake-up of <paramref name="requestClass"/> or <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(RequestClass requestClass, TimeSpan timeout, CancellationToken cancellationToken) =>
        signals[requestClass].WaitAsync(timeout, cancellationToken);
}
