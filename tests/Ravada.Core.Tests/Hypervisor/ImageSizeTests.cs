using System.Buffers.Binary;
using System.Text;
using Ravada.Core.Hypervisor;
using Ravada.Core.Tests.Support;

namespace Ravada.Core.Tests.Hypervisor;

public sealed class ImageSizeTests
{
    [Fact]
    public void A_png_header_gives_the_width_and_height_of_its_ihdr_chunk()
    {
        Assert.Equal((1024, 768), ImageSize.Read(Png(1024, 768)));
    }

    [Fact]
    public void The_png_header_is_enough_and_the_pixels_are_not_needed()
    {
        Assert.Equal((1, 1), ImageSize.Read(Png(1, 1).AsSpan(0, 24)));
    }

    [Theory]
    [InlineData("screenshot-test-driver.png", 1120, 832)]
    [InlineData("screenshot-qemu-grub-720x400.png", 720, 400)]
    public void Real_screenshots_from_libvirt_are_measured(string fixture, int width, int height)
    {
        Assert.Equal((width, height), ImageSize.Read(Fixture.ReadBytes(fixture)));
    }

    [Fact]
    public void A_binary_ppm_as_qemu_writes_it_gives_its_size()
    {
        Assert.Equal((720, 400), ImageSize.Read(Ppm("P6\n720 400\n255\n")));
    }

    [Fact]
    public void Ppm_comments_between_the_fields_are_skipped()
    {
        var image = Ppm("P6\n# CREATOR: GIMP PNM Filter Version 1.1\n# a second comment\n640 480\n255\n");

        Assert.Equal((640, 480), ImageSize.Read(image));
    }

    [Fact]
    public void Ppm_comments_at_the_end_of_a_line_and_fields_on_separate_lines_are_understood()
    {
        var image = Ppm("P6 # magic\r\n800 # width\r\n\t600 # height\r\n255\r\n");

        Assert.Equal((800, 600), ImageSize.Read(image));
    }

    [Fact]
    public void Ppm_pixels_that_look_like_newlines_or_comments_do_not_confuse_the_header()
    {
        var header = Encoding.ASCII.GetBytes("P6\n2 1\n255\n");
        byte[] pixels = [(byte)'#', (byte)'\n', (byte)'9', (byte)' ', (byte)'#', 0xFF];

        Assert.Equal((2, 1), ImageSize.Read([.. header, .. pixels]));
    }

    [Fact]
    public void A_screenshot_keeps_the_encoded_bytes_and_mime_type_and_knows_its_size()
    {
        var png = Fixture.ReadBytes("screenshot-test-driver.png");

        var screenshot = Screenshot.FromEncoded(png, "image/png");

        Assert.Equal("image/png", screenshot.MimeType);
        Assert.Equal(1120, screenshot.Width);
        Assert.Equal(832, screenshot.Height);
        Assert.True(screenshot.Data.Span.SequenceEqual(png));
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "empty", [] },
        { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00] },
        { "text", Encoding.ASCII.GetBytes("error: Failed to take screenshot") },
        { "ascii ppm (P3)", Encoding.ASCII.GetBytes("P3\n2 2\n255\n0 0 0 0 0 0 0 0 0 0 0 0\n") },
        { "pgm (P5)", Encoding.ASCII.GetBytes("P5\n2 2\n255\n") },
        { "png signature only", Png(640, 480)[..8] },
        { "png cut inside the ihdr", Png(640, 480)[..20] },
        { "png starting with another chunk", WithBytes(Png(640, 480), 12, "IDAT"u8) },
        { "ppm without a height", Encoding.ASCII.GetBytes("P6\n640") },
        { "ppm with words for sizes", Encoding.ASCII.GetBytes("P6\nwide tall\n255\n") },
        { "ppm with a longer magic", Encoding.ASCII.GetBytes("P6x\n640 480\n255\n") },
        { "ppm with a negative width", Encoding.ASCII.GetBytes("P6\n-640 480\n255\n") },
        { "ppm with a zero height", Encoding.ASCII.GetBytes("P6\n640 0\n255\n") },
        { "png with a zero width", Png(0, 480) },
        { "png with the high bit of the height set", Png(640, int.MinValue) },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Anything_but_png_or_binary_ppm_is_a_format_exception(string what, byte[] image)
    {
        Assert.Throws<FormatException>(() => ImageSize.Read(image));
        Assert.Throws<FormatException>(() => Screenshot.FromEncoded(image, "image/png"));
        _ = what; // names the case in the test report
    }

    [Fact]
    public void Only_the_first_256_bytes_are_searched_for_the_ppm_header()
    {
        var padding = string.Concat(Enumerable.Repeat("# padding\n", 30));

        Assert.Throws<FormatException>(() => ImageSize.Read(Ppm("P6\n" + padding + "640 480\n255\n")));
    }

    private static byte[] Png(int width, int height)
    {
        // Signature, then the IHDR chunk: length 13, type, width, height, bit depth 8, colour type 2 (RGB),
        // compression, filter, interlace, and a CRC the reader does not check.
        var image = new byte[8 + 4 + 4 + 13 + 4];
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(image, 0);
        BinaryPrimitives.WriteInt32BigEndian(image.AsSpan(8), 13);
        "IHDR"u8.CopyTo(image.AsSpan(12));
        BinaryPrimitives.WriteInt32BigEndian(image.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(image.AsSpan(20), height);
        image[24] = 8;
        image[25] = 2;
        return image;
    }

    private static byte[] Ppm(string header) => [.. Encoding.ASCII.GetBytes(header), .. new byte[12]];

    private static byte[] WithBytes(byte[] image, int offset, ReadOnlySpan<byte> bytes)
    {
        var copy = image.ToArray();
        bytes.CopyTo(copy.AsSpan(offset));
        return copy;
    }
}
