using System.Buffers;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// Polygons as Skia paths in a map's pixels, with no more detail than the output can show (issue 28): each vertex snapped
/// to a grid of <see cref="Grid"/> pixel and the vertices of one grid cell merged, rings cut to a box around the frame
/// (Sutherland–Hodgman), dashes cut as open sub-paths. Snapping is a function of the vertex alone, so two neighbours that
/// share an edge still share it after (no seam, no overlap: coverage-safe), and it is linear in the vertices: no NTS
/// simplification or overlay per map (the national fiches spent 100 s of processor, most of it collecting the garbage of
/// per-fiche Douglas–Peucker and OverlayNG clipping).
/// </summary>
internal static class PixelPaths
{
    /// <summary>Half a pixel: the finest detail a raster shows, and at print size (the atlas draws the 1600-unit sheet at
    /// about 0.3 pt a unit) under a dot at 300 dpi.</summary>
    public const float Grid = 0.5f;

    /// <summary>Every polygon ring of <paramref name="g"/> (holes included, even-odd), snapped and cut to <paramref name="clip"/>;
    /// with <paramref name="dash"/> (on/off lengths in pixels), the rings' dashes as open sub-paths instead, to be stroked
    /// without a path effect (Skia's PDF backend turns a dashed stroke into filled outlines: most of the atlas's size).</summary>
    public static SKPath Build(Geometry g, MapLayout layout, SKRect clip, float[]? dash = null)
    {
        using var builder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        Add(builder, g, layout, clip, dash);
        return builder.Detach();
    }

    /// <summary>Adds the rings of <paramref name="g"/> to <paramref name="builder"/> (see <see cref="Build"/>).</summary>
    public static void Add(SKPathBuilder builder, Geometry g, MapLayout layout, SKRect clip, float[]? dash = null)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon poly) continue;
            AddRing(builder, poly.ExteriorRing, layout, clip, dash);
            foreach (var hole in poly.InteriorRings) AddRing(builder, hole, layout, clip, dash);
        }
    }

    private static void AddRing(SKPathBuilder builder, LineString ring, MapLayout layout, SKRect clip, float[]? dash)
    {
        var seq = ring.CoordinateSequence;
        if (seq.Count < 3) return;
        var pool = ArrayPool<SKPoint>.Shared;
        var pts = pool.Rent(seq.Count);
        try
        {
            int n = 0;
            float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
            for (int i = 0; i < seq.Count; i++)
            {
                var p = layout.ToPixel(seq.GetX(i), seq.GetY(i));
                var s = new SKPoint(MathF.Round(p.X / Grid) * Grid, MathF.Round(p.Y / Grid) * Grid);
                if (n > 0 && pts[n - 1] == s) continue;
                pts[n++] = s;
                if (s.X < minX) minX = s.X;
                if (s.X > maxX) maxX = s.X;
                if (s.Y < minY) minY = s.Y;
                if (s.Y > maxY) maxY = s.Y;
            }
            // The closing vertex repeats the first: the path closes the ring itself.
            if (n > 1 && pts[n - 1] == pts[0]) n--;
            if (n < 3) return;
            if (maxX < clip.Left || minX > clip.Right || maxY < clip.Top || minY > clip.Bottom) return;
            if (minX >= clip.Left && maxX <= clip.Right && minY >= clip.Top && maxY <= clip.Bottom)
            {
                Emit(builder, pts.AsSpan(0, n), dash);
                return;
            }
            var clipped = pool.Rent(2 * n + 8);
            var other = pool.Rent(2 * n + 8);
            try
            {
                int m = n;
                pts.AsSpan(0, n).CopyTo(clipped);
                m = ClipEdge(clipped, m, other, p => p.X >= clip.Left, (a, b) => AtX(a, b, clip.Left));
                m = ClipEdge(other, m, clipped, p => p.X <= clip.Right, (a, b) => AtX(a, b, clip.Right));
                m = ClipEdge(clipped, m, other, p => p.Y >= clip.Top, (a, b) => AtY(a, b, clip.Top));
                m = ClipEdge(other, m, clipped, p => p.Y <= clip.Bottom, (a, b) => AtY(a, b, clip.Bottom));
                if (m >= 3) Emit(builder, clipped.AsSpan(0, m), dash);
            }
            finally
            {
                pool.Return(clipped);
                pool.Return(other);
            }
        }
        finally
        {
            pool.Return(pts);
        }
    }

    /// <summary>One Sutherland–Hodgman step: the ring <paramref name="src"/> cut by a half-plane into <paramref name="dst"/>.</summary>
    private static int ClipEdge(SKPoint[] src, int n, SKPoint[] dst, Func<SKPoint, bool> inside, Func<SKPoint, SKPoint, SKPoint> cross)
    {
        int m = 0;
        if (n == 0) return 0;
        var prev = src[n - 1];
        bool prevIn = inside(prev);
        for (int i = 0; i < n; i++)
        {
            var cur = src[i];
            bool curIn = inside(cur);
            if (curIn != prevIn) dst[m++] = cross(prev, cur);
            if (curIn) dst[m++] = cur;
            prev = cur;
            prevIn = curIn;
        }
        return m;
    }

    private static SKPoint AtX(SKPoint a, SKPoint b, float x) => new(x, a.Y + (b.Y - a.Y) * (x - a.X) / (b.X - a.X));

    private static SKPoint AtY(SKPoint a, SKPoint b, float y) => new(a.X + (b.X - a.X) * (y - a.Y) / (b.Y - a.Y), y);

    private static void Emit(SKPathBuilder builder, ReadOnlySpan<SKPoint> ring, float[]? dash)
    {
        if (dash is not { Length: >= 2 })
        {
            builder.AddPoly(ring, true);
            return;
        }
        // Skia's dashing of a closed contour: the pattern starts on at the first vertex and runs on through the closing edge.
        int k = 0;
        float left = dash[0];
        bool on = true, open = false;
        for (int i = 0; i < ring.Length; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % ring.Length];
            float len = SKPoint.Distance(a, b), at = 0;
            if (on && !open)
            {
                builder.MoveTo(a);
                open = true;
            }
            while (len - at > left)
            {
                at += left;
                var p = new SKPoint(a.X + (b.X - a.X) * at / len, a.Y + (b.Y - a.Y) * at / len);
                if (on) builder.LineTo(p);
                else builder.MoveTo(p);
                on = !on;
                open = on;
                k = (k + 1) % dash.Length;
                left = dash[k];
            }
            left -= len - at;
            if (on) builder.LineTo(b);
        }
    }
}
