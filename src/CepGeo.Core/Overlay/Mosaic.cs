using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The planar mosaic of several polygon layers: the boundaries of every layer noded once and
/// polygonized, each face labelled with the features of each layer that contain it, and the
/// faces' shared edges recorded so that any union of faces has a known perimeter and known
/// connected parts without a geometric union. Every metric of the spec is a sum over faces.
/// </summary>
/// <remarks>
/// Built in named stages, as OverlayNG is: <see cref="SegmentCollector"/> (each boundary segment
/// once, with its layers), an <see cref="INoder"/> (<see cref="GridNoder"/>, else
/// <see cref="RobustNoder"/>), <see cref="HalfEdgeGraph"/> (dangles pruned, edges sorted around
/// nodes), <see cref="FaceTracer"/> (the cycles), <see cref="HolePlacer"/> (each hole in its
/// shell), <see cref="PlanarFaces"/> (faces and their adjacency) and <see cref="FaceLabeller"/>.
/// Coordinates are in a projected CRS with metres; areas and lengths are stored in km² and km.
/// </remarks>
public sealed class Mosaic
{
    private static readonly INoder[] Noders = [GridNoder.Instance, RobustNoder.Instance];
    private static readonly INoder[] Robust = [RobustNoder.Instance];

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
        var segments = SegmentCollector.Collect(layers);
        // The grid noder first; if its rounded vertices left contacts, the robust one (tests take
        // the robust path straight away to check it).
        NodedLines? noded = null;
        foreach (var noder in robustNoding ? Robust : Noders)
            if ((noded = noder.Node(segments, factory)) is not null) break;
        noded!.Index.Freeze();
        onStep?.Invoke(StepFaces);
        var planar = PlanarFaces.Build(noded, factory);
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
            Parallel.For(0, layers.Count, l => labels[l] = FaceLabeller.Label(planar, l, layers[l], points));
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
