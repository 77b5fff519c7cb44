using CepGeo.Core.Common;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The planar mosaic of several polygon layers: the boundaries of every layer noded once and
/// polygonized, each face labelled with the features of each layer that contain it, and the
/// faces' shared edges recorded so that any union of faces has a known perimeter and known
/// connected parts without a geometric union. Every metric of the spec is a sum over faces.
/// </summary>
/// <remarks>
/// Coordinates are in a projected CRS with metres; areas and lengths are stored in km² and km.
/// </remarks>
public sealed class Mosaic
{
    private static readonly int[] None = [];

    private readonly FaceRings _faces;

    private Mosaic(FaceRings faces, IReadOnlyList<double> areaKm2, IReadOnlyList<int[][]> labels,
        IReadOnlyList<int> adjStart, IReadOnlyList<int> adjFace, IReadOnlyList<double> adjLenKm)
    {
        _faces = faces;
        AreaKm2 = areaKm2;
        Labels = labels;
        AdjacencyStart = adjStart;
        AdjacentFace = adjFace;
        AdjacentLengthKm = adjLenKm;
    }

    /// <summary>
    /// The faces: non-overlapping polygons whose union is the union of all layers (plus enclosed
    /// holes). Each is made when asked for (the mosaic stores them flat): keep the polygon rather
    /// than asking twice.
    /// </summary>
    public IReadOnlyList<Polygon> Faces => _faces;

    /// <summary>Area of each face, km².</summary>
    public IReadOnlyList<double> AreaKm2 { get; }

    /// <summary><c>Labels[layer][face]</c>: indices (ascending) of the layer's features containing the face.</summary>
    public IReadOnlyList<int[][]> Labels { get; }

    /// <summary>CSR adjacency: the edges of face f are <c>AdjacencyStart[f] .. AdjacencyStart[f+1]</c>.</summary>
    public IReadOnlyList<int> AdjacencyStart { get; }

    /// <summary>The face across each edge, or -1 when no face lies there (outside every layer).</summary>
    public IReadOnlyList<int> AdjacentFace { get; }

    /// <summary>Length of each edge, km.</summary>
    public IReadOnlyList<double> AdjacentLengthKm { get; }

    public int FaceCount => Faces.Count;

    /// <summary>The envelope of face <paramref name="f"/>, without making its polygon.</summary>
    public Envelope FaceEnvelope(int f) => _faces.Envelope(f);

    /// <summary>The west end of face <paramref name="f"/> (<see cref="FaceEnvelope"/>'s MinX, without making the envelope).</summary>
    public double FaceMinX(int f) => _faces.MinX(f);

    /// <summary>Face <paramref name="f"/>'s rings (shell first) as x, y pairs, read off the mosaic's own
    /// array without making the polygon (<see cref="Faces"/> makes one, copying every ring).</summary>
    public IReadOnlyList<ReadOnlyMemory<double>> FaceRingsXY(int f) => _faces.RingsXY(f);

