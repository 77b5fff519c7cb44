using System.Runtime.InteropServices;
using CepGeo.Core.Common;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The faces of a fully noded set of lines, traced on a half-edge graph: every bounded face with
/// its holes (stored flat, see <see cref="FaceRings"/>), and which face lies across each edge. One pass gives what NTS's
/// Polygonizer plus a separate adjacency search gave, at a fraction of the cost on national data.
/// </summary>
internal sealed class PlanarFaces
{
    private PlanarFaces(FaceRings faces, double[] areaM2, Task<(int[] Start, int[] Face, double[] LenKm)> adjacency,
        int[] edgeFaceA, int[] edgeFaceB, ulong[]? edgeMask)
    {
        EdgeFaceA = edgeFaceA;
        EdgeFaceB = edgeFaceB;
        EdgeMask = edgeMask;
        Faces = faces;
        AreaM2 = areaM2;
        _adjacency = adjacency;
    }

    private readonly Task<(int[] Start, int[] Face, double[] LenKm)> _adjacency;

    public FaceRings Faces { get; }

    public double[] AreaM2 { get; }

    /// <summary>
    /// Each face's neighbours (<c>Face[Start[f] .. Start[f + 1]]</c>, ascending) and the length of
    /// boundary shared with each. Made in the background as the faces are returned (labelling
    /// does not need it, and much of it is one pass over every edge); waited for here.
    /// </summary>
    public (int[] Start, int[] Face, double[] LenKm) Adjacency() => _adjacency.GetAwaiter().GetResult();

    /// <summary>For each edge between two different faces (-1: outside), the faces on its sides.</summary>
    public int[] EdgeFaceA { get; }

    /// <inheritdoc cref="EdgeFaceA"/>
    public int[] EdgeFaceB { get; }

    /// <summary>The tags of those edges (OR of the tags of the segments lying on them), or null when none were given.</summary>
    public ulong[]? EdgeMask { get; }

    /// <param name="index">Points and edges (its pairs): edges meet only at their ends.</param>
    /// <param name="dead">Per pair, whether to leave it out (a segment cut by noding), or null.</param>
    /// <param name="tags">Optional value per pair.</param>
    public static PlanarFaces Build(PointIndex index, List<bool>? dead, List<ulong>? tags, GeometryFactory factory)
    {
        var g = new Graph(index, dead, tags);
        g.PruneDangles();
        g.SortAroundNodes();
        return g.TraceFaces(factory);
    }

    private sealed class Graph
    {
        private readonly bool _tagged;
        private readonly List<double> _x, _y;
        private readonly List<int> _from, _to;   // edge e: half-edges 2e (from→to) and 2e+1 (to→from)
        private readonly List<ulong> _tag;
        private bool[] _dead;
        private int[] _next = [];

        public Graph(PointIndex index, List<bool>? dead, List<ulong>? tags)
        {
            _tagged = tags is not null;
            (_x, _y, _from, _to) = (index.X, index.Y, index.PairA, index.PairB);
            _tag = tags ?? [];
            _dead = new bool[_from.Count];
            if (dead is not null)
                for (int e = 0; e < _dead.Length; e++) _dead[e] = dead[e];
        }

        private int Origin(int he) => (he & 1) == 0 ? _from[he >> 1] : _to[he >> 1];

        private int Dest(int he) => (he & 1) == 0 ? _to[he >> 1] : _from[he >> 1];

        /// <summary>Removes edges ending in a node of degree 1 (they bound no face), repeatedly.</summary>
        public void PruneDangles()
        {
            int n = _x.Count, m = _from.Count;
            var degree = new int[n];
            var incident = new List<int>[n];
            for (int e = 0; e < m; e++)
            {
                if (_dead[e]) continue;
                degree[_from[e]]++;
                degree[_to[e]]++;
            }
            var stack = new Stack<int>();
            for (int v = 0; v < n; v++) if (degree[v] == 1) stack.Push(v);
            if (stack.Count == 0) return;
            for (int e = 0; e < m; e++)
            {
                if (_dead[e]) continue;
                (incident[_from[e]] ??= []).Add(e);
                (incident[_to[e]] ??= []).Add(e);
            }
            while (stack.Count > 0)
            {
                int v = stack.Pop();
                if (degree[v] != 1) continue;
                foreach (int e in incident[v])
                {
                    if (_dead[e]) continue;
                    _dead[e] = true;
                    degree[_from[e]]--;
                    degree[_to[e]]--;
                    int w = _from[e] == v ? _to[e] : _from[e];
                    if (degree[w] == 1) stack.Push(w);
                }
            }
        }

