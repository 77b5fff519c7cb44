using System.Xml.Linq;
using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>Maps checked by their pixels: colours, hatching, text and legend where they must be.</summary>
public sealed class MapPixelTests(DemoMaps demo) : IClassFixture<DemoMaps>
{
    // The class bounds and ColorBrewer YlOrRd-5 colours, written out here rather than read from the code.
    private static readonly double[] Bounds = [0.05, 0.15, 0.30, 0.50];
    private static readonly uint[] Palette = [0xffffb2, 0xfecc5c, 0xfd8d3c, 0xf03b20, 0xbd0026];

    private static int ExpectedClass(double misfit) => Bounds.Count(b => misfit >= b);

    private static SKColor Rgb(uint hex) => new((byte)(hex >> 16), (byte)(hex >> 8), (byte)hex);

    private (SKBitmap Bitmap, MapLayout Layout, MapKey Key) Render(string name, int width = MapLayout.ScreenWidth, int? height = null)
    {
        var spec = MapRenderer.Plan(demo.Result).Single(s => s.Name == name);
        using var png = new MemoryStream();
        var key = MapRenderer.WritePng(png, demo.Scene, spec, demo.Options, width, height);
        return (SKBitmap.Decode(png.ToArray()), new MapLayout(demo.Scene.Extent, width, height), key);
    }

    [Fact]
    public void ClassBounds_AreTheOnesTheLegendStates()
    {
        Assert.Equal([0, .. Bounds, 1], MisfitClasses.Bounds);
        Assert.Equal(Palette.Select(Rgb), MisfitClasses.Colors);
    }

