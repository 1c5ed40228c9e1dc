using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ravada.TestSupport;

namespace Ravada.Firewall.Tests.Support;

/// <summary>
/// A client host of the test: a network namespace joined to this host by a veth pair, with an IPv4 and an IPv6
/// address on each end. Connections from the namespace to the host end arrive in this host's INPUT chain.
/// </summary>
/// <param name="Namespace">The namespace name.</param>
/// <param name="HostV4">The host end's IPv4 address.</param>
/// <param name="ClientV4">The namespace end's IPv4 address.</param>
/// <param name="HostV6">The host end's IPv6 address.</param>
/// <param name="ClientV6">The namespace end's IPv6 address.</param>
internal sealed record ClientHost(string Namespace, IPAddress HostV4, IPAddress ClientV4, IPAddress HostV6, IPAddress ClientV6)
{
    public IPAddress Client(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? ClientV6 : ClientV4;

    public IPAddress Host(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? HostV6 : HostV4;
}

/// <summary>
/// Client hosts in network namespaces and TCP listeners standing for displays. Only addresses it creates are
/// used: 10.251.x.y/30 and fd00:251:x:y::/64 on its own veth pairs. Disposing it deletes the namespaces (and
/// with them the veth pairs) and stops the listeners.
/// </summary>
internal sealed class NetworkBed : IAsyncDisposable
{
    // A dropped connection request is retried by the client's kernel; this long without an answer means dropped.
    private const string ConnectTimeoutSeconds = "2";

    private readonly List<ClientHost> clients = [];
    private readonly List<TcpListener> listeners = [];
    private readonly CancellationTokenSource stop = new();
    private readonly int subnet = Random.Shared.Next(1, 255);

    public NetworkBed(string runId)
    {
        RunId = runId;
    }

    public string RunId { get; }

    /// <summary>Adds a client host named <paramref name="name"/> (one letter).</summary>
    public async Task<ClientHost> AddClientAsync(string name)
    {
        var index = clients.Count;
        var client = new ClientHost(
            $"rvdtest-{RunId}-{name}",
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.251.{subnet}.{(index * 4) + 1}")),
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.251.{subnet}.{(index * 4) + 2}")),
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:251:{subnet:x}:{index + 1}::1")),
            IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"fd00:251:{subnet:x}:{index + 1}::2")));
        clients.Add(client);
        var hostEnd = $"rv{RunId}{name}h";
        var clientEnd = $"rv{RunId}{name}c";
        await Processes.RunCheckedAsync("ip", "netns", "add", client.Namespace);
        await Processes.RunCheckedAsync("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", clientEnd);
        await Processes.RunCheckedAsync("ip", "link", "set", clientEnd, "netns", client.Namespace);
        await Processes.RunCheckedAsync("ip", "addr", "add", $"{client.HostV4}/30", "dev", hostEnd);
        await Processes.RunCheckedAsync("ip", "-6", "addr", "add", $"{client.HostV6}/64", "dev", hostEnd, "nodad");
        await Processes.RunCheckedAsync("ip", "link", "set", hostEnd, "up");
        await Processes.RunCheckedAsync("ip", "-n", client.Namespace, "addr", "add", $"{client.ClientV4}/30", "dev", clientEnd);
        await Processes.RunCheckedAsync("ip", "-n", client.Namespace, "-6", "addr", "add", $"{client.ClientV6}/64", "dev", clientEnd, "nodad");
        await Processes.RunCheckedAsync("ip", "-n", client.Namespace, "link", "set", clientEnd, "up");
        await Processes.RunCheckedAsync("ip", "-n", client.Namespace, "link", "set", "lo", "up");
        return client;
    }

    /// <summary>
    /// Finds ten free ports below 5900 and listens on the second, third, sixth and eighth of them (see
    /// <see cref="FirewallBed"/>) on every address of this host, IPv4 and IPv6, accepting and closing connections;
    /// returns the first port. Below 5900, because a Ravada installed on this host (./run.sh) keeps its own chain
    /// on the default display range from 5900 up, which would drop what the bed's chain lets through.
    /// </summary>
    public int ListenOnFreeRange()
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = 2000 + (Random.Shared.Next(0, 389) * 10);
            var started = new List<TcpListener>();
            try
            {
                foreach (var port in new[] { first + 1, first + 2, first + 5, first + 7 })
                {
                    var listener = new TcpListener(IPAddress.IPv6Any, port);
                    started.Add(listener);
                    listener.Server.DualMode = true;
                    listener.Start();
                }

                listeners.AddRange(started);
                foreach (var listener in started)
                {
                    _ = AcceptAsync(listener);
                }

                return first;
            }
            catch (SocketException) when (attempt < 10)
            {
                foreach (var listener in started)
                {
                    listener.Dispose();
                }
            }
        }
    }

    /// <summary>Whether a TCP connection from <paramref name="client"/> to its host end at <paramref name="port"/> is accepted.</summary>
    public static async Task<bool> ConnectsAsync(ClientHost client, AddressFamily family, int port)
    {
        // A constant script; the address and the port are its arguments, never part of it.
        var (exitCode, _) = await Processes.RunAsync(
            "ip", "netns", "exec", client.Namespace, "timeout", ConnectTimeoutSeconds,
            "bash", "-c", "exec 3<>\"/dev/tcp/$1/$2\"", "connect", client.Host(family).ToString(), port.ToString(CultureInfo.InvariantCulture));
        return exitCode == 0;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        foreach (var client in clients)
        {
            await Processes.RunAsync("ip", "netns", "del", client.Namespace);
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptTcpClientAsync(stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The bed is being disposed.
        }
    }
}
