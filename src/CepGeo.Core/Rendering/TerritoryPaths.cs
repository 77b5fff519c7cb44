using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// The geometry of one fiche territoire's map, reduced once (issue 28: "geometry simplified once per output scale, not per
/// map") and drawn by both outputs that show it: report.html's inline SVG and atlas.pdf's page. Built on the screen sheet's
/// layout (1600 units wide); each output only scales it. Read off the scene's arcs (<see cref="MapScene.Arcs"/>: every line
/// layer's topology and Douglas–Peucker thresholds, built once for all fiches): lines at print resolution, each arc two
/// neighbours share once, communes at twice the tolerance of cells and zones (thinner, paler lines); fills put together from
/// the same arcs, so a fill's edge is the line over it.
/// </summary>
public sealed class TerritoryPaths : IDisposable
{
    /// <summary>The grid of a printed fiche map, in layout units: one unit (0.18–0.29 pt on the atlas's page, 0.11 mm at
    /// report.html's 180 mm); a vertex moves by at most half of it.</summary>
    public const float PrintGrid = 1;

    /// <summary>How far a printed fiche's cell and zone line may stray, in layout units: 0.2 pt (0.07 mm) on the widest
    /// atlas map (90 % of the text width, 471 pt for 1600 units), less on narrower ones; in report.html, 0.1 mm at 180 mm.</summary>
    public const float PrintTolerance = 0.68f;

    private TerritoryPaths(MapLayout layout, int cell)
    {
        Layout = layout;
        Cell = cell;
    }

    /// <summary>The sheet the paths are in.</summary>
    public MapLayout Layout { get; }

    public int Cell { get; }

    /// <summary>The cells in the frame (the cell itself included), one flat colour: the outline of the cells dissolved
    /// (<see cref="MapScene.CellsDissolved"/>), or each cell's ring when they are no clean coverage; filled even-odd.</summary>
    internal Polylines NearFill { get; } = new();

    internal Polylines OwnFill { get; } = new();

    /// <summary>The communes' outlines, but for the edges a cell's or a zone's line draws over; null without a weights layer.</summary>
    internal Polylines? Communes { get; private set; }

    internal Polylines NearLines { get; } = new();

    internal Polylines OwnLine { get; } = new();

    /// <summary>Every operator's zone boundaries together, each edge once: the white halos a canvas draws under the zones' lines
    /// (national atlas: 1.58 million vertices drawn network by network, 0.91 million so).</summary>
    internal Polylines ZoneHalos { get; } = new();

    /// <summary>Each operator's zone boundaries (undashed: a canvas cuts the dashes, <see cref="PathOf"/>; an SVG dashes them).</summary>
    internal Polylines[] ZoneLines { get; private set; } = [];

    private readonly Dictionary<(Polylines, bool), SKPath> _paths = [];

    /// <summary>The Skia path of <paramref name="lines"/> for a canvas (fills even-odd; lines cut into <paramref name="dash"/>,
    /// layout units, when given), made on first use and kept while the fiche is drawn: a line and its halo are the same path.</summary>
    internal SKPath PathOf(Polylines lines, bool fill, float[]? dash)
    {
        lock (_paths)
        {
            if (!_paths.TryGetValue((lines, dash is not null), out var path))
                _paths[(lines, dash is not null)] = path = lines.ToPath(fill ? SKPathFillType.EvenOdd : SKPathFillType.Winding,
                    dash?.Select(v => v * Layout.U).ToArray());
            return path;
        }
    }

    /// <summary>Where a map's paths are cut: the map frame and a margin wider than any line, so no cut edge shows.</summary>
    internal static SKRect ClipOf(MapLayout layout) => SKRect.Inflate(layout.Map, 24 * layout.U, 24 * layout.U);

    /// <summary>The paths of cell <paramref name="cell"/>'s fiche map as report.html and the atlas draw it: on the screen sheet
    /// (<see cref="MapLayout.ScreenWidth"/>) framed on the cell, at <see cref="PrintGrid"/> and <see cref="PrintTolerance"/>.</summary>
    public static TerritoryPaths ForFiche(MapScene scene, int cell, CancellationToken cancel = default)
    {
        var layout = new MapLayout(MapRenderer.Extent(scene, new MapSpec("fiche", MapKind.Territory, Cell: cell)), MapLayout.ScreenWidth);
        return Build(scene, cell, layout, PrintGrid, PrintTolerance, cancel);
    }

    /// <summary>The paths of cell <paramref name="cell"/>'s fiche map on <paramref name="layout"/>, snapped to
    /// <paramref name="grid"/>, lines (and fills) simplified to <paramref name="tolerance"/> (layout's pixels).</summary>
    /// <param name="cancel">Checked before each layer (Ctrl+C within a second).</param>
    public static TerritoryPaths Build(MapScene scene, int cell, MapLayout layout, float grid, float tolerance, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(layout);
        return scene.Arcs(cancel) is { } arcs && CommunesShareTheLinesOverThem(scene, arcs)
            ? FromArcs(scene, arcs, cell, layout, grid, tolerance, cancel)
            : PerRing(scene, cell, layout, grid, tolerance, cancel);
    }

    /// <summary>
    /// Whether the communes have arcs in common with the cells and with every network: <see cref="FromArcs"/> leaves out a commune
    /// arc under a cell's or a zone's line only when it is the same arc. A layer drawn over the communes that shares none of their
    /// vertices (another source or vintage) would bring back every commune edge under its lines (PACA with its communes moved by
    /// 1 µm: +50 % commune vertices); <see cref="PerRing"/> then leaves them out by snapped edge, as before the arcs.
    /// </summary>
    internal static bool CommunesShareTheLinesOverThem(MapScene scene, SceneArcs arcs)
    {
        if (scene.UnitsArcLayer is not (int units and >= 0)) return true;
        ulong over = (1UL << scene.Layers.Count) - 1;
        return (arcs.SharingWith(units) & over) == over;
    }

