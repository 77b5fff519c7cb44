using CepGeo.Core.Common;
using CepGeo.Core.Model;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Nodes a set of segments: wherever two segments meet inside one of them, both are cut there.
/// Segments are bucketed in a uniform grid (sized to the mean segment length) and the pairs of
/// each bucket tested with exact orientations, in parallel. Polygon boundaries are short segments
/// that mostly touch at shared vertices; on national data this finds the few crossings several
/// times faster than a monotone-chain noder walking an R-tree.
/// </summary>
/// <remarks>
/// The segments are the pairs of a <see cref="PointIndex"/>: a cut segment is marked dead and its
/// pieces are added as pairs (a piece that is already a pair only adds its tag to that pair's), so
/// the faces are traced on the same points without hashing them again.
/// </remarks>
internal sealed class GridNoder : INoder
{
    public static readonly GridNoder Instance = new();

    private GridNoder()
    {
    }

    /// <summary>The segments noded in place (pieces added to the index), or null when rounded vertices left contacts.</summary>
    public NodedLines? Node(BoundarySegments segments, GeometryFactory factory)
    {
        var dead = new List<bool>(segments.Count);
        return Node(segments.Index, segments.Masks, dead, out _, out _) ? new NodedLines(segments.Index, dead, segments.Masks) : null;
    }

    /// <summary>
    /// Cuts the segments of <paramref name="index"/> at every interior contact. False when the
    /// computed (rounded) vertices left a contact of their own: the caller must then node robustly.
    /// </summary>
    /// <param name="tags">A value per pair of the index (which layers it bounds); pieces get their
    /// segment's, OR-ed where pieces coincide. Grows with the pairs.</param>
    /// <param name="dead">Per pair, whether it was cut (its pieces replace it). Grows with the pairs.</param>
    /// <param name="addedNodes">Whether any segment was cut (false: the input was already noded).</param>
    /// <param name="rounds">How many rounds found contacts (more than one: rounded vertices made some).</param>
    public static bool Node(PointIndex index, List<ulong> tags, List<bool> dead, out bool addedNodes, out int rounds)
    {
        addedNodes = false;
        rounds = 0;
        while (dead.Count < index.PairA.Count) dead.Add(false);
        bool[]? changed = null;
        var piecesOf = new Dictionary<int, List<int>>();
        // Computed vertices are rounded and can make contacts of their own (three lines crossing
        // almost at one point): node again, a few times, only around the pieces that moved. An
        // uncut segment met no one in the previous round, so a new contact holds a new piece.
        Segments? segments = null;
        Grid? first = null;
        for (int round = 0; round < MaxRounds; round++)
        {
            List<(int A, int B)> contacts;
            if (round == 1)
            {
                // The first round's segments and grid still stand: only the pieces are bucketed,
                // and each is tested against the segments of its buckets (the live ones of the
                // first round, and the other pieces), not every live segment against every other.
                var pieces = Segments.OfPairs(index, PiecesAlive(changed!, dead));
                var found = PieceContacts(first!, segments!, pieces, changed!, dead);
                if (found.Count == 0) return true;
                (segments, contacts) = Involved(index, found);
            }
            else
            {
                segments = Segments.Of(index, dead, segments);
                if (segments.Count < 2) return true;
                var hot = changed is null ? null : Array.ConvertAll(segments.Id[..segments.Count], id => changed[id]);
                var grid = Grid.Of(segments, hot);
                contacts = Contacts(segments, grid, hot);
                if (contacts.Count == 0) return true;
                if (round == 0) first = grid;
            }
            addedNodes = true;
            rounds++;
            var nodes = NodesOnSegments(segments, contacts);
            changed = Split(index, segments, nodes, tags, dead, piecesOf);
            if (round == 1) first = null;
        }
        return false;
    }

    private const int MaxRounds = 4;

    /// <summary>The live pairs of an index as flat arrays, each knowing its pair id.</summary>
    private sealed class Segments
    {
        public double[] X0 = [], Y0 = [], X1 = [], Y1 = [];
        public int[] Id = [];
        public int Count;

