using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Broker;

namespace Ravada.Libvirt.Tests.Support;

internal static class Hypervisors
{
    public static LibvirtHypervisor Create(string uri, Action<LibvirtOptions>? configure = null)
    {
        var options = new LibvirtOptions { Uri = uri };
        configure?.Invoke(options);
        return new LibvirtHypervisor(Options.Create(options), new HostProbe(), TimeProvider.System, NullLogger<LibvirtHypervisor>.Instance);
    }

    /// <summary>Reads events until one matches, failing after <paramref name="timeout"/>.</summary>
    public static async Task<T> WaitForAsync<T>(IAsyncEnumerator<HypervisorEvent> events, Func<T, bool> match, TimeSpan? timeout = null)
        where T : HypervisorEvent
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var next = events.MoveNextAsync().AsTask();
            var finished = await Task.WhenAny(next, Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => false, TaskScheduler.Default));
            if (finished != next)
            {
                throw new TimeoutException($"no {typeof(T).Name} arrived in time");
            }

            if (!await next)
            {
                throw new InvalidOperationException("the event stream ended");
            }

            if (events.Current is T typed && match(typed))
            {
                return typed;
            }
        }
    }
}
