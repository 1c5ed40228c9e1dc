using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ravada.Core.Requests;

namespace Ravada.Data.Wakeup;

/// <summary>Yields the wake-ups of several listeners as one stream; a listener that fails ends the stream with its error.</summary>
internal sealed class CombinedWakeupListener(IReadOnlyList<IRequestWakeupListener> listeners) : IRequestWakeupListener
{
    public async IAsyncEnumerable<RequestClass> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wakeups = Channel.CreateUnbounded<RequestClass>(new UnboundedChannelOptions { SingleReader = true });
        var pumps = Task.WhenAll(listeners.Select(listener => PumpAsync(listener, wakeups.Writer, stop.Token)));
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
            await pumps;
            stop.Dispose();
        }
    }

    private static async Task PumpAsync(IRequestWakeupListener listener, ChannelWriter<RequestClass> wakeups, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var requestClass in listener.ListenAsync(cancellationToken))
            {
                wakeups.TryWrite(requestClass);
            }

            wakeups.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            wakeups.TryComplete();
        }
        catch (Exception exception)
        {
            wakeups.TryComplete(exception);
        }
    }
}
