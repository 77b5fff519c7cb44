using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Design;
using SkiaSharp;

namespace CepGeo.Tests.Reporting;

/// <summary>
/// The PACA atlas's page content read back (each stream inflated): what Skia's PDF writer made of its text and its sites
/// (issue 28: on the national atlas a <c>Td</c> and a <c>Tj</c> for every glyph, 12.4 MB, and 32 curves for every site).
/// </summary>
public sealed partial class AtlasContentTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    [Fact]
    public void PacaAtlas_EveryLineOfText_IsOneRunOfItsGlyphs()
    {
        var (pages, _, fonts) = Atlas();
        using var _f = fonts;
        int runs = 0;
        foreach (var page in pages)
            foreach (Match bt in TextObject().Matches(page))
            {
                var shows = GlyphRun().Matches(bt.Value);
                // Two bytes a glyph: the embedded (CID) font. The white halos are stroked glyphs, a Type 3 font (one byte a
                // glyph) whose advances Skia's writer never trusts (crbug.com/1226960): each of their glyphs is placed alone.
                if (shows.Count == 0 || shows[0].Groups[1].Length % 4 != 0) continue;
                Assert.True(shows.Count == 1, $"a line of text written in {shows.Count} runs: {bt.Value[..Math.Min(200, bt.Value.Length)]}");
                Assert.DoesNotContain(" Td", bt.Value, StringComparison.Ordinal);
                runs++;
            }
        // The synthèse's and the fiches' lines, the maps' lettering: thousands of runs, each one Tj.
        Assert.True(runs > 1000, $"{runs} runs of text");
        // The folio of page 2 ("2 / 23", right-aligned, as the font maps its characters) is one run of exactly its glyphs.
        using var font = new SKFont(fonts.Regular, 8);
        string folio = string.Concat(font.GetGlyphs($"2 / {pages.Count}").Select(g => g.ToString("X4")));
        Assert.Contains($"<{folio}> Tj", pages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void PacaAtlas_SiteDots_AreRoundCappedPoints_WhiteUnderTheOperatorsColour_NoCurves()
    {
        var (pages, r, fonts) = Atlas();
        using var _f = fonts;
        // Curves on a page were the sites' circles (16 a circle, twice): now none.
        Assert.All(pages, p => Assert.DoesNotMatch(Curve(), p));
        int points = pages.Sum(p => Point().Count(p));
        // Each dot is a white point (the ring) then, at the very same centre, a point of the operator's colour.
        var dots = pages.SelectMany(p => Dot().Matches(p)).ToList();
        Assert.Equal(points, 2 * dots.Count);
        Assert.All(dots, d => Assert.NotEqual("1 1 1", d.Groups["rgb"].Value));
        // At least every site of the operators drawn as dots (the first of each three) on its own cell's fiche, and one in
        // each such fiche's legend.
        var sites = r.Sites.Where(s => MapRenderer.OperatorIndex(r, s.Operator) % 3 == 0).ToList();
        Assert.NotEmpty(sites);
        int atLeast = sites.Sum(s => s.Sites.Count(p => p.Cells.Count > 0)) + sites.Count * r.Infos[0].Ids.Count;
        Assert.True(dots.Count >= atLeast, $"{dots.Count} dots for at least {atLeast}");
    }

    /// <summary>The PACA atlas as analyze writes it, each page's content inflated.</summary>
    private (List<string> Pages, Core.Metrics.AnalysisResult Result, MapFonts Fonts) Atlas()
    {
        var r = paca.Result;
        var fonts = MapFiles.LoadFonts();
        var content = ReportContent.Build(r);
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", Names: content.Names);
        using var pdf = new MemoryStream();
        AtlasPdf.Write(pdf, MapScene.Build(r, lambert93: true), content, options, r.Study.Name);
        return (Contents(pdf.ToArray()), r, fonts);
    }

    /// <summary>Every inflated stream of the file that draws a page (not a font, not a Type 3 glyph: those start with d0/d1).</summary>
    private static List<string> Contents(byte[] file)
    {
        var text = Encoding.Latin1.GetString(file);
        var pages = new List<string>();
        foreach (Match m in Stream().Matches(text))
        {
            int start = m.Index + m.Length, end = text.IndexOf("endstream", start, StringComparison.Ordinal);
            if (end < 0) break;
            string raw;
            try
            {
                using var z = new ZLibStream(new MemoryStream(file, start, end - start), CompressionMode.Decompress);
                using var read = new StreamReader(z, Encoding.Latin1);
                raw = read.ReadToEnd();
            }
            catch (InvalidDataException)
            {
                continue;
            }
            string first = raw.Split('\n', 2)[0];
            if (first.EndsWith(" d0", StringComparison.Ordinal) || first.EndsWith(" d1", StringComparison.Ordinal)) continue;
            if (raw.Contains(" Tm\n", StringComparison.Ordinal) || raw.Contains(" re\n", StringComparison.Ordinal)) pages.Add(raw);
        }
        return pages;
    }

    [GeneratedRegex(@"(?<!end)stream\r?\n")]
    private static partial Regex Stream();

    [GeneratedRegex(@"BT\n.*?ET\n", RegexOptions.Singleline)]
    private static partial Regex TextObject();

    [GeneratedRegex(@"<([0-9A-F]+)> Tj")]
    private static partial Regex GlyphRun();

    [GeneratedRegex(@"^\S+ \S+ \S+ \S+ \S+ \S+ c$", RegexOptions.Multiline)]
    private static partial Regex Curve();

    // A point as Skia writes it (its width and round cap in the graphic state): "x y m h S".
    [GeneratedRegex(@"^\S+ \S+ m\nh\nS$", RegexOptions.Multiline)]
    private static partial Regex Point();

    // A white point, then the same point in a colour (each with its graphic state).
    [GeneratedRegex(@"1 1 1 RG 1 1 1 rg\n(?:/G\d+ gs\n)?(?<at>\S+ \S+) m\nh\nS\n(?<rgb>\S+ \S+ \S+) RG \S+ \S+ \S+ rg\n(?:/G\d+ gs\n)?\k<at> m\nh\nS\n")]
    private static partial Regex Dot();
}
