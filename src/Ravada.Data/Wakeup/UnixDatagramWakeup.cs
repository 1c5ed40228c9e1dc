using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ravada.Core.Requests;
using Ravada.Data.Requests;

namespace Ravada.Data.Wakeup;

/// <summary>
/// Sends one datagram naming the request class to rvd_back's socket. The socket is non-blocking, so a full
/// or absent listener costs nothing: the back end's polling picks the request up anyway.
/// </summary>
internal sealed partial class UnixDatagramWakeup : IRequestWakeup, IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
    private readonly UnixDomainSocketEndPoint endPoint;
    private readonly ILogger<UnixDatagramWakeup> logger;

    public UnixDatagramWakeup(IOptions<RequestWakeupOptions> options, ILogger<UnixDatagramWakeup> logger)
    {
        endPoint = new UnixDomainSocketEndPoint(options.Value.WakeupSocket);
        this.logger = logger;
    }

    public ValueTask NotifyAsync(RequestClass requestClass, CancellationToken cancellationToken = default)
    {
        try
        {
            socket.SendTo(Encoding.ASCII.GetBytes(RequestNames.Of(requestClass)), SocketFlags.None, endPoint);
        }
        catch (SocketException exception)
        {
            LogNotDelivered(endPoint, exception.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: nobody needs waking any more.
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => socket.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "No wake-up delivered to {Socket} ({Error}); the back end will find the request when it polls")]
    private partial void LogNotDelivered(UnixDomainSocketEndPoint socket, SocketError error);
}
