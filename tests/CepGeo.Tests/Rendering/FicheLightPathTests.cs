using CepGeo.Core.Rendering;
using CepGeo.Tests.Design;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// A fiche's map drawn with fewer vertices for the same pixels (issue 28, the atlas's bytes): the cells around the fiche filled
/// by the outline of the cells dissolved, commune edges under a cell's or a zone's line left out, the networks' halos as one
/// path, dash cuts on the half unit.
/// </summary>
public sealed class FicheLightPathTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    private static readonly SKRect Everywhere = new(-10000, -10000, 10000, 10000);

    [Fact]
    public void AddLines_LeavesOutTheEdgesAnotherLayerDraws()
    {
        var reader = new WKTReader();
        var left = reader.Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))");
        var right = reader.Read("POLYGON ((200 100, 100 100, 100 0, 200 0, 200 100))");
        var layout = new MapLayout(new Envelope(0, 200, 0, 100), 1600);
        float side = layout.ToPixel(100, 0).X - layout.ToPixel(0, 0).X;
        // The "zone" is the right square: its four sides are what it drew.
        var drawn = new HashSet<(long, long)>();
        var zone = new Polylines();
        PixelPaths.AddLines(null, zone, [right], layout, Everywhere, null, 1, 0.68f, drawn: drawn);
        Assert.Equal(4, drawn.Count);
        // The "communes" are both squares: of their seven sides, the right square's four (the shared one included) are hidden.
        var communes = new Polylines();
        PixelPaths.AddLines(null, communes, [left, right], layout, Everywhere, null, 1, 0.68f, hidden: drawn);
        Assert.InRange(Length(communes), 3 * side - 2, 3 * side + 2);
        // Nothing hidden: all seven.
        var all = new Polylines();
        PixelPaths.AddLines(null, all, [left, right], layout, Everywhere, null, 1, 0.68f);
        Assert.InRange(Length(all), 7 * side - 2, 7 * side + 2);
    }

    [Fact]
    public void Dissolve_IsTheCellsOutline_OrNothingWhenTheyOverlap()
    {
        var reader = new WKTReader();
        var left = reader.Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))");
        var right = reader.Read("POLYGON ((200 100, 100 100, 100 0, 200 0, 200 100))");
        var island = reader.Read("POLYGON ((300 0, 310 0, 310 10, 300 10, 300 0))");
        var d = MapScene.Dissolve([left, right, island])!;
        // Two parts: the 200 x 100 rectangle (perimeter 600, no shared edge left) and the island.
        Assert.Equal(2, d.Count);
        Assert.Equal(20000, d[0].Area, 6);
        Assert.Equal(600, d[0].Length, 6);
        Assert.Equal(100, d[1].Area, 6);
        // Overlapping cells are no coverage: the fiche then fills each cell as before.
        var overlapping = reader.Read("POLYGON ((50 0, 150 0, 150 100, 50 100, 50 0))");
        Assert.Null(MapScene.Dissolve([left, overlapping]));
    }

    [Fact]
    public void PacaDissolvedCells_HaveTheCellsArea_AndTheirUnsharedEdgesForOutline()
    {
        var scene = MapScene.Build(paca.Result, lambert93: true);
        var cells = scene.Layers[0];
        var d = scene.CellsDissolved;
        Assert.NotNull(d);
        double area = cells.Sum(c => c.Area);
        Assert.Equal(area, d.Sum(g => g.Area), area * 1e-9);
        // Independently: the outline is every segment of the cells' rings that no other ring has (counted by its two ends).
        var count = new Dictionary<(double, double, double, double), int>();
        double perimeter = 0;
        foreach (var c in cells)
            for (int k = 0; k < c.NumGeometries; k++)
            {
                var poly = (Polygon)c.GetGeometryN(k);
                foreach (var ring in new[] { poly.ExteriorRing }.Concat(poly.InteriorRings))
                {
                    var cs = ring.Coordinates;
                    for (int i = 0; i + 1 < cs.Length; i++)
                    {
                        var (a, b) = (cs[i], cs[i + 1]);
                        var key = a.CompareTo(b) < 0 ? (a.X, a.Y, b.X, b.Y) : (b.X, b.Y, a.X, a.Y);
                        count[key] = count.GetValueOrDefault(key) + 1;
                    }
                }
            }
        foreach (var ((ax, ay, bx, by), n) in count)
            if (n == 1) perimeter += Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
        Assert.Equal(perimeter, d.Sum(g => g.Length), perimeter * 1e-9);
        // A fraction of the vertices every neighbour's ring had.
        Assert.True(d.Sum(g => g.NumPoints) * 2 < cells.Sum(c => c.NumPoints), "the outline is no lighter than the cells");
    }

    [Fact]
    public void PacaFiches_NearFillFromTheOutline_PaintsTheCellsRingsPixels_ButAlongTheirSeams()
    {
        var scene = MapScene.Build(paca.Result, lambert93: true);
        int cells = scene.Layers[0].Count;
        long frame = 0, off = 0;
        for (int cell = 0; cell < cells; cell++)
        {
            using var paths = TerritoryPaths.ForFiche(scene, cell);
            var layout = paths.Layout;
            var clip = TerritoryPaths.ClipOf(layout);
            // As the fill was drawn before: each cell's ring in the frame, reduced alike.
            var rings = new Polylines();
            foreach (var g in scene.Layers[0]) PixelPaths.Add(rings, g, layout, clip, TerritoryPaths.PrintTolerance, TerritoryPaths.PrintGrid);
            using var a = Raster(paths.NearFill, layout);
            using var b = Raster(rings, layout);
            Compare(a, b, layout, ref frame, ref off);
            // The outline is drawn with far fewer vertices.
            Assert.True(paths.NearFill.Count < rings.Count, $"cell {cell}: {paths.NearFill.Count} vertices against {rings.Count}");
        }
        // Off only along the seams of neighbours reduced apart (under the cells' 1.9-unit lines): 1,716 of 24.3 million pixels
        // (0.007 %) of PACA's 22 frames when written.
        Assert.True(off < frame / 2000, $"{off} of {frame} pixels differ");
    }

    [Fact]
    public void PacaFiches_OneHaloForAllNetworks_PaintsTheirHalosPixels_WithFewerVertices()
    {
        var scene = MapScene.Build(paca.Result, lambert93: true);
        long frame = 0, off = 0, one = 0, each = 0;
        for (int cell = 0; cell < scene.Layers[0].Count; cell++)
        {
            using var paths = TerritoryPaths.ForFiche(scene, cell);
            var layout = paths.Layout;
            using var a = Raster([paths.ZoneHalos], layout, MapRenderer.ZoneHalo);
            using var b = Raster(paths.ZoneLines, layout, MapRenderer.ZoneHalo);
            Compare(a, b, layout, ref frame, ref off);
            one += paths.ZoneHalos.Count;
            each += paths.ZoneLines.Sum(z => z.Count);
        }
        // PACA's three networks share much of their boundaries: 26,455 vertices against 58,750 when written.
        Assert.True(one * 2 < each, $"{one} vertices against {each}");
        // The same band but where a line's run is simplified otherwise (by at most 0.68 unit, under a 3.6-unit band): 1,081 of
        // 24.3 million pixels when written.
        Assert.True(off < frame / 5000, $"{off} of {frame} pixels differ");
    }

    [Fact]
    public void PacaFiches_CommuneEdgesLeftOutUnderOtherLines_LeaveTheMapsPixels()
    {
        var scene = MapScene.Build(paca.Result, lambert93: true);
        long frame = 0, off = 0, kept = 0, all = 0, off64 = 0;
        for (int cell = 0; cell < scene.Layers[0].Count; cell++)
        {
            using var paths = TerritoryPaths.ForFiche(scene, cell);
            var layout = paths.Layout;
            var clip = TerritoryPaths.ClipOf(layout);
            var (x0, y1) = layout.ToWorld(clip.Left, clip.Top);
            var (x1, y0) = layout.ToWorld(clip.Right, clip.Bottom);
            // The communes as they were drawn before: every edge (every arc), none left out.
            var every = new Polylines();
            var frameBox = new Envelope(x0, x1, y0, y1);
            var arcs = scene.Arcs()!;
            arcs.AddLines(every, arcs.InFrame(scene.UnitsArcLayer, frameBox).Select(f => (scene.UnitsArcLayer, f)), frameBox, 0, layout, clip,
                TerritoryPaths.PrintGrid, 2 * TerritoryPaths.PrintTolerance / layout.PixelsPerMetre, default);
            var layers = MapRenderer.FicheLayers(paths, oneHalo: true).ToList();
            using var a = Draw(layers, layout);
            using var b = Draw(layers.Select(l => ReferenceEquals(l.Lines, paths.Communes) ? l with { Lines = every } : l), layout);
            Compare(a, b, layout, ref frame, ref off, by: 16);
            long pixels = 0;
            Compare(a, b, layout, ref pixels, ref off64, by: 64);
            kept += paths.Communes!.Count;
            all += every.Count;
        }
        Assert.True(kept < all, $"{kept} commune vertices kept of {all}");
        // The whole fiche map drawn as the atlas draws it, with the communes' hidden edges or with every edge: only antialiased
        // fringes and round caps of the pale commune lines at the ends of the lines over them differ. When written (the communes
        // read off the scene's arcs, a commune's arc left out whole when a cell or a zone has it): 1,757 of 24.3 million pixels by
        // more than 16/255 (0.007 %), none by more than 64; 37,978 commune vertices of 59,482.
        string said = $"{off} of {frame} pixels differ by more than 16, {off64} by more than 64 ({kept} commune vertices of {all})";
        Assert.True(off < frame / 2000, said);
        Assert.True(off64 < frame / 1_000_000, said);
    }

    /// <summary>A fiche's layers drawn as the canvas draws them (fills even-odd, strokes with their widths and dashes).</summary>
    internal static SKBitmap Draw(IEnumerable<MapRenderer.FicheLayer> layers, MapLayout layout)
    {
        var bitmap = new SKBitmap(layout.Width, layout.Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        foreach (var l in layers)
        {
            using var path = l.Lines.ToPath(l.Width == 0 ? SKPathFillType.EvenOdd : SKPathFillType.Winding, l.Dash?.Select(v => v * layout.U).ToArray());
            using var paint = new SKPaint { Color = l.Color, IsAntialias = l.Antialias };
            if (l.Width > 0)
            {
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = l.Width * layout.U;
                paint.StrokeCap = l.Dash is null ? SKStrokeCap.Round : SKStrokeCap.Butt;
            }
            canvas.DrawPath(path, paint);
        }
        return bitmap;
    }

    /// <summary>Counts the map frame's pixels into <paramref name="frame"/> and those whose first channel (or any of the first
    /// <paramref name="channels"/>) differs by more than <paramref name="by"/> between <paramref name="a"/> and <paramref name="b"/>
    /// into <paramref name="off"/>.</summary>
    internal static void Compare(SKBitmap a, SKBitmap b, MapLayout layout, ref long frame, ref long off, int by = 0, int channels = 1)
    {
        var map = SKRectI.Round(layout.Map);
        var pa = a.GetPixelSpan();
        var pb = b.GetPixelSpan();
        for (int y = map.Top; y < map.Bottom; y++)
            for (int x = map.Left; x < map.Right; x++)
            {
                frame++;
                int k = 4 * (y * layout.Width + x);
                for (int c = 0; c < channels; c++)
                    if (Math.Abs(pa[k + c] - pb[k + c]) > by)
                    {
                        off++;
                        break;
                    }
            }
    }

    [Fact]
    public void Dashes_CutOnTheHalfUnit()
    {
        var line = new Polylines();
        line.Add([new SKPoint(0, 0), new SKPoint(7, 7)], closed: false);
        using var path = line.ToPath(SKPathFillType.Winding, [3, 5]);
        // On for 3 (to 2.12, 2.12: cut at 2, 2), off for 5 (to 5.66, 5.66: 5.5, 5.5), on to the end.
        Assert.Equal([new SKPoint(0, 0), new SKPoint(2, 2), new SKPoint(5.5f, 5.5f), new SKPoint(7, 7)], path.Points);
    }

    private static SKBitmap Raster(IEnumerable<Polylines> lines, MapLayout layout, float width)
    {
        var bitmap = new SKBitmap(layout.Width, layout.Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Stroke, StrokeWidth = width * layout.U, StrokeCap = SKStrokeCap.Round };
        foreach (var l in lines)
        {
            using var path = l.ToPath();
            canvas.DrawPath(path, paint);
        }
        return bitmap;
    }

    private static SKBitmap Raster(Polylines fill, MapLayout layout)
    {
        var bitmap = new SKBitmap(layout.Width, layout.Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var path = fill.ToPath(SKPathFillType.EvenOdd);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        canvas.DrawPath(path, paint);
        return bitmap;
    }

    private static float Length(Polylines lines)
    {
        float total = 0;
        for (int i = 0; i < lines.Parts; i++)
        {
            var (xy, _) = lines.Part(i);
            var s = xy.Span;
            for (int k = 2; k < s.Length; k += 2) total += SKPoint.Distance(new(s[k - 2], s[k - 1]), new(s[k], s[k + 1]));
        }
        return total;
    }
}
