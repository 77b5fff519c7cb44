using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The geometry of an analysis in the map's projection, prepared once for every map: the layers in
/// mosaic order (cells, then each operator) and each defect polygon.
/// </summary>
public sealed class MapScene
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Geometry>> _defects = new(StringComparer.Ordinal);
    private readonly Reprojector? _toMap;

    private MapScene(AnalysisResult result, CrsRef crs, Reprojector? toMap)
    {
        Result = result;
        Crs = crs;
        _toMap = toMap;
        _facesOfCell = new Lazy<List<int>[]>(() =>
        {
            var groups = new List<int>[result.Infos[0].Ids.Count];
            for (int i = 0; i < groups.Length; i++) groups[i] = [];
            var labels = result.Mosaic.Labels[0];
            for (int f = 0; f < result.Mosaic.FaceCount; f++)
                foreach (int c in labels[f]) groups[c].Add(f);
            return groups;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        Layers = result.Infos.Select((_, i) => (IReadOnlyList<Geometry>)result.Layers[i].Features
            .Select(f => Project(f.Geometry)).ToList()).ToList();
        Units = result.WeightsLayer?.Features.Select(f => Project(f.Geometry)).ToList();
        var env = new Envelope();
        foreach (var g in Layers[0]) env.ExpandToInclude(g.EnvelopeInternal);
        Extent = env;
        _north = new Lazy<(double X, double Y)>(() => NorthStep(Extent.Centre.X, Extent.Centre.Y), LazyThreadSafetyMode.ExecutionAndPublication);
        _dissolved = new Lazy<IReadOnlyList<Geometry>?>(() => Dissolve(Layers[0]), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The cells dissolved into their outline (NTS's CoverageUnion, once per scene), one polygon per part: what a fiche's pale
    /// fill of the cells around it draws, one flat colour, with the vertices of the outline instead of every neighbour's whole
    /// ring (issue 28: a tenth of the national atlas's path). Null when the cells are not a clean coverage (their union's area
    /// is not the sum of theirs, or its parts overlap): then each cell is filled as before.
    /// </summary>
    internal IReadOnlyList<Geometry>? CellsDissolved => _dissolved.Value;

    private readonly Lazy<IReadOnlyList<Geometry>?> _dissolved;

    internal static IReadOnlyList<Geometry>? Dissolve(IReadOnlyList<Geometry> cells)
    {
        if (cells.Count == 0) return null;
        try
        {
            var union = NetTopologySuite.Coverage.CoverageUnion.Union([.. cells]);
            double sum = cells.Sum(c => c.Area);
            // Cells that overlap are no coverage: their "union" is then a smaller area, or parts that overlap (invalid). The same
            // test stands between the fiches and CoverageUnion's known fault, a hole touching the coverage's boundary (NTS issue
            // 804), as far as that fault changes the area or the validity (not tested on such cells).
            if (union is null || Math.Abs(union.Area - sum) > 1e-9 * sum || !union.IsValid) return null;
            return Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever NTS throws on some study's cells, the fiches fall back to filling each cell: a Lazy would otherwise keep
            // the exception and throw it on every fiche, failing a run after its files are written.
            return null;
        }
    }

    /// <summary>
    /// The line layers of the fiches as one topology of arcs with their simplification thresholds (<see cref="SceneArcs"/>), built
    /// on first use and shared by every fiche: the cells (layer 0), each operator's zones (1 …), then <see cref="Units"/> and
    /// <see cref="CellsDissolved"/> when there are (<see cref="UnitsArcLayer"/>, <see cref="DissolvedArcLayer"/>). Null when the
    /// layers are more than a topology holds. Thread-safe; a build cancelled by <paramref name="cancel"/> is not kept.
    /// </summary>
    internal SceneArcs? Arcs(CancellationToken cancel = default)
    {
        if (Layers.Count + 2 > SceneArcs.MaxLayers) return null;
        while (true)
        {
            var lazy = Volatile.Read(ref _arcs);
            if (lazy is null)
            {
                var made = new Lazy<SceneArcs>(() => SceneArcs.Build(ArcLayers(), cancel), LazyThreadSafetyMode.ExecutionAndPublication);
                lazy = Interlocked.CompareExchange(ref _arcs, made, null) ?? made;
            }
            try
            {
                return lazy.Value;
            }
            catch (OperationCanceledException)
            {
                // The build another caller cancelled is dropped; this caller builds again unless cancelled too.
                Interlocked.CompareExchange(ref _arcs, null, lazy);
                cancel.ThrowIfCancellationRequested();
            }
        }
    }

    private Lazy<SceneArcs>? _arcs;

    private List<IReadOnlyList<Geometry>> ArcLayers()
    {
        var layers = new List<IReadOnlyList<Geometry>>(Layers);
        if (Units is { } units) layers.Add(units);
        if (CellsDissolved is { } dissolved) layers.Add(dissolved);
        return layers;
    }

    /// <summary>The place of <see cref="Units"/> among <see cref="Arcs"/>'s layers, or -1.</summary>
    internal int UnitsArcLayer => Units is null ? -1 : Layers.Count;

    /// <summary>The place of <see cref="CellsDissolved"/> among <see cref="Arcs"/>'s layers, or -1.</summary>
    internal int DissolvedArcLayer => CellsDissolved is null ? -1 : Layers.Count + (Units is null ? 0 : 1);

    public AnalysisResult Result { get; }

    /// <summary>The CRS the map is drawn in.</summary>
    public CrsRef Crs { get; }

    /// <summary>Cells first, then each operator, in study order (weights excluded).</summary>
    public IReadOnlyList<IReadOnlyList<Geometry>> Layers { get; }

    /// <summary>The weights layer's polygons (communes), outlined on the fiches' maps; null without weights.</summary>
    public IReadOnlyList<Geometry>? Units { get; }

    /// <summary>The cells' bounding box: every map of a study frames the same territory.</summary>
    public Envelope Extent { get; }

    /// <param name="lambert93">
    /// Draw in Lambert-93 (EPSG:2154), the projection French readers expect, instead of the study's
    /// equal-area CRS. Both keep distances within 0.1 % over a French region, so the scale bar holds.
    /// </param>
    public static MapScene Build(AnalysisResult result, bool lambert93 = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!lambert93) return new MapScene(result, result.Crs, null);
        var l93 = new CrsRef(KnownCrs.Lambert93, null, true);
        return new MapScene(result, l93, Reprojector.Create(result.Crs, l93, "map projection"));
    }

    public int LayerIndex(string key)
    {
        for (int i = 0; i < Result.Infos.Count; i++)
            if (Result.Infos[i].Key == key) return i;
        throw new ArgumentException($"no layer \"{key}\"", nameof(key));
    }

    public LayerInfo Info(string key) => Result.Infos[LayerIndex(key)];

    /// <summary>
    /// Where to write a zone's name on a cell's fiche: inside the largest mosaic face the cell and the zone share,
    /// in the map's CRS; null when they share none. Read off the overlay already made (no new intersection: the
    /// national atlas asks for thousands of these).
    /// </summary>
    public Point? LabelPoint(int cell, int layer, int zone)
    {
        var faces = _facesOfCell.Value[cell];
        var labels = Result.Mosaic.Labels[layer];
        int best = -1;
        foreach (int f in faces)
            if (Array.IndexOf(labels[f], zone) >= 0 && (best < 0 || Result.Mosaic.AreaKm2[f] > Result.Mosaic.AreaKm2[best])) best = f;
        if (best < 0) return null;
        var p = Result.Mosaic.Faces[best].InteriorPoint;
        return _toMap is null ? p : (Point)_toMap.Transform(p);
    }

    private readonly Lazy<List<int>[]> _facesOfCell;

    /// <summary>A defect polygon (the union of its mosaic faces) in the map's CRS.</summary>
    /// <remarks>Thread-safe: the maps are drawn in parallel.</remarks>
    public Geometry Defect(Defect d) =>
        _defects.GetOrAdd(d.Id, _ => new Lazy<Geometry>(() => Project(Result.DefectGeometry(d)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The step north at the centre of <see cref="Extent"/> (every map's north arrow), computed once: two reprojectors
    /// made per map sheet were a good part of a fiche's drawing once its paths were built (issue 28).</summary>
    internal (double X, double Y) NorthAtCentre => _north.Value;

    private readonly Lazy<(double X, double Y)> _north;

    /// <summary>Turns a point of the map's CRS into longitude/latitude and back (for the north arrow).</summary>
    internal (double X, double Y) NorthStep(double x, double y)
    {
        var toLonLat = Reprojector.Create(Crs, CrsRef.Wgs84Default, "map projection");
        var back = Reprojector.Create(CrsRef.Wgs84Default, Crs, "map projection");
        double[] xs = [x], ys = [y];
        toLonLat.Transform(xs, ys);
        ys[0] += 0.05;
        back.Transform(xs, ys);
        return (xs[0] - x, ys[0] - y);
    }

    /// <summary>A site's position in the map's CRS.</summary>
    public (double X, double Y) Site(PlacedSite s)
    {
        if (_toMap is null) return (s.X, s.Y);
        double[] xs = [s.X], ys = [s.Y];
        _toMap.Transform(xs, ys);
        return (xs[0], ys[0]);
    }

    private Geometry Project(Geometry g) => _toMap is null ? g : _toMap.Transform(g);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<PathKey, Lazy<SKPath[]>> _paths = new();

    private readonly record struct PathKey(int Layer, (double, double, double, int, int) Placement, SKRect Clip, float Grid, float Tolerance, string Dash);

    /// <summary>
    /// Layer <paramref name="layer"/>'s polygons (<see cref="Layers"/>) as paths in the pixels of <paramref name="layout"/>
    /// (<see cref="PixelPaths.Build"/>: snapped to <paramref name="grid"/>, cut to <paramref name="clip"/>, reduced to
    /// <paramref name="tolerance"/>, dashed by <paramref name="dash"/>), built once per output scale and shared by every map
    /// drawn at that scale: the study's maps all frame the same territory at the same size, and draw the cells and each
    /// network's zones several times each (issue 28). One path per feature, in layer order. Thread-safe; the paths are the
    /// scene's, drawn read-only, never disposed by the caller (<see cref="ReleasePaths"/> frees them).
    /// </summary>
    public IReadOnlyList<SKPath> LayerPaths(int layer, MapLayout layout, SKRect clip, float[]? dash = null, float tolerance = 0,
        float grid = PixelPaths.Grid, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var key = new PathKey(layer, layout.Placement, clip, grid, tolerance, dash is null ? "" : string.Join(";", dash.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        var lazy = _paths.GetOrAdd(key, k => new Lazy<SKPath[]>(() =>
        {
            var geoms = Layers[layer];
            var paths = new SKPath[geoms.Count];
            for (int i = 0; i < paths.Length; i++)
            {
                cancel.ThrowIfCancellationRequested();
                paths[i] = PixelPaths.Build(geoms[i], layout, clip, dash, tolerance, grid);
                // Skia computes a path's bounds lazily, on first use: computed here, before the path is drawn
                // from several threads at once (Skia's own advice for paths shared between threads).
                _ = paths[i].Bounds;
            }
            return paths;
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (OperationCanceledException)
        {
            // A cancelled build is not kept: the next caller builds the paths again.
            _paths.TryRemove(new KeyValuePair<PathKey, Lazy<SKPath[]>>(key, lazy));
            throw;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IReadOnlyList<Geometry>, Lazy<double[]>> _bounds =
        new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The polygons of <paramref name="geoms"/> (a list of this scene: <see cref="Layers"/>, <see cref="Units"/> or <see cref="CellsDissolved"/>) whose
    /// envelope meets <paramref name="frame"/>, in their order: what <c>g.EnvelopeInternal.Intersects(frame)</c> keeps. The
    /// envelopes are read once per list into one flat array (min x, max x, min y, max y), then each frame scans that array:
    /// the national atlas asks 287 frames of ~40,000 polygons, and reaching each polygon's envelope through its object was
    /// 1.7 processor seconds of the fiches' step (issue 28). Thread-safe.
    /// </summary>
    internal List<Geometry> InFrame(IReadOnlyList<Geometry> geoms, Envelope frame)
    {
        var found = new List<Geometry>();
        if (frame.IsNull) return found;
        var bounds = _bounds.GetOrAdd(geoms, gs => new Lazy<double[]>(() =>
        {
            var b = new double[4 * gs.Count];
            for (int i = 0; i < gs.Count; i++)
            {
                var e = gs[i].EnvelopeInternal;
                // An empty polygon's null envelope meets no frame: an inverted box (min +inf, max -inf) neither.
                (b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]) = e.IsNull
                    ? (double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity)
                    : (e.MinX, e.MaxX, e.MinY, e.MaxY);
            }
            return b;
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        double x0 = frame.MinX, x1 = frame.MaxX, y0 = frame.MinY, y1 = frame.MaxY;
        for (int i = 0, n = bounds.Length / 4; i < n; i++)
        {
            int k = 4 * i;
            if (!(x0 > bounds[k + 1] || x1 < bounds[k] || y0 > bounds[k + 3] || y1 < bounds[k + 2])) found.Add(geoms[i]);
        }
        return found;
    }

    /// <summary>The place of <paramref name="geoms"/> in <see cref="Layers"/> (the same list object), or -1.</summary>
    public int LayerOf(IEnumerable<Geometry> geoms)
    {
        for (int i = 0; i < Layers.Count; i++)
            if (ReferenceEquals(Layers[i], geoms)) return i;
        return -1;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<(Point[] Points, int[] LargestFirst)>> _labelling = new();

    /// <summary>
    /// Where layer <paramref name="layer"/>'s polygons are labelled (each one's interior point, in the map's CRS) and the order
    /// they are labelled in (largest first; equal areas in layer order), computed once for every raster of every study map
    /// that letters the layer: each raster's lettering computed them again (issue 28). Thread-safe.
    /// </summary>
    internal (Point[] Points, int[] LargestFirst) Labelling(int layer) =>
        _labelling.GetOrAdd(layer, k => new Lazy<(Point[], int[])>(() =>
        {
            var geoms = Layers[k];
            var points = new Point[geoms.Count];
            for (int i = 0; i < points.Length; i++) points[i] = geoms[i].InteriorPoint;
            return (points, Enumerable.Range(0, geoms.Count).OrderByDescending(i => geoms[i].Area).ToArray());
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Frees the paths <see cref="LayerPaths"/> built, once no map is being drawn from them (they are built again if asked).</summary>
    public void ReleasePaths()
    {
        foreach (var key in _paths.Keys)
            if (_paths.TryRemove(key, out var lazy) && lazy.IsValueCreated)
                foreach (var p in lazy.Value) p.Dispose();
        lock (_pixels)
        {
            foreach (var b in _pixels) b.Free();
            _pixels.Clear();
        }
    }

    private readonly List<PixelMemory> _pixels = [];

    /// <summary>
    /// Pixel memory of <paramref name="bytes"/> for a raster map, one a map drawn before at this size gave back if any: a
    /// fresh 3508 × 2480 A4 surface is 35 MB of pages the system maps and zeroes anew (PACA render --print: 141,000 page
    /// faults, a fifth of its processor in the kernel). Thread-safe; freed by <see cref="ReleasePaths"/>.
    /// </summary>
    internal PixelMemory RentPixels(long bytes)
    {
        lock (_pixels)
        {
            int i = _pixels.FindIndex(b => b.Bytes == bytes);
            if (i >= 0)
            {
                var b = _pixels[i];
                _pixels.RemoveAt(i);
                return b;
            }
        }
        return new PixelMemory(bytes);
    }

    /// <summary>Gives back what <see cref="RentPixels"/> lent, once nothing draws into or reads from it.</summary>
    internal void ReturnPixels(PixelMemory pixels)
    {
        lock (_pixels) _pixels.Add(pixels);
    }
}

/// <summary>Native memory for a raster's pixels (<see cref="MapScene.RentPixels"/>); freed by <see cref="Free"/>, or when
/// collected with a scene that was never released (a caller that draws maps without <see cref="MapScene.ReleasePaths"/>).</summary>
internal sealed unsafe class PixelMemory(long bytes)
{
    public long Bytes { get; } = bytes;

    public nint Address { get; private set; } = (nint)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes);

    ~PixelMemory() => Release();

    public void Free()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (Address == 0) return;
        System.Runtime.InteropServices.NativeMemory.Free((void*)Address);
        Address = 0;
    }
}
