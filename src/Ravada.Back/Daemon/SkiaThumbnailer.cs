using Ravada.Core.Broker;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using SkiaSharp;

namespace Ravada.Back.Daemon;

/// <summary>Scales screenshots down to 320 pixels wide WebP thumbnails with SkiaSharp.</summary>
internal sealed class SkiaThumbnailer : IThumbnailer
{
    private const int Width = 320;
    private const int Quality = 75;

    public Thumbnail Make(Screenshot screenshot, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(screenshot);
        using var original = SKBitmap.Decode(screenshot.Data.Span)
            ?? throw new FormatException($"the hypervisor's {screenshot.MimeType} screenshot could not be decoded");
        var height = Math.Max(1, (int)Math.Round((double)original.Height * Width / original.Width));
        using var scaled = original.Resize(new SKImageInfo(Width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = SKImage.FromBitmap(scaled);
        using var encoded = image.Encode(SKEncodedImageFormat.Webp, Quality);
        return new Thumbnail(encoded.ToArray(), "image/webp", Width, height, takenAt);
    }
}