        /// <summary>The live pairs, in the arrays of <paramref name="reuse"/> when they are long enough
        /// (each noding round lists the live pairs again; the first leaves room for the pieces).</summary>
        public static Segments Of(PointIndex index, List<bool> dead, Segments? reuse)
        {
            int n = 0;
            for (int e = 0; e < dead.Count; e++) if (!dead[e]) n++;
            int size = n + n / 3;
            var s = reuse is not null && reuse.Id.Length >= n ? reuse
                : new Segments { X0 = new double[size], Y0 = new double[size], X1 = new double[size], Y1 = new double[size], Id = new int[size] };
            s.Count = n;
            var (x, y, a, b) = (index.X, index.Y, index.PairA, index.PairB);
            if (n == dead.Count && n >= 1 << 16)
            {
                // None cut yet (the first round): segment k is pair k, filled on every core.
                int chunks = Chunks.For(n);
                Parallel.For(0, chunks, c =>
                {
                    for (int e = Chunks.Start(n, c, chunks), end = Chunks.Start(n, c + 1, chunks); e < end; e++)
                    {
                        s.X0[e] = x[a[e]]; s.Y0[e] = y[a[e]]; s.X1[e] = x[b[e]]; s.Y1[e] = y[b[e]];
                        s.Id[e] = e;
                    }
                });
                return s;
            }
            int k = 0;
            for (int e = 0; e < dead.Count; e++)
            {
                if (dead[e]) continue;
                s.X0[k] = x[a[e]]; s.Y0[k] = y[a[e]]; s.X1[k] = x[b[e]]; s.Y1[k] = y[b[e]];
                s.Id[k++] = e;
            }
            return s;
        }

        /// <summary>The given pairs, in that order.</summary>
        public static Segments OfPairs(PointIndex index, int[] ids)
        {
            int n = ids.Length;
            var s = new Segments { X0 = new double[n], Y0 = new double[n], X1 = new double[n], Y1 = new double[n], Id = ids, Count = n };
            var (x, y, a, b) = (index.X, index.Y, index.PairA, index.PairB);
            for (int k = 0; k < n; k++)
            {
                int e = ids[k];
                s.X0[k] = x[a[e]]; s.Y0[k] = y[a[e]]; s.X1[k] = x[b[e]]; s.Y1[k] = y[b[e]];
            }
            return s;
        }
    }

    /// <summary>
    /// A uniform grid over segments, each bucket listing (as compressed rows) the segments whose
    /// envelope overlaps its cell.
    /// </summary>
    private sealed class Grid
    {
        private double _minX, _minY, _cell;
        public int Nx, Ny;
        public int[] Start = [], Entries = [];

        /// <summary>Cells about twice the mean segment, over the segments' extent; with
        /// <paramref name="changed"/>, only the cells a changed segment crosses are filled.</summary>
        public static Grid Of(Segments s, bool[]? changed)
        {
            int n = s.Count;
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity;
            double maxX = double.NegativeInfinity, maxY = double.NegativeInfinity, length = 0;
            for (int i = 0; i < n; i++)
            {
                minX = Math.Min(minX, Math.Min(s.X0[i], s.X1[i])); maxX = Math.Max(maxX, Math.Max(s.X0[i], s.X1[i]));
                minY = Math.Min(minY, Math.Min(s.Y0[i], s.Y1[i])); maxY = Math.Max(maxY, Math.Max(s.Y0[i], s.Y1[i]));
                length += Math.Abs(s.X1[i] - s.X0[i]) + Math.Abs(s.Y1[i] - s.Y0[i]);
            }
            // Never more than about two cells per segment (lines in far-apart clusters would
            // otherwise make a grid of mostly empty cells).
            double w = maxX - minX, h = maxY - minY;
            double cell = Math.Max(2 * length / n, Math.Sqrt(w * h / (2.0 * n + 16)));
            if (!(cell > 0) || !double.IsFinite(cell)) cell = Math.Max(Math.Max(w, h), 1);
            int nx = (int)Math.Min(w / cell, 1 << 20) + 1, ny = (int)Math.Min(h / cell, 1 << 20) + 1;
            if ((long)nx * ny > 1 << 24) { nx = Math.Min(nx, 4096); ny = Math.Min(ny, 4096); cell = Math.Max(w / (nx - 1e-9), h / (ny - 1e-9)); }
            var grid = new Grid { _minX = minX, _minY = minY, _cell = cell, Nx = nx, Ny = ny };

            // With changed segments, only the cells they cross matter.
            bool[]? hot = null;
            if (changed is not null)
            {
                hot = new bool[nx * ny];
                for (int i = 0; i < n; i++)
                {
                    if (!changed[i]) continue;
                    for (int r = grid.Row(Math.Min(s.Y0[i], s.Y1[i])), r1 = grid.Row(Math.Max(s.Y0[i], s.Y1[i])); r <= r1; r++)
                        for (int c = grid.Col(Math.Min(s.X0[i], s.X1[i])), c1 = grid.Col(Math.Max(s.X0[i], s.X1[i])); c <= c1; c++)
                            hot[r * nx + c] = true;
                }
            }
            grid.Fill(s, hot);
            return grid;
        }

