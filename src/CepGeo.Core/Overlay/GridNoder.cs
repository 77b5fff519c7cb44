using CepGeo.Core.Model;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Nodes a set of lines: wherever two segments meet inside one of them, both get a vertex there.
/// Segments are bucketed in a uniform grid (sized to the mean segment length) and the pairs of
/// each bucket tested with exact orientations, in parallel. Polygon boundaries are short segments
/// that mostly touch at shared vertices; on national data this finds the few crossings several
/// times faster than a monotone-chain noder walking an R-tree.
/// </summary>
internal static class GridNoder
{
    /// <summary>
    /// The lines with a vertex added at every interior contact, or null when the computed
    /// (rounded) vertices left a contact of their own: the caller must then node robustly.
    /// </summary>
    /// <param name="tags">A value per segment, in line order (which layers it bounds); each piece
    /// keeps its segment's. Returned aligned with the noded lines.</param>
    /// <param name="addedNodes">Whether any vertex was added (false: the input was already noded).</param>
    public static Lines? Node(Lines lines, ref ulong[] tags, out bool addedNodes)
    {
        addedNodes = false;
        bool[]? changed = null;
        // Computed vertices are rounded and can make contacts of their own (three lines crossing
        // almost at one point): node again, a few times, only around the pieces that moved. An
        // unsplit segment met no one in the previous round, so a new contact holds a split piece.
        for (int round = 0; round < MaxRounds; round++)
        {
            var segments = Segments.Of(lines);
            var contacts = Contacts(segments, changed);
            if (contacts.Count == 0) return lines;
            addedNodes = true;
            var nodes = NodesOnSegments(segments, contacts);
            lines = Split(lines, segments, nodes, ref tags, out changed);
        }
        return null;
    }

    private const int MaxRounds = 4;

    /// <summary>Segments as flat arrays, each knowing its first vertex in the lines.</summary>
    private sealed class Segments
    {
        public double[] X0 = [], Y0 = [], X1 = [], Y1 = [];
        public int Count;

        public static Segments Of(Lines lines)
        {
            int n = lines.SegmentCount;
            var s = new Segments { X0 = new double[n], Y0 = new double[n], X1 = new double[n], Y1 = new double[n], Count = n };
            int k = 0;
            var (x, y) = (lines.X, lines.Y);
            for (int li = 0; li < lines.Count; li++)
                for (int v = lines.Start[li]; v + 1 < lines.Start[li + 1]; v++, k++)
                {
                    s.X0[k] = x[v]; s.Y0[k] = y[v]; s.X1[k] = x[v + 1]; s.Y1[k] = y[v + 1];
                }
            return s;
        }
    }