    [Theory]
    [InlineData("ml")]
    [InlineData("pe")]
    [InlineData("cap")]
    public void MisfitMap_CellInteriorPixel_HasTheColourOfItsMisfitClassFromCellsCsv(string op)
    {
        var (bitmap, layout, key) = Render("misfit-" + op);
        var rows = demo.CellsCsv().Where(r => r["operator"] == op).ToDictionary(r => r["cell_id"]);
        var cells = demo.Scene.Layers[0];
        var zones = demo.Scene.Layers[demo.Scene.LayerIndex(op)];
        // Gaps and double coverage are hatched over their area; straddles are only outlined.
        var defects = demo.Result.Comparisons.Single(c => c.Operator == op).Defects
            .Select(d => d.Kind == DefectKind.Straddle ? demo.Scene.Defect(d).Boundary : demo.Scene.Defect(d)).ToList();
        // Keep 8 px away from every line, hatch and outline drawn over the fill.
        double margin = 8 / layout.PixelsPerMetre;
        Geometry ink = cells[0].Factory.CreateGeometryCollection(
            [.. zones.Select(z => z.Boundary), .. cells.Select(c => c.Boundary), .. defects]).Buffer(margin);
        int checkedCells = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            // Nor under a label (the cell's name and value on a white halo).
            var labels = key.Labels.Select(l =>
            {
                var (x0, y0) = layout.ToWorld(l.Box.Left - 2, l.Box.Bottom + 2);
                var (x1, y1) = layout.ToWorld(l.Box.Right + 2, l.Box.Top - 2);
                return cells[0].Factory.ToGeometry(new Envelope(x0, x1, y0, y1));
            });
            var free = cells[i].Difference(ink);
            foreach (var l in labels) free = free.Difference(l);
            if (free.IsEmpty) continue;
            var p = free.InteriorPoint;
            var px = layout.ToPixel(p.X, p.Y);
            // The demo has population weights: the map is coloured by pop_misfit unless --by-area.
            double misfit = DemoMaps.D(rows[demo.Result.Infos[0].Ids[i]]["pop_misfit"]);
            Assert.Equal(Rgb(Palette[ExpectedClass(misfit)]), bitmap.GetPixel((int)px.X, (int)px.Y));
            checkedCells++;
        }
        Assert.Equal(cells.Count, checkedCells);
    }

    [Fact]
    public void MisfitMap_LargestGapOfCapEmploi_IsHatchedInAlternatingDarkAndWhite()
    {
        var (bitmap, layout, _) = Render("misfit-cap");
        var gap = demo.Result.Comparisons.Single(c => c.Operator == "cap").Defects.Where(d => d.Kind == DefectKind.Gap).MaxBy(d => d.AreaKm2);
        Assert.NotNull(gap);
        // Inside the gap, 3 px clear of its outline and of the lines drawn on top of it.
        var inside = demo.Scene.Defect(gap).Buffer(-3 / layout.PixelsPerMetre);
        Assert.False(inside.IsEmpty);
        int dark = 0, white = 0, samples = 0, bestRun = 0;
        var env = inside.EnvelopeInternal;
        var tl = layout.ToPixel(env.MinX, env.MaxY);
        var br = layout.ToPixel(env.MaxX, env.MinY);
        for (int y = (int)tl.Y; y <= (int)br.Y; y++)
        {
            int transitions = 0;
            bool? lastDark = null;
            for (int x = (int)tl.X; x <= (int)br.X; x++)
            {
                var (wx, wy) = layout.ToWorld(x + 0.5f, y + 0.5f);
                if (!inside.Contains(inside.Factory.CreatePoint(new Coordinate(wx, wy)))) continue;
                var c = bitmap.GetPixel(x, y);
                int lum = (c.Red + c.Green + c.Blue) / 3;
                samples++;
                bool isDark = lum < 120;
                if (isDark) dark++;
                if (c == SKColors.White) white++;
                if (lum < 120 || lum > 240)
                {
                    if (lastDark is bool l && l != isDark) transitions++;
                    lastDark = isDark;
                }
            }
            bestRun = Math.Max(bestRun, transitions);
        }
        Assert.True(samples > 100, $"only {samples} pixels inside the gap");
        Assert.InRange(dark / (double)samples, 0.08, 0.6);
        Assert.InRange(white / (double)samples, 0.3, 0.92);
        Assert.True(bestRun >= 4, $"hatch lines do not alternate across the gap ({bestRun} transitions on the best row)");
    }

    [Fact]
    public void EveryMap_HasTextInItsTitleArea_SoTheFontReallyLoaded()
    {
        foreach (var spec in MapRenderer.Plan(demo.Result))
        {
            var (bitmap, layout, _) = Render(spec.Name);
            int inked = 0;
            for (int y = (int)layout.Title.Top; y < (int)layout.Title.Bottom; y++)
                for (int x = (int)layout.Title.Left; x < (int)layout.Title.Right; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (c.Red + c.Green + c.Blue < 3 * 128) inked++;
                }
            Assert.True(inked > 2000, $"{spec.Name}: {inked} dark pixels in the title band");
        }
    }

    [Fact]
    public void MisfitMap_Legend_ShowsTheFiveClassColoursAndTheirBounds()
    {
        var (bitmap, layout, key) = Render("misfit-ml");
        Assert.Equal(Palette.Select(Rgb), key.Swatches.Select(s => s.Color));
        foreach (var (rect, color) in key.Swatches)
        {
            Assert.True(layout.Legend.Contains(rect));
            Assert.Equal(color, bitmap.GetPixel((int)rect.MidX, (int)rect.MidY));
        }
        string[] bounds = ["0 – 0,05", "0,05 – 0,15", "0,15 – 0,3", "0,3 – 0,5", "0,5 – 1"];
        for (int i = 0; i < bounds.Length; i++)
            Assert.StartsWith(bounds[i] + " ", key.LegendLabels[i + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Png_HasTheRequestedSize_ScreenAndA4Print()
    {
        using var screen = SKBitmap.Decode(File.ReadAllBytes(demo.Path_("maps", "overview.png")));
        Assert.Equal((1600, 1131), (screen.Width, screen.Height));
        var (print, _, _) = Render("misfit-cap", MapLayout.PrintWidth, MapLayout.PrintHeight);
        Assert.Equal((3508, 2480), (print.Width, print.Height));
    }

    [Fact]
    public void Svg_ParsesAsXml_ContainsTheTitle_AndOnePathPerCell()
    {
        var doc = XDocument.Load(demo.Path_("maps", "misfit-cap.svg"));
        XNamespace svg = "http://www.w3.org/2000/svg";
        string title = MapRenderer.Title(demo.Scene, new MapSpec("misfit-cap", MapKind.Misfit, "cap"), MapText.Fr);
        Assert.Contains(doc.Descendants(svg + "text"), t => t.Value.Trim() == title);
        // Cells are the only paths filled with a class colour (legend swatches are rects).
        var classFills = Palette.Select(h => "#" + h.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        int cellPaths = doc.Descendants(svg + "path").Count(p => classFills.Contains((string?)p.Attribute("fill") ?? ""));
        Assert.Equal(demo.Result.Cells.Features.Count, cellPaths);
    }
}
