using System.Threading.Channels;
using Ravada.Core.Hypervisor;
using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Support;

/// <summary>
/// Helpers for libvirt's in-process test driver. All connections to test:///default in one process share
/// one state, so every test uses names of its own.
/// </summary>
internal static class TestDriver
{
    public const string Uri = "test:///default";

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];

    public static string DesktopXml(VirConnect connection, DesktopDefinition definition)
    {
        var features = HostFeatures.Parse(connection.GetCapabilities(), null);
        return DesktopDomainXml.Build(definition, features, Accelerator.Test).ToString();
    }

    /// <summary>Collects domain events of one domain into a channel.</summary>
    public static (ChannelReader<VirDomainEvent> Events, int CallbackId) Watch(VirConnect connection, VirDomainEventId id, string domainName)
    {
        var channel = Channel.CreateUnbounded<VirDomainEvent>();
        var callbackId = connection.DomainEventRegisterAny(id, domainEvent =>
        {
            if (domainEvent.DomainName == domainName)
            {
                channel.Writer.TryWrite(domainEvent);
            }
        });
        return (channel.Reader, callbackId);
    }

    public static async Task<T> NextAsync<T>(ChannelReader<T> reader, TimeSpan? timeout = null)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        return await reader.ReadAsync(cancellation.Token);
    }
}
