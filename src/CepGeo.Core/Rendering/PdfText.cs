using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// Text on Skia's PDF canvas written as one run (<c>&lt;…&gt; Tj</c>) per line, not one <c>Td</c> and one <c>Tj</c> per glyph
/// (issue 28: 739 k of them, 12.4 MB of the national atlas's page content). Skia's PDF writer starts a new run wherever a glyph
/// does not sit exactly (float equality) where the previous one's advance in the embedded font puts it: that advance is the
/// glyph's width in font units times the size over the units per em. A font's own layout rounds its advances (hinting) or
/// computes them otherwise (FreeType's 26.6 sizes), so each line is laid out here with the PDF writer's own arithmetic, and
/// measured with it: what is wrapped, fitted and centred is what is drawn.
/// </summary>
internal static class PdfText
{
    /// <summary>A font for the PDF canvas: unhinted, linear metrics, subpixel positions (the PDF's glyphs are outlines).</summary>
    public static SKFont Font(SKTypeface face, float size) =>
        new(face, size) { Hinting = SKFontHinting.None, LinearMetrics = true, Subpixel = true };

    /// <summary>The width of <paramref name="text"/> as <see cref="Draw"/> lays it out.</summary>
    public static float Width(MapFonts fonts, SKFont font, string text)
    {
        var glyphs = font.GetGlyphs(text);
        return Advance(fonts.UnitAdvances(font.Typeface), glyphs, Scale(font), null);
    }

    /// <summary>Draws <paramref name="text"/> as <c>canvas.DrawText</c> does, each glyph where the PDF's font advances it.</summary>
    public static void Draw(SKCanvas canvas, MapFonts fonts, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        var glyphs = font.GetGlyphs(text);
        if (glyphs.Length == 0) return;
        var positions = new float[glyphs.Length];
        float width = Advance(fonts.UnitAdvances(font.Typeface), glyphs, Scale(font), positions);
        if (align == SKTextAlign.Center) x -= width / 2;
        else if (align == SKTextAlign.Right) x -= width;
        using var blob = SKTextBlob.CreateHorizontal(text, font, positions, 0);
        canvas.DrawText(blob, x, y, paint);
    }

    // As SkPDFDevice: advanceScale = textSize * scaleX / emSize, each advance that times the glyph's units, summed in float.
    private static float Scale(SKFont font) => font.Size * font.ScaleX / EmSize(font.Typeface);

    /// <summary>The size Skia's PDF writer reads a face's glyphs at (SkStrikeSpec::MakePDFVector): its units per em, or 1024.</summary>
    public static int EmSize(SKTypeface face) => face.UnitsPerEm > 0 ? face.UnitsPerEm : 1024;

    private static float Advance(float[] units, ushort[] glyphs, float scale, float[]? positions)
    {
        float x = 0;
        for (int i = 0; i < glyphs.Length; i++)
        {
            if (positions is not null) positions[i] = x;
            float advance = scale * (glyphs[i] < units.Length ? units[glyphs[i]] : 0);
            x += advance;
        }
        return x;
    }
}