        /// <summary>Other segments in cells of the same size and place (cells are clamped at the edges).</summary>
        public Grid Like(Segments s)
        {
            var grid = new Grid { _minX = _minX, _minY = _minY, _cell = _cell, Nx = Nx, Ny = Ny };
            grid.Fill(s, null);
            return grid;
        }

        public int Col(double x) => Math.Clamp((int)((x - _minX) / _cell), 0, Nx - 1);

        public int Row(double y) => Math.Clamp((int)((y - _minY) / _cell), 0, Ny - 1);

        /// <summary>The bucket in which a pair of segments whose envelopes overlap is tested: the one
        /// holding the low corner of the overlap (both segments are in it), so each pair once.</summary>
        public int PairBucket(double overlapX, double overlapY) => Row(overlapY) * Nx + Col(overlapX);

        /// <summary>Buckets as CSR: count, prefix sums, fill, on every core (a bucket's slots are
        /// taken atomically, so its order varies from run to run: whoever needs an order restores it).</summary>
        private void Fill(Segments s, bool[]? hot)
        {
            int n = s.Count;
            Start = new int[Nx * Ny + 1];
            int[]? fill = null;
            int segmentChunks = Chunks.For(n);
            for (int pass = 0; pass < 2; pass++)
            {
                if (pass == 1)
                {
                    for (int b = 0; b < Nx * Ny; b++) Start[b + 1] += Start[b];
                    fill = (int[])Start.Clone();
                    Entries = new int[Start[^1]];
                }
                Parallel.For(0, segmentChunks, chunk =>
                {
                    for (int i = Chunks.Start(n, chunk, segmentChunks), end = Chunks.Start(n, chunk + 1, segmentChunks); i < end; i++)
                    {
                        int c0 = Col(Math.Min(s.X0[i], s.X1[i])), c1 = Col(Math.Max(s.X0[i], s.X1[i]));
                        int r0 = Row(Math.Min(s.Y0[i], s.Y1[i])), r1 = Row(Math.Max(s.Y0[i], s.Y1[i]));
                        for (int r = r0; r <= r1; r++)
                            for (int c = c0; c <= c1; c++)
                            {
                                int b = r * Nx + c;
                                if (hot is not null && !hot[b]) continue;
                                if (fill is null) Interlocked.Increment(ref Start[b + 1]);
                                else Entries[Interlocked.Increment(ref fill[b]) - 1] = i;
                            }
                    }
                });
            }
        }

        /// <summary>
        /// What <paramref name="search"/> finds in each bucket (given the bucket and a list to add
        /// to), over the buckets in chunks on every core: in bucket order.
        /// </summary>
        public List<(int A, int B)> Search(Action<int, List<(int A, int B)>> search)
        {
            int buckets = Nx * Ny, chunks = Math.Max(1, Math.Min(256, buckets / 1024));
            var found = new List<(int A, int B)>[chunks];
            Parallel.For(0, chunks, chunk =>
            {
                var local = new List<(int A, int B)>();
                for (int b = Chunks.Start(buckets, chunk, chunks), end = Chunks.Start(buckets, chunk + 1, chunks); b < end; b++)
                    search(b, local);
                found[chunk] = local;
            });
            var result = new List<(int A, int B)>();
            foreach (var l in found) result.AddRange(l);
            return result;
        }
    }

