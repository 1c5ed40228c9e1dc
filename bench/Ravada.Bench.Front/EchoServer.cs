using System.Net;
using System.Net.Sockets;

namespace Ravada.Bench.Front;

/// <summary>A loopback TCP server that sends back every byte it receives: the "display" behind the console proxy.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Lock connectionsLock = new();
    private readonly Task accepting;

    public EchoServer()
    {
        listener.Start(backlog: 1024);
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] open;
        lock (connectionsLock)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open);
        stop.Dispose();
        listener.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var socket = await listener.AcceptSocketAsync(stop.Token);
            socket.NoDelay = true;
            lock (connectionsLock)
            {
                connections.Add(Task.Run(
                    async () =>
                    {
                        using (socket)
                        {
                            await EchoAsync(socket, stop.Token);
                        }
                    },
                    CancellationToken.None));
            }
        }
    }

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            // The client went away, or the benchmark is over.
        }
    }
}
