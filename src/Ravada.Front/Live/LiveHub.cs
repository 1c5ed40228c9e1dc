using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;

namespace Ravada.Front.Live;

/// <summary>
/// In-process publish/subscribe between the one <see cref="LiveFeed"/> that reads the database and the
/// browsers' event streams. A topic names what changed (<see cref="Topics"/>); a subscriber that is busy
/// when the same topic is published again sees it once, so a burst of changes costs one re-render.
/// </summary>
internal sealed class LiveHub
{
    private readonly ConcurrentDictionary<string, ImmutableHashSet<LiveSubscription>> subscribers = new(StringComparer.Ordinal);

    /// <summary>How many subscriptions are open (for the benchmarks and the logs).</summary>
    public int SubscriptionCount => subscribers.Values.SelectMany(set => set).Distinct().Count();

    /// <summary>Listens to <paramref name="topics"/> until the subscription is disposed.</summary>
    public LiveSubscription Subscribe(IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var subscription = new LiveSubscription(this, topics);
        foreach (var topic in topics)
        {
            subscribers.AddOrUpdate(topic, _ => [subscription], (_, set) => set.Add(subscription));
        }

        return subscription;
    }

    /// <summary>Tells every subscriber of <paramref name="topic"/> that it changed.</summary>
    public void Publish(string topic)
    {
        if (subscribers.TryGetValue(topic, out var set))
        {
            var publishedAt = Stopwatch.GetTimestamp();
            foreach (var subscription in set)
            {
                subscription.Notify(topic, publishedAt);
            }
        }
    }

    internal void Unsubscribe(LiveSubscription subscription)
    {
        foreach (var topic in subscription.Topics)
        {
            while (subscribers.TryGetValue(topic, out var set))
            {
                var smaller = set.Remove(subscription);
                var replaced = smaller.IsEmpty
                    ? subscribers.TryRemove(new KeyValuePair<string, ImmutableHashSet<LiveSubscription>>(topic, set))
                    : subscribers.TryUpdate(topic, smaller, set);
                if (replaced)
                {
                    break;
                }
            }
        }
    }
}

/// <summary>One browser's interest in some topics.</summary>
internal sealed class LiveSubscription : IDisposable
{
    private readonly LiveHub hub;
    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> lastPublished = new(StringComparer.Ordinal);
    private readonly Channel<bool> doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    internal LiveSubscription(LiveHub hub, IReadOnlyCollection<string> topics)
    {
        this.hub = hub;
        Topics = topics;
    }

    /// <summary>The topics listened to.</summary>
    public IReadOnlyCollection<string> Topics { get; }

    /// <summary>When <paramref name="topic"/> was last published (a <see cref="Stopwatch"/> time stamp), 0 when never.</summary>
    public long LastPublishedAt(string topic) => lastPublished.TryGetValue(topic, out var publishedAt) ? publishedAt : 0;

    /// <summary>
    /// Waits until something changes or <paramref name="timeout"/> passes; returns the topics that changed since
    /// the last call, each once (none after a timeout or once disposed).
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            if (!await doorbell.Reader.WaitToReadAsync(timeoutSource.Token))
            {
                return [];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        doorbell.Reader.TryRead(out _);
        var changed = new List<string>();
        foreach (var topic in pending.Keys)
        {
            if (pending.TryRemove(topic, out _))
            {
                changed.Add(topic);
            }
        }

        return changed;
    }

    public void Dispose()
    {
        hub.Unsubscribe(this);
        doorbell.Writer.TryComplete();
    }

    internal void Notify(string topic, long publishedAt)
    {
        lastPublished[topic] = publishedAt;
        pending[topic] = 0;
        doorbell.Writer.TryWrite(true);
    }
}

/// <summary>The topic names.</summary>
internal static class Topics
{
    /// <summary>rvd_back started or stopped beating.</summary>
    public const string Backend = "backend";

    /// <summary>Something about the machines of this owner changed.</summary>
    public static string MachinesOf(long ownerId) => $"machines:{ownerId}";

    /// <summary>This request changed.</summary>
    public static string Request(long requestId) => $"request:{requestId}";
}