    /// <summary>
    /// Pairs of segments meeting in an interior. With <paramref name="changed"/>, only pairs
    /// holding at least one changed segment are tested.
    /// </summary>
    private static List<(int A, int B)> Contacts(Segments s, Grid grid, bool[]? changed)
    {
        var (start, entries) = (grid.Start, grid.Entries);
        return grid.Search((b, found) =>
        {
            int e0 = start[b], e1 = start[b + 1];
            Chunks.SortShort(entries.AsSpan(e0, e1 - e0));
            for (int p = e0; p < e1; p++)
            {
                int i = entries[p];
                var probe = new Probe(s, i, grid, b);
                for (int q = p + 1; q < e1; q++)
                {
                    int j = entries[q];
                    if (changed is not null && !changed[i] && !changed[j]) continue;
                    if (probe.Meets(s, j)) found.Add(i < j ? (i, j) : (j, i));
                }
            }
        });
    }

    /// <summary>
    /// One segment tested against others in one bucket: its envelope is computed once. A pair is
    /// tested only in its own bucket (<see cref="Grid.PairBucket"/>), so each contact is found once.
    /// </summary>
    private readonly struct Probe
    {
        private readonly Segments _s;
        private readonly int _i, _bucket;
        private readonly Grid _grid;
        private readonly double _x0, _x1, _y0, _y1;

        public Probe(Segments s, int i, Grid grid, int bucket)
        {
            (_s, _i, _grid, _bucket) = (s, i, grid, bucket);
            (_x0, _x1) = (Math.Min(s.X0[i], s.X1[i]), Math.Max(s.X0[i], s.X1[i]));
            (_y0, _y1) = (Math.Min(s.Y0[i], s.Y1[i]), Math.Max(s.Y0[i], s.Y1[i]));
        }

        /// <summary>Whether this segment and segment <paramref name="j"/> of <paramref name="sj"/> meet in an interior.</summary>
        public bool Meets(Segments sj, int j)
        {
            double jx0 = Math.Min(sj.X0[j], sj.X1[j]), jx1 = Math.Max(sj.X0[j], sj.X1[j]);
            double jy0 = Math.Min(sj.Y0[j], sj.Y1[j]), jy1 = Math.Max(sj.Y0[j], sj.Y1[j]);
            if (_x1 < jx0 || jx1 < _x0 || _y1 < jy0 || jy1 < _y0) return false;
            if (_grid.PairBucket(Math.Max(_x0, jx0), Math.Max(_y0, jy0)) != _bucket) return false;
            var s = _s;
            int i = _i;
            return SegmentContact.MeetInInterior(s.X0[i], s.Y0[i], s.X1[i], s.Y1[i], sj.X0[j], sj.Y0[j], sj.X1[j], sj.Y1[j]);
        }
    }

    /// <summary>The pairs changed by a split that are still live, in ascending order.</summary>
    private static int[] PiecesAlive(bool[] changed, List<bool> dead)
    {
        var ids = new List<int>();
        for (int id = 0; id < changed.Length; id++)
            if (changed[id] && !dead[id]) ids.Add(id);
        return [.. ids];
    }

