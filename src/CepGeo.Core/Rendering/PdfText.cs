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
    public static float Width(MapFonts fonts, SKFont font, string text) => Layout(fonts, font, text, null);

    /// <summary>Draws <paramref name="text"/> as <c>canvas.DrawText</c> does, each glyph where the PDF's font advances it.</summary>
    public static void Draw(SKCanvas canvas, MapFonts fonts, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (text.Length == 0) return;
        var positions = new List<float>(text.Length);
        float width = Layout(fonts, font, text, positions);
        if (align == SKTextAlign.Center) x -= width / 2;
        else if (align == SKTextAlign.Right) x -= width;
        using var blob = SKTextBlob.CreateHorizontal(text, font, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(positions), 0);
        canvas.DrawText(blob, x, y, paint);
    }

    /// <summary>A face's glyph advances in its units, as Skia's PDF writer reads them (SkStrikeSpec::MakePDFVector: unhinted, at
    /// the units per em, or 1024), and that size.</summary>
    internal sealed class Advances(SKTypeface face)
    {
        public int EmSize { get; } = face.UnitsPerEm > 0 ? face.UnitsPerEm : 1024;

        public float[] Units { get; } = UnitsOf(face, face.UnitsPerEm > 0 ? face.UnitsPerEm : 1024);

        private static float[] UnitsOf(SKTypeface face, int emSize)
        {
            using var em = Font(face, emSize);
            var glyphs = new ushort[face.GlyphCount];
            for (int i = 0; i < glyphs.Length; i++) glyphs[i] = (ushort)i;
            return em.GetGlyphWidths(glyphs);
        }
    }

    // As SkPDFDevice::internalDrawGlyphRun: advanceScale = textSize * scaleX / emSize, each glyph's advance that times its
    // units, summed in float (GlyphPositioner's fXAdvance).
    private static float Layout(MapFonts fonts, SKFont font, string text, List<float>? positions)
    {
        var a = fonts.PdfAdvances(font.Typeface);
        float scale = font.Size * font.ScaleX / a.EmSize, x = 0;
        var units = a.Units;
        foreach (ushort g in font.GetGlyphs(text))
        {
            positions?.Add(x);
            x += scale * (g < units.Length ? units[g] : 0);
        }
        return x;
    }
}
