using CepGeo.Core.Rendering;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// The atlas's map lines at print resolution (issue 28): an edge two neighbours share is drawn once, and a line keeps only
/// the vertices farther than the tolerance from the chord of what is kept around them (Douglas–Peucker).
/// </summary>
public sealed class PrintPathTests
{
    private static readonly SKRect Everywhere = new(-10000, -10000, 10000, 10000);

    [Fact]
    public void BuildLines_DrawsTheEdgeTwoSquaresShare_Once()
    {
        var reader = new WKTReader();
        var left = reader.Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))");
        // The right square runs its shared edge the other way, from another first vertex.
        var right = reader.Read("POLYGON ((200 100, 100 100, 100 0, 200 0, 200 100))");
        var layout = new MapLayout(new Envelope(0, 200, 0, 100), 1600);
        float side = layout.ToPixel(100, 0).X - layout.ToPixel(0, 0).X;
        using var lines = PixelPaths.BuildLines([left, right], layout, Everywhere, null, 1, 0.5f);
        using var rings = new SKPathBuilder();
        PixelPaths.Add(rings, left, layout, Everywhere, grid: 1);
        PixelPaths.Add(rings, right, layout, Everywhere, grid: 1);
        using var both = rings.Detach();
        // Seven sides once each (the outline of the pair and the shared edge), against eight drawn ring by ring.
        Assert.InRange(Length(lines), 7 * side - 4, 7 * side + 4);
        Assert.InRange(Length(both), 8 * side - 4, 8 * side + 4);
        // Every vertex on the one-unit grid.
        Assert.All(lines.Points, p => Assert.True(p.X == MathF.Round(p.X) && p.Y == MathF.Round(p.Y), $"{p}"));
    }

    [Fact]
    public void BuildLines_LeavesOutEdgesWhollyOutsideTheBox()
    {
        var square = new WKTReader().Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))");
        var layout = new MapLayout(new Envelope(0, 100, 0, 100), 1600);
        // A box over the square's left half: its right side lies wholly outside, the top and bottom cross the box.
        var box = new SKRect(layout.ToPixel(0, 0).X - 1, layout.ToPixel(0, 100).Y - 1, layout.ToPixel(50, 0).X, layout.ToPixel(0, 0).Y + 1);
        using var lines = PixelPaths.BuildLines([square], layout, box, null, 1, 0.5f);
        float side = layout.ToPixel(100, 0).X - layout.ToPixel(0, 0).X;
        Assert.InRange(Length(lines), 3 * side - 4, 3 * side + 4);
    }

    [Fact]
    public void Simplify_KeepsTheEnds_AndOnlyTheVerticesFartherThanTheToleranceFromTheirChord()
    {
        SKPoint[] pts = [new(0, 0), new(1, 0.2f), new(2, -0.2f), new(3, 0.1f), new(4, 0), new(5, 3), new(6, 0)];
        // 0–6: (5, 3) is 3 from the chord; 0–5: (4, 0) is 12/√34 = 2.06 from it; 0–4: no point is more than 0.2 away.
        int n = PixelPaths.Simplify(pts, pts.Length, 0.5f);
        Assert.Equal([new SKPoint(0, 0), new SKPoint(4, 0), new SKPoint(5, 3), new SKPoint(6, 0)], pts.Take(n));
        // Below the noise everything stays.
        SKPoint[] again = [new(0, 0), new(1, 0.2f), new(2, -0.2f), new(3, 0.1f), new(4, 0), new(5, 3), new(6, 0)];
        Assert.Equal(7, PixelPaths.Simplify(again, again.Length, 0.05f));
    }

    [Fact]
    public void BuildLines_Dashed_FollowsThePatternAlongTheOpenRuns()
    {
        var square = new WKTReader().Read("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))");
        var layout = new MapLayout(new Envelope(0, 1000, 0, 1000), 1600);
        using var dashed = PixelPaths.BuildLines([square], layout, Everywhere, [9, 4], 1, 0.5f);
        float perimeter = 4 * (layout.ToPixel(1000, 0).X - layout.ToPixel(0, 0).X);
        // 9 on out of every 13, within one dash.
        Assert.InRange(Length(dashed), perimeter * 9 / 13 - 9, perimeter * 9 / 13 + 9);
    }

    private static float Length(SKPath path)
    {
        using var measure = new SKPathMeasure(path, false);
        float total = 0;
        do total += measure.Length;
        while (measure.NextContour());
        return total;
    }
}
