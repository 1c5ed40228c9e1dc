using System.Threading.Channels;
using Ravada.Core.Requests;

namespace Ravada.Data.Tests.Support;

/// <summary>Listens in the background and keeps what arrives; disposing it stops the listener and waits for it.</summary>
internal sealed class WakeupRecorder : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource stop = new();
    private readonly Channel<RequestClass> received = Channel.CreateUnbounded<RequestClass>();
    private readonly Task listening;

    public WakeupRecorder(IRequestWakeupListener listener)
    {
        listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var requestClass in listener.ListenAsync(stop.Token))
                {
                    received.Writer.TryWrite(requestClass);
                }

                received.Writer.TryComplete();
            }
            catch (Exception exception)
            {
                received.Writer.TryComplete(exception);
            }
        });
    }

    /// <summary>The next wake-up; fails after 20 s.</summary>
    public Task<RequestClass> NextAsync() =>
        received.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

    /// <summary>Whether a wake-up arrived that was not read yet.</summary>
    public bool HasMore => received.Reader.TryPeek(out _);

    /// <summary>Stops listening and returns once the listener has ended.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await listening.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