        /// <summary>
        /// Sorts each node's outgoing half-edges counter-clockwise by angle and records, for every
        /// half-edge, the next one around the face on its left: the walks then follow one table.
        /// </summary>
        public void SortAroundNodes()
        {
            int n = _x.Count, m = _from.Count;
            var from = CollectionsMarshal.AsSpan(_from);
            var to = CollectionsMarshal.AsSpan(_to);
            var outStart = new int[n + 1];
            for (int e = 0; e < m; e++)
            {
                if (_dead[e]) continue;
                outStart[from[e] + 1]++;
                outStart[to[e] + 1]++;
            }
            for (int v = 0; v < n; v++) outStart[v + 1] += outStart[v];
            // Edges in order: each node's half-edges come in ascending order, as the sort expects.
            var outgoing = new int[outStart[n]];
            var fill = (int[])outStart.Clone();
            for (int e = 0; e < m; e++)
            {
                if (_dead[e]) continue;
                outgoing[fill[from[e]]++] = 2 * e;
                outgoing[fill[to[e]]++] = 2 * e + 1;
            }
            // Most nodes of a polygon mosaic join two edges, whose cyclic order is the only one:
            // only nodes of degree 3 and more are sorted by angle.
            // Each node's half-edges are its own: the nodes are sorted on every core. The face on
            // the left of a half-edge arriving at v goes on along the outgoing half-edge before
            // its twin, clockwise.
            var next = new int[2 * m];
            Parallel.For(0, n, () => new double[8], (v, _, angles) =>
            {
                var span = outgoing.AsSpan(outStart[v], outStart[v + 1] - outStart[v]);
                if (span.Length > 2)
                {
                    if (angles.Length < span.Length) angles = new double[2 * span.Length];
                    var keys = angles.AsSpan(0, span.Length);
                    for (int i = 0; i < span.Length; i++)
                    {
                        int b = Dest(span[i]);
                        keys[i] = Math.Atan2(_y[b] - _y[v], _x[b] - _x[v]);
                    }
                    keys.Sort(span);
                }
                for (int i = 0; i < span.Length; i++)
                    next[span[i] ^ 1] = span[i == 0 ? span.Length - 1 : i - 1];
                return angles;
            }, _ => { });
            _next = next;
        }

