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

    /// <summary>How far (pixels) a stroked line may stand off its snapped vertices: half a pixel (Douglas–Peucker on each ring
    /// in pixels). Strokes only: it is not coverage-safe (two neighbours may keep different vertices of their shared edge),
    /// which a line of a pixel or more hides and a fill would not. The national study maps' strokes: 611 → 172 MB allocated,
    /// their drawing about half the processor time (issue 28).</summary>
    public const float StrokeTolerance = 0.5f;

    /// <summary>Every polygon ring of <paramref name="g"/> (holes included, even-odd), snapped and cut to <paramref name="clip"/>;
    /// with <paramref name="dash"/> (on/off lengths in pixels), the rings' dashes as open sub-paths instead, to be stroked
    /// without a path effect (Skia's PDF backend turns a dashed stroke into filled outlines: most of the atlas's size); with
    /// <paramref name="tolerance"/> &gt; 0 (pixels), each ring further reduced by Douglas–Peucker (strokes only: see
    /// <see cref="StrokeTolerance"/>); <paramref name="grid"/>: the snapping grid in pixels (<see cref="Grid"/> unless the output
    /// is coarser, e.g. the atlas's PDF).</summary>
    public static SKPath Build(Geometry g, MapLayout layout, SKRect clip, float[]? dash = null, float tolerance = 0, float grid = Grid)
    {
        using var builder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        Add(builder, g, layout, clip, dash, tolerance, grid);
        return builder.Detach();
    }

    /// <summary>Adds the rings of <paramref name="g"/> to <paramref name="builder"/> (see <see cref="Build"/>).</summary>
    public static void Add(SKPathBuilder builder, Geometry g, MapLayout layout, SKRect clip, float[]? dash = null, float tolerance = 0, float grid = Grid)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon poly) continue;
            AddRing(builder, null, poly.ExteriorRing, layout, clip, dash, tolerance, grid);
            foreach (var hole in poly.InteriorRings) AddRing(builder, null, hole, layout, clip, dash, tolerance, grid);
        }
    }

    /// <summary>The rings of <paramref name="g"/> (see <see cref="Build"/>, undashed) added to <paramref name="sink"/>.</summary>
    internal static void Add(Polylines sink, Geometry g, MapLayout layout, SKRect clip, float tolerance, float grid)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon poly) continue;
            AddRing(null, sink, poly.ExteriorRing, layout, clip, null, tolerance, grid);
            foreach (var hole in poly.InteriorRings) AddRing(null, sink, hole, layout, clip, null, tolerance, grid);
        }
    }

    private static void AddRing(SKPathBuilder? builder, Polylines? sink, LineString ring, MapLayout layout, SKRect clip, float[]? dash, float tolerance, float grid)
    {
        if (ring.NumPoints < 3) return;
        var pool = ArrayPool<SKPoint>.Shared;
        var pts = pool.Rent(ring.NumPoints);
        try
        {
            int n = Snap(ring, layout, clip, grid, pts, out bool inside);
            if (n < 3) return;
            if (tolerance > 0)
            {
                // A sliver thinner than the tolerance (a straddle along a boundary) reduces to its two far ends: kept as
                // that line, which the stroke draws; only a fill needs three vertices.
                n = Reduce(pts, n, tolerance);
                if (n < 2) return;
            }
            if (inside)
            {
                if (sink is not null) sink.Add(pts.AsSpan(0, n), closed: true);
                else Emit(builder!, pts.AsSpan(0, n), dash);
                return;
            }
            Clip(builder, sink, pts, n, clip, dash);
        }
        finally
        {
            pool.Return(pts);
        }
    }

    /// <summary>The snapped ring <paramref name="pts"/>[0..n) cut to <paramref name="clip"/> (Sutherland–Hodgman) into
    /// <paramref name="sink"/>, as <see cref="Add(Polylines, Geometry, MapLayout, SKRect, float, float)"/> adds a ring.</summary>
    internal static void AddClipped(Polylines sink, SKPoint[] pts, int n, SKRect clip)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            var s = pts[i];
            if (s.X < minX) minX = s.X;
            if (s.X > maxX) maxX = s.X;
            if (s.Y < minY) minY = s.Y;
            if (s.Y > maxY) maxY = s.Y;
        }
        if (maxX < clip.Left || minX > clip.Right || maxY < clip.Top || minY > clip.Bottom) return;
        if (minX >= clip.Left && maxX <= clip.Right && minY >= clip.Top && maxY <= clip.Bottom) sink.Add(pts.AsSpan(0, n), closed: true);
        else Clip(null, sink, pts, n, clip, null);
    }

    private static void Clip(SKPathBuilder? builder, Polylines? sink, SKPoint[] pts, int n, SKRect clip, float[]? dash)
    {
        var pool = ArrayPool<SKPoint>.Shared;
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
            if (m >= 3 && sink is not null) sink.Add(clipped.AsSpan(0, m), closed: true);
            else if (m >= 3) Emit(builder!, clipped.AsSpan(0, m), dash);
        }
        finally
        {
            pool.Return(clipped);
            pool.Return(other);
        }
    }

    /// <summary>The ring snapped to the grid into <paramref name="pts"/> (repeated vertices merged, the closing one dropped);
    /// its vertex count, 0 when under 3 or wholly outside <paramref name="clip"/>; whether it lies wholly inside.</summary>
    private static int Snap(LineString ring, MapLayout layout, SKRect clip, float grid, SKPoint[] pts, out bool inside)
    {
        var seq = ring.CoordinateSequence;
        inside = false;
        int n = 0;
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < seq.Count; i++)
        {
            var p = layout.ToPixel(seq.GetX(i), seq.GetY(i));
            var s = new SKPoint(MathF.Round(p.X / grid) * grid, MathF.Round(p.Y / grid) * grid);
            if (n > 0 && pts[n - 1] == s) continue;
            pts[n++] = s;
            if (s.X < minX) minX = s.X;
            if (s.X > maxX) maxX = s.X;
            if (s.Y < minY) minY = s.Y;
            if (s.Y > maxY) maxY = s.Y;
        }
        // The closing vertex repeats the first: the path closes the ring itself.
        if (n > 1 && pts[n - 1] == pts[0]) n--;
        if (n < 3) return 0;
        if (maxX < clip.Left || minX > clip.Right || maxY < clip.Top || minY > clip.Bottom) return 0;
        inside = minX >= clip.Left && maxX <= clip.Right && minY >= clip.Top && maxY <= clip.Bottom;
        return n;
    }

    /// <summary>
    /// The boundaries of <paramref name="geoms"/> as one path of open lines for a stroke, at print resolution: snapped to
    /// <paramref name="grid"/>, each edge drawn once though two neighbours share it (the grid snap is a function of the vertex
    /// alone, so both hold it alike), edges wholly on one side outside <paramref name="clip"/> left out, then each run of edges
    /// simplified (Douglas–Peucker) to <paramref name="tolerance"/>. Half the vertices of a commune map's outlines, and the
    /// simplified line is the same whichever neighbour drew it.
    /// </summary>
    public static SKPath BuildLines(IEnumerable<Geometry> geoms, MapLayout layout, SKRect clip, float[]? dash, float grid, float tolerance,
        CancellationToken cancel = default)
    {
        using var builder = new SKPathBuilder();
        AddLines(builder, null, geoms, layout, clip, dash, grid, tolerance, cancel);
        return builder.Detach();
    }

    /// <summary>The lines of <see cref="BuildLines"/> added to <paramref name="builder"/> (dashed when <paramref name="dash"/> is
    /// given) when it is not null, and undashed to <paramref name="plain"/> when it is not null (a fiche's lines, kept as arrays).</summary>
    /// <param name="hidden">Snapped edges (<see cref="EdgeKey"/>) left out: drawn over by a wider line of another layer.</param>
    /// <param name="drawn">When given, receives the snapped edges this call drew.</param>
    internal static void AddLines(SKPathBuilder? builder, Polylines? plain, IEnumerable<Geometry> geoms, MapLayout layout, SKRect clip,
        float[]? dash, float grid, float tolerance, CancellationToken cancel = default, HashSet<(long, long)>? hidden = null,
        HashSet<(long, long)>? drawn = null)
    {
        // One set per thread, emptied for each call: a fiche's lines hold tens of thousands of edges.
        var seen = _seen ??= [];
        seen.Clear();
        var pool = ArrayPool<SKPoint>.Shared;
        var pts = pool.Rent(256);
        var run = pool.Rent(256);
        try
        {
            foreach (var g in geoms)
            {
                cancel.ThrowIfCancellationRequested();
                for (int k = 0; k < g.NumGeometries; k++)
                {
                    if (g.GetGeometryN(k) is not Polygon poly) continue;
                    for (int r = -1; r < poly.NumInteriorRings; r++)
                    {
                        var ring = r < 0 ? poly.ExteriorRing : poly.GetInteriorRingN(r);
                        if (ring.NumPoints < 3) continue;
                        if (pts.Length < ring.NumPoints + 1)
                        {
                            pool.Return(pts);
                            pool.Return(run);
                            pts = pool.Rent(ring.NumPoints + 1);
                            run = pool.Rent(ring.NumPoints + 1);
                        }
                        int n = Snap(ring, layout, clip, grid, pts, out bool inside);
                        if (n < 3) continue;
                        int m = 0;
                        for (int i = 0; i < n; i++)
                        {
                            var a = pts[i];
                            var b = pts[i + 1 == n ? 0 : i + 1];
                            var key = EdgeKey(a, b);
                            bool draw = (inside || !Outside(a, b, clip)) && seen.Add(key) && hidden?.Contains(key) != true;
                            if (draw)
                            {
                                if (m == 0) run[m++] = a;
                                run[m++] = b;
                            }
                            else if (m > 0)
                            {
                                EmitOpen(builder, plain, run, m, dash, tolerance);
                                m = 0;
                            }
                        }
                        if (m > 0) EmitOpen(builder, plain, run, m, dash, tolerance);
                    }
                }
            }
        }
        finally
        {
            pool.Return(pts);
            pool.Return(run);
        }
        drawn?.UnionWith(seen);
    }

    /// <summary>A snapped edge as a key, the same whichever way it runs.</summary>
    internal static (long, long) EdgeKey(SKPoint a, SKPoint b) => Less(a, b) ? (Key(a), Key(b)) : (Key(b), Key(a));

    [ThreadStatic]
    private static HashSet<(long, long)>? _seen;

    /// <summary>A snapped vertex as one integer (its two floats' bits; −0 made +0): an edge's key hashes as two longs, not four
    /// floats through SKPoint's comparer.</summary>
    private static long Key(SKPoint p) => ((long)BitConverter.SingleToInt32Bits(p.X + 0f) << 32) | (uint)BitConverter.SingleToInt32Bits(p.Y + 0f);

    private static bool Less(SKPoint a, SKPoint b) => a.X < b.X || (a.X == b.X && a.Y < b.Y);

    /// <summary>Whether the segment lies wholly on one side outside the box (it cannot cross it).</summary>
    internal static bool Outside(SKPoint a, SKPoint b, SKRect clip) =>
        (a.X < clip.Left && b.X < clip.Left) || (a.X > clip.Right && b.X > clip.Right)
        || (a.Y < clip.Top && b.Y < clip.Top) || (a.Y > clip.Bottom && b.Y > clip.Bottom);

    private static void EmitOpen(SKPathBuilder? builder, Polylines? plain, SKPoint[] run, int m, float[]? dash, float tolerance)
    {
        if (m < 2) return;
        if (tolerance > 0) m = Simplify(run, m, tolerance);
        if (builder is not null) Emit(builder, run.AsSpan(0, m), dash, closed: false);
        plain?.Add(run.AsSpan(0, m), closed: false);
    }

    /// <summary>
    /// Douglas–Peucker on the open line <paramref name="pts"/>[0..n), in place: its ends kept, and between two kept vertices only
    /// the farthest from their chord when it is more than <paramref name="tolerance"/> away, recursively. Returns the count kept.
    /// The distance is to the chord as a segment: a spike running back past its ends is kept.
    /// </summary>
    internal static int Simplify(SKPoint[] pts, int n, float tolerance) =>
        n <= 2 ? n : Keep(pts, n, tolerance, [(0, n - 1)], segment: true);

    /// <summary>Douglas–Peucker on a closed ring in pixels, in place: the ring split at vertex 0 and the vertex farthest
    /// from it, each half reduced to the vertices that stand more than <paramref name="tolerance"/> pixels off the line
    /// between the kept ones. Returns the new count.</summary>
    private static int Reduce(SKPoint[] pts, int n, float tolerance)
    {
        if (n <= 4) return n;
        var p0 = pts[0];
        int far = 1;
        float best = -1;
        for (int i = 1; i < n; i++)
        {
            float d = SKPoint.DistanceSquared(p0, pts[i]);
            if (d > best) { best = d; far = i; }
        }
        // Index n stands for vertex 0 again, closing the ring.
        return Keep(pts, n, tolerance, [(0, far), (far, n)], segment: false);
    }

    /// <summary>The Douglas–Peucker walk both share: the ends of every span in <paramref name="spans"/> kept, then within each
    /// the farthest vertex from the chord while it stands more than <paramref name="tolerance"/> off (to the chord as a
    /// segment, or as a line); index <paramref name="n"/> is vertex 0. The kept vertices moved to the front, their count returned.</summary>
    private static int Keep(SKPoint[] pts, int n, float tolerance, ReadOnlySpan<(int From, int To)> spans, bool segment)
    {
        var keep = ArrayPool<bool>.Shared.Rent(n + 1);
        var stack = ArrayPool<int>.Shared.Rent(2 * n + 4);
        try
        {
            Array.Clear(keep, 0, n + 1);
            int sp = 0;
            foreach (var (from, to) in spans)
            {
                keep[from] = keep[to] = true;
                stack[sp++] = from;
                stack[sp++] = to;
            }
            float tol2 = tolerance * tolerance;
            while (sp > 0)
            {
                int b = stack[--sp], a = stack[--sp];
                if (b - a < 2) continue;
                var pa = pts[a];
                var pb = pts[b == n ? 0 : b];
                float dx = pb.X - pa.X, dy = pb.Y - pa.Y, len2 = dx * dx + dy * dy;
                int worst = -1;
                float worstD = tol2;
                for (int i = a + 1; i < b; i++)
                {
                    float ex = pts[i].X - pa.X, ey = pts[i].Y - pa.Y, d;
                    if (segment)
                    {
                        float t = len2 > 0 ? Math.Clamp((ex * dx + ey * dy) / len2, 0, 1) : 0;
                        float fx = ex - t * dx, fy = ey - t * dy;
                        d = fx * fx + fy * fy;
                    }
                    else if (len2 == 0) d = ex * ex + ey * ey;
                    else
                    {
                        float cross = ex * dy - ey * dx;
                        d = cross * cross / len2;
                    }
                    if (d > worstD) (worstD, worst) = (d, i);
                }
                if (worst < 0) continue;
                keep[worst] = true;
                stack[sp++] = a;
                stack[sp++] = worst;
                stack[sp++] = worst;
                stack[sp++] = b;
            }
            int m = 0;
            for (int i = 0; i < n; i++)
                if (keep[i]) pts[m++] = pts[i];
            return m;
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(keep);
            ArrayPool<int>.Shared.Return(stack);
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

    /// <param name="snap">When &gt; 0, where a dash starts or ends between two vertices is rounded to this grid (pixels): the
    /// atlas's PDF writes each such point's coordinates with all their decimals (the vertices, snapped, are whole numbers).</param>
    internal static void Emit(SKPathBuilder builder, ReadOnlySpan<SKPoint> ring, float[]? dash, bool closed = true, float snap = 0)
    {
        if (dash is not { Length: >= 2 })
        {
            builder.AddPoly(ring, closed);
            return;
        }
        // Skia's dashing of a closed contour: the pattern starts on at the first vertex and runs on through the closing edge.
        int k = 0;
        float left = dash[0];
        bool on = true, open = false;
        for (int i = 0; i < (closed ? ring.Length : ring.Length - 1); i++)
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
                if (snap > 0) p = new SKPoint(MathF.Round(p.X / snap) * snap, MathF.Round(p.Y / snap) * snap);
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