    /// <summary>
    /// Pairs of segments meeting in an interior. With <paramref name="changed"/>, only pairs
    /// holding at least one changed segment are tested.
    /// </summary>
    private static List<(int A, int B)> Contacts(Segments s, bool[]? changed)
    {
        int n = s.Count;
        var result = new List<(int, int)>();
        if (n < 2) return result;
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity;
        double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity, length = 0;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, Math.Min(s.X0[i], s.X1[i])); maxX = Math.Max(maxX, Math.Max(s.X0[i], s.X1[i]));
            minY = Math.Min(minY, Math.Min(s.Y0[i], s.Y1[i])); maxY = Math.Max(maxY, Math.Max(s.Y0[i], s.Y1[i]));
            length += Math.Abs(s.X1[i] - s.X0[i]) + Math.Abs(s.Y1[i] - s.Y0[i]);
        }
        // Cells about twice the mean segment, and never more than about two per segment (lines in
        // far-apart clusters would otherwise make a grid of mostly empty cells).
        double w = maxX - minX, h = maxY - minY;
        double cell = Math.Max(2 * length / n, Math.Sqrt(w * h / (2.0 * n + 16)));
        if (!(cell > 0) || !double.IsFinite(cell)) cell = Math.Max(Math.Max(w, h), 1);
        int nx = (int)Math.Min(w / cell, 1 << 20) + 1, ny = (int)Math.Min(h / cell, 1 << 20) + 1;
        if ((long)nx * ny > 1 << 24) { nx = Math.Min(nx, 4096); ny = Math.Min(ny, 4096); cell = Math.Max(w / (nx - 1e-9), h / (ny - 1e-9)); }
        int Col(double x) => Math.Min(nx - 1, (int)((x - minX) / cell));
        int Row(double y) => Math.Min(ny - 1, (int)((y - minY) / cell));

        // With changed segments, only the cells they cross matter.
        bool[]? hot = null;
        if (changed is not null)
        {
            hot = new bool[nx * ny];
            for (int i = 0; i < n; i++)
            {
                if (!changed[i]) continue;
                for (int r = Row(Math.Min(s.Y0[i], s.Y1[i])), r1 = Row(Math.Max(s.Y0[i], s.Y1[i])); r <= r1; r++)
                    for (int c = Col(Math.Min(s.X0[i], s.X1[i])), c1 = Col(Math.Max(s.X0[i], s.X1[i])); c <= c1; c++)
                        hot[r * nx + c] = true;
            }
        }

        // Buckets as CSR: count, prefix sums, fill.
        var start = new int[nx * ny + 1];
        for (int pass = 0; pass < 2; pass++)
        {
            var fill = pass == 0 ? null : (int[])start.Clone();
            var entries = pass == 0 ? null : new int[start[^1]];
            for (int i = 0; i < n; i++)
            {
                int c0 = Col(Math.Min(s.X0[i], s.X1[i])), c1 = Col(Math.Max(s.X0[i], s.X1[i]));
                int r0 = Row(Math.Min(s.Y0[i], s.Y1[i])), r1 = Row(Math.Max(s.Y0[i], s.Y1[i]));
                for (int r = r0; r <= r1; r++)
                    for (int c = c0; c <= c1; c++)
                    {
                        int b = r * nx + c;
                        if (hot is not null && !hot[b]) continue;
                        if (pass == 0) start[b + 1]++;
                        else entries![fill![b]++] = i;
                    }
            }
            if (pass == 0)
            {
                for (int b = 0; b < nx * ny; b++) start[b + 1] += start[b];
                continue;
            }

            // Each pair is tested once: in the bucket holding the low corner of the overlap of
            // the two envelopes (both segments are in it).
            int buckets = nx * ny, chunks = Math.Max(1, Math.Min(256, buckets / 1024));
            var found = new List<(int, int)>[chunks];
            Parallel.For(0, chunks, chunk =>
            {
                var local = new List<(int, int)>();
                int b0 = (int)((long)buckets * chunk / chunks), b1 = (int)((long)buckets * (chunk + 1) / chunks);
                for (int b = b0; b < b1; b++)
                {
                    int e0 = start[b], e1 = start[b + 1];
                    for (int p = e0; p < e1; p++)
                    {
                        int i = entries![p];
                        double ix0 = Math.Min(s.X0[i], s.X1[i]), ix1 = Math.Max(s.X0[i], s.X1[i]);
                        double iy0 = Math.Min(s.Y0[i], s.Y1[i]), iy1 = Math.Max(s.Y0[i], s.Y1[i]);
                        for (int q = p + 1; q < e1; q++)
                        {
                            int j = entries[q];
                            if (changed is not null && !changed[i] && !changed[j]) continue;
                            double jx0 = Math.Min(s.X0[j], s.X1[j]), jx1 = Math.Max(s.X0[j], s.X1[j]);
                            double jy0 = Math.Min(s.Y0[j], s.Y1[j]), jy1 = Math.Max(s.Y0[j], s.Y1[j]);
                            if (ix1 < jx0 || jx1 < ix0 || iy1 < jy0 || jy1 < iy0) continue;
                            if (Row(Math.Max(iy0, jy0)) * nx + Col(Math.Max(ix0, jx0)) != b) continue;
                            if (!SegmentContact.MeetInInterior(s.X0[i], s.Y0[i], s.X1[i], s.Y1[i], s.X0[j], s.Y0[j], s.X1[j], s.Y1[j]))
                                continue;
                            local.Add(i < j ? (i, j) : (j, i));
                        }
                    }
                }
                found[chunk] = local;
            });
            foreach (var l in found) if (l is not null) result.AddRange(l);
        }
        return result;
    }

    /// <summary>The vertices to add on each segment (null for most), from every contact.</summary>
    private static List<(double X, double Y)>?[] NodesOnSegments(Segments s, List<(int A, int B)> contacts)
    {
        var nodes = new List<(double, double)>?[s.Count];
        var li = new RobustLineIntersector();
        foreach (var (a, b) in contacts)
        {
            li.ComputeIntersection(new Coordinate(s.X0[a], s.Y0[a]), new Coordinate(s.X1[a], s.Y1[a]),
                new Coordinate(s.X0[b], s.Y0[b]), new Coordinate(s.X1[b], s.Y1[b]));
            for (int k = 0; k < li.IntersectionNum; k++)
            {
                var p = li.GetIntersection(k);
                (nodes[a] ??= []).Add((p.X, p.Y));
                (nodes[b] ??= []).Add((p.X, p.Y));
            }
        }
        return nodes;
    }

    /// <summary>The lines with their nodes inserted in order; <paramref name="changed"/> marks the pieces of split segments.</summary>
    private static Lines Split(Lines lines, Segments s, List<(double X, double Y)>?[] nodes, ref ulong[] tags, out bool[] changed)
    {
        var result = new Lines.Builder(lines.X.Length + lines.X.Length / 64 + 16);
        var changedList = new List<bool>(s.Count + nodes.Length / 8);
        var tagList = new List<ulong>(s.Count + nodes.Length / 8);
        var (x, y) = (lines.X, lines.Y);
        int k = 0;
        for (int li = 0; li < lines.Count; li++)
        {
            int v0 = lines.Start[li], v1 = lines.Start[li + 1];
            if (v1 - v0 < 2) { k += Math.Max(0, v1 - v0 - 1); continue; }
            result.Add(x[v0], y[v0]);
            for (int v = v0; v + 1 < v1; v++, k++)
            {
                double ax = x[v], ay = y[v], bx = x[v + 1], by = y[v + 1];
                var extra = nodes[k];
                int before = result.Pending;
                if (extra is not null)
                {
                    double dx = bx - ax, dy = by - ay;
                    extra.Sort((p, q) => ((p.X - ax) * dx + (p.Y - ay) * dy).CompareTo((q.X - ax) * dx + (q.Y - ay) * dy));
                    foreach (var (px, py) in extra)
                        if (!(px == result.LastX && py == result.LastY) && !(px == bx && py == by)) result.Add(px, py);
                }
                result.Add(bx, by);
                int pieces = result.Pending - before;
                for (int piece = 0; piece < pieces; piece++)
                {
                    changedList.Add(pieces > 1);
                    tagList.Add(tags[k]);
                }
            }
            result.EndLine();
        }
        changed = changedList.ToArray();
        tags = tagList.ToArray();
        return result.ToLines();
    }
}