        public PlanarFaces TraceFaces(GeometryFactory factory)
        {
            int halfEdges = 2 * _from.Count;
            var next = _next;
            var cycleOf = new int[halfEdges];
            Array.Fill(cycleOf, -1);
            // Two walks: the cycles (their half-edges, lengths and areas), then their closed rings
            // written into one array of x, y pairs of the exact size.
            List<int> cycleStart = [0], cycleFirst = [];
            List<double> cycleArea = [];
            var x = CollectionsMarshal.AsSpan(_x);
            var y = CollectionsMarshal.AsSpan(_y);
            var from = CollectionsMarshal.AsSpan(_from);
            var to = CollectionsMarshal.AsSpan(_to);
            for (int he0 = 0; he0 < halfEdges; he0++)
            {
                if (_dead[he0 >> 1] || cycleOf[he0] >= 0) continue;
                int id = cycleArea.Count, length = 0;
                int origin = (he0 & 1) == 0 ? from[he0 >> 1] : to[he0 >> 1];
                double ox = x[origin], oy = y[origin], twice = 0;
                int he = he0;
                do
                {
                    cycleOf[he] = id;
                    int e = he >> 1;
                    var (a, b) = (he & 1) == 0 ? (from[e], to[e]) : (to[e], from[e]);
                    // Shoelace on coordinates relative to the first vertex: exact enough at 10⁶ m.
                    twice += (x[a] - ox) * (y[b] - oy) - (x[b] - ox) * (y[a] - oy);
                    length++;
                    he = next[he];
                }
                while (he != he0);
                cycleFirst.Add(he0);
                cycleStart.Add(cycleStart[^1] + length + 1);
                cycleArea.Add(twice / 2);
            }
            var starts = cycleStart.ToArray();
            var coords = new double[2 * starts[^1]];
            // Each cycle's place in the array is known: the second walk runs on every core.
            Parallel.For(0, cycleFirst.Count, c =>
            {
                int at = 2 * starts[c], he0 = cycleFirst[c], he = he0;
                do
                {
                    int a = Origin(he);
                    coords[at++] = _x[a];
                    coords[at++] = _y[a];
                    he = next[he];
                }
                while (he != he0);
                coords[at++] = _x[Origin(he0)];
                coords[at] = _y[Origin(he0)];
            });
            int cycles = cycleArea.Count;
            // The walks are done: the next-edge table goes before the next tables of the same size are made.
            _next = [];

            // Counter-clockwise cycles are the shells of bounded faces; the others are the outer
            // boundaries of connected parts, to be placed in the smallest shell around them.
            var faceOfCycle = new int[cycles];
            var shells = new List<int>();
            for (int c = 0; c < cycles; c++)
            {
                faceOfCycle[c] = cycleArea[c] > 0 ? shells.Count : -1;
                if (cycleArea[c] > 0) shells.Add(c);
            }
            var bounds = (MinX: new double[shells.Count], MinY: new double[shells.Count], MaxX: new double[shells.Count], MaxY: new double[shells.Count]);
            Parallel.For(0, shells.Count, f =>
            {
                var e = FaceRings.CycleEnvelope(coords, starts, shells[f]);
                (bounds.MinX[f], bounds.MinY[f], bounds.MaxX[f], bounds.MaxY[f]) = (e.MinX, e.MinY, e.MaxX, e.MaxY);
            });
            var holesOf = new List<int>[shells.Count];
            ShellGrid? grid = null;
            for (int c = 0; c < cycles; c++)
            {
                if (cycleArea[c] > 0) continue;
                grid ??= new ShellGrid(bounds);
                double px = coords[2 * starts[c]], py = coords[2 * starts[c] + 1];
                var p = new Coordinate(px, py);
                int best = -1;
                double bestArea = double.PositiveInfinity;
                foreach (int f in grid.Around(px, py))
                {
                    double shellArea = cycleArea[shells[f]];
                    if (px >= bounds.MinX[f] && px <= bounds.MaxX[f] && py >= bounds.MinY[f] && py <= bounds.MaxY[f]
                        && shellArea < bestArea && FaceRings.LocateInCycle(p, coords, starts, shells[f]) == Location.Interior)
                    {
                        best = f;
                        bestArea = shellArea;
                    }
                }
                faceOfCycle[c] = best;
                if (best >= 0) (holesOf[best] ??= []).Add(c);
            }

            var area = new double[shells.Count];
            var ringStart = new int[shells.Count + 1];
            var ringCycle = new List<int>(cycles);
            for (int f = 0; f < shells.Count; f++)
            {
                area[f] = cycleArea[shells[f]];
                ringCycle.Add(shells[f]);
                if (holesOf[f] is { } hl)
                    foreach (int h in hl)
                    {
                        area[f] += cycleArea[h];
                        ringCycle.Add(h);
                    }
                ringStart[f + 1] = ringCycle.Count;
            }
            var faces = new FaceRings(coords, starts, ringStart, [.. ringCycle], bounds, factory);

            // Adjacency: the faces on the two sides of every edge, one entry per neighbour (arrays
            // of the exact size: on national data these are millions of entries).
            // Edges in chunks on every core: each chunk counts its sides, then writes them at its offset.
            bool Between(int e) => !_dead[e] && faceOfCycle[cycleOf[2 * e]] != faceOfCycle[cycleOf[2 * e + 1]];
            int m = _from.Count, chunks = Chunks.For(m);
            var offset = new int[chunks + 1];
            Parallel.For(0, chunks, c =>
            {
                int count = 0;
                for (int e = Chunks.Start(m, c, chunks); e < Chunks.Start(m, c + 1, chunks); e++) if (Between(e)) count++;
                offset[c + 1] = count;
            });
            for (int c = 0; c < chunks; c++) offset[c + 1] += offset[c];
            int sides = offset[chunks];
            var sideA = new int[sides];
            var sideB = new int[sides];
            var sideLen = new double[sides];
            var sideTag = _tagged ? new ulong[sides] : null;
            Parallel.For(0, chunks, c =>
            {
                for (int e = Chunks.Start(m, c, chunks), k = offset[c]; e < Chunks.Start(m, c + 1, chunks); e++)
                {
                    if (!Between(e)) continue;
                    sideA[k] = faceOfCycle[cycleOf[2 * e]];
                    sideB[k] = faceOfCycle[cycleOf[2 * e + 1]];
                    if (sideTag is not null) sideTag[k] = _tag[e];
                    sideLen[k++] = Math.Sqrt(Sq(_x[_to[e]] - _x[_from[e]]) + Sq(_y[_to[e]] - _y[_from[e]])) / 1000;
                }
            });
            var adjacency = Task.Run(() => Neighbours(shells.Count, sideA, sideB, sideLen));
            return new PlanarFaces(faces, area, adjacency, sideA, sideB, sideTag);
        }

