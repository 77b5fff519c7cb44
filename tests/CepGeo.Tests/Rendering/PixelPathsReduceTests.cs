using CepGeo.Core.Rendering;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>Stroked lines reduced to what the pixels show (issue 28): Douglas–Peucker at half a pixel on the snapped ring.</summary>
public class PixelPathsReduceTests
{
    private static readonly MapLayout Layout = new(new Envelope(0, 1000, 0, 1000), MapLayout.ScreenWidth);
    private static readonly SKRect Clip = new(0, 0, 1600, 1200);

    /// <summary>A square 200 px a side, a vertex every 10 px along its top, one of them <paramref name="bump"/> px below the edge.</summary>
    private static Polygon Square(float bump)
    {
        var pixels = new List<SKPoint>();
        for (int x = 100; x < 300; x += 10) pixels.Add(new SKPoint(x, x == 150 ? 100 + bump : 100));
        pixels.Add(new SKPoint(300, 100));
        pixels.Add(new SKPoint(300, 300));
        pixels.Add(new SKPoint(100, 300));
        pixels.Add(new SKPoint(100, 100));
        var coords = pixels.Select(p => { var (x, y) = Layout.ToWorld(p.X, p.Y); return new Coordinate(x, y); }).ToArray();
        return new GeometryFactory().CreatePolygon(coords);
    }

    [Fact]
    public void WithoutTolerance_EverySnappedVertexStays()
    {
        using var path = PixelPaths.Build(Square(1), Layout, Clip);
        // 20 vertices along the top (100, 110, …, 290), the three other corners.
        Assert.Equal(23, path.PointCount);
    }

    [Fact]
    public void AtHalfAPixel_CollinearVerticesGo_AndAPixelOffTheLineStays()
    {
        using var path = PixelPaths.Build(Square(1), Layout, Clip, null, PixelPaths.StrokeTolerance);
        var pts = path.Points;
        // By hand: the four corners, the vertex 1 px off the top edge, and its two neighbours on the edge, which stand 0.8
        // and 0.93 px off the chords from the corners to it (more than half a pixel); 110–130 and 170–290 go.
        Assert.Equal(7, pts.Length);
        Assert.Contains(pts, p => Math.Abs(p.X - 150) < 0.01 && Math.Abs(p.Y - 101) < 0.01);
        Assert.Contains(pts, p => Math.Abs(p.X - 140) < 0.01 && Math.Abs(p.Y - 100) < 0.01);
        Assert.Contains(pts, p => Math.Abs(p.X - 160) < 0.01 && Math.Abs(p.Y - 100) < 0.01);
        foreach (var corner in new[] { new SKPoint(100, 100), new SKPoint(300, 100), new SKPoint(300, 300), new SKPoint(100, 300) })
            Assert.Contains(pts, p => SKPoint.Distance(p, corner) < 0.01);
    }

    [Fact]
    public void AtHalfAPixel_AVertexHalfAPixelOffTheLineGoes()
    {
        using var path = PixelPaths.Build(Square(0.5f), Layout, Clip, null, PixelPaths.StrokeTolerance);
        Assert.Equal(4, path.PointCount);
    }

    [Fact]
    public void AtHalfAPixel_ASliverThinnerThanTheTolerance_IsStillStroked_AsItsLength()
    {
        // A straddle half a pixel wide and 20 long, a vertex every 10 px: by hand every vertex stands at most 0.4998 px off
        // the chords from (100, 100) to the farthest one (120, 100.5), so Douglas–Peucker keeps those two; the line they
        // make must still be drawn (straddles are only stroked), 20 px long.
        var pixels = new[] { new SKPoint(100, 100), new SKPoint(110, 100), new SKPoint(120, 100), new SKPoint(120, 100.5f), new SKPoint(110, 100.5f), new SKPoint(100, 100.5f), new SKPoint(100, 100) };
        var coords = pixels.Select(p => { var (x, y) = Layout.ToWorld(p.X, p.Y); return new Coordinate(x, y); }).ToArray();
        using var path = PixelPaths.Build(new GeometryFactory().CreatePolygon(coords), Layout, Clip, null, PixelPaths.StrokeTolerance);
        Assert.Equal(2, path.PointCount);
        Assert.Equal(20, path.Bounds.Width, 2);
    }
}
