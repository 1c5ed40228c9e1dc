using System.Buffers;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>
/// A blocking data stream (<c>virStreamPtr</c>) used by screenshots, volume uploads and downloads.
/// After the last byte, call <see cref="Finish"/>; on any failure, <see cref="Abort"/>.
/// </summary>
public sealed unsafe class VirStream : IDisposable
{
    private const int ChunkSize = 256 * 1024;

    internal VirStream(StreamHandle handle)
    {
        Handle = handle;
    }

    internal StreamHandle Handle { get; }

    /// <summary><c>virStreamRecv</c>: reads up to <paramref name="buffer"/>'s length; 0 means end of stream.</summary>
    public int Recv(Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            var received = NativeMethods.virStreamRecv(Handle, data, (nuint)buffer.Length);
            return received < 0 ? throw LibvirtException.FromLastError("virStreamRecv") : received;
        }
    }

    /// <summary><c>virStreamSend</c>: writes some of <paramref name="data"/>; returns how many bytes were taken.</summary>
    public int Send(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            var sent = NativeMethods.virStreamSend(Handle, bytes, (nuint)data.Length);
            return sent < 0 ? throw LibvirtException.FromLastError("virStreamSend") : sent;
        }
    }

    /// <summary><c>virStreamFinish</c>: completes a successful transfer.</summary>
    public void Finish()
    {
        if (NativeMethods.virStreamFinish(Handle) < 0)
        {
            throw LibvirtException.FromLastError("virStreamFinish");
        }
    }

    /// <summary><c>virStreamAbort</c>: cancels the transfer; errors are ignored because it is only used on a failure path.</summary>
    public void Abort() => NativeMethods.virStreamAbort(Handle);

    /// <summary>Receives until the end of the stream into <paramref name="destination"/>, then finishes it; aborts on failure.</summary>
    /// <returns>The number of bytes received.</returns>
    public long ReceiveAll(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            int received;
            while ((received = Recv(buffer.AsSpan(0, ChunkSize))) > 0)
            {
                destination.Write(buffer, 0, received);
                total += received;
            }

            Finish();
            return total;
        }
        catch
        {
            Abort();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends all of <paramref name="source"/> into the stream, then finishes it; aborts on failure.</summary>
    /// <returns>The number of bytes sent.</returns>
    public long SendAll(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, ChunkSize)) > 0)
            {
                var offset = 0;
                while (offset < read)
                {
                    offset += Send(buffer.AsSpan(offset, read - offset));
                }

                total += read;
            }

            Finish();
            return total;
        }
        catch
        {
            Abort();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Releases the stream (<c>virStreamFree</c>).</summary>
    public void Dispose() => Handle.Dispose();
}
