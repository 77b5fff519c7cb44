using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The typefaces maps are lettered with, read from streams the caller opens. SkiaSharp's
/// NoDependencies native assets find no system font (<see cref="SKTypeface.Default"/> draws nothing),
/// so a font must always be given explicitly.
/// </summary>
public sealed class MapFonts : IDisposable
{
    private MapFonts(SKTypeface regular, SKTypeface bold)
    {
        Regular = regular;
        Bold = bold;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>Reads a TrueType/OpenType (or .woff) font; the bold face falls back to the regular one.</summary>
    /// <exception cref="InvalidDataException">When a stream is not a font Skia can read.</exception>
    public static MapFonts FromStreams(Stream regular, Stream? bold = null)
    {
        var r = Load(regular, "regular");
        var b = bold is null ? r : Load(bold, "bold");
        return new MapFonts(r, b);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(Bold, Regular)) Bold.Dispose();
        Regular.Dispose();
    }

    private static SKTypeface Load(Stream stream, string what)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using var data = SKData.CreateCopy(copy.ToArray());
        var face = SKTypeface.FromData(data);
        if (face is null || face.GlyphCount == 0)
            throw new InvalidDataException($"the {what} map font is not a font Skia can read (TrueType, OpenType or .woff)");
        return face;
    }
}
