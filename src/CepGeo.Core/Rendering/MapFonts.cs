using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The typefaces maps are lettered with, read from streams the caller opens. SkiaSharp's
/// NoDependencies native assets find no system font (<see cref="SKTypeface.Default"/> draws nothing),
/// so a font must always be given explicitly.
/// </summary>
public sealed class MapFonts : IDisposable
{
    private MapFonts(SKTypeface regular, SKTypeface bold, SKTypeface? latinRegular = null, SKTypeface? latinBold = null)
    {
        Regular = regular;
        Bold = bold;
        _latin = [(regular, latinRegular is null ? null : new SKFont(latinRegular)), (bold, latinBold is null ? null : new SKFont(latinBold))];
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>Reads a TrueType/OpenType (or .woff) font; the bold face falls back to the regular one.</summary>
    /// <param name="latinRegular">A subset of <paramref name="regular"/> (the same metrics for the characters it has, fewer
    /// characters), or null: see <see cref="LatinFor"/>.</param>
    /// <param name="latinBold">The same subset of <paramref name="bold"/>.</param>
    /// <exception cref="InvalidDataException">When a stream is not a font Skia can read.</exception>
    public static MapFonts FromStreams(Stream regular, Stream? bold = null, Stream? latinRegular = null, Stream? latinBold = null)
    {
        var r = Load(regular, "regular");
        var b = bold is null ? r : Load(bold, "bold");
        var lr = latinRegular is null ? null : Load(latinRegular, "regular Latin subset");
        var lb = latinBold is null ? null : Load(latinBold, "bold Latin subset");
        return new MapFonts(r, b, lr, lb);
    }

    // Each face with its subset (as a font: only a font tells which characters it has).
    private readonly (SKTypeface Face, SKFont? Latin)[] _latin;

    /// <summary>
    /// The Latin subset of <paramref name="face"/> (<see cref="Regular"/> or <see cref="Bold"/>) when it has every character
    /// of <paramref name="text"/>, else null. Skia's SVG canvas rebuilds the whole glyph-to-character map of a typeface for
    /// every text it writes: a subset of a quarter of DejaVu Sans's characters writes the same &lt;text&gt; (the same name,
    /// weight and advances) for a quarter of that work (issue 28; src/CepGeo.Cli/Fonts/make-latin.sh).
    /// </summary>
    internal SKTypeface? LatinFor(SKTypeface face, string text)
    {
        foreach (var (f, latin) in _latin)
            if (ReferenceEquals(f, face))
                return latin is not null && latin.ContainsGlyphs(text) ? latin.Typeface : null;
        return null;
    }

    // Each face's advances as the PDF's fonts give them, built on first use: see PdfText.
    private PdfText.Advances? _regularPdf, _boldPdf;

    /// <summary>Every glyph's advance in font units of <paramref name="face"/> (<see cref="Regular"/>, <see cref="Bold"/> or any
    /// other), unhinted: the widths the PDF's embedded font gives them.</summary>
    internal PdfText.Advances PdfAdvances(SKTypeface face)
    {
        if (ReferenceEquals(face, Regular)) return LazyInitializer.EnsureInitialized(ref _regularPdf, () => new PdfText.Advances(face));
        if (ReferenceEquals(face, Bold)) return LazyInitializer.EnsureInitialized(ref _boldPdf, () => new PdfText.Advances(face));
        // Any other face (none today) once too: its advances are every glyph's width, and a line is measured many times.
        return _otherPdf.GetOrAdd(face, f => new PdfText.Advances(f));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<SKTypeface, PdfText.Advances> _otherPdf = new(ReferenceEqualityComparer.Instance);

    public void Dispose()
    {
        foreach (var (_, latin) in _latin)
        {
            latin?.Typeface.Dispose();
            latin?.Dispose();
        }
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