    /// <summary>
    /// The same faces with one layer's labels replaced: how a perimeter proposal made of whole faces
    /// (unions of zones, of communes, of cells) is measured exactly, with no new overlay.
    /// </summary>
    /// <param name="layer">Index of the layer to relabel (0 for the cells).</param>
    /// <param name="labels">For each face, the ascending indices of the new features containing it.</param>
    public Mosaic WithLabels(int layer, int[][] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != FaceCount)
            throw new ArgumentException($"{labels.Length} labels for {FaceCount} faces.", nameof(labels));
        var all = Labels.ToArray();
        all[layer] = labels;
        return new Mosaic(_faces, AreaKm2, all, AdjacencyStart, AdjacentFace, AdjacentLengthKm);
    }

    /// <summary>
    /// Builds the mosaic of the given layers (each a list of valid Polygon/MultiPolygon in a metric CRS).
    /// </summary>
    /// <param name="onStep">Called as each sub-step starts (<c>node</c>, <c>faces</c>, <c>label</c>).</param>
    public static Mosaic Build(IReadOnlyList<IReadOnlyList<Geometry>> layers, GeometryFactory? factory = null, Action<string>? onStep = null) =>
        Build(layers, factory, onStep, robustNoding: false);

    /// <summary>The sub-steps <see cref="Build(IReadOnlyList{IReadOnlyList{Geometry}}, GeometryFactory?, Action{string}?)"/> reports.</summary>
    public const string StepNode = "node", StepFaces = "faces", StepLabel = "label";

    /// <param name="robustNoding">Node with OverlayNG's robust union straight away, as when the grid
    /// noder leaves contacts (rare on real data: tests use it to check that path).</param>
    internal static Mosaic Build(IReadOnlyList<IReadOnlyList<Geometry>> layers, GeometryFactory? factory, Action<string>? onStep, bool robustNoding)
    {
        factory ??= layers.SelectMany(l => l).FirstOrDefault()?.Factory ?? new GeometryFactory();
        onStep?.Invoke(StepNode);
        var (index, dead, masks) = NodeBoundaries(layers, factory, robustNoding);
        index.Freeze();
        onStep?.Invoke(StepFaces);
        var planar = PlanarFaces.Build(index, dead, masks, factory);
        var areas = new double[planar.Faces.Count];
        for (int i = 0; i < areas.Length; i++)
            areas[i] = planar.AreaM2[i] / 1e6;
        var labels = new int[layers.Count][][];
        try
        {
            onStep?.Invoke(StepLabel);
            var points = new Coordinate?[planar.Faces.Count];
            // The layers side by side: each one's sequential parts (grouping its faces, its R-tree)
            // overlap the other's. A face's interior point may be computed by both; it is the same.
            Parallel.For(0, layers.Count, l => labels[l] = LabelFaces(planar, l, layers[l], points));
        }
        catch
        {
            // Cancelled or failed: the adjacency being made in the background stops with the
            // run (its own failure, if any, is not the one reported).
            try { planar.Adjacency(); } catch (Exception) { }
            throw;
        }
        var (adjStart, adjFace, adjLenKm) = planar.Adjacency();
        return new Mosaic(planar.Faces, areas, labels, adjStart, adjFace, adjLenKm);
    }

    /// <summary>
    /// Nodes the rings of every layer together: identical segments are kept once, crossings and
    /// collinear overlaps get a vertex. Returns the noded linework as the pairs of a point index
    /// (the dead ones were cut into pieces), with each pair's layer bits (null after the robust
    /// fallback, which does not keep them).
    /// </summary>
    private static (PointIndex Index, List<bool>? Dead, List<ulong>? Masks) NodeBoundaries(IReadOnlyList<IReadOnlyList<Geometry>> layers,
        GeometryFactory factory, bool robustOnly)
    {
        // Layers dissolved from the same communes share most of their edges: dropping repeated
        // segments before noding removes most of the work (PACA, 5 layers: 135k → 41k segments).
        var (index, masks) = UniqueSegments(layers);
        int original = index.PairA.Count;
        var dead = new List<bool>(original);
        if (!robustOnly && GridNoder.Node(index, masks, dead, out _, out _))
            return (index, dead, masks);
        // Floating-point noding left a crossing beside a computed vertex (nearly coincident
        // lines): let OverlayNG's robust union (snapping, then snap-rounding) node them. Areas
        // then move by at most the snap tolerance; this path is rare on real data. Which layers
        // each edge bounds is lost: every face is then labelled on its own. The union is given
        // the rings' own segments (the first pairs), not the grid noder's rounded pieces.
        var lines = new List<Geometry>(original);
        for (int e = 0; e < original; e++)
            lines.Add(factory.CreateLineString([
                new Coordinate(index.X[index.PairA[e]], index.Y[index.PairA[e]]),
                new Coordinate(index.X[index.PairB[e]], index.Y[index.PairB[e]])]));
        var union = OverlayNGRobust.Union((Geometry)factory.CreateGeometryCollection([.. lines]));
        var robust = new PointIndex(union.NumPoints);
        foreach (var line in LinesOf(union))
            for (int i = 0; i + 1 < line.Length; i++)
            {
                int u = robust.Point(line[i].X, line[i].Y), v = robust.Point(line[i + 1].X, line[i + 1].Y);
                if (u != v) robust.Pair(u, v, out _);
            }
        return (robust, null, null);
    }

    private static IEnumerable<(int Layer, CoordinateSequence Ring)> Rings(IReadOnlyList<IReadOnlyList<Geometry>> layers)
    {
        for (int l = 0; l < layers.Count; l++)
            foreach (var g in layers[l])
                for (int p = 0; p < g.NumGeometries; p++)
                {
                    if (g.GetGeometryN(p) is not Polygon poly || poly.IsEmpty) continue;
                    yield return (l, poly.ExteriorRing.CoordinateSequence);
                    foreach (var hole in poly.InteriorRings)
                        yield return (l, hole.CoordinateSequence);
                }
    }

    private static IEnumerable<Coordinate[]> LinesOf(Geometry g)
    {
        for (int i = 0; i < g.NumGeometries; i++)
            if (g.GetGeometryN(i) is LineString ls && !ls.IsEmpty)
                yield return ls.Coordinates;
    }

    /// <summary>
    /// Every segment of every ring once, as the pairs of a point index, with the layers whose
    /// boundary holds it as bits (see <see cref="Bounds"/>).
    /// </summary>
    private static (PointIndex Index, List<ulong> Masks) UniqueSegments(IReadOnlyList<IReadOnlyList<Geometry>> layers)
    {
        int vertices = 0;
        foreach (var layer in layers)
            foreach (var g in layer)
                vertices += g.NumPoints;
        // Rings of adjacent polygons share their vertices: about a third of them are distinct on
        // national layers, and the tables grow if there are more.
        var index = new PointIndex(vertices / 2);
        var masks = new List<ulong>(vertices / 2);
        var rings = Rings(layers).ToList();
        var ringStart = new int[rings.Count + 1];
        for (int r = 0; r < rings.Count; r++) ringStart[r + 1] = ringStart[r] + rings[r].Ring.Count;
        var ids = new int[ringStart[^1]];
        // The hash tables are tens of MB: each lookup misses the cache. Two lines of work, each in
        // ring order so the numbering is the sequential one: one thread numbers the points of the
        // rings (their table only), this one numbers the segments (theirs only) as the rings'
        // points are ready. Each lookup asks memory for its slot a few lookups ahead.
        const int ahead = 8;
        TwoLines.Run(lines =>
        {
            for (int r = 0; r < rings.Count && !lines.Stopped; r++)
            {
                var cs = rings[r].Ring;
                int n = cs.Count, o = ringStart[r];
                for (int i = 0; i < Math.Min(ahead, n); i++) index.PrefetchPoint(cs.GetX(i), cs.GetY(i));
                for (int i = 0; i < n; i++)
                {
                    if (i + ahead < n) index.PrefetchPoint(cs.GetX(i + ahead), cs.GetY(i + ahead));
                    ids[o + i] = index.Point(cs.GetX(i), cs.GetY(i));
                }
                lines.Publish(r + 1);
            }
        }, lines =>
        {
            for (int r = 0; r < rings.Count; r++)
            {
                lines.WaitFor(r);
                int layer = rings[r].Layer, o = ringStart[r], n = ringStart[r + 1] - o;
                if (n == 0) continue;
                ulong bit = layer < 64 ? 1UL << layer : 0;
                for (int i = 1; i < Math.Min(ahead + 1, n); i++) index.PrefetchPair(ids[o + i - 1], ids[o + i]);
                int u = ids[o];
                for (int i = 1; i < n; i++)
                {
                    if (i + ahead < n) index.PrefetchPair(ids[o + i + ahead - 1], ids[o + i + ahead]);
                    int v = ids[o + i];
                    if (u == v) continue;
                    int id = index.Pair(u, v, out bool added);
                    if (added)
                    {
                        PointIndex.Reserve(masks);
                        masks.Add(bit);
                    }
                    else masks[id] |= bit;
                    u = v;
                }
            }
        });
        return (index, masks);
    }

    /// <summary>Whether an edge with these layer bits lies on a boundary of the layer (layers past 64 are not tracked: always).</summary>
    private static bool Bounds(ulong mask, int layer) => layer >= 64 || ((mask >> layer) & 1) != 0;

    /// <summary>
    /// Labels the faces with the features of one layer. Faces joined by edges that bound none of
    /// the layer's features lie in the same features, so the faces are first grouped across such
    /// edges (union-find) and one interior point per group is located: on communes × cantons,
    /// 38k point locations instead of 300k.
    /// </summary>
    /// <param name="points">Interior points of faces, computed on first need and shared between layers.</param>
    private static int[][] LabelFaces(PlanarFaces planar, int layer, IReadOnlyList<Geometry> features, Coordinate?[] points)
    {
        var faces = planar.Faces;
        var parent = new int[faces.Count];
        for (int f = 0; f < parent.Length; f++) parent[f] = f;
        if (planar.EdgeMask is { } masks)
            for (int e = 0; e < masks.Length; e++)
            {
                int a = planar.EdgeFaceA[e], b = planar.EdgeFaceB[e];
                if (a >= 0 && b >= 0 && !Bounds(masks[e], layer)) Union(parent, a, b);
            }
        var roots = new List<int>();
        for (int f = 0; f < parent.Length; f++)
            if (Find(parent, f) == f) roots.Add(f);

        // The features' envelopes (a pass over every coordinate, then cached) on every core first.
        Parallel.For(0, features.Count, i => _ = features[i].EnvelopeInternal);
        var tree = new STRtree<int>();
        for (int i = 0; i < features.Count; i++)
            tree.Insert(features[i].EnvelopeInternal, i);
        tree.Build();
        // Interior points first, then one locator per feature built once: both in parallel, and the
        // locators are only read afterwards, so the group loop can run in parallel too.
        Parallel.For(0, roots.Count, r => points[roots[r]] ??= faces.InteriorPoint(roots[r]));
        var locators = new IPointOnGeometryLocator[features.Count];
        Parallel.For(0, features.Count, i =>
        {
            // An index pays off on long rings (a département); a commune's few hundred vertices
            // are faster to scan than to index.
            if (features[i].NumPoints < 1000)
            {
                locators[i] = new PackedAreaLocator(features[i]);
                return;
            }
            var locator = new IndexedPointInAreaLocator(features[i]);
            locator.Locate(features[i].EnvelopeInternal.Centre); // builds its index now, not under contention
            locators[i] = locator;
        });
        var result = new int[faces.Count][];
        Parallel.For(0, roots.Count, () => new List<int>(4), (r, _, hits) =>
        {
            int f = roots[r];
            var pt = points[f]!;
            hits.Clear();
            foreach (int i in tree.Query(new Envelope(pt)))
                if (locators[i].Locate(pt) == Location.Interior)
                    hits.Add(i);
            if (hits.Count == 0) { result[f] = None; return hits; }
            hits.Sort();
            result[f] = hits.ToArray();
            return hits;
        }, _ => { });
        for (int f = 0; f < result.Length; f++)
            result[f] ??= result[Find(parent, f)];
        return result;
    }

    /// <summary>Root of a union-find tree, halving paths as it goes.</summary>
    private static int Find(int[] parent, int f)
    {
        while (parent[f] != f)
        {
            parent[f] = parent[parent[f]];
            f = parent[f];
        }
        return f;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        if (ra < rb) parent[rb] = ra;
        else parent[ra] = rb;
    }

    /// <summary>Perimeter (km) of the union of the faces for which <paramref name="inSet"/> is true.</summary>
    public double PerimeterKm(ReadOnlySpan<int> faces, Func<int, bool> inSet)
    {
        double p = 0;
        foreach (int f in faces)
            for (int k = AdjacencyStart[f]; k < AdjacencyStart[f + 1]; k++)
            {
                int o = AdjacentFace[k];
                if (o < 0 || !inSet(o)) p += AdjacentLengthKm[k];
            }
        return p;
    }

    /// <summary>Connected parts (sharing an edge, not just a point) of a set of faces, each sorted.</summary>
    public List<List<int>> Components(ReadOnlySpan<int> faces, Func<int, bool> inSet)
    {
        // Called for every cell and zone piece on every core: the faces seen are marked in this
        // thread's array (a new mark per call) rather than in a new set each time.
        var scratch = ComponentScratch.For(FaceCount);
        int mark = scratch.NextMark();
        var seen = scratch.Seen;
        var stack = scratch.Stack;
        stack.Clear(); // left full if a predicate threw in an earlier call
        var parts = new List<List<int>>();
        foreach (int seed in faces)
        {
            if (seen[seed] == mark) continue;
            seen[seed] = mark;
            var part = new List<int>();
            stack.Push(seed);
            while (stack.Count > 0)
            {
                int f = stack.Pop();
                part.Add(f);
                for (int k = AdjacencyStart[f]; k < AdjacencyStart[f + 1]; k++)
                {
                    int o = AdjacentFace[k];
                    if (o >= 0 && seen[o] != mark && inSet(o))
                    {
                        seen[o] = mark;
                        stack.Push(o);
                    }
                }
            }
            part.Sort();
            parts.Add(part);
        }
        return parts;
    }

    /// <summary>Per-thread work state of <see cref="Components"/>: a mark per face and a stack.</summary>
    private sealed class ComponentScratch
    {
        public int[] Seen = [];
        public readonly Stack<int> Stack = new();
        private int _mark;

        public static ComponentScratch For(int faces)
        {
            var scratch = t_components ??= new ComponentScratch();
            if (scratch.Seen.Length < faces)
            {
                scratch.Seen = new int[faces];
                scratch._mark = 0;
            }
            return scratch;
        }

        /// <summary>A mark no face carries yet (the marks are cleared when they wrap around).</summary>
        public int NextMark()
        {
            if (++_mark == int.MaxValue)
            {
                Array.Clear(Seen);
                _mark = 1;
            }
            return _mark;
        }
    }

    [ThreadStatic]
    private static ComponentScratch? t_components;
}
