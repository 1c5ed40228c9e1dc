using System.Runtime.InteropServices;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>A domain event, copied out of libvirt on the event-loop thread.</summary>
/// <param name="DomainUuid">The domain's UUID.</param>
/// <param name="DomainName">The domain's name.</param>
public abstract record VirDomainEvent(Guid DomainUuid, string DomainName);

/// <summary><c>VIR_DOMAIN_EVENT_ID_LIFECYCLE</c>.</summary>
/// <param name="DomainUuid">The domain's UUID.</param>
/// <param name="DomainName">The domain's name.</param>
/// <param name="Event">The transition.</param>
/// <param name="Detail">The transition's detail, an enum that depends on <paramref name="Event"/>.</param>
public sealed record VirDomainLifecycleEvent(Guid DomainUuid, string DomainName, VirDomainEventType Event, int Detail)
    : VirDomainEvent(DomainUuid, DomainName);

/// <summary><c>VIR_DOMAIN_EVENT_ID_REBOOT</c>: the guest rebooted.</summary>
/// <param name="DomainUuid">The domain's UUID.</param>
/// <param name="DomainName">The domain's name.</param>
public sealed record VirDomainRebootEvent(Guid DomainUuid, string DomainName) : VirDomainEvent(DomainUuid, DomainName);

/// <summary>An endpoint of a display connection.</summary>
/// <param name="Family">0 IPv4, 1 IPv6, 2 UNIX socket.</param>
/// <param name="Node">Address.</param>
/// <param name="Service">Port.</param>
public sealed record VirGraphicsAddress(int Family, string Node, string Service);

/// <summary><c>VIR_DOMAIN_EVENT_ID_GRAPHICS</c>: a display client connected, authenticated or left.</summary>
/// <param name="DomainUuid">The domain's UUID.</param>
/// <param name="DomainName">The domain's name.</param>
/// <param name="Phase">Connect, initialize or disconnect.</param>
/// <param name="Local">The server side of the connection.</param>
/// <param name="Remote">The client side of the connection.</param>
/// <param name="AuthScheme">The authentication scheme used.</param>
/// <param name="Subject">Identities of the client (type, name).</param>
public sealed record VirDomainGraphicsEvent(
    Guid DomainUuid,
    string DomainName,
    VirDomainEventGraphicsPhase Phase,
    VirGraphicsAddress? Local,
    VirGraphicsAddress? Remote,
    string AuthScheme,
    IReadOnlyList<KeyValuePair<string, string>> Subject) : VirDomainEvent(DomainUuid, DomainName);

/// <summary><c>VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE</c>: the guest agent connected or disconnected.</summary>
/// <param name="DomainUuid">The domain's UUID.</param>
/// <param name="DomainName">The domain's name.</param>
/// <param name="State">Connected or disconnected.</param>
/// <param name="Reason">Why.</param>
public sealed record VirDomainAgentLifecycleEvent(Guid DomainUuid, string DomainName, VirAgentLifecycleState State, VirAgentLifecycleReason Reason)
    : VirDomainEvent(DomainUuid, DomainName);

/// <summary>
/// The <c>[UnmanagedCallersOnly]</c> entry points libvirt calls on the event-loop thread. They copy what
/// they need out of borrowed pointers, hand a managed record to the subscriber and return; an exception
/// must never cross back into C, so each one catches everything.
/// </summary>
internal static unsafe class EventCallbacks
{
    [UnmanagedCallersOnly]
    public static void OnLifecycle(nint conn, nint domain, int eventType, int detail, nint opaque)
    {
        Deliver(opaque, domain, (uuid, name) => new VirDomainLifecycleEvent(uuid, name, (VirDomainEventType)eventType, detail));
    }

    [UnmanagedCallersOnly]
    public static void OnReboot(nint conn, nint domain, nint opaque)
    {
        Deliver(opaque, domain, (uuid, name) => new VirDomainRebootEvent(uuid, name));
    }

    [UnmanagedCallersOnly]
    public static void OnGraphics(
        nint conn,
        nint domain,
        int phase,
        VirDomainEventGraphicsAddressNative* local,
        VirDomainEventGraphicsAddressNative* remote,
        nint authScheme,
        VirDomainEventGraphicsSubjectNative* subject,
        nint opaque)
    {
        var localAddress = CopyAddress(local);
        var remoteAddress = CopyAddress(remote);
        var scheme = NativeText.Borrow(authScheme) ?? string.Empty;
        var identities = new List<KeyValuePair<string, string>>();
        if (subject is not null)
        {
            var entries = (VirDomainEventGraphicsSubjectIdentityNative*)subject->Identities;
            for (var index = 0; index < subject->NIdentity; index++)
            {
                identities.Add(new(NativeText.Borrow(entries[index].Type) ?? string.Empty, NativeText.Borrow(entries[index].Name) ?? string.Empty));
            }
        }

        Deliver(opaque, domain, (uuid, name) => new VirDomainGraphicsEvent(uuid, name, (VirDomainEventGraphicsPhase)phase, localAddress, remoteAddress, scheme, identities));
    }

    [UnmanagedCallersOnly]
    public static void OnAgentLifecycle(nint conn, nint domain, int state, int reason, nint opaque)
    {
        Deliver(opaque, domain, (uuid, name) => new VirDomainAgentLifecycleEvent(uuid, name, (VirAgentLifecycleState)state, (VirAgentLifecycleReason)reason));
    }

    [UnmanagedCallersOnly]
    public static void OnClose(nint conn, int reason, nint opaque)
    {
        try
        {
            var handler = (Action<VirConnectCloseReason>)GCHandle.FromIntPtr(opaque).Target!;
            handler((VirConnectCloseReason)reason);
        }
        catch (Exception exception)
        {
            ReportSwallowed(exception);
        }
    }

    [UnmanagedCallersOnly]
    public static void FreeState(nint opaque)
    {
        if (opaque != 0)
        {
            GCHandle.FromIntPtr(opaque).Free();
        }
    }

    /// <summary>Reads the UUID and name of a borrowed <c>virDomainPtr</c>.</summary>
    internal static (Guid Uuid, string Name) Identify(nint domain)
    {
        var buffer = stackalloc byte[37];
        var uuid = NativeMethods.virDomainGetUUIDString(domain, buffer) == 0
            ? Guid.Parse(System.Text.Encoding.ASCII.GetString(buffer, 36))
            : Guid.Empty;
        return (uuid, NativeText.Borrow(NativeMethods.virDomainGetName(domain)) ?? string.Empty);
    }

    private static void Deliver(nint opaque, nint domain, Func<Guid, string, VirDomainEvent> create)
    {
        try
        {
            var (uuid, name) = Identify(domain);
            var handler = (Action<VirDomainEvent>)GCHandle.FromIntPtr(opaque).Target!;
            handler(create(uuid, name));
        }
        catch (Exception exception)
        {
            ReportSwallowed(exception);
        }
    }

    private static VirGraphicsAddress? CopyAddress(VirDomainEventGraphicsAddressNative* address) =>
        address is null
            ? null
            : new VirGraphicsAddress(address->Family, NativeText.Borrow(address->Node) ?? string.Empty, NativeText.Borrow(address->Service) ?? string.Empty);

    private static void ReportSwallowed(Exception exception) =>
        Console.Error.WriteLine($"libvirt event handler failed and was ignored: {exception.GetType().Name}: {exception.Message}");
}