    /// <summary>
    /// The second round's contacts, as pair ids: every piece (<paramref name="pieces"/>, the live
    /// changed pairs) against the first round's segments that are neither cut nor changed, found
    /// in the first round's <paramref name="grid"/>, and against the other pieces.
    /// </summary>
    /// <param name="first">The first round's segments (every pair live then).</param>
    private static List<(int A, int B)> PieceContacts(Grid grid, Segments first, Segments pieces, bool[] changed, List<bool> dead)
    {
        if (pieces.Count == 0) return [];
        var own = grid.Like(pieces);
        var stale = new bool[first.Count];
        for (int k = 0; k < stale.Length; k++) stale[k] = dead[first.Id[k]] || changed[first.Id[k]];
        return grid.Search((b, found) =>
        {
            int p0 = own.Start[b], p1 = own.Start[b + 1];
            if (p0 == p1) return;
            int e0 = grid.Start[b], e1 = grid.Start[b + 1];
            for (int p = p0; p < p1; p++)
            {
                int i = own.Entries[p];
                var probe = new Probe(pieces, i, grid, b);
                for (int e = e0; e < e1; e++)
                {
                    int k = grid.Entries[e];
                    if (!stale[k] && probe.Meets(first, k))
                        found.Add(Ordered(pieces.Id[i], first.Id[k]));
                }
                for (int q = p + 1; q < p1; q++)
                {
                    int j = own.Entries[q];
                    if (probe.Meets(pieces, j))
                        found.Add(Ordered(pieces.Id[i], pieces.Id[j]));
                }
            }
        });

        static (int, int) Ordered(int a, int b) => a < b ? (a, b) : (b, a);
    }

    /// <summary>The segments of some contacts (given as pair ids), in pair order as a full listing
    /// would have them, with the contacts (sorted: the parallel search found them in any order) as
    /// indices into them.</summary>
    private static (Segments Segments, List<(int A, int B)> Contacts) Involved(PointIndex index, List<(int A, int B)> found)
    {
        var ids = new SortedSet<int>();
        foreach (var (a, b) in found) { ids.Add(a); ids.Add(b); }
        var order = ids.ToArray();
        var segments = Segments.OfPairs(index, order);
        found.Sort();
        var contacts = new List<(int A, int B)>(found.Count);
        foreach (var (a, b) in found)
            contacts.Add((Array.BinarySearch(order, a), Array.BinarySearch(order, b)));
        return (segments, contacts);
    }

    /// <summary>
    /// The vertices to add on each segment, from every contact: segment k's are
    /// <c>Points[Start[k] .. Start[k + 1]]</c>, in contact order.
    /// </summary>
    private readonly record struct SegmentNodes(int[] Start, (double X, double Y)[] Points);

    private static SegmentNodes NodesOnSegments(Segments s, List<(int A, int B)> contacts)
    {
        // The intersections on every core (a national mosaic has a hundred thousand contacts),
        // then handed to their segments in contact order. Each thread's intersector is given the
        // same four points, moved, for every contact.
        var points = new (double X, double Y, double X2, double Y2, int Count)[contacts.Count];
        Parallel.For(0, contacts.Count, () => (Li: new RobustLineIntersector(), P: new Coordinate[4]), (k, _, t) =>
        {
            var (a, b) = contacts[k];
            var p = t.P;
            if (p[0] is null) for (int i = 0; i < 4; i++) p[i] = new Coordinate();
            (p[0].X, p[0].Y, p[1].X, p[1].Y) = (s.X0[a], s.Y0[a], s.X1[a], s.Y1[a]);
            (p[2].X, p[2].Y, p[3].X, p[3].Y) = (s.X0[b], s.Y0[b], s.X1[b], s.Y1[b]);
            var li = t.Li;
            li.ComputeIntersection(p[0], p[1], p[2], p[3]);
            var i0 = li.IntersectionNum > 0 ? li.GetIntersection(0) : null;
            var i1 = li.IntersectionNum > 1 ? li.GetIntersection(1) : null;
            points[k] = (i0?.X ?? 0, i0?.Y ?? 0, i1?.X ?? 0, i1?.Y ?? 0, li.IntersectionNum);
            return t;
        }, _ => { });
        // Counted, then placed (compressed rows: a list per cut segment was tens of MB to collect).
        var start = new int[s.Count + 1];
        for (int k = 0; k < contacts.Count; k++)
        {
            var (a, b) = contacts[k];
            int m = Math.Min(points[k].Count, 2);
            start[a + 1] += m;
            start[b + 1] += m;
        }
        for (int k = 0; k < s.Count; k++) start[k + 1] += start[k];
        var placed = new (double X, double Y)[start[^1]];
        var fill = start[..^1];
        for (int k = 0; k < contacts.Count; k++)
        {
            var (a, b) = contacts[k];
            var (x, y, x2, y2, count) = points[k];
            if (count > 0) { placed[fill[a]++] = (x, y); placed[fill[b]++] = (x, y); }
            if (count > 1) { placed[fill[a]++] = (x2, y2); placed[fill[b]++] = (x2, y2); }
        }
        return new SegmentNodes(start, placed);
    }

