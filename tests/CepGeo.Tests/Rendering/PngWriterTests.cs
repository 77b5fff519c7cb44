using System.Buffers.Binary;
using System.IO.Compression;
using CepGeo.Core.Rendering;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// The maps' PNGs are compressed by .NET's zlib-ng (<see cref="PngWriter"/>, issue 28): the pixels Skia's encoder wrote, in a file
/// any decoder reads (every chunk's CRC, the rows' length).
/// </summary>
public sealed class PngWriterTests
{
    /// <summary>An opaque raster with flat fills, antialiased lines and text-like detail, in the given pixel order.</summary>
    private static SKBitmap Drawn(SKColorType type)
    {
        var bitmap = new SKBitmap(new SKImageInfo(301, 157, type, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(0xEF, 0xEB, 0xE3));
        using var fill = new SKPaint { Color = new SKColor(0xC0, 0x30, 0x20), IsAntialias = true };
        canvas.DrawCircle(90, 70, 55, fill);
        using var line = new SKPaint { Color = new SKColor(0x08, 0x30, 0x6B), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2.3f };
        for (int i = 0; i < 12; i++) canvas.DrawLine(10 + 23 * i, 5, 290 - 17 * i, 150, line);
        return bitmap;
    }

    [Theory]
    [InlineData(SKColorType.Rgba8888)]
    [InlineData(SKColorType.Bgra8888)]
    public void Opaque_DecodesToTheSamePixelsAsSkiasEncoder(SKColorType type)
    {
        using var bitmap = Drawn(type);
        using var pixels = bitmap.PeekPixels();
        using var ours = new MemoryStream();
        Assert.True(PngWriter.TryWrite(ours, pixels, MapRenderer.PngLevel));
        using var skia = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.None, MapRenderer.PngLevel))!;

        using var decoded = SKBitmap.Decode(ours.ToArray());
        using var fromSkia = SKBitmap.Decode(skia.ToArray());
        Assert.Equal((301, 157), (decoded.Width, decoded.Height));
        Assert.Equal(bitmap.Pixels, decoded.Pixels);
        Assert.Equal(fromSkia.Pixels, decoded.Pixels);
        // The drawing has more than a few colours (antialiased edges), so equal pixels say something.
        Assert.True(bitmap.Pixels.Distinct().Count() > 20);
    }

    [Fact]
    public void Opaque_ChunksAsSkiaWritesThem_EachCrcRight_RowsUnfiltered()
    {
        using var bitmap = Drawn(SKColorType.Rgba8888);
        using var pixels = bitmap.PeekPixels();
        using var s = new MemoryStream();
        Assert.True(PngWriter.TryWrite(s, pixels, MapRenderer.PngLevel));
        byte[] png = s.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var types = new List<string>();
        using var idat = new MemoryStream();
        byte[] header = [];
        for (int i = 8; i < png.Length;)
        {
            int n = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            var typeAndData = png.AsSpan(i + 4, 4 + n);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(i + 8 + n));
            Assert.Equal(Crc32(typeAndData), crc);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            types.Add(type);
            if (type == "IHDR") header = typeAndData[4..].ToArray();
            if (type == "IDAT") idat.Write(typeAndData[4..]);
            i += 12 + n;
        }
        Assert.Equal(["IHDR", "sBIT", "IDAT", "IEND"], types);
        // 301 × 157, 8 bits, RGB, no interlace.
        Assert.Equal(new byte[] { 0, 0, 1, 45, 0, 0, 0, 157, 8, 2, 0, 0, 0 }, header);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(157 * (1 + 3 * 301), raw.Length);
        var rows = raw.ToArray();
        for (int y = 0; y < 157; y++) Assert.Equal(0, rows[y * (1 + 3 * 301)]);
        // Row 80, pixel 90 (inside the circle): its red, green and blue.
        var p = bitmap.GetPixel(90, 80);
        int at = 80 * (1 + 3 * 301) + 1 + 3 * 90;
        Assert.Equal((p.Red, p.Green, p.Blue), (rows[at], rows[at + 1], rows[at + 2]));
    }

    [Fact]
    public void NotOpaque_LeftToSkia_NothingWritten()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(10, 10, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var pixels = bitmap.PeekPixels();
        using var s = new MemoryStream();
        Assert.False(PngWriter.TryWrite(s, pixels, MapRenderer.PngLevel));
        Assert.Equal(0, s.Length);
    }

    /// <summary>The PNG specification's CRC-32 (ISO 3309), bit by bit, independent of the writer's.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }
}
