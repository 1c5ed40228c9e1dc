using System.Buffers.Binary;
using System.Text;

namespace Ravada.Core.Hypervisor;

/// <summary>A picture of a machine's screen as the hypervisor produced it (PNG, or PPM on old hosts).</summary>
/// <param name="Data">The encoded image.</param>
/// <param name="MimeType">Its MIME type.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record Screenshot(ReadOnlyMemory<byte> Data, string MimeType, int Width, int Height)
{
    /// <summary>Reads the size from the image header; throws <see cref="FormatException"/> for anything but PNG or binary PPM.</summary>
    public static Screenshot FromEncoded(ReadOnlyMemory<byte> data, string mimeType)
    {
        var (width, height) = ImageSize.Read(data.Span);
        return new Screenshot(data, mimeType, width, height);
    }
}

/// <summary>Reads image dimensions from PNG and binary PPM headers, without decoding pixels.</summary>
public static class ImageSize
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height of a PNG or binary PPM (P6) image.</summary>
    public static (int Width, int Height) Read(ReadOnlySpan<byte> image)
    {
        if (image.StartsWith(PngSignature))
        {
            // The IHDR chunk always comes first: length (4), "IHDR" (4), width (4), height (4).
            if (image.Length < 24 || !image.Slice(12, 4).SequenceEqual("IHDR"u8))
            {
                throw new FormatException("PNG image without an IHDR header");
            }

            return Positive(BinaryPrimitives.ReadInt32BigEndian(image.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(image.Slice(20, 4)), "PNG");
        }

        if (image.StartsWith("P6"u8))
        {
            return ReadPpm(image);
        }

        throw new FormatException("not a PNG or PPM image");
    }

    private static (int Width, int Height) ReadPpm(ReadOnlySpan<byte> image)
    {
        var header = Encoding.ASCII.GetString(image[..Math.Min(image.Length, 256)]);
        var fields = new List<string>(3);
        foreach (var line in header.Split('\n').Skip(0))
        {
            var content = line.Split('#')[0];
            fields.AddRange(content.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries));
            if (fields.Count >= 3)
            {
                break;
            }
        }

        if (fields.Count < 3 || fields[0] != "P6"
            || !int.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var height))
        {
            throw new FormatException("PPM image with an unreadable header");
        }

        return Positive(width, height, "PPM");
    }

    private static (int Width, int Height) Positive(int width, int height, string format) =>
        width > 0 && height > 0 ? (width, height) : throw new FormatException($"{format} image with an impossible size {width}x{height}");
}
