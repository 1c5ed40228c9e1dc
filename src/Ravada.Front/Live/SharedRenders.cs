using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ravada.Front.Live;

/// <summary>
/// One database read and render per change for all the event streams of one user: when a change wakes many
/// streams of the same user (tabs, or a classroom screen), each takes the render that started after the change
/// was published instead of reading and rendering on its own. A render that started before the change is never
/// reused, so nobody gets an older picture than it would have rendered itself.
/// </summary>
internal sealed class SharedRenders
{
    private const int SweepAbove = 1024;
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Topic, long UserId), Render> latest = new();

    /// <summary>
    /// The HTML of <paramref name="topic"/> for <paramref name="userId"/>, from a render that started at or after
    /// <paramref name="changedAt"/> (a <see cref="Stopwatch"/> time stamp): a running or finished one, or a new one.
    /// </summary>
    public Task<string> RenderAsync(string topic, long userId, long changedAt, Func<Task<string>> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var key = (topic, userId);
        while (true)
        {
            if (latest.TryGetValue(key, out var current) && current.StartedAt >= changedAt && !current.Html.Value.IsFaulted && !current.Html.Value.IsCanceled)
            {
                return current.Html.Value;
            }

            var fresh = new Render(Stopwatch.GetTimestamp(), new Lazy<Task<string>>(render));
            if (current is null ? latest.TryAdd(key, fresh) : latest.TryUpdate(key, fresh, current))
            {
                SweepIfLarge();
                return fresh.Html.Value;
            }
        }
    }

    private void SweepIfLarge()
    {
        if (latest.Count <= SweepAbove)
        {
            return;
        }

        var before = Stopwatch.GetTimestamp() - (long)(KeptFor.TotalSeconds * Stopwatch.Frequency);
        foreach (var entry in latest.Where(entry => entry.Value.StartedAt < before))
        {
            latest.TryRemove(entry);
        }
    }

    private sealed record Render(long StartedAt, Lazy<Task<string>> Html);
}