    /// <summary>
    /// Cuts every segment with nodes into its pieces, in order along it; returns, per pair id, whether
    /// the pair is new in this round (the ones the next round must test).
    /// </summary>
    /// <param name="piecesOf">The pieces of every pair cut so far, by pair id (filled here).</param>
    private static bool[] Split(PointIndex index, Segments s, SegmentNodes nodes, List<ulong> tags, List<bool> dead,
        Dictionary<int, List<int>> piecesOf)
    {
        // The hash tables are tens of MB and every lookup misses the cache. Two lines of work, each
        // in segment order so the numbering is the one of cutting segment by segment: a thread
        // gathers the cut segments' nodes and numbers them (the points' table only), this one makes
        // the pieces (the pairs' table only) as the cuts' points are ready. Each lookup asks memory
        // for its slot a few lookups ahead.
        int cuts = 0;
        for (int k = 0; k < s.Count; k++)
            if (nodes.Start[k] != nodes.Start[k + 1]) cuts++;
        var cut = new int[cuts];
        var nodeStart = new int[cuts + 1];
        // At most every node is new (the ends of its segment are left out).
        var nodeX = new double[nodes.Points.Length];
        var nodeY = new double[nodes.Points.Length];
        var ids = new int[nodes.Points.Length];
        index.ReservePoints(nodes.Points.Length);
        // Room for every piece at once (a cut segment has one piece more than its nodes, at most).
        int maxPieces = nodes.Points.Length + cuts;
        var fresh = new List<int>(maxPieces);
        piecesOf.EnsureCapacity(piecesOf.Count + cuts);
        index.ReservePairs(maxPieces);
        PointIndex.Reserve(tags, maxPieces);
        PointIndex.Reserve(dead, maxPieces);
        const int ahead = 4;
        TwoLines.Run(lines => NumberNodes(index, s, nodes, cut, nodeStart, nodeX, nodeY, ids, lines), lines =>
        {
            for (int c = 0; c < cuts; c++)
            {
                int ready = lines.WaitFor(c);
                if (c + ahead < ready) PrefetchPieces(index, s.Id[cut[c + ahead]], ids.AsSpan(nodeStart[c + ahead], nodeStart[c + ahead + 1] - nodeStart[c + ahead]));
                CutOne(index, s.Id[cut[c]], ids.AsSpan(nodeStart[c], nodeStart[c + 1] - nodeStart[c]), tags, dead, piecesOf, fresh);
            }
        });
        var changed = new bool[index.PairA.Count];
        foreach (int id in fresh) changed[id] = true;
        return changed;
    }

    /// <summary>
    /// The split's points line: for each cut segment in order, its nodes in their order along it
    /// (its ends left out), numbered in the index a chunk of cuts at a time and published to the
    /// pieces' line.
    /// </summary>
    private static void NumberNodes(PointIndex index, Segments s, SegmentNodes nodes, int[] cut, int[] nodeStart,
        double[] nodeX, double[] nodeY, int[] ids, TwoLines lines)
    {
        // A chunk's slots are asked for as its nodes are gathered, and looked up after: a few
        // hundred lookups later, by when they have come.
        const int chunk = 256;
        int c = 0, n = 0, numbered = 0;
        for (int k = 0; k < s.Count && !lines.Stopped; k++)
        {
            if (nodes.Start[k] == nodes.Start[k + 1]) continue;
            var extra = nodes.Points.AsSpan(nodes.Start[k], nodes.Start[k + 1] - nodes.Start[k]);
            double ax = s.X0[k], ay = s.Y0[k], bx = s.X1[k], by = s.Y1[k];
            // Most segments get one node: no order to find, and no closure made for nothing.
            if (extra.Length > 1) SortAlong(extra, ax, ay, bx - ax, by - ay);
            cut[c] = k;
            nodeStart[c++] = n;
            foreach (var (px, py) in extra)
            {
                if ((px == ax && py == ay) || (px == bx && py == by)) continue;
                index.PrefetchPoint(px, py);
                (nodeX[n], nodeY[n]) = (px, py);
                n++;
            }
            if (c % chunk != 0 && c != cut.Length) continue;
            for (; numbered < n; numbered++) ids[numbered] = index.Point(nodeX[numbered], nodeY[numbered]);
            nodeStart[c] = n;
            lines.Publish(c);
        }
    }

