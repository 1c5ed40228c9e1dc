using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Ravada.Core.Requests;
using Ravada.Data.Requests;

namespace Ravada.Data.Wakeup;

/// <summary>
/// rvd_back's end of <see cref="UnixDatagramWakeup"/>: binds the socket (creating its directory and replacing
/// a stale socket file) with mode 0666, so that the unprivileged front end may send to it.
/// </summary>
internal sealed class UnixDatagramWakeupListener(IOptions<RequestWakeupOptions> options) : IRequestWakeupListener
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public async IAsyncEnumerable<RequestClass> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = options.Value.WakeupSocket;
        using var socket = Bind(path);
        try
        {
            var buffer = new byte[64];
            while (true)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                if (RequestNames.TryParseClass(Encoding.ASCII.GetString(buffer, 0, received), out var requestClass))
                {
                    yield return requestClass;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Socket Bind(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        if (File.Exists(path))
        {
            if (SomeoneListens(path))
            {
                throw new InvalidOperationException(
                    $"backend.wakeup_socket: another process listens on {path}; give each rvd_back on this host a socket of its own");
            }

            File.Delete(path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, SocketMode);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket file left by a process that died refuses datagrams; a live one accepts them (an empty one is ignored).</summary>
    private static bool SomeoneListens(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.SendTo([], SocketFlags.None, new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode == SocketError.WouldBlock;
        }
    }
}
