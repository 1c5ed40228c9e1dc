using System.Buffers.Binary;
using System.IO.Compression;

namespace Ravada.Libvirt.Tests.Support;

/// <summary>Just enough PNG reading to tell a black screen from a drawn one.</summary>
internal static class Png
{
    /// <summary>
    /// True when any pixel is not black. PNG filters turn an all-zero image into all-zero filtered bytes
    /// and vice versa, so it is enough to look for a non-zero byte outside the per-row filter-type bytes.
    /// </summary>
    public static bool HasNonBlackPixel(ReadOnlySpan<byte> png)
    {
        var width = BinaryPrimitives.ReadInt32BigEndian(png.Slice(16, 4));
        var bitDepth = png[24];
        var colorType = png[25];
        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new FormatException($"PNG color type {colorType}") };
        if (colorType == 3)
        {
            throw new FormatException("palette PNGs are not produced by QEMU");
        }

        using var compressed = new MemoryStream();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.Slice(offset, 4));
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8))
            {
                compressed.Write(png.Slice(offset + 8, length));
            }

            offset += 12 + length;
        }

        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        var rowBytes = 1 + (width * channels * bitDepth + 7) / 8;
        var row = new byte[rowBytes];
        while (inflater.ReadAtLeast(row, rowBytes, throwOnEndOfStream: false) == rowBytes)
        {
            // Alpha channels (color types 4 and 6) would make an opaque black image non-zero; QEMU sends RGB.
            if (row.AsSpan(1).IndexOfAnyExcept((byte)0) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
