using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// A scene's line layers as one topology of arcs, built once (issue 28: "geometry simplified once per output scale"), as
/// mapshaper does: every ring of every layer split where its neighbours change (a vertex is a node when the rings through it do
/// not all run on to the same two neighbours), each stretch between two nodes stored once however many rings and layers share
/// it, and each of its inner vertices given its Douglas–Peucker threshold (the tolerance, in the scene's units, below which it
/// is kept). A fiche then reads the arcs in its frame, keeps the vertices whose threshold exceeds its tolerance, projects and
/// snaps them: no ring snapped, deduplicated and simplified again per fiche, and an arc two neighbours share is simplified once
/// for both (no seam, no overlap). Exact coordinate equality: the layers share their vertices (cells, networks and communes
/// are dissolved from the same communes).
/// </summary>
internal sealed class SceneArcs
{
    /// <summary>Vertices of all arcs, each arc's run contiguous: x, y and the threshold (+∞ at an arc's ends).</summary>
    private readonly double[] _x, _y, _threshold;

    /// <summary>Arc a's vertices are [_arcStart[a], _arcStart[a + 1]).</summary>
    private readonly int[] _arcStart;

    /// <summary>The layers (bit i: layer i of the sources) that have the arc on one of their rings.</summary>
    private readonly ulong[] _arcLayers;

    /// <summary>Each arc's envelope: min x, max x, min y, max y.</summary>
    private readonly double[] _arcBox;

    /// <summary>Ring r's arcs are _ringArcs[_ringStart[r] .. _ringStart[r + 1]), each a or ~a when the ring runs it backwards.</summary>
    private readonly int[] _ringStart, _ringArcs;

    /// <summary>Layer l's feature f has rings [_featureRing[l][f], _featureRing[l][f + 1]).</summary>
    private readonly int[][] _featureRing;

    /// <summary>Layer l's feature envelopes, four values each as <see cref="_arcBox"/>.</summary>
    private readonly double[][] _featureBox;

    private SceneArcs(double[] x, double[] y, double[] threshold, int[] arcStart, ulong[] arcLayers, double[] arcBox,
        int[] ringStart, int[] ringArcs, int[][] featureRing, double[][] featureBox)
    {
        (_x, _y, _threshold, _arcStart, _arcLayers, _arcBox) = (x, y, threshold, arcStart, arcLayers, arcBox);
        (_ringStart, _ringArcs, _featureRing, _featureBox) = (ringStart, ringArcs, featureRing, featureBox);
    }

    /// <summary>The most layers one topology holds (a bit each).</summary>
    public const int MaxLayers = 64;

    public int ArcCount => _arcStart.Length - 1;

    /// <summary>Vertices stored, arcs' ends counted once per arc.</summary>
    public int VertexCount => _x.Length;

    public int LayerCount => _featureRing.Length;

    /// <summary>Arc <paramref name="arc"/>'s vertices, first to last.</summary>
    public IEnumerable<(double X, double Y)> Vertices(int arc)
    {
        for (int i = _arcStart[arc]; i < _arcStart[arc + 1]; i++) yield return (_x[i], _y[i]);
    }

    /// <summary>Arc <paramref name="arc"/>'s thresholds, first to last (+∞ at its ends).</summary>
    public ReadOnlySpan<double> Thresholds(int arc) => _threshold.AsSpan(_arcStart[arc], _arcStart[arc + 1] - _arcStart[arc]);

    public ulong LayersOf(int arc) => _arcLayers[arc];

    private ulong[]? _sharing;

    /// <summary>The layers (bits) that have at least one arc in common with layer <paramref name="layer"/>, its own bit included:
    /// none but its own when its rings share no vertex run with theirs (another source or vintage).</summary>
    public ulong SharingWith(int layer) => LazyInitializer.EnsureInitialized(ref _sharing, () =>
    {
        var sharing = new ulong[LayerCount];
        foreach (ulong bits in _arcLayers)
            for (ulong b = bits; b != 0; b &= b - 1)
                sharing[System.Numerics.BitOperations.TrailingZeroCount(b)] |= bits;
        return sharing;
    })[layer];

