using System.Threading.Channels;

namespace Ravada.Core.Firewall;

/// <summary>
/// Tells the firewall at once that who may reach which display may have changed (a machine started, stopped,
/// paused or hibernated), so that it does not wait for its next periodic check.
/// </summary>
public sealed class DisplayAccessChanges
{
    // One pending notice is enough: the firewall recomputes everything from the database.
    private readonly Channel<bool> notices = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Says that the display access may have changed.</summary>
    public void Notify() => notices.Writer.TryWrite(true);

    /// <summary>Waits for a notice or for <paramref name="timeout"/>; true when a notice came.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await notices.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
