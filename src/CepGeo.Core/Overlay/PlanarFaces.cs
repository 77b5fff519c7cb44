using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The faces of a fully noded set of lines, traced on a half-edge graph: every bounded face as a
/// polygon with its holes, and which face lies across each edge. One pass gives what NTS's
/// Polygonizer plus a separate adjacency search gave, at a fraction of the cost on national data.
/// </summary>
internal sealed class PlanarFaces
{
    private PlanarFaces(Polygon[] faces, double[] areaM2, int[] adjStart, int[] adjFace, double[] adjLenKm,
        int[] edgeFaceA, int[] edgeFaceB, ulong[]? edgeMask)
    {
        EdgeFaceA = edgeFaceA;
        EdgeFaceB = edgeFaceB;
        EdgeMask = edgeMask;
        Faces = faces;
        AreaM2 = areaM2;
        AdjStart = adjStart;
        AdjFace = adjFace;
        AdjLenKm = adjLenKm;
    }

    public Polygon[] Faces { get; }

    public double[] AreaM2 { get; }

    public int[] AdjStart { get; }

    public int[] AdjFace { get; }

    public double[] AdjLenKm { get; }

    /// <summary>For each edge between two different faces (-1: outside), the faces on its sides.</summary>
    public int[] EdgeFaceA { get; }

    /// <inheritdoc cref="EdgeFaceA"/>
    public int[] EdgeFaceB { get; }

    /// <summary>The tags of those edges (OR of the tags of the segments lying on them), or null when none were given.</summary>
    public ulong[]? EdgeMask { get; }