    /// <summary>
    /// The paths read off the scene's arcs (<see cref="SceneArcs"/>): each layer's arcs in the frame, their vertices above the
    /// tolerance in the scene's units, each arc once in a layer's lines; the zones' halos are every network's arcs, each once;
    /// the communes' lines leave out the arcs a cell or a zone has (drawn over by their wider lines); the fills are the rings put
    /// together from the same arcs, so a fill's edge is the line's.
    /// </summary>
    internal static TerritoryPaths FromArcs(MapScene scene, SceneArcs arcs, int cell, MapLayout layout, float grid, float tolerance,
        CancellationToken cancel)
    {
        var clip = ClipOf(layout);
        var (x0, y1) = layout.ToWorld(clip.Left, clip.Top);
        var (x1, y0) = layout.ToWorld(clip.Right, clip.Bottom);
        var frame = new Envelope(x0, x1, y0, y1);
        double world = 1 / layout.PixelsPerMetre;
        IEnumerable<(int, int)> InFrame(int layer) => arcs.InFrame(layer, frame).Select(f => (layer, f));
        var paths = new TerritoryPaths(layout, cell);
        (int, int)[] own = [(0, cell)];
        int dissolved = scene.DissolvedArcLayer;
        arcs.AddRings(paths.NearFill, InFrame(dissolved >= 0 ? dissolved : 0), frame, layout, clip, grid, tolerance * world, cancel);
        arcs.AddRings(paths.OwnFill, own, frame, layout, clip, grid, tolerance * world, cancel);
        arcs.AddLines(paths.NearLines, InFrame(0), frame, 0, layout, clip, grid, tolerance * world, cancel);
        arcs.AddLines(paths.OwnLine, own, frame, 0, layout, clip, grid, tolerance * world, cancel);
        int n = scene.Layers.Count - 1;
        paths.ZoneLines = new Polylines[n];
        var zones = new List<(int, int)>();
        ulong covered = 1;
        for (int op = 0; op < n; op++)
        {
            var inFrame = InFrame(op + 1).ToList();
            zones.AddRange(inFrame);
            covered |= 1UL << (op + 1);
            paths.ZoneLines[op] = new Polylines();
            arcs.AddLines(paths.ZoneLines[op], inFrame, frame, 0, layout, clip, grid, tolerance * world, cancel);
        }
        // The halos: every network's arcs in one call, each arc once (the first network that has it).
        arcs.AddLines(paths.ZoneHalos, zones, frame, 0, layout, clip, grid, tolerance * world, cancel);
        if (scene.UnitsArcLayer is int units and >= 0)
        {
            paths.Communes = new Polylines();
            arcs.AddLines(paths.Communes, InFrame(units), frame, covered, layout, clip, grid, 2 * tolerance * world, cancel);
        }
        return paths;
    }

    /// <summary>The paths built ring by ring from the scene's polygons (before <see cref="SceneArcs"/>; kept for a scene of more
    /// layers than a topology holds): every ring snapped, its edges deduplicated, each run simplified, per fiche.</summary>
    internal static TerritoryPaths PerRing(MapScene scene, int cell, MapLayout layout, float grid, float tolerance, CancellationToken cancel = default)
    {
        var clip = ClipOf(layout);
        var (x0, y1) = layout.ToWorld(clip.Left, clip.Top);
        var (x1, y0) = layout.ToWorld(clip.Right, clip.Bottom);
        var frame = new Envelope(x0, x1, y0, y1);
        List<Geometry> InFrame(IReadOnlyList<Geometry> gs) => scene.InFrame(gs, frame);
        // The edges the cells' and zones' lines draw: a commune edge among them is covered by a wider line (a zone's white halo,
        // a cell's grey line) and is left out of the communes' lines.
        var covered = new HashSet<(long, long)>();
        void Lines(Polylines into, IReadOnlyList<Geometry> gs, float tol, HashSet<(long, long)>? hidden = null, HashSet<(long, long)>? drawn = null)
        {
            cancel.ThrowIfCancellationRequested();
            PixelPaths.AddLines(null, into, gs, layout, clip, null, grid, tol, cancel, hidden, drawn);
        }
        void Fill(Polylines into, IReadOnlyList<Geometry> gs)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var g in gs) PixelPaths.Add(into, g, layout, clip, tolerance, grid);
        }
        var cells = scene.Layers[0];
        var near = InFrame(cells);
        var own = new[] { cells[cell] };
        var paths = new TerritoryPaths(layout, cell);
        Fill(paths.NearFill, scene.CellsDissolved is { } dissolved ? InFrame(dissolved) : near);
        Fill(paths.OwnFill, own);
        Lines(paths.NearLines, near, tolerance, drawn: covered);
        Lines(paths.OwnLine, own, tolerance);
        int n = scene.Layers.Count - 1;
        paths.ZoneLines = new Polylines[n];
        var zones = new List<Geometry>();
        for (int op = 0; op < n; op++)
        {
            var inFrame = InFrame(scene.Layers[op + 1]);
            zones.AddRange(inFrame);
            paths.ZoneLines[op] = new Polylines();
            Lines(paths.ZoneLines[op], inFrame, tolerance);
        }
        Lines(paths.ZoneHalos, zones, tolerance, drawn: covered);
        if (scene.Units is { } units)
        {
            paths.Communes = new Polylines();
            Lines(paths.Communes, InFrame(units), 2 * tolerance, hidden: covered);
        }
        return paths;
    }

    public void Dispose()
    {
        lock (_paths)
        {
            foreach (var p in _paths.Values) p.Dispose();
            _paths.Clear();
        }
    }
}