        /// <summary>
        /// Per face, its neighbours in ascending order with the length of border shared with each
        /// (summed in edge order): a counting sort by face, then a sort of each face's few entries.
        /// </summary>
        private static (int[] Start, int[] Face, double[] LenKm) Neighbours(int faces, int[] sideA, int[] sideB, double[] sideLen)
        {
            var start = new int[faces + 1];
            foreach (int f in sideA) if (f >= 0) start[f + 1]++;
            foreach (int f in sideB) if (f >= 0) start[f + 1]++;
            for (int f = 0; f < faces; f++) start[f + 1] += start[f];
            var fill = (int[])start.Clone();
            var key = new long[start[faces]];
            for (int k = 0; k < sideA.Length; k++)
            {
                int a = sideA[k], b = sideB[k];
                // (neighbour, side): unique keys, so the sort keeps the sides' order; the side gives the length.
                if (a >= 0) key[fill[a]++] = ((long)(b + 1) << 32) | (uint)k;
                if (b >= 0) key[fill[b]++] = ((long)(a + 1) << 32) | (uint)k;
            }
            // Each face's keys sorted (mostly a few: insertion sort), its distinct neighbours counted,
            // then written at its offset: all on every core.
            var outStart = new int[faces + 1];
            Parallel.For(0, faces, f =>
            {
                var keys = key.AsSpan(start[f], start[f + 1] - start[f]);
                Chunks.SortShort(keys); // a long boundary (thousands of edges) is sorted otherwise
                int distinct = 0;
                for (int i = 0; i < keys.Length; i++)
                    if (i == 0 || keys[i] >> 32 != keys[i - 1] >> 32) distinct++;
                outStart[f + 1] = distinct;
            });
            for (int f = 0; f < faces; f++) outStart[f + 1] += outStart[f];
            var other = new int[outStart[faces]];
            var lens = new double[outStart[faces]];
            Parallel.For(0, faces, f =>
            {
                int k = outStart[f] - 1;
                for (int at = start[f]; at < start[f + 1]; at++)
                {
                    int o = (int)(key[at] >> 32) - 1;
                    double len = sideLen[(int)(uint)key[at]];
                    // A neighbour's sides are summed in edge order (the keys' low half), so the sums do not depend on threads.
                    if (k >= outStart[f] && other[k] == o) lens[k] += len;
                    else { other[++k] = o; lens[k] = len; }
                }
            });
            return (outStart, other, lens);
        }

        private static double Sq(double v) => v * v;

        /// <summary>
        /// The shells bucketed by the cells of a uniform grid their bounds overlap (about one shell a
        /// cell): which shells may hold a point. NTS's STRtree over a national mosaic's shells cost
        /// more to build than all the holes it placed.
        /// </summary>
        private sealed class ShellGrid
        {
            private readonly double _minX, _minY, _cell;
            private readonly int _nx, _ny;
            private readonly int[] _start, _entries;

            public ShellGrid((double[] MinX, double[] MinY, double[] MaxX, double[] MaxY) b)
            {
                int n = b.MinX.Length;
                (_minX, _minY) = (n == 0 ? 0 : b.MinX.Min(), n == 0 ? 0 : b.MinY.Min());
                double w = n == 0 ? 0 : b.MaxX.Max() - _minX, h = n == 0 ? 0 : b.MaxY.Max() - _minY;
                _cell = Math.Sqrt(w * h / Math.Max(n, 1));
                if (!(_cell > 0) || !double.IsFinite(_cell)) _cell = Math.Max(Math.Max(w, h), 1);
                _nx = (int)Math.Min(w / _cell, 4096) + 1;
                _ny = (int)Math.Min(h / _cell, 4096) + 1;
                _cell = Math.Max(_cell, Math.Max(w / _nx, h / _ny) * (1 + 1e-12));
                _start = new int[_nx * _ny + 1];
                for (int pass = 0; pass < 2; pass++)
                {
                    var fill = pass == 0 ? null : (int[])_start.Clone();
                    for (int f = 0; f < n; f++)
                        for (int r = Row(b.MinY[f]), r1 = Row(b.MaxY[f]); r <= r1; r++)
                            for (int c = Col(b.MinX[f]), c1 = Col(b.MaxX[f]); c <= c1; c++)
                                if (pass == 0) _start[r * _nx + c + 1]++;
                                else _entries![fill![r * _nx + c]++] = f;
                    if (pass == 0)
                    {
                        for (int k = 0; k < _nx * _ny; k++) _start[k + 1] += _start[k];
                        _entries = new int[_start[^1]];
                    }
                }
                _entries ??= [];
            }

            private int Col(double x) => Math.Clamp((int)((x - _minX) / _cell), 0, _nx - 1);

            private int Row(double y) => Math.Clamp((int)((y - _minY) / _cell), 0, _ny - 1);

            /// <summary>The shells whose bounds may hold (x, y): a superset, to check against the bounds.</summary>
            public ReadOnlySpan<int> Around(double x, double y)
            {
                int k = Row(y) * _nx + Col(x);
                return _entries.AsSpan(_start[k], _start[k + 1] - _start[k]);
            }
        }

    }
}
