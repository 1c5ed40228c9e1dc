using System.Collections.Immutable;
using System.Threading.Channels;
using Ravada.Core.Hypervisor;

namespace Ravada.Libvirt.Broker;

/// <summary>
/// Fans hypervisor events out to every watcher, each with its own unbounded channel, in the order they
/// were published. Publishing never blocks the libvirt event-loop thread.
/// </summary>
internal sealed class HypervisorEventHub
{
    private ImmutableArray<ChannelWriter<HypervisorEvent>> subscribers = [];

    public void Publish(HypervisorEvent hypervisorEvent)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.TryWrite(hypervisorEvent);
        }
    }

    /// <summary>
    /// Subscribes now (not at the first <c>MoveNextAsync</c>), so that events published between this call and
    /// the start of enumeration are not lost; the subscription ends with <paramref name="cancellationToken"/>.
    /// </summary>
    public IAsyncEnumerable<HypervisorEvent> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<HypervisorEvent>(new UnboundedChannelOptions { SingleReader = true });
        ImmutableInterlocked.Update(ref subscribers, list => list.Add(channel.Writer));
        cancellationToken.Register(() =>
        {
            ImmutableInterlocked.Update(ref subscribers, list => list.Remove(channel.Writer));
            channel.Writer.TryComplete();
        });
        return channel.Reader.ReadAllAsync(cancellationToken);
    }

    public void CompleteAll()
    {
        foreach (var subscriber in ImmutableInterlocked.InterlockedExchange(ref subscribers, []))
        {
            subscriber.TryComplete();
        }
    }
}