    /// <summary>Asks memory for the slots <see cref="CutOne"/> will look the same pieces up in.</summary>
    private static void PrefetchPieces(PointIndex index, int parent, ReadOnlySpan<int> at)
    {
        int u = index.PairA[parent];
        foreach (int v in at)
        {
            if (v == u) continue;
            index.PrefetchPair(u, v);
            u = v;
        }
        index.PrefetchPair(u, index.PairB[parent]);
    }

    /// <summary>
    /// Cuts pair <paramref name="parent"/> at the given points (numbered, in order along it) into
    /// its pieces; none when every point fell on one of its ends.
    /// </summary>
    private static void CutOne(PointIndex index, int parent, ReadOnlySpan<int> at, List<ulong> tags, List<bool> dead,
        Dictionary<int, List<int>> piecesOf, List<int> fresh)
    {
        int u = index.PairA[parent];
        if (!at.ContainsAnyExcept(u)) return;
        var pieces = new List<int>(at.Length + 1);
        foreach (int v in at)
        {
            if (v == u) continue;
            AddPiece(index, parent, u, v, tags, dead, piecesOf, fresh, pieces);
            u = v;
        }
        AddPiece(index, parent, u, index.PairB[parent], tags, dead, piecesOf, fresh, pieces);
        dead[parent] = true;
        piecesOf[parent] = pieces;
    }

    /// <summary>The nodes in their order along the segment from (ax, ay) in direction (dx, dy).</summary>
    private static void SortAlong(Span<(double X, double Y)> nodes, double ax, double ay, double dx, double dy) =>
        nodes.Sort((p, q) => ((p.X - ax) * dx + (p.Y - ay) * dy).CompareTo((q.X - ax) * dx + (q.Y - ay) * dy));

    /// <summary>The piece from → to of segment <paramref name="parent"/>, as a pair of the index.</summary>
    private static void AddPiece(PointIndex index, int parent, int from, int to, List<ulong> tags, List<bool> dead,
        Dictionary<int, List<int>> piecesOf, List<int> fresh, List<int> pieces)
    {
        int id = index.Pair(from, to, out bool added);
        if (added)
        {
            PointIndex.Reserve(tags);
            PointIndex.Reserve(dead);
            tags.Add(tags[parent]);
            dead.Add(false);
            fresh.Add(id);
        }
        else if (dead[id])
        {
            // The piece is a segment already cut (at a node this one did not get, rounding
            // apart): its pieces stand for it and take the layers of this one too.
            OrIntoPieces(id, tags[parent], tags, dead, piecesOf);
        }
        else
        {
            tags[id] |= tags[parent];
            fresh.Add(id);
        }
        pieces.Add(id);
    }

    /// <summary>Adds layer bits to a cut pair and to its pieces, down to the live ones.</summary>
    private static void OrIntoPieces(int id, ulong bits, List<ulong> tags, List<bool> dead, Dictionary<int, List<int>> piecesOf)
    {
        tags[id] |= bits;
        if (!dead[id] || !piecesOf.TryGetValue(id, out var pieces)) return;
        foreach (int piece in pieces)
            if (piece != id) OrIntoPieces(piece, bits, tags, dead, piecesOf);
    }
}