    /// <summary>The arcs of layer <paramref name="layer"/>'s feature <paramref name="feature"/>, ring by ring (~a: run backwards).</summary>
    public IEnumerable<int[]> RingsOf(int layer, int feature)
    {
        for (int r = _featureRing[layer][feature]; r < _featureRing[layer][feature + 1]; r++)
            yield return _ringArcs[_ringStart[r].._ringStart[r + 1]];
    }

    /// <summary>The topology of <paramref name="layers"/> (at most <see cref="MaxLayers"/>), each a list of polygons.</summary>
    /// <param name="cancel">Checked every few thousand rings and arcs.</param>
    public static SceneArcs Build(IReadOnlyList<IReadOnlyList<Geometry>> layers, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count > MaxLayers) throw new ArgumentException($"at most {MaxLayers} layers", nameof(layers));
        var rings = Rings(layers, cancel, out var featureRing, out var featureBox);
        var node = Nodes(rings, cancel);
        var arcs = new ArcBuilder();
        var ringStart = new int[rings.Count + 1];
        var ringArcs = new List<int>(rings.Count * 4);
        for (int r = 0; r < rings.Count; r++)
        {
            if ((r & 1023) == 0) cancel.ThrowIfCancellationRequested();
            ringStart[r] = ringArcs.Count;
            arcs.Split(rings, r, node, ringArcs);
        }
        ringStart[rings.Count] = ringArcs.Count;
        return arcs.Finish(rings, ringStart, [.. ringArcs], featureRing, featureBox, cancel);
    }

    /// <summary>Every ring of every layer as vertex ids (the closing repeat and consecutive repeats dropped), with the layer it is of.</summary>
    private static RingSet Rings(IReadOnlyList<IReadOnlyList<Geometry>> layers, CancellationToken cancel, out int[][] featureRing,
        out double[][] featureBox)
    {
        var set = new RingSet();
        featureRing = new int[layers.Count][];
        featureBox = new double[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            var geoms = layers[l];
            featureRing[l] = new int[geoms.Count + 1];
            featureBox[l] = new double[4 * geoms.Count];
            for (int f = 0; f < geoms.Count; f++)
            {
                if ((f & 255) == 0) cancel.ThrowIfCancellationRequested();
                featureRing[l][f] = set.Count;
                var g = geoms[f];
                var e = g.EnvelopeInternal;
                (featureBox[l][4 * f], featureBox[l][4 * f + 1], featureBox[l][4 * f + 2], featureBox[l][4 * f + 3]) = e.IsNull
                    ? (double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity)
                    : (e.MinX, e.MaxX, e.MinY, e.MaxY);
                for (int k = 0; k < g.NumGeometries; k++)
                {
                    if (g.GetGeometryN(k) is not Polygon poly) continue;
                    set.Add(poly.ExteriorRing, l);
                    foreach (var hole in poly.InteriorRings) set.Add(hole, l);
                }
            }
            featureRing[l][geoms.Count] = set.Count;
        }
        return set;
    }

    /// <summary>
    /// Whether each vertex (by id) is a node: the rings through it do not all have the same two neighbours there (three or more
    /// edges meet, a ring turns back, or two rings touch at a point). A ring with no node gets one at its lowest vertex (least x,
    /// then y): the same vertex for every ring that runs the same way round, so an island's rings share one closed arc.
    /// </summary>
    private static bool[] Nodes(RingSet rings, CancellationToken cancel)
    {
        int count = rings.VertexCount;
        var ids = rings.Ids;
        var node = new bool[count];
        var pairA = new int[count];
        var pairB = new int[count];
        Array.Fill(pairA, -1);
        for (int r = 0; r < rings.Count; r++)
        {
            if ((r & 1023) == 0) cancel.ThrowIfCancellationRequested();
            int from = rings.Start[r], n = rings.Start[r + 1] - from;
            for (int i = 0; i < n; i++)
            {
                int v = ids[from + i];
                int p = ids[i == 0 ? from + n - 1 : from + i - 1], q = ids[i + 1 == n ? from : from + i + 1];
                if (p > q) (p, q) = (q, p);
                if (pairA[v] < 0) (pairA[v], pairB[v]) = (p, q);
                else if (pairA[v] != p || pairB[v] != q) node[v] = true;
            }
        }
        for (int r = 0; r < rings.Count; r++)
        {
            int from = rings.Start[r], n = rings.Start[r + 1] - from, low = -1;
            for (int i = 0; i < n && low != -2; i++)
            {
                int v = ids[from + i];
                if (node[v]) low = -2;
                else if (low < 0 || rings.X[v] < rings.X[low] || (rings.X[v] == rings.X[low] && rings.Y[v] < rings.Y[low])) low = v;
            }
            if (low >= 0) node[low] = true;
        }
        return node;
    }

    /// <summary>The rings of every layer as vertex ids, flat; each distinct vertex's coordinates once (an open-addressing table
    /// on their bits: a third of the memory of a dictionary of the 3.5 million national ring vertices).</summary>
    private sealed class RingSet
    {
        private int[] _ids = new int[1 << 16];
        private double[] _x = new double[1 << 16], _y = new double[1 << 16];
        private int[] _table = new int[1 << 17];
        private int _vertices;

        /// <summary>Ring r's vertex ids are Ids[Start[r] .. Start[r + 1]).</summary>
        public int[] Ids => _ids;

        public List<int> Start { get; } = [0];

        public List<int> Layer { get; } = [];

        /// <summary>Vertex id v's coordinates.</summary>
        public double[] X => _x;

        public double[] Y => _y;

        public int Count => Layer.Count;

        public int VertexCount => _vertices;

        public void Add(LineString ring, int layer)
        {
            var seq = ring.CoordinateSequence;
            int at = Start[^1], n = 0;
            if (_ids.Length < at + seq.Count) Array.Resize(ref _ids, Math.Max(2 * _ids.Length, at + seq.Count));
            for (int i = 0; i < seq.Count; i++)
            {
                int v = Id(seq.GetX(i), seq.GetY(i));
                if (n > 0 && _ids[at + n - 1] == v) continue;
                _ids[at + n++] = v;
            }
            if (n > 1 && _ids[at] == _ids[at + n - 1]) n--;
            // Fewer than three vertices bound no area: no ring.
            if (n < 3) n = 0;
            Start.Add(at + n);
            Layer.Add(layer);
        }

        /// <summary>The id of the vertex at x, y (−0 taken as +0), a new one the first time.</summary>
        private int Id(double x, double y)
        {
            x += 0.0;
            y += 0.0;
            int mask = _table.Length - 1;
            for (int h = Hash(x, y) & mask; ; h = (h + 1) & mask)
            {
                int slot = _table[h] - 1;
                if (slot < 0)
                {
                    if (_vertices == _x.Length)
                    {
                        Array.Resize(ref _x, 2 * _x.Length);
                        Array.Resize(ref _y, _x.Length);
                    }
                    (_x[_vertices], _y[_vertices]) = (x, y);
                    _table[h] = ++_vertices;
                    if (2 * _vertices > _table.Length) Grow();
                    return _vertices - 1;
                }
                if (_x[slot] == x && _y[slot] == y) return slot;
            }
        }

        private static int Hash(double x, double y)
        {
            ulong h = (ulong)BitConverter.DoubleToInt64Bits(x) * 0x9E3779B97F4A7C15UL ^ (ulong)BitConverter.DoubleToInt64Bits(y) * 0xC2B2AE3D27D4EB4FUL;
            return (int)(h >> 33);
        }

        private void Grow()
        {
            _table = new int[2 * _table.Length];
            int mask = _table.Length - 1;
            for (int v = 0; v < _vertices; v++)
            {
                int h = Hash(_x[v], _y[v]) & mask;
                while (_table[h] != 0) h = (h + 1) & mask;
                _table[h] = v + 1;
            }
        }
    }

    /// <summary>The arcs as they are found, each recorded the first time a ring runs it (by where it runs in that ring) and looked
    /// up by its first edge after; their vertices copied once, into arrays of the size found.</summary>
    private sealed class ArcBuilder
    {
        private readonly List<(int Ring, int From, int Length)> _arcs = [];
        private readonly List<ulong> _layers = [];
        private int _total;

        /// <summary>An arc by the ids of its first two vertices (a) and of its last two, from the end (~a).</summary>
        private readonly Dictionary<(int, int), int> _byEdge = [];

        /// <summary>Ring <paramref name="r"/> cut at its nodes, its arcs (found or new) appended to <paramref name="into"/>.</summary>
        public void Split(RingSet rings, int r, bool[] node, List<int> into)
        {
            var ids = rings.Ids;
            int from = rings.Start[r], n = rings.Start[r + 1] - from;
            if (n == 0) return;
            int first = -1;
            for (int i = 0; i < n && first < 0; i++)
                if (node[ids[from + i]]) first = i;
            ulong bit = 1UL << rings.Layer[r];
            int a = first;
            do
            {
                int b = (a + 1) % n;
                while (!node[ids[from + b]]) b = (b + 1) % n;
                // The arc runs a → b (b == a: the ring is one closed arc).
                int len = (b - a + n) % n;
                if (len == 0) len = n;
                int v0 = ids[from + a], v1 = ids[from + (a + 1) % n];
                if (!_byEdge.TryGetValue((v0, v1), out int arc))
                {
                    arc = _arcs.Count;
                    _arcs.Add((r, a, len));
                    _total += len + 1;
                    _layers.Add(0);
                    _byEdge[(v0, v1)] = arc;
                    _byEdge.TryAdd((ids[from + b], ids[from + (b - 1 + n) % n]), ~arc);
                }
                _layers[arc < 0 ? ~arc : arc] |= bit;
                into.Add(arc);
                a = b;
            }
            while (a != first);
        }

        public SceneArcs Finish(RingSet rings, int[] ringStart, int[] ringArcs, int[][] featureRing, double[][] featureBox, CancellationToken cancel)
        {
            var x = new double[_total];
            var y = new double[_total];
            var start = new int[_arcs.Count + 1];
            var threshold = new double[x.Length];
            var box = new double[4 * _arcs.Count];
            var stack = new Stack<(int A, int B, double Parent)>();
            var ids = rings.Ids;
            int at = 0;
            for (int arc = 0; arc < _arcs.Count; arc++)
            {
                if ((arc & 4095) == 0) cancel.ThrowIfCancellationRequested();
                var (r, from, len) = _arcs[arc];
                int ring = rings.Start[r], n = rings.Start[r + 1] - ring;
                start[arc] = at;
                double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
                for (int k = 0, i = from; k <= len; k++, i = i + 1 == n ? 0 : i + 1)
                {
                    int v = ids[ring + i];
                    double px = rings.X[v], py = rings.Y[v];
                    (x[at + k], y[at + k]) = (px, py);
                    x0 = Math.Min(x0, px);
                    x1 = Math.Max(x1, px);
                    y0 = Math.Min(y0, py);
                    y1 = Math.Max(y1, py);
                }
                (box[4 * arc], box[4 * arc + 1], box[4 * arc + 2], box[4 * arc + 3]) = (x0, x1, y0, y1);
                Thresholds(x, y, threshold, at, at + len, stack);
                at += len + 1;
            }
            start[_arcs.Count] = at;
            return new SceneArcs(x, y, threshold, start, [.. _layers], box, ringStart, ringArcs, featureRing, featureBox);
        }
    }

    /// <summary>
    /// Douglas–Peucker thresholds of the arc [<paramref name="a"/>, <paramref name="b"/>]: its ends +∞; between two vertices,
    /// the one farthest from their chord (as a segment; a closed arc's chord is its first vertex) gets its distance, but never
    /// more than the vertex that split the span before it, so that keeping the thresholds above a tolerance is Douglas–Peucker
    /// at that tolerance (a vertex kept, the vertices that made it a span's end are kept).
    /// </summary>
    internal static void Thresholds(double[] x, double[] y, double[] threshold, int a, int b, Stack<(int A, int B, double Parent)> stack)
    {
        threshold[a] = threshold[b] = double.PositiveInfinity;
        stack.Push((a, b, double.PositiveInfinity));
        while (stack.Count > 0)
        {
            var (i, j, parent) = stack.Pop();
            if (j - i < 2) continue;
            double ax = x[i], ay = y[i], dx = x[j] - ax, dy = y[j] - ay, len2 = dx * dx + dy * dy;
            int worst = i + 1;
            double worstD = -1;
            for (int k = i + 1; k < j; k++)
            {
                double ex = x[k] - ax, ey = y[k] - ay;
                double t = len2 > 0 ? Math.Clamp((ex * dx + ey * dy) / len2, 0, 1) : 0;
                double fx = ex - t * dx, fy = ey - t * dy, d = fx * fx + fy * fy;
                if (d > worstD) (worstD, worst) = (d, k);
            }
            double th = Math.Min(Math.Sqrt(worstD), parent);
            threshold[worst] = th;
            stack.Push((i, worst, th));
            stack.Push((worst, j, th));
        }
    }

    /// <summary>
    /// The per-call state of <see cref="AddLines"/>: which arcs this call drew (a stamp per arc, this call's number), one per
    /// thread (fiches are drawn in parallel) and reused: no array cleared per call.
    /// </summary>
    [ThreadStatic]
    private static int[]? _stamps;

    [ThreadStatic]
    private static int _stamp;

    [ThreadStatic]
    private static SKPoint[]? _run;

    private int NextStamp(out int[] stamps)
    {
        stamps = _stamps is { } s && s.Length >= ArcCount ? s : _stamps = new int[Math.Max(ArcCount, 16)];
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(stamps);
            _stamp = 1;
        }
        return _stamp;
    }

    /// <summary>Whether layer <paramref name="layer"/>'s feature <paramref name="f"/>'s envelope meets the box.</summary>
    private bool FeatureMeets(int layer, int f, double x0, double x1, double y0, double y1)
    {
        var b = _featureBox[layer];
        return !(x0 > b[4 * f + 1] || x1 < b[4 * f] || y0 > b[4 * f + 3] || y1 < b[4 * f + 2]);
    }

    private bool ArcMeets(int arc, double x0, double x1, double y0, double y1) =>
        !(x0 > _arcBox[4 * arc + 1] || x1 < _arcBox[4 * arc] || y0 > _arcBox[4 * arc + 3] || y1 < _arcBox[4 * arc + 2]);

    /// <summary>Layer <paramref name="layer"/>'s features whose envelope meets <paramref name="frame"/>, in layer order.</summary>
    public IEnumerable<int> InFrame(int layer, Envelope frame)
    {
        for (int f = 0; f < _featureBox[layer].Length / 4; f++)
            if (FeatureMeets(layer, f, frame.MinX, frame.MaxX, frame.MinY, frame.MaxY)) yield return f;
    }

    /// <summary>
    /// The lines of <paramref name="features"/> (features of one or several layers: (layer, feature)) into <paramref name="into"/>,
    /// each arc once: the arcs in <paramref name="frame"/> (world), less those of a layer in <paramref name="hide"/> (bits), their
    /// vertices above <paramref name="tolerance"/> (world units), in <paramref name="layout"/>'s pixels snapped to
    /// <paramref name="grid"/>, edges wholly on one side outside <paramref name="clip"/> left out; consecutive arcs of a ring that
    /// meet are one line.
    /// </summary>
    public void AddLines(Polylines into, IEnumerable<(int Layer, int Feature)> features, Envelope frame, ulong hide, MapLayout layout,
        SKRect clip, float grid, double tolerance, CancellationToken cancel)
    {
        int stamp = NextStamp(out var stamps);
        var run = new Run(_run ??= new SKPoint[1024]);
        double x0 = frame.MinX, x1 = frame.MaxX, y0 = frame.MinY, y1 = frame.MaxY;
        foreach (var (layer, f) in features)
        {
            cancel.ThrowIfCancellationRequested();
            for (int r = _featureRing[layer][f]; r < _featureRing[layer][f + 1]; r++)
            {
                for (int k = _ringStart[r]; k < _ringStart[r + 1]; k++)
                {
                    int signed = _ringArcs[k], arc = signed < 0 ? ~signed : signed;
                    if (stamps[arc] == stamp || (_arcLayers[arc] & hide) != 0 || !ArcMeets(arc, x0, x1, y0, y1))
                    {
                        run.Flush(into);
                        continue;
                    }
                    stamps[arc] = stamp;
                    int from = _arcStart[arc], to = _arcStart[arc + 1] - 1, step = 1;
                    if (signed < 0) (from, to, step) = (to, from, -1);
                    for (int i = from; ; i += step)
                    {
                        if (i == from || i == to || _threshold[i] > tolerance)
                        {
                            var p = layout.ToPixel(_x[i], _y[i]);
                            var s = new SKPoint(MathF.Round(p.X / grid) * grid, MathF.Round(p.Y / grid) * grid);
                            run.Push(into, s, i == from, clip);
                        }
                        if (i == to) break;
                    }
                }
                run.Flush(into);
            }
        }
        run.Flush(into);
        _run = run.Points;
    }

    /// <summary>The line being put together: snapped vertices, a repeat dropped, cut where an edge lies wholly on one side outside
    /// the clip or where an arc does not start at the line's end.</summary>
    private struct Run(SKPoint[] points)
    {
        public SKPoint[] Points = points;
        private int _m;

        public void Push(Polylines into, SKPoint s, bool arcStart, SKRect clip)
        {
            if (_m > 0)
            {
                var last = Points[_m - 1];
                if (last == s) return;
                if (arcStart || PixelPaths.Outside(last, s, clip)) Flush(into);
            }
            if (_m == Points.Length) Array.Resize(ref Points, 2 * Points.Length);
            Points[_m++] = s;
        }

        public void Flush(Polylines into)
        {
            if (_m >= 2) into.Add(Points.AsSpan(0, _m), closed: false);
            _m = 0;
        }
    }

    /// <summary>
    /// The rings of <paramref name="features"/> as closed rings for a fill (even-odd), each put together from its arcs (the same
    /// vertices the lines keep at <paramref name="tolerance"/>), snapped and cut to <paramref name="clip"/> as
    /// <see cref="PixelPaths.Add(Polylines, Geometry, MapLayout, SKRect, float, float)"/> cuts a ring. An arc whose envelope misses
    /// <paramref name="frame"/> lies wholly beyond one side of it and stands in the ring by its ends alone: the cut is the same.
    /// </summary>
    public void AddRings(Polylines into, IEnumerable<(int Layer, int Feature)> features, Envelope frame, MapLayout layout, SKRect clip,
        float grid, double tolerance, CancellationToken cancel)
    {
        var run = _run ??= new SKPoint[1024];
        double x0 = frame.MinX, x1 = frame.MaxX, y0 = frame.MinY, y1 = frame.MaxY;
        foreach (var (layer, f) in features)
        {
            cancel.ThrowIfCancellationRequested();
            for (int r = _featureRing[layer][f]; r < _featureRing[layer][f + 1]; r++)
            {
                int m = 0;
                for (int k = _ringStart[r]; k < _ringStart[r + 1]; k++)
                {
                    int signed = _ringArcs[k], arc = signed < 0 ? ~signed : signed;
                    bool meets = ArcMeets(arc, x0, x1, y0, y1);
                    int from = _arcStart[arc], to = _arcStart[arc + 1] - 1, step = 1;
                    if (signed < 0) (from, to, step) = (to, from, -1);
                    // Its last vertex is the next arc's first.
                    for (int i = from; i != to; i += step)
                    {
                        if (i != from && (!meets || _threshold[i] <= tolerance)) continue;
                        var p = layout.ToPixel(_x[i], _y[i]);
                        var s = new SKPoint(MathF.Round(p.X / grid) * grid, MathF.Round(p.Y / grid) * grid);
                        if (m > 0 && run[m - 1] == s) continue;
                        if (m == run.Length) Array.Resize(ref run, 2 * run.Length);
                        run[m++] = s;
                    }
                }
                if (m > 1 && run[m - 1] == run[0]) m--;
                if (m >= 3) PixelPaths.AddClipped(into, run, m, clip);
            }
        }
        _run = run;
    }
}
