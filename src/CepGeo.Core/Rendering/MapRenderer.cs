using CepGeo.Core.Metrics;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

public enum MapKind
{
    /// <summary>Cells lightly filled, every operator's boundaries, cell labels.</summary>
    Overview,

    /// <summary>Cells coloured by misfit against one operator, with its gaps, double coverage and straddles.</summary>
    Misfit,

    /// <summary>One operator's zones coloured by misfit against another operator's.</summary>
    Pair,

    /// <summary>Residents (weights units) coloured by distance to one operator's nearest site, cells labelled with pop_beyond_share.</summary>
    Distance,
    /// <summary>A fiche territoire: one cell, zoomed, its communes outlined and every operator's zones labelled.</summary>
    Territory,
}

/// <summary>One map to draw; <see cref="Name"/> is its file name without extension.</summary>
/// <param name="Cell">The cell of a <see cref="MapKind.Territory"/> map (its index in the cells layer).</param>
/// <param name="Points">Extra point layers drawn on a <see cref="MapKind.Territory"/> map above the zones, each with its legend
/// line (the hook for sites or any other places on a fiche); null for none.</param>
public sealed record MapSpec(string Name, MapKind Kind, string? Operator = null, string? Against = null, int Cell = -1,
    IReadOnlyList<MapPointLayer>? Points = null);

/// <summary>Points to mark on a fiche's map: coordinates in the map's CRS (<see cref="MapScene.Crs"/>), one legend label;
/// the markers take the shape and colour of operator <paramref name="Operator"/> (its place in study order).</summary>
public sealed record MapPointLayer(string Label, IReadOnlyList<(double X, double Y)> Points, int Operator);

/// <summary>What a map is lettered with. The date is the caller's: Core reads no clock.</summary>
/// <param name="ByArea">Colour misfit maps by area even where the study has population weights (the default is population).</param>
/// <param name="Names">Display names of cells and zones (cleaned, or the study's short names); null for the raw names.</param>
/// <param name="TextScale">Lettering size relative to the screen map: 1 on screen maps; 1.5 on maps printed at A4 portrait
/// width (report, atlas), so that legends stay at 7 pt or more on paper.</param>
/// <param name="Cancel">Checked before each geometry is drawn and before the image is encoded: one national map is seconds of
/// drawing (Ctrl+C waited for it, about 5 s, in session 12).</param>
/// <param name="PathGrid">The grid paths are snapped to, in the map's pixels (half a pixel on rasters; in the atlas's PDF, whose
/// layout has one unit a pixel, a coarser grid, a unit printing at about 0.2–0.3 pt).</param>
/// <param name="StrokeTolerance">Above 0 (the atlas: what 0.2 pt on paper is, in its pixels), lines (not fills) are drawn at print
/// resolution: each edge two neighbours share drawn once, simplified to this distance (<see cref="PixelPaths.BuildLines"/>);
/// 0 on rasters, whose lines are each simplified to <see cref="PixelPaths.StrokeTolerance"/> (issue 28: a national atlas a
/// planner can e-mail).</param>
/// <param name="Pdf">Drawn for Skia's PDF canvas (the atlas), whose bytes are what it costs to write: each line of text laid out
/// as the PDF's font advances it, so that Skia writes it as one run (<see cref="PdfText"/>); the sites' dots as round-capped
/// points. False on PNG and SVG canvases, drawn as before.</param>
public sealed record MapOptions(MapFonts Fonts, MapText Text, string Version, string Date, bool ByArea = false, DisplayNames? Names = null, float TextScale = 1,
    CancellationToken Cancel = default, float PathGrid = PixelPaths.Grid, float StrokeTolerance = 0, bool Pdf = false);

/// <summary>One PNG raster of a map for <see cref="MapRenderer.WriteRasters"/>: where it goes and its lettering.</summary>
public sealed record RasterTarget(Stream Stream, MapOptions Options);

/// <summary>What a drawn map holds where (the legend's colour swatches), for tests and the report.</summary>
/// <param name="Labels">Every label drawn on the map, with its box in pixels.</param>
public sealed record MapKey(IReadOnlyList<(SKRect Rect, SKColor Color)> Swatches, IReadOnlyList<string> LegendLabels, IReadOnlyList<(string Text, SKRect Box)> Labels)
{
    /// <summary>What the legend's entries cover (swatches and text), in pixels.</summary>
    public SKRect LegendBox { get; init; }

    /// <summary>What the scale bar, its figures and the north arrow cover.</summary>
    public SKRect ScaleBox { get; init; }

    /// <summary>What the source and credit lines cover.</summary>
    public SKRect FooterBox { get; init; }
}

/// <summary>
/// Draws the static maps of an analysis on a Skia canvas: a PNG or SVG stream, screen or print size.
/// Each map: title, map frame, legend with class bounds, scale bar, north arrow, source line.
/// </summary>
public static class MapRenderer
{
    public static readonly SKColor Paper = SKColors.White;
    public static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    public static readonly SKColor CellFill = new(0xEF, 0xEB, 0xE3);
    public static readonly SKColor GapFill = SKColors.White;
    public static readonly SKColor GapHatch = MisfitClasses.Sk(PlannerStyle.Gap.Color);
    public static readonly SKColor DoubleHatch = MisfitClasses.Sk(PlannerStyle.DoubleCoverage.Color);
    public static readonly SKColor StraddleLine = MisfitClasses.Sk(PlannerStyle.Straddle.Color);
    public static readonly SKColor ZoneLine = new(0x08, 0x30, 0x6B);
    public static readonly SKColor CellLine = new(0x22, 0x22, 0x22);
    public static readonly SKColor Halo = SKColors.White;

    /// <summary>Line widths (layout units) of the cells and of an operator's zones on misfit maps and fiches: the cell's
    /// line is the wider (it is the subject), each on a white halo that keeps it visible over the darkest class.</summary>
    public const float CellWidth = 3.2f, CellHalo = 6f, ZoneWidth = 1.6f, ZoneHalo = 3.6f;

    private static readonly float[] ZoneDash = [9, 4];

    /// <summary>The maps of an analysis: overview, one choropleth per operator, one per operator pair.</summary>
    public static IReadOnlyList<MapSpec> Plan(AnalysisResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var maps = new List<MapSpec> { new("overview", MapKind.Overview) };
        maps.AddRange(r.Comparisons.Select(c => new MapSpec($"misfit-{c.Operator}", MapKind.Misfit, c.Operator)));
        maps.AddRange(r.OperatorPairs.Select(c => new MapSpec($"pair-{c.CellLayer}-{c.Operator}", MapKind.Pair, c.CellLayer, c.Operator)));
        if (r.HasWeights)
            maps.AddRange(r.Sites.Select(s => new MapSpec($"distance-{s.Operator}", MapKind.Distance, s.Operator)));
        return maps;
    }

    /// <summary>Whether misfit colours count people (the default where the study has weights) or km².</summary>
    public static bool ByPopulation(MapScene scene, bool byArea) => scene.Result.HasWeights && !byArea;

    public static string Title(MapScene scene, MapSpec spec, MapText t, bool byArea = false, DisplayNames? names = null)
    {
        var r = scene.Result;
        return spec.Kind switch
        {
            MapKind.Overview => t.OverviewTitle(r.Study.Name),
            MapKind.Distance => t.T($"Distance aux lieux d'accueil : {SiteOf(r, spec).Label}", $"Distance to the sites: {SiteOf(r, spec).Label}"),
            MapKind.Misfit => t.MisfitTitle(r.Infos[0].Label, scene.Info(spec.Operator!).Label)
                + (ByPopulation(scene, byArea) ? t.T(" (en population)", " (by population)") : t.T(" (en surface)", " (by area)")),
            MapKind.Territory => t.T("Territoire : ", "Area: ") + (names?.Of("cells", r.Infos[0].Ids[spec.Cell]) ?? r.Infos[0].Names[spec.Cell]),
            _ => t.PairTitle(scene.Info(spec.Operator!).Label, scene.Info(spec.Against!).Label),
        };
    }

    public static MapKey WritePng(Stream stream, MapScene scene, MapSpec spec, MapOptions options, int width = MapLayout.ScreenWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = new MapLayout(Extent(scene, spec), width, height);
        using var surface = new Raster(scene, layout);
        var key = Draw(surface.Canvas, layout, scene, spec, options);
        options.Cancel.ThrowIfCancellationRequested();
        surface.Encode(stream);
        return key;
    }