    /// <param name="lines">Noded lines: they meet only at their vertices. Repeated segments are kept once.</param>
    /// <param name="tags">Optional value per segment, in line order, OR-ed over repeated segments.</param>
    public static PlanarFaces Build(IReadOnlyList<Coordinate[]> lines, ulong[]? tags, GeometryFactory factory)
    {
        int vertices = 0;
        foreach (var line in lines) vertices += line.Length;
        var g = new Graph(tags is not null, vertices);
        int k = 0;
        foreach (var line in lines)
        {
            int u = line.Length > 0 ? g.Node(line[0]) : -1;
            for (int i = 0; i + 1 < line.Length; i++, k++)
            {
                int v = g.Node(line[i + 1]);
                g.AddEdge(u, v, tags is null ? 0 : tags[k]);
                u = v;
            }
        }
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
        // Open addressing on exact coordinates and on node pairs (ids stored, keys read from the
        // lists): a million-vertex mosaic is hashed several times faster than with Dictionary.
        private readonly int[] _nodeSlots, _edgeSlots;
        private readonly int _nodeMask, _edgeMask;
        private bool[] _dead = [];
        private int[] _outStart = [], _out = [], _posInNode = [];

        /// <param name="vertices">At least the number of vertices to be added (sizes the tables).</param>
        public Graph(bool tagged, int vertices)
        {
            _tagged = tagged;
            _x = new List<double>(vertices / 2);
            _y = new List<double>(vertices / 2);
            _from = new List<int>(vertices / 2);
            _to = new List<int>(vertices / 2);
            _tag = new List<ulong>(tagged ? vertices / 2 : 0);
            int size = (int)Math.Min(1L << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * vertices)));
            _nodeSlots = new int[size];
            _edgeSlots = new int[size];
            Array.Fill(_nodeSlots, -1);
            Array.Fill(_edgeSlots, -1);
            _nodeMask = _edgeMask = size - 1;
        }

        private static int Mix(ulong a, ulong b)
        {
            ulong h = a * 0x9E3779B97F4A7C15UL ^ (b + 0x632BE59BD9B4E019UL) * 0xC2B2AE3D27D4EB4FUL;
            return (int)(h ^ (h >> 31));
        }

        public int Node(Coordinate c)
        {
            double x = c.X + 0.0, y = c.Y + 0.0; // −0 and 0 are one point
            int slot = Mix((ulong)BitConverter.DoubleToInt64Bits(x), (ulong)BitConverter.DoubleToInt64Bits(y)) & _nodeMask;
            while (true)
            {
                int n = _nodeSlots[slot];
                if (n < 0)
                {
                    n = _x.Count;
                    _nodeSlots[slot] = n;
                    _x.Add(x);
                    _y.Add(y);
                    return n;
                }
                if (_x[n] == x && _y[n] == y) return n;
                slot = (slot + 1) & _nodeMask;
            }
        }

        public void AddEdge(int u, int v, ulong tag)
        {
            if (u == v) return;
            int a = Math.Min(u, v), b = Math.Max(u, v);
            int slot = Mix((ulong)a, (ulong)b) & _edgeMask;
            while (true)
            {
                int e = _edgeSlots[slot];
                if (e < 0) break;
                if ((_from[e] == a && _to[e] == b) || (_from[e] == b && _to[e] == a))
                {
                    if (_tagged) _tag[e] |= tag;
                    return;
                }
                slot = (slot + 1) & _edgeMask;
            }
            _edgeSlots[slot] = _from.Count;
            _from.Add(u);
            _to.Add(v);
            if (_tagged) _tag.Add(tag);
        }

        private int Origin(int he) => (he & 1) == 0 ? _from[he >> 1] : _to[he >> 1];

        private int Dest(int he) => (he & 1) == 0 ? _to[he >> 1] : _from[he >> 1];

        /// <summary>Removes edges ending in a node of degree 1 (they bound no face), repeatedly.</summary>
        public void PruneDangles()
        {
            int n = _x.Count, m = _from.Count;
            _dead = new bool[m];
            var degree = new int[n];
            var incident = new List<int>[n];
            for (int e = 0; e < m; e++)
            {
                degree[_from[e]]++;
                degree[_to[e]]++;
            }
            var stack = new Stack<int>();
            for (int v = 0; v < n; v++) if (degree[v] == 1) stack.Push(v);
            if (stack.Count == 0) return;
            for (int e = 0; e < m; e++)
            {
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

        /// <summary>Outgoing half-edges of each node, counter-clockwise by angle.</summary>
        public void SortAroundNodes()
        {
            int n = _x.Count, halfEdges = 2 * _from.Count;
            _outStart = new int[n + 1];
            for (int he = 0; he < halfEdges; he++)
                if (!_dead[he >> 1]) _outStart[Origin(he) + 1]++;
            for (int v = 0; v < n; v++) _outStart[v + 1] += _outStart[v];
            _out = new int[_outStart[n]];
            var fill = (int[])_outStart.Clone();
            for (int he = 0; he < halfEdges; he++)
                if (!_dead[he >> 1]) _out[fill[Origin(he)]++] = he;
            var angle = new double[halfEdges];
            for (int he = 0; he < halfEdges; he++)
            {
                if (_dead[he >> 1]) continue;
                int a = Origin(he), b = Dest(he);
                angle[he] = Math.Atan2(_y[b] - _y[a], _x[b] - _x[a]);
            }
            _posInNode = new int[halfEdges];
            for (int v = 0; v < n; v++)
            {
                var span = _out.AsSpan(_outStart[v], _outStart[v + 1] - _outStart[v]);
                if (span.Length > 1) span.Sort((p, q) => angle[p].CompareTo(angle[q]));
                for (int i = 0; i < span.Length; i++) _posInNode[span[i]] = i;
            }
        }

        /// <summary>The next half-edge around the face on the left of <paramref name="he"/>.</summary>
        private int Next(int he)
        {
            int twin = he ^ 1, v = Dest(he);
            int start = _outStart[v], deg = _outStart[v + 1] - start;
            return _out[start + (_posInNode[twin] - 1 + deg) % deg];
        }

        public PlanarFaces TraceFaces(GeometryFactory factory)
        {
            int halfEdges = 2 * _from.Count;
            var cycleOf = new int[halfEdges];
            Array.Fill(cycleOf, -1);
            var cycles = new List<(int First, double Area, Coordinate[] Ring)>();
            var ring = new List<Coordinate>();
            for (int he0 = 0; he0 < halfEdges; he0++)
            {
                if (_dead[he0 >> 1] || cycleOf[he0] >= 0) continue;
                int id = cycles.Count;
                ring.Clear();
                double ox = _x[Origin(he0)], oy = _y[Origin(he0)], twice = 0;
                int he = he0;
                do
                {
                    cycleOf[he] = id;
                    int a = Origin(he), b = Dest(he);
                    ring.Add(new Coordinate(_x[a], _y[a]));
                    // Shoelace on coordinates relative to the first vertex: exact enough at 10⁶ m.
                    twice += (_x[a] - ox) * (_y[b] - oy) - (_x[b] - ox) * (_y[a] - oy);
                    he = Next(he);
                }
                while (he != he0);
                ring.Add(ring[0].Copy());
                cycles.Add((he0, twice / 2, ring.ToArray()));
            }

            // Counter-clockwise cycles are the shells of bounded faces; the others are the outer
            // boundaries of connected parts, to be placed in the smallest shell around them.
            var faceOfCycle = new int[cycles.Count];
            var shells = new List<int>();
            for (int c = 0; c < cycles.Count; c++)
            {
                faceOfCycle[c] = cycles[c].Area > 0 ? shells.Count : -1;
                if (cycles[c].Area > 0) shells.Add(c);
            }
            var holesOf = new List<int>[shells.Count];
            var tree = new STRtree<int>();
            foreach (int c in shells) tree.Insert(Envelope(cycles[c].Ring), faceOfCycle[c]);
            tree.Build();
            for (int c = 0; c < cycles.Count; c++)
            {
                if (cycles[c].Area > 0) continue;
                var p = cycles[c].Ring[0];
                int best = -1;
                double bestArea = double.PositiveInfinity;
                foreach (int f in tree.Query(new Envelope(p)))
                {
                    var shell = cycles[shells[f]];
                    if (shell.Area < bestArea && PointLocation.LocateInRing(p, shell.Ring) == Location.Interior)
                    {
                        best = f;
                        bestArea = shell.Area;
                    }
                }
                faceOfCycle[c] = best;
                if (best >= 0) (holesOf[best] ??= []).Add(c);
            }

            var faces = new Polygon[shells.Count];
            var area = new double[shells.Count];
            for (int f = 0; f < shells.Count; f++)
            {
                var shell = cycles[shells[f]];
                area[f] = shell.Area;
                var holes = holesOf[f] is { } hs ? hs.Select(h => factory.CreateLinearRing(cycles[h].Ring)).ToArray() : [];
                if (holesOf[f] is { } hl) foreach (int h in hl) area[f] += cycles[h].Area;
                faces[f] = factory.CreatePolygon(factory.CreateLinearRing(shell.Ring), holes);
            }

            // Adjacency: the faces on the two sides of every edge, one entry per neighbour.
            var perFace = new Dictionary<int, double>[shells.Count];
            List<int> sideA = [], sideB = [];
            var sideTag = _tagged ? new List<ulong>() : null;
            for (int e = 0; e < _from.Count; e++)
            {
                if (_dead[e]) continue;
                int f1 = faceOfCycle[cycleOf[2 * e]], f2 = faceOfCycle[cycleOf[2 * e + 1]];
                if (f1 == f2) continue;
                sideA.Add(f1);
                sideB.Add(f2);
                sideTag?.Add(_tag[e]);
                double len = Math.Sqrt(Sq(_x[_to[e]] - _x[_from[e]]) + Sq(_y[_to[e]] - _y[_from[e]])) / 1000;
                if (f1 >= 0) Add(perFace, f1, f2, len);
                if (f2 >= 0) Add(perFace, f2, f1, len);
            }
            var start = new int[shells.Count + 1];
            for (int f = 0; f < shells.Count; f++) start[f + 1] = start[f] + (perFace[f]?.Count ?? 0);
            var other = new int[start[^1]];
            var lens = new double[start[^1]];
            for (int f = 0; f < shells.Count; f++)
            {
                if (perFace[f] is null) continue;
                int k = start[f];
                foreach (var (o, len) in perFace[f].OrderBy(kv => kv.Key)) { other[k] = o; lens[k] = len; k++; }
            }
            return new PlanarFaces(faces, area, start, other, lens, [.. sideA], [.. sideB], sideTag?.ToArray());

            static void Add(Dictionary<int, double>[] perFace, int f, int o, double len)
            {
                var d = perFace[f] ??= [];
                d[o] = d.GetValueOrDefault(o) + len;
            }
        }

        private static double Sq(double v) => v * v;

        private static Envelope Envelope(Coordinate[] ring)
        {
            var env = new Envelope();
            foreach (var c in ring) env.ExpandToInclude(c);
            return env;
        }
    }
}
