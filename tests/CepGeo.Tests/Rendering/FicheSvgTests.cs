using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Design;
using CepGeo.Tests.Viewer;
using SkiaSharp;
using Xunit.Abstractions;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// report.html's fiche maps are inline SVG the browser draws (issue 28: no raster drawing or WebP per fiche). Drawn by
/// Chromium, a fiche shows what Skia draws from the same paths on a canvas (the atlas's and the raster tests' drawing):
/// the zone names where they were placed, the cell's boundary, and the same pixels elsewhere within a stated tolerance.
/// </summary>
public sealed class FicheSvgTests(ChromiumBrowser chromium, PacaFixture paca, ITestOutputHelper log)
    : IClassFixture<ChromiumBrowser>, IClassFixture<PacaFixture>
{
    [Fact]
    public void CompactPath_WritesMovesAndLinesRelative_InTenthsOfAUnit()
    {
        // Counted by hand: M10 20, +3 +4, +0 +0.5, close (back to 10 20), move by −9 −18 to 1 2, then +2 +2.
        Assert.Equal("M10 20l3 4 0 .5zm-9-18 2 2", FicheSvg.CompactPath("M10 20L13 24L13 24.5Z M1 2L3 4"));
        // A quadratic curve (a site's circle): control and end points relative to the current point.
        Assert.Equal("M1 1q1 0 1 1", FicheSvg.CompactPath("M1 1Q2 1 2 2"));
        // Anything else is left as Skia wrote it.
        Assert.Equal("M1 1A2 2 0 0 1 3 3", FicheSvg.CompactPath("M1 1A2 2 0 0 1 3 3"));
    }

    /// <summary>
    /// The lettering's font is named once on the root, followed by fonts of about its widths: a planner's computer without
    /// DejaVu Sans then shows sans-serif lettering (Skia named DejaVu Sans alone on every text, so such a browser used its serif).
    /// </summary>
    [Fact]
    public void Compact_NamesTheFontOnceOnTheRoot_WithSansSerifFallbacks()
    {
        const string skia = """
            <?xml version="1.0" encoding="utf-8" ?>
            <svg xmlns="http://www.w3.org/2000/svg" width="10" height="5">
              <text font-family="DejaVu Sans" font-size="3" x="1" y="2">
                Nice
              </text>
              <text font-family="DejaVu Sans" font-weight="bold" x="1" y="4">Ça</text>
            </svg>
            """;
        Assert.Equal(
            """<svg viewBox="0 0 10 5" font-family="'DejaVu Sans',Verdana,Arial,sans-serif"><text font-size="3" x="1" y="2">Nice</text><text font-weight="bold" x="1" y="4">Ça</text></svg>""",
            FicheSvg.Compact(skia));
    }

    /// <summary>
    /// The same fiche drawn twice gives the same SVG: Skia numbers the clips of its SVG canvas from a counter of the process, so
    /// with the fiches drawn side by side in no set order the ids (and report.html's bytes) changed from run to run.
    /// </summary>
    [Fact]
    public void SameFiche_DrawnTwice_SameSvg_ItsIdsNumberedInTheFiche()
    {
        using var f = new Fiche(paca, _ => 2);
        string first = FicheSvg.Write(f.Scene, f.Spec, f.Options, f.Paths), second = FicheSvg.Write(f.Scene, f.Spec, f.Options, f.Paths);
        Assert.Equal(first, second);
        Assert.Contains("id=\"f2-s0\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CannesFiche_InChromium_ShowsTheZoneNamesAndTheCellBoundary_AsSkiaDrawsThem()
    {
        var r = paca.Result;
        using var f = new Fiche(paca, content => Enumerable.Range(0, r.Infos[0].Ids.Count)
            .First(i => content.Names.Of("cells", r.Infos[0].Ids[i]).StartsWith("Cannes", StringComparison.Ordinal)));
        var (scene, spec, options, layout, paths) = (f.Scene, f.Spec, f.Options, f.Paths.Layout, f.Paths);
        string svg = FicheSvg.Write(scene, spec, options, paths);

        // Skia's drawing of the same paths.
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var key = MapRenderer.Draw(surface.Canvas, layout, scene, spec, options, paths);
        using var skia = SKBitmap.FromImage(surface.Snapshot());

        // Chromium's, one SVG unit a pixel.
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = layout.Width, Height = layout.Height } });
        var page = await context.NewPageAsync();
        await page.SetContentAsync($"<!DOCTYPE html><html><body style=\"margin:0\"><div style=\"width:{layout.Width}px\">{svg}</div></body></html>");
        await page.AddStyleTagAsync(new() { Content = "svg{display:block;width:100%;height:auto}" });
        byte[] png = await page.ScreenshotAsync(new() { Clip = new() { X = 0, Y = 0, Width = layout.Width, Height = layout.Height } });
        using var browser = SKBitmap.Decode(png);
        Assert.Equal(layout.Width, browser.Width);
        Directory.CreateDirectory(ChromiumBrowser.ScreenshotDir);
        File.WriteAllBytes(Path.Combine(ChromiumBrowser.ScreenshotDir, "paca-cannes-fiche-svg.png"), png);

        // Every zone name is written where Skia placed it: its darkened operator colour inside its box.
        Assert.True(key.Labels.Count >= 3, $"{key.Labels.Count} names on Cannes' fiche");
        foreach (var (text, box) in key.Labels)
        {
            int ink = 0;
            for (int x = (int)box.Left; x < box.Right; x++)
                for (int y = (int)box.Top; y < box.Bottom; y++)
                {
                    var b = browser.GetPixel(x, y);
                    var s = skia.GetPixel(x, y);
                    // A glyph's pixel: dark in both drawings (the halo is white, the grounds pale).
                    if (b.Red + b.Green + b.Blue < 300 && s.Red + s.Green + s.Blue < 300) ink++;
                }
            Assert.True(ink >= 20, $"« {text} »: {ink} glyph pixels in both drawings within {box}");
        }

        // The cell's boundary: wherever Skia drew its line (#222, away from the names and the zones' lines over it), Chromium did.
        var inkColor = MapRenderer.Ink;
        var vertices = new List<SKPoint>();
        for (int i = 0; i < paths.OwnLine.Parts; i++)
        {
            var xy = paths.OwnLine.Part(i).Xy.ToArray();
            for (int k = 0; k < xy.Length; k += 2) vertices.Add(new SKPoint(xy[k], xy[k + 1]));
        }
        int checkedPoints = 0, missed = 0;
        foreach (var v in vertices)
        {
            int x = (int)v.X, y = (int)v.Y;
            if (!layout.Map.Contains(x, y) || key.Labels.Any(l => SKRect.Inflate(l.Box, 4, 4).Contains(x, y))) continue;
            if (!Near(skia.GetPixel(x, y), inkColor, 40)) continue;
            checkedPoints++;
            if (!Near(browser.GetPixel(x, y), inkColor, 60)) missed++;
        }
        log.WriteLine($"cell boundary: {checkedPoints} vertices checked, {missed} not dark in Chromium");
        Assert.True(checkedPoints >= 50, $"only {checkedPoints} boundary vertices could be checked");
        Assert.True(missed <= checkedPoints / 50, $"{missed} of {checkedPoints} boundary vertices not drawn by Chromium");

        // Elsewhere in the map frame the same picture: at most 2 % of the pixels differ by more than 64 in a channel
        // (antialiasing, the browser's glyph rendering, halos Skia draws unantialiased).
        int differ = 0, total = 0;
        for (int x = (int)layout.Map.Left + 2; x < layout.Map.Right - 2; x += 2)
            for (int y = (int)layout.Map.Top + 2; y < layout.Map.Bottom - 2; y += 2)
            {
                total++;
                if (!Near(browser.GetPixel(x, y), skia.GetPixel(x, y), 64)) differ++;
            }
        log.WriteLine($"map frame: {differ} of {total} sampled pixels differ by more than 64");
        Assert.True(differ <= total / 50, $"{differ} of {total} pixels differ by more than 64 between Chromium's SVG and Skia's canvas");
    }

    private static bool Near(SKColor a, SKColor b, int tolerance) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    /// <summary>A PACA fiche's map as report.html draws it: its scene, spec, options (fiche lettering) and paths at print resolution.</summary>
    private sealed class Fiche : IDisposable
    {
        private readonly MapFonts _fonts = MapFiles.LoadFonts();

        public Fiche(PacaFixture paca, Func<ReportContent, int> cell)
        {
            var content = ReportContent.Build(paca.Result);
            Options = new MapOptions(_fonts, MapText.Fr, "test", "2026-01-01", Names: content.Names, TextScale: MapFiles.FicheTextScale);
            Scene = MapScene.Build(paca.Result, lambert93: true);
            int i = cell(content);
            Spec = new MapSpec("fiche", MapKind.Territory, Cell: i);
            Paths = TerritoryPaths.ForFiche(Scene, i);
        }

        public MapOptions Options { get; }

        public MapScene Scene { get; }

        public MapSpec Spec { get; }

        public TerritoryPaths Paths { get; }

        public void Dispose()
        {
            Paths.Dispose();
            _fonts.Dispose();
        }
    }
}