    /// <summary>
    /// One map written to several rasters of the same size that differ only in their lettering (<see cref="RasterTarget"/>:
    /// text scale, format): its ground (fills, hatching, lines, sites: all but the names) is drawn once and copied under each
    /// raster's lettering, the same pixels as <see cref="WritePng"/> drawing each whole
    /// (issue 28: maps/*.png and report.html's copy of each map drew every map twice). A fiche's map is drawn whole for each.
    /// </summary>
    /// <returns>Each raster's key, in the order of <paramref name="targets"/>.</returns>
    public static IReadOnlyList<MapKey> WriteRasters(MapScene scene, MapSpec spec, IReadOnlyList<RasterTarget> targets, int width = MapLayout.ScreenWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) return [];
        var first = targets[0].Options;
        if (targets.Any(t => (t.Options with { TextScale = first.TextScale }) != first))
            throw new ArgumentException("the rasters of one map may differ only in their text scale", nameof(targets));
        if (targets.Count == 1 || spec.Kind == MapKind.Territory)
            return targets.Select(t => WritePng(t.Stream, scene, spec, t.Options, width, height)).ToList();
        var layout = new MapLayout(Extent(scene, spec), width, height);
        using var ground = new Raster(scene, layout);
        Sheet(ground.Canvas, layout, scene, spec, first, Pass.Ground);
        // The ground's pixels as an image without a copy (a snapshot of a surface on lent memory copies them): nothing draws on
        // the ground any more.
        using var groundPixels = ground.Surface.PeekPixels();
        using var groundImage = SKImage.FromPixels(groundPixels);
        var keys = new List<MapKey>(targets.Count);
        foreach (var t in targets)
        {
            first.Cancel.ThrowIfCancellationRequested();
            using var surface = new Raster(scene, layout);
            surface.Canvas.DrawImage(groundImage, 0, 0, SKSamplingOptions.Default);
            keys.Add(Sheet(surface.Canvas, layout, scene, spec, t.Options, Pass.Lettering));
            first.Cancel.ThrowIfCancellationRequested();
            surface.Encode(t.Stream);
        }
        return keys;
    }

    /// <summary>
    /// An opaque raster surface on pixel memory the scene lends (<see cref="MapScene.RentPixels"/>: reused from map to map, not
    /// mapped and zeroed anew by the system each time); the memory goes back when the surface is disposed.
    /// </summary>
    private sealed class Raster : IDisposable
    {
        private readonly MapScene _scene;
        private readonly PixelMemory _pixels;

        public Raster(MapScene scene, MapLayout layout)
        {
            var info = new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            _scene = scene;
            _pixels = scene.RentPixels(info.BytesSize64);
            Surface = SKSurface.Create(info, _pixels.Address, info.RowBytes);
            if (Surface is null)
            {
                scene.ReturnPixels(_pixels);
                throw new InvalidOperationException($"Skia could not allocate a {layout.Width}×{layout.Height} surface");
            }
        }

        public SKSurface Surface { get; }

        public SKCanvas Canvas => Surface.Canvas;

        /// <summary>PNG: no row filter, zlib level <see cref="PngLevel"/>, not Skia's default of trying all five filters per row at
        /// level 6: flat map colours compress better unfiltered. See docs/decisions.md ("PNG encoding"). Encoded from the surface's
        /// own pixels (no snapshot: on lent memory it would copy them), by .NET's zlib-ng (<see cref="PngWriter"/>: half the
        /// processor of Skia's zlib), Skia's encoder only for what that one does not write.</summary>
        public void Encode(Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            Surface.Canvas.Flush();
            using var pixels = Surface.PeekPixels();
            if (PngWriter.TryWrite(stream, pixels, PngLevel)) return;
            using var encoded = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.None, PngLevel))
                ?? throw new InvalidOperationException("Skia could not encode a PNG image");
            encoded.SaveTo(stream);
        }

        public void Dispose()
        {
            Surface.Dispose();
            _scene.ReturnPixels(_pixels);
        }
    }

    /// <summary>The PNG maps' zlib level (see <see cref="Encode"/>).</summary>
    public const int PngLevel = 3;

    /// <summary>What <see cref="Sheet"/> draws: the map's ground (everything in its frame but the names), its lettering (the
    /// names in the frame, then title, legend, scale bar and footer, over a ground already on the canvas), or both.</summary>
    [Flags]
    private enum Pass
    {
        Ground = 1,
        Lettering = 2,
        All = Ground | Lettering,
    }

    public static MapKey WriteSvg(Stream stream, MapScene scene, MapSpec spec, MapOptions options, int width = MapLayout.ScreenWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = new MapLayout(Extent(scene, spec), width, height);
        using var svg = new MemoryStream();
        MapKey key;
        using (var managed = new SKManagedWStream(svg))
        {
            using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), managed))
                key = Draw(canvas, layout, scene, spec, options, null, geometry: true, svg: true);
            managed.Flush();
        }
        // The same map gives the same file, whatever maps this process drew before (FicheSvg.NumberIds).
        var bytes = System.Text.Encoding.UTF8.GetBytes(FicheSvg.NumberIds(System.Text.Encoding.UTF8.GetString(svg.ToArray()), ""));
        stream.Write(bytes);
        return key;
    }

    /// <summary>What a map frames: the whole territory, or one cell and a margin around it.</summary>
    public static NetTopologySuite.Geometries.Envelope Extent(MapScene scene, MapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != MapKind.Territory) return scene.Extent;
        var env = new NetTopologySuite.Geometries.Envelope(scene.Layers[0][spec.Cell].EnvelopeInternal);
        env.ExpandBy(Math.Max(env.Width, env.Height) * 0.12);
        return env;
    }

    /// <summary>Draws one whole map sheet on a canvas of the layout's size.</summary>
    /// <param name="territory">A fiche's paths already built on this layout (shared by report.html's SVG and the atlas's page);
    /// null to build them here.</param>
    public static MapKey Draw(SKCanvas canvas, MapLayout layout, MapScene scene, MapSpec spec, MapOptions options, TerritoryPaths? territory = null) =>
        Sheet(canvas, layout, scene, spec, options, Pass.All, territory, geometry: true);

    /// <param name="geometry">False: a fiche's paths are left out (report.html's SVG writes them itself, <see cref="FicheSvg"/>),
    /// everything else (sites, names, legend, scale bar, title) is drawn.</param>
    /// <param name="svg">The canvas is Skia's SVG canvas: text is measured as on any other (the same positions) and written
    /// through the fonts' Latin subsets where they have its characters (<see cref="MapFonts.LatinFor"/>).</param>
    internal static MapKey Draw(SKCanvas canvas, MapLayout layout, MapScene scene, MapSpec spec, MapOptions options, TerritoryPaths? territory, bool geometry,
        bool svg = false) =>
        Sheet(canvas, layout, scene, spec, options, Pass.All, territory, geometry, svg);

    private static MapKey Sheet(SKCanvas canvas, MapLayout layout, MapScene scene, MapSpec spec, MapOptions options, Pass pass,
        TerritoryPaths? territory = null, bool geometry = true, bool svg = false)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        // A fiche's map is drawn in one pass (WriteRasters never splits it).
        if (spec.Kind == MapKind.Territory) pass = Pass.All;
        var d = new Drawing(canvas, layout, scene, options, pass, shared: spec.Kind != MapKind.Territory, latin: svg);
        if (pass.HasFlag(Pass.Ground)) canvas.Clear(Paper);
        canvas.Save();
        canvas.ClipRect(layout.Map);
        var legend = spec.Kind switch
        {
            MapKind.Overview => d.Overview(),
            MapKind.Misfit => d.Misfit(spec.Operator!),
            MapKind.Distance => d.Distance(spec.Operator!),
            MapKind.Territory => d.Territory(spec.Cell, spec.Points, territory, geometry),
            _ => d.Pair(spec.Operator!, spec.Against!),
        };
        canvas.Restore();
        if (!pass.HasFlag(Pass.Lettering)) return new MapKey([], [], []);
        d.Frame();
        d.Header(Title(scene, spec, options.Text, options.ByArea, options.Names), Subtitle(scene, spec, options));
        // Footer, scale bar and legend laid out from the bottom up, so that none overlaps another whatever the lettering
        // size (a fiche printed small in the atlas letters at 2–3 times the screen size: issue 22, Cannes).
        var footer = d.Footer();
        float panelBottom = Math.Min(layout.Legend.Bottom, footer.Top - 6 * layout.U);
        // The scale bar and north arrow stay at the foot of the legend panel when the legend leaves them room at full size;
        // otherwise they go to the map frame's bottom-left corner on a white ground and the legend takes the whole panel.
        bool inPanel = d.LegendFits(legend, panelBottom - d.ScaleHeight - 8 * layout.U);
        var scale = d.ScaleAndNorth(panelBottom, inMap: !inPanel);
        var legendBox = d.Legend(legend, inPanel ? scale.Top - 8 * layout.U : panelBottom);
        return new MapKey(d.Swatches, legend.Select(l => l.Label).ToList(), d.Placed) { LegendBox = legendBox, ScaleBox = scale, FooterBox = footer };
    }

    private static string Subtitle(MapScene scene, MapSpec spec, MapOptions o)
    {
        var r = scene.Result;
        var t = o.Text;
        return spec.Kind switch
        {
            MapKind.Overview => t.T($"{r.Infos[0].Label} ({r.Infos[0].Ids.Count}) et les zones de {r.Infos.Count - 1} réseaux d'opérateurs",
                $"{r.Infos[0].Label} ({r.Infos[0].Ids.Count}) and the zones of {r.Infos.Count - 1} operator networks"),
            MapKind.Distance => t.T($"Habitants de chaque commune à vol d'oiseau du lieu d'accueil le plus proche ; chiffre : part des habitants du territoire à plus de {t.N(r.Study.Tolerances.BeyondKm)} km",
                $"Residents of each commune by straight-line distance to the nearest site; figure: share of the area's people beyond {r.Study.Tolerances.BeyondKm.ToString(System.Globalization.CultureInfo.InvariantCulture)} km"),
            MapKind.Misfit => ByPopulation(scene, o.ByArea)
                ? t.T("Part des habitants de chaque territoire qui devraient changer de zone ou de territoire pour que les limites s'emboîtent (0 = aligné)",
                    "Share of each area's people who would have to change zone or area for the limits to nest (0 = aligned)")
                : t.T("Part de la surface de chaque territoire à réaffecter pour que les limites s'emboîtent (0 = aligné)",
                    "Share of each area's surface to reassign for the limits to nest (0 = aligned)"),
            MapKind.Territory => t.T($"Communes, territoires voisins et zones d'intervention de {r.Infos.Count - 1} réseaux",
                $"Communes, neighbouring areas and the service areas of {r.Infos.Count - 1} networks"),
            _ => t.T($"Zones de « {scene.Info(spec.Operator!).Label} » colorées selon leur désalignement avec « {scene.Info(spec.Against!).Label} »",
                $"Zones of \"{scene.Info(spec.Operator!).Label}\" coloured by their misfit against \"{scene.Info(spec.Against!).Label}\""),
        };
    }

    private static SiteComparison SiteOf(AnalysisResult r, MapSpec spec) => r.Sites.First(s => s.Operator == spec.Operator);

    /// <summary>The operator's place in study order (its colour): operators with zones first, then those with sites only.</summary>
    internal static int OperatorIndex(AnalysisResult r, string key)
    {
        int i = r.Comparisons.Select(c => c.Operator).ToList().IndexOf(key);
        return i >= 0 ? i : r.Comparisons.Count + r.Sites.Where(s => !r.Comparisons.Any(c => c.Operator == s.Operator)).Select(s => s.Operator).ToList().IndexOf(key);
    }

    internal static SKColor OperatorColor(int operatorIndex) => MisfitClasses.Sk(PlannerStyle.OperatorColor(operatorIndex));

    internal static float[] OperatorDash(int operatorIndex) => [.. PlannerStyle.OperatorDash(operatorIndex)];

    /// <summary>A fiche's communes: thin pale lines under everything else.</summary>
    internal static readonly SKColor CommuneLine = new(0xA8, 0xA8, 0xA8), NearCellFill = new(0xF2, 0xF2, 0xF2), NearCellLine = new(0x77, 0x77, 0x77);

    internal const float CommuneWidth = 0.7f;

    /// <summary>One layer of a fiche's map: a fill (<paramref name="Width"/> 0, even-odd) or a stroke of <paramref name="Width"/>
    /// layout units, dashed with <paramref name="Dash"/> (layout units) when not null.</summary>
    internal sealed record FicheLayer(Polylines Lines, SKColor Color, float Width, float[]? Dash = null, bool Antialias = true);

    /// <summary>The layers of a fiche's map, bottom to top: the one drawing order of the canvas (raster, atlas) and of the SVG.
    /// Halos of the zones first, then the cells' lines, then the zones' thinner coloured lines on top: the cell's line reads
    /// wider than any zone's, and a zone running along it shows as dashes inside it. The halos without antialiasing: white on
    /// the fiche's near-white grounds shows no step.</summary>
    /// <param name="oneHalo">The zones' halos as one path with each edge once (<see cref="TerritoryPaths.ZoneHalos"/>: the same
    /// white band where networks share a boundary), for a canvas, which writes every path it draws into the atlas's PDF; the SVG
    /// draws each network's halo with the path of its line, written once (&lt;use&gt;).</param>
    internal static IEnumerable<FicheLayer> FicheLayers(TerritoryPaths p, bool oneHalo = false)
    {
        yield return new(p.NearFill, NearCellFill, 0);
        yield return new(p.OwnFill, CellFill, 0);
        if (p.Communes is { } communes) yield return new(communes, CommuneLine, CommuneWidth);
        if (oneHalo) yield return new(p.ZoneHalos, Halo, ZoneHalo, Antialias: false);
        else
            foreach (var zones in p.ZoneLines) yield return new(zones, Halo, ZoneHalo, Antialias: false);
        yield return new(p.OwnLine, Halo, CellHalo + 2, Antialias: false);
        yield return new(p.NearLines, NearCellLine, CellWidth * 0.6f);
        yield return new(p.OwnLine, Ink, CellWidth);
        for (int op = 0; op < p.ZoneLines.Length; op++)
        {
            float[] dash = OperatorDash(op);
            yield return new(p.ZoneLines[op], OperatorColor(op), ZoneWidth, dash.Length >= 2 ? dash : null);
        }
    }

    /// <summary>A legend entry: a swatch (fill, hatch, line) and its label.</summary>
    internal sealed record LegendItem(string Label, Action<SKRect>? Swatch, SKColor? Color = null, bool Heading = false);

    /// <param name="shared">Whether the layers' paths are taken from the scene's, built once per output scale
    /// (<see cref="MapScene.LayerPaths"/>): the study maps all share a scale; a fiche's map has its own.</param>
    private sealed class Drawing(SKCanvas canvas, MapLayout layout, MapScene scene, MapOptions options, Pass pass, bool shared, bool latin = false)
    {
        /// <summary>Draws <paramref name="text"/> as canvas.DrawText does; on an SVG canvas (<paramref name="latin"/>), with the
        /// Latin subset of the font's face when it has every character (<see cref="MapFonts.LatinFor"/>): the same &lt;text&gt;.</summary>
        private void Text(string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
        {
            if (options.Pdf) PdfText.Draw(canvas, options.Fonts, text, x, y, align, font, paint);
            else if (latin && options.Fonts.LatinFor(font.Typeface, text) is { } face)
            {
                using var subset = new SKFont(face, font.Size, font.ScaleX, font.SkewX)
                {
                    Edging = font.Edging, Hinting = font.Hinting, Subpixel = font.Subpixel, LinearMetrics = font.LinearMetrics,
                    Embolden = font.Embolden, BaselineSnap = font.BaselineSnap, EmbeddedBitmaps = font.EmbeddedBitmaps,
                    ForceAutoHinting = font.ForceAutoHinting,
                };
                canvas.DrawText(text, x, y, align, subset, paint);
            }
            else canvas.DrawText(text, x, y, align, font, paint);
        }

        /// <summary>A lettering font: on the PDF canvas, unhinted with linear metrics (<see cref="PdfText"/>).</summary>
        private SKFont Font(SKTypeface face, float size) => options.Pdf ? PdfText.Font(face, size) : new SKFont(face, size);

        /// <summary>The width <see cref="Text"/> draws <paramref name="text"/> at.</summary>
        private float Measure(SKFont font, string text) => options.Pdf ? PdfText.Width(options.Fonts, font, text) : font.MeasureText(text);

        private readonly float _u = layout.U;

        // What this drawing puts on the canvas (see Pass); the legend's entries are made either way, the fiche's map ignores it.
        private readonly bool _ground = pass.HasFlag(Pass.Ground), _letters = pass.HasFlag(Pass.Lettering);

        // Lettering: the layout unit times the options' text scale (larger on maps printed at page width).
        private readonly float _f = layout.U * options.TextScale;
        private readonly MapText _t = options.Text;

        public List<(SKRect, SKColor)> Swatches { get; } = [];

        public List<(string Text, SKRect Box)> Placed { get; } = [];

        public List<LegendItem> Overview()
        {
            var cells = scene.Layers[0];
            if (_ground)
            {
                using var fill = Fill(CellFill);
                FillAll(cells, _ => fill);
                // Cells are the subject: a wide grey band under the operators' lines, visible where they coincide.
                StrokeAll(cells, null, Line(new SKColor(0x9A, 0x94, 0x8A), 5f));
            }
            var items = new List<LegendItem>
            {
                new(scene.Result.Infos[0].Label, r => { canvas.DrawRect(r, Fill(CellFill)); canvas.DrawRect(r, Line(new SKColor(0x9A, 0x94, 0x8A), 5f)); }),
            };
            int n = scene.Layers.Count - 1;
            // Widest line underneath: every network stays visible where boundaries coincide.
            for (int k = 1; k <= n; k++)
            {
                int op = k - 1;
                if (_ground) StrokeAll(scene.Layers[k], OperatorDash(op), OperatorPaint(op, n, dashed: false));
                items.Add(new(scene.Result.Infos[k].Label, r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, OperatorPaint(op, n))));
            }
            foreach (var s in scene.Result.Sites)
            {
                int op = OperatorIndex(scene.Result, s.Operator);
                int shape = op;
                if (_ground) DrawSites(s, op);
                items.Add(new(_t.T($"Lieux d'accueil : {s.Label} ({s.Sites.Count})", $"Sites: {s.Label} ({s.Sites.Count})"),
                    r => SiteMarker(r.MidX, r.MidY, shape, OperatorColor(shape))));
            }
            if (_letters) Labels(cells, Enumerable.Range(0, cells.Count).Select(CellName).ToList());
            return items;
        }

        /// <summary>A site: a dot for the first operator, a square, then a triangle…, in the operator's colour, white-ringed.</summary>
        private void SiteMarker(float x, float y, int shape, SKColor color, float scale = 1)
        {
            float r = 5.5f * _u * scale;
            using var fill = Fill(color);
            using var ring = Line(SKColors.White, 1.6f);
            using var builder = new SKPathBuilder();
            switch (shape % 3)
            {
                case 0 when options.Pdf:
                    // On the PDF, a round-capped point (PDF draws a zero-length round-capped stroke as a disc): the ring as a white
                    // disc 1.6 units wider, the dot on it. Skia writes a circle as 16 curves with all their decimals (1.6 kB for
                    // the two); a point as "x y m h S", its centre on an eighth of a unit (issue 28).
                    {
                        var at = new SKPoint(MathF.Round(x * 8) / 8, MathF.Round(y * 8) / 8);
                        using var dot = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 2 * r + ring.StrokeWidth, StrokeCap = SKStrokeCap.Round, IsAntialias = true };
                        canvas.DrawPoint(at, dot);
                        dot.Color = color;
                        dot.StrokeWidth = 2 * r;
                        canvas.DrawPoint(at, dot);
                        return;
                    }
                case 0:
                    // A circle drawn as one: an SVG canvas writes it as <circle>, not as a path of some forty curves (issue 28:
                    // what Skia wrote for the national fiches, their sites most of it, 40.5 MB before, 4.9 MB after).
                    canvas.DrawCircle(x, y, r, ring);
                    canvas.DrawCircle(x, y, r, fill);
                    return;
                case 1: builder.AddRect(new SKRect(x - r * 0.9f, y - r * 0.9f, x + r * 0.9f, y + r * 0.9f)); break;
                default:
                    builder.MoveTo(x, y - r * 1.15f);
                    builder.LineTo(x + r * 1.05f, y + r * 0.75f);
                    builder.LineTo(x - r * 1.05f, y + r * 0.75f);
                    builder.Close();
                    break;
            }
            using var path = builder.Detach();
            canvas.DrawPath(path, ring);
            canvas.DrawPath(path, fill);
        }

        private void DrawSites(SiteComparison s, int op, SKColor? color = null, float scale = 1)
        {
            foreach (var site in s.Sites)
            {
                var (x, y) = scene.Site(site);
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                var at = layout.ToPixel(x, y);
                if (layout.Map.Contains(at)) SiteMarker(at.X, at.Y, op, color ?? OperatorColor(op), scale);
            }
        }

        /// <summary>Communes coloured by distance class to the operator's nearest site; cells outlined with their pop_beyond_share.</summary>
        public List<LegendItem> Distance(string key)
        {
            var s = SiteOf(scene.Result, new MapSpec("", MapKind.Distance, key));
            var scale = PlannerStyle.Distance;
            var units = scene.Units!;
            var popByClass = new double[scale.Count];
            for (int u = 0; u < units.Count && _ground; u++)
            {
                int cls = Math.Max(0, scale.ClassOf(s.UnitDistanceKm![u]));
                using var p = PathOf(units[u]);
                using var fill = Fill(MisfitClasses.Colors[scale.ColorIndexOf(cls)]);
                canvas.DrawPath(p, fill);
            }
            // People per class, within the territory (the cells): what the legend counts.
            var inTerritory = s.UnitPopInTerritory!;
            for (int u = 0; u < inTerritory.Length; u++)
                popByClass[Math.Max(0, scale.ClassOf(s.UnitDistanceKm![u]))] += inTerritory[u];
            int op = OperatorIndex(scene.Result, key);
            if (_ground)
            {
                StrokeAll(scene.Layers[0], null, Line(Ink, 1.4f));
                // Dark blue, not the operator's colour: orange or red marks vanish on the YlOrRd fills.
                DrawSites(s, op, ZoneLine);
            }
            if (_letters) ShareLabels(s);

            var items = new List<LegendItem> { new(_t.W("distance_km"), null, Heading: true) };
            for (int i = 0; i < scale.Count; i++)
            {
                var color = MisfitClasses.Colors[scale.ColorIndexOf(i)];
                string range = i == 0 ? $"< {_t.N(scale.Breaks[0])} km"
                    : i == scale.Count - 1 ? $"≥ {_t.N(scale.Breaks[^1])} km"
                    : $"{_t.N(scale.Breaks[i - 1])} – {_t.N(scale.Breaks[i])} km";
                items.Add(new($"{range}  ({_t.People(popByClass[i])} {_t.T("hab.", "people")})", r => { canvas.DrawRect(r, Fill(color)); canvas.DrawRect(r, Line(Ink, 0.8f)); }, color));
            }
            items.Add(new(_t.T($"Lieux d'accueil : {s.Label} ({s.Sites.Count})", $"Sites: {s.Label} ({s.Sites.Count})"),
                r => SiteMarker(r.MidX, r.MidY, op, ZoneLine)));
            items.Add(new(_t.T("Limites des territoires ; chiffre : part des habitants au-delà du seuil", "Area boundaries; figure: share of people beyond the threshold"),
                r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(Ink, 1.4f))));
            var t = s.Territory;
            if (t.PopBeyondShare is double share)
                items.Add(new(_t.T($"Au-delà de {_t.N(scene.Result.Study.Tolerances.BeyondKm)} km : {_t.Pct(share * 100)} des habitants ({_t.People(t.PopBeyond ?? 0)} hab.)",
                    $"Beyond {_t.N(scene.Result.Study.Tolerances.BeyondKm)} km: {_t.Pct(share * 100)} of people ({_t.People(t.PopBeyond ?? 0)} people)"), null, Heading: true));
            items.Add(new(_t.T("Distance à vol d'oiseau : elle sous-estime le trajet réel.", "Straight-line distance: it understates the real journey."), null, Heading: true));
            return items;
        }

        /// <summary>Each cell's pop_beyond_share as a percentage at its interior point, haloed.</summary>
        private void ShareLabels(SiteComparison s)
        {
            var cells = scene.Layers[0];
            var points = scene.Labelling(0).Points;
            using var font = Font(options.Fonts.Bold, 15 * _u);
            using var halo = new SKPaint { Color = SKColors.White.WithAlpha(235), Style = SKPaintStyle.Stroke, StrokeWidth = 3.6f * _u, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            using var ink = Fill(Ink);
            for (int i = 0; i < cells.Count; i++)
            {
                if (s.Cells[i].PopBeyondShare is not double share) continue;
                var pt = points[i];
                var at = layout.ToPixel(pt.X, pt.Y);
                if (!layout.Map.Contains(at)) continue;
                string text = _t.Pct(share * 100, "0");
                Text(text, at.X, at.Y, SKTextAlign.Center, font, halo);
                Text(text, at.X, at.Y, SKTextAlign.Center, font, ink);
            }
        }

        public List<LegendItem> Misfit(string key)
        {
            int k = scene.LayerIndex(key);
            var c = scene.Result.Comparisons.First(x => x.Operator == key);
            bool byPop = ByPopulation(scene, options.ByArea);
            var items = Choropleth(scene.Layers[0], c, byPop);
            var gaps = c.Defects.Where(d => d.Kind == DefectKind.Gap).ToList();
            var doubles = c.Defects.Where(d => d.Kind == DefectKind.DoubleCoverage).ToList();
            var straddles = c.Defects.Where(d => d.Kind == DefectKind.Straddle).ToList();
            if (_ground) MisfitGround(k, gaps, doubles, straddles);
            if (_letters)
                Labels(scene.Layers[0], Enumerable.Range(0, scene.Layers[0].Count).Select(i => CellName(i)).ToList(),
                    Enumerable.Range(0, scene.Layers[0].Count).Select(i => _t.N(Value(c.Cells[i], byPop), "0.00")).ToList());
            if (gaps.Count > 0)
                items.Add(new(_t.Gap, r => { using var p = RectPath(r); canvas.DrawRect(r, Fill(GapFill)); Hatch(p, GapHatch, 45, 9, 1.6f); canvas.DrawRect(r, Line(Ink, 0.8f)); }));
            if (doubles.Count > 0)
                items.Add(new(_t.Double, r => { using var p = RectPath(r); canvas.DrawRect(r, Fill(MisfitClasses.Colors[0])); Hatch(p, DoubleHatch, 45, 7, 1.4f); Hatch(p, DoubleHatch, -45, 7, 1.4f); canvas.DrawRect(r, Line(Ink, 0.8f)); }));
            if (straddles.Count > 0)
                items.Add(new(_t.Straddle, r => canvas.DrawRect(Inset(r, 2), Line(StraddleLine, 1.8f))));
            items.Add(new(_t.Cells, r => { canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(Halo, CellHalo)); canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(CellLine, CellWidth)); }));
            items.Add(new(_t.Zones(scene.Info(key).Label), r => { canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(Halo, ZoneHalo)); canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(ZoneLine, ZoneWidth, ZoneDash)); }));
            double? alignment = byPop ? c.Summary.PopAlignment : c.Summary.Alignment;
            items.Add(new(_t.Alignment(alignment ?? c.Summary.Alignment) + _t.T(" (1 − désalignement moyen" + (byPop ? ", pondéré par la population)" : ", pondéré par la surface)"),
                " (1 − mean misfit" + (byPop ? ", weighted by population)" : ", weighted by area)")), null, Heading: true));
            return items;
        }

        /// <summary>A misfit map's ground over its classes: gaps, double coverage, straddles, then every boundary on its halo.</summary>
        private void MisfitGround(int k, List<Defect> gaps, List<Defect> doubles, List<Defect> straddles)
        {
            using (var gapFill = Fill(GapFill))
                foreach (var d in gaps)
                {
                    using var p = PathOf(scene.Defect(d));
                    canvas.DrawPath(p, gapFill);
                    Hatch(p, GapHatch, 45, 9, 1.6f);
                }
            foreach (var d in doubles)
            {
                using var p = PathOf(scene.Defect(d));
                Hatch(p, DoubleHatch, 45, 7, 1.4f);
                Hatch(p, DoubleHatch, -45, 7, 1.4f);
            }
            // Straddles under the zone lines, thinner: on real data they follow most boundaries and
            // drawn on top at 2.6 px they turned the PACA maps purple (seen on misfit-bmo.png).
            // A white halo under them keeps them visible on the two red classes.
            StrokeAll(straddles.Select(scene.Defect), null, Line(Halo, 3.6f), Line(StraddleLine, 1.8f));
            // Every boundary drawn on a white halo: dark lines alone vanish on the darkest classes. The cells are the
            // subject: their line is wider than the operator's, and drawn under it, so where both run together the
            // zone's dashes show inside the cell's line.
            StrokeAll(scene.Layers[k], null, Line(Halo, ZoneHalo));
            StrokeAll(scene.Layers[0], null, Line(Halo, CellHalo));
            StrokeAll(scene.Layers[0], null, Line(CellLine, CellWidth));
            StrokeAll(scene.Layers[k], ZoneDash, Line(ZoneLine, ZoneWidth));
        }

        /// <summary>A fiche's map: the cell and its neighbours, communes outlined, each operator's zones and their names.</summary>
        /// <param name="built">The fiche's paths on this layout, or null to build them (at the options' grid; lines at the options'
        /// stroke tolerance, else <see cref="PixelPaths.StrokeTolerance"/>).</param>
        public List<LegendItem> Territory(int cell, IReadOnlyList<MapPointLayer>? points, TerritoryPaths? built, bool geometry)
        {
            var r = scene.Result;
            // The paths are snapped to the pixels and cut to the frame as they are built (PixelPaths), linear in the vertices,
            // with no NTS simplification or overlay per fiche; built once for both outputs that show a fiche.
            using var own = built is null
                ? TerritoryPaths.Build(scene, cell, layout, options.PathGrid, options.StrokeTolerance > 0 ? options.StrokeTolerance : PixelPaths.StrokeTolerance, options.Cancel)
                : null;
            var paths = built ?? own!;
            if (paths.Layout.Width != layout.Width || paths.Cell != cell)
                throw new ArgumentException($"the fiche's paths were built for cell {paths.Cell} on a {paths.Layout.Width}-wide sheet, not {cell} on {layout.Width}", nameof(built));
            if (geometry)
                foreach (var layer in FicheLayers(paths, oneHalo: true))
                {
                    using var paint = layer.Width == 0 ? Fill(layer.Color) : Line(layer.Color, layer.Width, antialias: layer.Antialias);
                    if (layer.Width > 0 && layer.Dash is null) paint.StrokeCap = SKStrokeCap.Round;
                    canvas.DrawPath(paths.PathOf(layer.Lines, layer.Width == 0, layer.Dash), paint);
                }
            var items = new List<LegendItem>
            {
                new(_t.T("Le territoire", "The area"), rr => { canvas.DrawRect(rr, Fill(CellFill)); canvas.DrawRect(rr, Line(Ink, CellWidth)); }),
            };
            if (paths.Communes is not null)
                items.Add(new(_t.T("Communes", "Communes"), rr => canvas.DrawRect(Inset(rr, 3), Line(CommuneLine, CommuneWidth))));
            int n = scene.Layers.Count - 1;
            var labels = new List<(string Text, Point Where, SKColor Color)>();
            for (int k = 1; k <= n; k++)
            {
                int op = k - 1;
                items.Add(new(r.Infos[k].Label, rr => canvas.DrawLine(rr.Left, rr.MidY, rr.Right, rr.MidY, Line(OperatorColor(op), ZoneWidth, OperatorDash(op)))));
                var c = r.Comparisons[op];
                string cellId = r.Infos[0].Ids[cell];
                var info = r.Infos[k];
                foreach (var pm in c.Pairs.Where(x => x.CellId == cellId && x.Significant).OrderByDescending(x => x.AreaKm2))
                {
                    int z = ZoneIndex(k, pm.ZoneId);
                    if (z < 0) continue;
                    if (scene.LabelPoint(cell, k, z) is not { } at) continue;
                    labels.Add((options.Names?.Of(info.Key, pm.ZoneId) ?? info.Names[z], at, OperatorColor(op)));
                }
            }
            // Each operator's sites in its colour and shape (as on the overview), over the lines, under the names.
            foreach (var s in r.Sites)
            {
                int op = OperatorIndex(r, s.Operator);
                // Sized with the lettering: the atlas prints a fiche's map small, its marks enlarged as its names are.
                DrawSites(s, op, scale: options.TextScale);
                int inCell = s.Cells[cell].Sites;
                items.Add(new(_t.T($"Lieux d'accueil : {s.Label} ({inCell} dans le territoire)", $"Sites: {s.Label} ({inCell} in the area)"),
                    rr => SiteMarker(rr.MidX, rr.MidY, op, OperatorColor(op), options.TextScale)));
            }
            foreach (var layer in points ?? [])
            {
                int shape = layer.Operator;
                foreach (var (x, y) in layer.Points)
                {
                    var at = layout.ToPixel(x, y);
                    if (double.IsFinite(x) && double.IsFinite(y) && layout.Map.Contains(at)) SiteMarker(at.X, at.Y, shape, OperatorColor(shape), options.TextScale);
                }
                items.Add(new(layer.Label, rr => SiteMarker(rr.MidX, rr.MidY, shape, OperatorColor(shape), options.TextScale)));
            }
            ZoneLabels(labels);
            return items;
        }

        /// <summary>Zone names at a point inside their part of the cell, in the operator's colour, nudged down when they would overlap.</summary>
        private void ZoneLabels(List<(string Text, Point Where, SKColor Color)> labels)
        {
            using var font = Font(options.Fonts.Bold, 14 * _f);
            using var halo = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 4f * _f, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            foreach (var (name, where, color) in labels)
            {
                var at = layout.ToPixel(where.X, where.Y);
                // A name wider than the frame (long names on a small atlas map) is cut with an ellipsis, so it can be slid inside.
                string text = TextLines.Fit(name, font, layout.Map.Width - 8 * _f, Measure);
                float w = Measure(font, text);
                for (int attempt = 0; attempt < 8; attempt++)
                {
                    float dy = (attempt % 2 == 0 ? 1 : -1) * ((attempt + 1) / 2) * 18 * _f;
                    var labelBox = new SKRect(at.X - w / 2 - 2 * _f, at.Y + dy - 13 * _f, at.X + w / 2 + 2 * _f, at.Y + dy + 4 * _f);
                    if (Placed.Any(p => p.Box.IntersectsWith(labelBox))) continue;
                    if (!layout.Map.Contains(labelBox)) labelBox.Offset(Math.Max(layout.Map.Left - labelBox.Left, Math.Min(0, layout.Map.Right - labelBox.Right)), 0);
                    Placed.Add((text, labelBox));
                    Text(text, labelBox.MidX, labelBox.Bottom - 4 * _f, SKTextAlign.Center, font, halo);
                    using var ink = Fill(Darker(color));
                    Text(text, labelBox.MidX, labelBox.Bottom - 4 * _f, SKTextAlign.Center, font, ink);
                    break;
                }
            }
        }

        private int ZoneIndex(int layer, string id)
        {
            var ids = scene.Result.Infos[layer].Ids;
            for (int i = 0; i < ids.Count; i++)
                if (ids[i] == id) return i;
            return -1;
        }

        private static SKColor Darker(SKColor c) => new((byte)(c.Red * 0.7), (byte)(c.Green * 0.7), (byte)(c.Blue * 0.7));

        private string CellName(int i) => options.Names?.Of("cells", scene.Result.Infos[0].Ids[i]) ?? scene.Result.Infos[0].Names[i];

        private static double Value(CellMetric m, bool byPop) => byPop ? m.PopMisfit ?? m.Misfit : m.Misfit;

        public List<LegendItem> Pair(string a, string b)
        {
            int ka = scene.LayerIndex(a), kb = scene.LayerIndex(b);
            var c = scene.Result.OperatorPairs.First(x => x.CellLayer == a && x.Operator == b);
            // The units coloured here are the first operator's zones, and the legend counts them as zones.
            var items = Choropleth(scene.Layers[ka], c, ByPopulation(scene, options.ByArea), _t.ZoneCount);
            if (_ground)
            {
                StrokeAll(scene.Layers[ka], null, Line(new SKColor(0x40, 0x40, 0x40), 1.2f));
                // Not the operator's overview colour: orange or green lines vanish on the YlOrRd fills.
                StrokeAll(scene.Layers[kb], [10, 5], Line(ZoneLine, 2.2f));
            }
            items.Add(new(_t.Zones(scene.Info(a).Label), r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(new SKColor(0x40, 0x40, 0x40), 1.2f))));
            items.Add(new(_t.Zones(scene.Info(b).Label), r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(ZoneLine, 2.2f, [10, 5]))));
            items.Add(new(_t.Alignment(c.Summary.Alignment), null, Heading: true));
            return items;
        }

        /// <summary>Fills each unit with the colour of its misfit class; returns the class legend.</summary>
        private List<LegendItem> Choropleth(IReadOnlyList<Geometry> units, Comparison c, bool byPop, Func<int, string>? countLabel = null)
        {
            countLabel ??= _t.CellCount;
            var counts = new int[MisfitClasses.Count];
            for (int i = 0; i < units.Count; i++)
            {
                int cls = MisfitClasses.ClassOf(Value(c.Cells[i], byPop));
                counts[cls]++;
            }
            if (_ground)
            {
                var fills = MisfitClasses.Colors.Select(Fill).ToArray();
                FillAll(units, i => fills[MisfitClasses.ClassOf(Value(c.Cells[i], byPop))]);
                foreach (var f in fills) f.Dispose();
            }
            var items = new List<LegendItem>
            {
                new(_t.MisfitLegend + (byPop ? _t.T(" en population", " by population") : _t.T(" en surface", " by area")), null, Heading: true),
            };
            var b = MisfitClasses.Bounds;
            for (int i = 0; i < MisfitClasses.Count; i++)
            {
                var color = MisfitClasses.Colors[i];
                string range = $"{_t.N(b[i])} – {_t.N(b[i + 1])}";
                items.Add(new($"{range}  ({countLabel(counts[i])})", r => { canvas.DrawRect(r, Fill(color)); canvas.DrawRect(r, Line(Ink, 0.8f)); }, color));
            }
            return items;
        }

        /// <summary>
        /// Cell names (and, on misfit maps, their value under them) inside their cells, largest cells first, on a white
        /// halo. A label that would overlap another is tried again smaller; only then is it left out.
        /// </summary>
        private void Labels(IReadOnlyList<Geometry> units, IReadOnlyList<string> names, IReadOnlyList<string>? values = null)
        {
            using var ink = Fill(Ink);
            // A layer's label points and order are the scene's (computed once for all the maps); other polygons' computed here.
            int layer = scene.LayerOf(units);
            var (points, order) = layer >= 0 ? scene.Labelling(layer)
                : (units.Select(u => u.InteriorPoint).ToArray(), Enumerable.Range(0, units.Count).OrderByDescending(i => units[i].Area).ToArray());
            foreach (float size in new[] { 13f, 9.5f })
            {
                using var font = Font(options.Fonts.Regular, size * _f);
                using var bold = Font(options.Fonts.Bold, size * _f);
                using var halo = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = size / 4 * _f, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
                float line = size * 1.2f * _f;
                foreach (int i in order)
                {
                    if (Placed.Any(p => p.Text.StartsWith(names[i] + "\n", StringComparison.Ordinal) || p.Text == names[i])) continue;
                    var pt = points[i];
                    var at = layout.ToPixel(pt.X, pt.Y);
                    float w = Math.Max(Measure(font, names[i]), values is null ? 0 : Measure(bold, values[i]));
                    float h = values is null ? line : 2 * line;
                    var box = new SKRect(at.X - w / 2 - 2 * _f, at.Y - size * _f, at.X + w / 2 + 2 * _f, at.Y - size * _f + h + 3 * _f);
                    if (!layout.Map.Contains(box) || Placed.Any(p => p.Box.IntersectsWith(box))) continue;
                    Placed.Add((values is null ? names[i] : names[i] + "\n" + values[i], box));
                    Text(names[i], at.X, at.Y, SKTextAlign.Center, font, halo);
                    Text(names[i], at.X, at.Y, SKTextAlign.Center, font, ink);
                    if (values is null) continue;
                    Text(values[i], at.X, at.Y + line, SKTextAlign.Center, bold, halo);
                    Text(values[i], at.X, at.Y + line, SKTextAlign.Center, bold, ink);
                }
            }
        }

        public void Frame()
        {
            using var p = Line(new SKColor(0x99, 0x99, 0x99), 1);
            canvas.DrawRect(layout.Map, p);
        }

        public void Header(string title, string subtitle)
        {
            // At text scale 1 the title is as before; larger scales grow it less, to stay in its band.
            float titleSize = options.TextScale > 1 ? Math.Min(24 * _f, 40 * _u) : 28 * _u;
            using var big = Font(options.Fonts.Bold, titleSize);
            using var small = Font(options.Fonts.Regular, Math.Min(16 * _f, 22 * _u));
            using var ink = Fill(Ink);
            using var grey = Fill(new SKColor(0x55, 0x55, 0x55));
            Text(TextLines.Fit(title, big, layout.Title.Width, Measure), layout.Title.Left, layout.Title.Top + titleSize * 1.28f, SKTextAlign.Left, big, ink);
            Text(TextLines.Fit(subtitle, small, layout.Title.Width, Measure), layout.Title.Left, options.TextScale > 1 ? layout.Title.Bottom - 8 * _u : layout.Title.Top + 70 * _u, SKTextAlign.Left, small, grey);
        }

        /// <summary>
        /// Draws the legend from the top of its panel down to <paramref name="bottom"/> at most: lettered smaller (down to
        /// half size) when its entries would run past it. Returns the box its entries cover.
        /// </summary>
        public bool LegendFits(List<LegendItem> items, float bottom) => LegendRun(items, 1, draw: false).Bottom <= bottom;

        /// <summary>The height of the scale bar and north arrow block.</summary>
        public float ScaleHeight => 84 * _f;

        public SKRect Legend(List<LegendItem> items, float bottom)
        {
            float k = 1;
            for (int i = 0; i < 8 && LegendRun(items, k, draw: false).Bottom > bottom; i++) k *= 0.9f;
            return LegendRun(items, k, draw: true);
        }

        private SKRect LegendRun(List<LegendItem> items, float k, bool draw)
        {
            var box = layout.Legend;
            float f = _f * k;
            using var font = Font(options.Fonts.Regular, 14 * f);
            using var bold = Font(options.Fonts.Bold, 15 * f);
            using var ink = Fill(Ink);
            float y = box.Top + 8 * f, x = box.Left + 8 * f, textX = x + 52 * f, width = box.Right - textX;
            var covered = SKRect.Empty;
            void Cover(SKRect r) => covered = covered.IsEmpty ? r : SKRect.Union(covered, r);
            foreach (var item in items)
            {
                if (item.Heading)
                {
                    y += 8 * f;
                    foreach (var wrapped in TextLines.Wrap(item.Label, bold, box.Width - 16 * f, Measure))
                    {
                        // A word wider than the panel (large lettering on a small map) is cut with an ellipsis.
                        string line = TextLines.Fit(wrapped, bold, box.Width - 16 * f, Measure);
                        if (draw) Text(line, x, y + 15 * f, SKTextAlign.Left, bold, ink);
                        Cover(new SKRect(x, y, x + Measure(bold, line), y + 19 * f));
                        y += 21 * f;
                    }
                    y += 4 * f;
                    continue;
                }
                var swatch = new SKRect(x, y, x + 40 * f, y + 22 * f);
                var lines = TextLines.Wrap(item.Label, font, width, Measure);
                if (draw)
                {
                    item.Swatch?.Invoke(swatch);
                    if (item.Color is SKColor color) Swatches.Add((swatch, color));
                }
                Cover(swatch);
                float ty = y + 16 * f;
                foreach (var wrapped in lines)
                {
                    string line = TextLines.Fit(wrapped, font, width, Measure);
                    if (draw) Text(line, textX, ty, SKTextAlign.Left, font, ink);
                    Cover(new SKRect(textX, ty - 14 * f, textX + Measure(font, line), ty + 4 * f));
                    ty += 18 * f;
                }
                y += Math.Max(30 * f, lines.Count * 18 * f + 10 * f);
            }
            return covered.IsEmpty ? new SKRect(x, box.Top, x, box.Top) : covered;
        }

        /// <summary>Scale bar (km) and north arrow side by side, their foot at <paramref name="bottom"/>; returns the box they cover.</summary>
        public SKRect ScaleAndNorth(float bottom, bool inMap = false)
        {
            var box = layout.Legend;
            using var font = Font(options.Fonts.Regular, 13 * _f);
            using var ink = Fill(Ink);
            using var white = Fill(SKColors.White);
            using var outline = Line(Ink, 1);

            double kmPerPixel = 1 / (layout.PixelsPerMetre * 1000);
            float h = 8 * _f;
            SKPoint centre;
            float x0, y0;
            double km;
            float len;
            if (!inMap)
            {
                // North arrow in the panel's bottom-right corner; the scale bar takes the room on its left.
                centre = new SKPoint(box.Right - 36 * _f, bottom - 56 * _f);
                float arrowLeft = centre.X - 30 * _f;
                x0 = box.Left + 8 * _f;
                y0 = bottom - 40 * _f;
                // A round length near 200 layout units, shorter when it and its last figure would reach the arrow.
                km = NiceNumber(200 * _f * kmPerPixel);
                len = (float)(km / kmPerPixel);
                for (int i = 0; i < 12 && x0 + len + Measure(font, _t.N(km) + " km") / 2 > arrowLeft - 8 * _f; i++)
                {
                    km = NiceNumber(km * 0.99);
                    len = (float)(km / kmPerPixel);
                }
            }
            else
            {
                // In the map frame's bottom-left corner: the bar at most a third of the frame wide, the arrow on its right,
                // on a white ground.
                var map = layout.Map;
                x0 = map.Left + 14 * _f;
                y0 = map.Bottom - 8 * _f - 27 * _f;
                km = NiceNumber(Math.Min(200 * _f, map.Width / 3) * kmPerPixel);
                len = (float)(km / kmPerPixel);
                centre = new SKPoint(x0 + len + Measure(font, _t.N(km) + " km") / 2 + 30 * _f, map.Bottom - 8 * _f - 38 * _f);
                var ground = new SKRect(map.Left + 2 * _f, centre.Y - 32 * _f, centre.X + 20 * _f, map.Bottom - 2 * _f);
                using var paper = Fill(SKColors.White.WithAlpha(230));
                canvas.DrawRect(ground, paper);
            }
            canvas.DrawRect(new SKRect(x0, y0, x0 + len / 2, y0 + h), ink);
            canvas.DrawRect(new SKRect(x0 + len / 2, y0, x0 + len, y0 + h), white);
            canvas.DrawRect(new SKRect(x0, y0, x0 + len, y0 + h), outline);
            string last = _t.N(km) + " km";
            Text("0", x0, y0 + h + 16 * _f, SKTextAlign.Center, font, ink);
            Text(_t.N(km / 2), x0 + len / 2, y0 + h + 16 * _f, SKTextAlign.Center, font, ink);
            Text(last, x0 + len, y0 + h + 16 * _f, SKTextAlign.Center, font, ink);

            // North arrow: true north at the map's centre (LAEA grid north is rotated off the central meridian).
            var (dx, dy) = scene.NorthAtCentre;
            float angle = (float)(Math.Atan2(dx, dy) * 180 / Math.PI);
            canvas.Save();
            canvas.RotateDegrees(angle, centre.X, centre.Y);
            using var builder = new SKPathBuilder();
            builder.MoveTo(centre.X, centre.Y - 26 * _f);
            builder.LineTo(centre.X + 11 * _f, centre.Y + 14 * _f);
            builder.LineTo(centre.X, centre.Y + 6 * _f);
            builder.LineTo(centre.X - 11 * _f, centre.Y + 14 * _f);
            builder.Close();
            using var arrow = builder.Detach();
            canvas.DrawPath(arrow, ink);
            canvas.Restore();
            using var bold = Font(options.Fonts.Bold, 15 * _f);
            Text("N", centre.X, centre.Y + 34 * _f, SKTextAlign.Center, bold, ink);
            float left = Math.Min(x0 - Measure(font, "0") / 2, x0);
            return new SKRect(left, Math.Min(y0, centre.Y - 27 * _f), centre.X + 14 * _f, Math.Max(y0 + h + 19 * _f, centre.Y + 38 * _f));
        }

        /// <summary>
        /// The source and credit lines at the foot of the sheet, in the footer's band: the sources on two lines at most, the
        /// lettering made smaller when even that overflows the band (large lettering on a small printed map). Returns the box
        /// the lines cover.
        /// </summary>
        public SKRect Footer()
        {
            var r = scene.Result;
            float f = _f;
            List<string> lines = [];
            using var grey = Fill(new SKColor(0x44, 0x44, 0x44));
            for (int attempt = 0; attempt < 12; attempt++, f *= 0.9f)
            {
                using var probe = Font(options.Fonts.Regular, 12.5f * f);
                lines = [];
                if (!string.IsNullOrWhiteSpace(r.Study.Sources))
                    lines.AddRange(TextLines.Wrap($"{_t.Sources} : {r.Study.Sources}".Replace(" : ", _t.French ? " : " : ": ", StringComparison.Ordinal), probe, layout.Footer.Width, Measure).Take(2));
                lines.Add(TextLines.Fit($"{_t.MadeWith(options.Version, options.Date)} · {_t.Projection(scene.Crs.ToString())}", probe, layout.Footer.Width, Measure));
                // The first line's ascent (about 12.5 units) must stay inside the band, below the map frame.
                if ((lines.Count - 1) * 16 * f + 4 * f + 13 * f <= layout.Footer.Height + 2 * layout.U) break;
            }
            using var font = Font(options.Fonts.Regular, 12.5f * f);
            float y = layout.Footer.Bottom - (lines.Count - 1) * 16 * f - 4 * f;
            var covered = SKRect.Empty;
            foreach (var line in lines)
            {
                Text(line, layout.Footer.Left, y, SKTextAlign.Left, font, grey);
                var box = new SKRect(layout.Footer.Left, y - 12 * f, layout.Footer.Left + Measure(font, line), y + 3 * f);
                covered = covered.IsEmpty ? box : SKRect.Union(covered, box);
                y += 16 * f;
            }
            return covered;
        }

        private static double NiceNumber(double x)
        {
            double p = Math.Pow(10, Math.Floor(Math.Log10(x)));
            double m = x / p;
            return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
        }

        private SKPaint OperatorPaint(int op, int count, bool dashed = true)
        {
            float width = Math.Max(1.6f, 1.6f + 1.2f * (count - 1 - op));
            return Line(OperatorColor(op), width, dashed ? OperatorDash(op) : null);
        }

        /// <summary>Strokes each geometry; <paramref name="dash"/> (layout units) is cut into the paths themselves, not set as a
        /// path effect: the same pixels, but a PDF keeps plain strokes (see <see cref="PixelPaths"/>). The lines are reduced to
        /// what the pixels show (<see cref="PixelPaths.StrokeTolerance"/>): a stroke covers the seam a fill would leave.</summary>
        /// <remarks>Each paint in turn (all the geometries with the first, then with the next: a halo under a line), from paths
        /// built once for all the paints (a misfit map's straddles were built once per paint).</remarks>
        private void StrokeAll(IEnumerable<Geometry> geoms, float[]? dash, params SKPaint[] paints)
        {
            float[]? d = dash is { Length: >= 2 } ? dash.Select(v => v * _u).ToArray() : null;
            try
            {
                if (options.StrokeTolerance > 0)
                {
                    // Print (the atlas): every shared edge once, simplified; round caps close the joints between runs of edges.
                    using var lines = PixelPaths.BuildLines(geoms, layout, _clip, d, options.PathGrid, options.StrokeTolerance, options.Cancel);
                    foreach (var paint in paints)
                    {
                        if (d is null) paint.StrokeCap = SKStrokeCap.Round;
                        canvas.DrawPath(lines, paint);
                    }
                    return;
                }
                if (Shared(geoms, d, PixelPaths.StrokeTolerance) is { } shared)
                {
                    Stroke(shared);
                    return;
                }
                var built = new List<SKPath>();
                try
                {
                    foreach (var g in geoms)
                    {
                        options.Cancel.ThrowIfCancellationRequested();
                        built.Add(PixelPaths.Build(g, layout, _clip, d, PixelPaths.StrokeTolerance, options.PathGrid));
                    }
                    Stroke(built);
                }
                finally
                {
                    foreach (var p in built) p.Dispose();
                }
            }
            finally
            {
                foreach (var paint in paints) paint.Dispose();
            }

            void Stroke(IReadOnlyList<SKPath> paths)
            {
                foreach (var paint in paints)
                    foreach (var p in paths)
                    {
                        options.Cancel.ThrowIfCancellationRequested();
                        canvas.DrawPath(p, paint);
                    }
            }
        }

        /// <summary>Fills each polygon of <paramref name="geoms"/> with the paint <paramref name="paintOf"/> gives its index.</summary>
        private void FillAll(IReadOnlyList<Geometry> geoms, Func<int, SKPaint> paintOf)
        {
            if (Shared(geoms, null, 0) is { } paths)
            {
                for (int i = 0; i < paths.Count; i++)
                {
                    options.Cancel.ThrowIfCancellationRequested();
                    canvas.DrawPath(paths[i], paintOf(i));
                }
                return;
            }
            for (int i = 0; i < geoms.Count; i++)
            {
                using var p = PathOf(geoms[i]);
                canvas.DrawPath(p, paintOf(i));
            }
        }

        /// <summary>The scene's paths of a whole layer at this map's scale (built once for all the study's maps), or null: not a
        /// layer, or a fiche's map.</summary>
        private IReadOnlyList<SKPath>? Shared(IEnumerable<Geometry> geoms, float[]? dash, float tolerance)
        {
            if (!shared) return null;
            int layer = scene.LayerOf(geoms);
            return layer < 0 ? null : scene.LayerPaths(layer, layout, _clip, dash, tolerance, options.PathGrid, options.Cancel);
        }

        /// <summary>Where paths are cut: the map frame and a margin wider than any line, so no cut edge shows.</summary>
        private readonly SKRect _clip = TerritoryPaths.ClipOf(layout);

        /// <summary>Parallel lines clipped to a path: the hatching of gaps and double coverage.</summary>
        private void Hatch(SKPath path, SKColor color, float degrees, float spacing, float width)
        {
            var b = path.Bounds;
            if (b.IsEmpty) return;
            canvas.Save();
            canvas.ClipPath(path, SKClipOperation.Intersect, antialias: true);
            using var line = Line(color, width);
            float step = spacing * _u, diag = b.Width + b.Height;
            float slope = (float)Math.Tan(degrees * Math.PI / 180);
            // Lines y = slope·(x − b.Left) + c for c spanning the box's diagonal.
            for (float c = -diag; c <= diag; c += step)
                canvas.DrawLine(b.Left, b.MidY + c, b.Right, b.MidY + c + slope * b.Width, line);
            canvas.Restore();
        }

        private SKPath PathOf(Geometry g)
        {
            options.Cancel.ThrowIfCancellationRequested();
            return PixelPaths.Build(g, layout, _clip, grid: options.PathGrid);
        }

        private static SKPath RectPath(SKRect r)
        {
            using var path = new SKPathBuilder();
            path.AddRect(r, SKPathDirection.Clockwise);
            return path.Detach();
        }

        private static SKPaint Fill(SKColor color) => new() { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };

        /// <summary>A line of <paramref name="width"/> layout units. Bevel joins, not round: under 4 px the corners differ by
        /// less than a third of a pixel, and Skia's round joins add an arc at every vertex to stroke (issue 28).
        /// <paramref name="antialias"/> off for white halos on the fiches' pale grounds: no visible step, a third of a fiche's drawing.</summary>
        private SKPaint Line(SKColor color, float width, float[]? dash = null, bool antialias = true)
        {
            var p = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width * _u, IsAntialias = antialias, StrokeJoin = SKStrokeJoin.Bevel };
            if (dash is { Length: > 0 }) p.PathEffect = SKPathEffect.CreateDash(dash.Select(v => v * _u).ToArray(), 0);
            return p;
        }

        private SKRect Inset(SKRect r, float by) => new(r.Left + by * _u, r.Top + by * _u, r.Right - by * _u, r.Bottom - by * _u);
    }
}
