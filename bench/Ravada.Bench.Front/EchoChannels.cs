using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Ravada.Bench.Front;

/// <summary>A connection on which a message goes out and comes back: straight to the echo server, or through the console proxy.</summary>
internal interface IEchoChannel : IAsyncDisposable
{
    /// <summary>Sends <paramref name="message"/> and waits until as many bytes have come back.</summary>
    Task RoundTripAsync(ReadOnlyMemory<byte> message, Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>A plain TCP connection to the echo server: the floor.</summary>
internal sealed class TcpEchoChannel : IEchoChannel
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    public static async Task<TcpEchoChannel> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var channel = new TcpEchoChannel();
        try
        {
            await channel.socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    public async Task RoundTripAsync(ReadOnlyMemory<byte> message, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(message, SocketFlags.None, cancellationToken);
        var received = 0;
        while (received < message.Length)
        {
            var read = await socket.ReceiveAsync(buffer[received..message.Length], SocketFlags.None, cancellationToken);
            received += read > 0 ? read : throw new BenchmarkException("the echo server closed a connection");
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A browser console's WebSocket through rvd_front's proxy (<c>/ws/console/TOKEN</c>), binary messages.</summary>
internal sealed class WebSocketEchoChannel : IEchoChannel
{
    private readonly ClientWebSocket socket = new();

    public static async Task<WebSocketEchoChannel> ConnectAsync(PortalSession session, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var channel = new WebSocketEchoChannel();
        try
        {
            channel.socket.Options.Cookies = session.Cookies;
            channel.socket.Options.SetRequestHeader("Origin", session.Origin);
            channel.socket.Options.AddSubProtocol("binary");
            channel.socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan;
            var uri = new UriBuilder(session.BaseAddress) { Scheme = "ws", Path = path }.Uri;
            await channel.socket.ConnectAsync(uri, cancellationToken);
            if (channel.socket.SubProtocol != "binary")
            {
                throw new BenchmarkException($"the console proxy answered the subprotocol '{channel.socket.SubProtocol}', not 'binary'");
            }

            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    public async Task RoundTripAsync(ReadOnlyMemory<byte> message, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        var received = 0;
        while (received < message.Length)
        {
            var result = await socket.ReceiveAsync(buffer[received..], cancellationToken);
            received += result.MessageType != WebSocketMessageType.Close ? result.Count : throw new BenchmarkException("the console proxy closed a session");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // Closing is a courtesy; the socket goes either way.
            }
        }

        socket.Dispose();
    }
}
