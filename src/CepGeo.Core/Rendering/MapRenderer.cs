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
}

/// <summary>One map to draw; <see cref="Name"/> is its file name without extension.</summary>
public sealed record MapSpec(string Name, MapKind Kind, string? Operator = null, string? Against = null);

/// <summary>What a map is lettered with. The date is the caller's: Core reads no clock.</summary>
public sealed record MapOptions(MapFonts Fonts, MapText Text, string Version, string Date);

/// <summary>What a drawn map holds where (the legend's colour swatches), for tests and the report.</summary>
public sealed record MapKey(IReadOnlyList<(SKRect Rect, SKColor Color)> Swatches, IReadOnlyList<string> LegendLabels);

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

    /// <summary>The maps of an analysis: overview, one choropleth per operator, one per operator pair.</summary>
    public static IReadOnlyList<MapSpec> Plan(AnalysisResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var maps = new List<MapSpec> { new("overview", MapKind.Overview) };
        maps.AddRange(r.Comparisons.Select(c => new MapSpec($"misfit-{c.Operator}", MapKind.Misfit, c.Operator)));
        maps.AddRange(r.OperatorPairs.Select(c => new MapSpec($"pair-{c.CellLayer}-{c.Operator}", MapKind.Pair, c.CellLayer, c.Operator)));
        return maps;
    }

    public static string Title(MapScene scene, MapSpec spec, MapText t)
    {
        var r = scene.Result;
        return spec.Kind switch
        {
            MapKind.Overview => t.OverviewTitle(r.Study.Name),
            MapKind.Misfit => t.MisfitTitle(r.Infos[0].Label, scene.Info(spec.Operator!).Label),
            _ => t.PairTitle(scene.Info(spec.Operator!).Label, scene.Info(spec.Against!).Label),
        };
    }

    public static MapKey WritePng(Stream stream, MapScene scene, MapSpec spec, MapOptions options, int width = MapLayout.ScreenWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = new MapLayout(scene.Extent, width, height);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not allocate a {layout.Width}×{layout.Height} surface");
        var key = Draw(surface.Canvas, layout, scene, spec, options);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        png.SaveTo(stream);
        return key;
    }

    public static MapKey WriteSvg(Stream stream, MapScene scene, MapSpec spec, MapOptions options, int width = MapLayout.ScreenWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = new MapLayout(scene.Extent, width, height);
        using var managed = new SKManagedWStream(stream);
        MapKey key;
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), managed))
            key = Draw(canvas, layout, scene, spec, options);
        managed.Flush();
        return key;
    }

    /// <summary>Draws one whole map sheet on a canvas of the layout's size.</summary>
    public static MapKey Draw(SKCanvas canvas, MapLayout layout, MapScene scene, MapSpec spec, MapOptions options)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var d = new Drawing(canvas, layout, scene, options);
        canvas.Clear(Paper);
        canvas.Save();
        canvas.ClipRect(layout.Map);
        var legend = spec.Kind switch
        {
            MapKind.Overview => d.Overview(),
            MapKind.Misfit => d.Misfit(spec.Operator!),
            _ => d.Pair(spec.Operator!, spec.Against!),
        };
        canvas.Restore();
        d.Frame();
        d.Header(Title(scene, spec, options.Text), Subtitle(scene, spec, options.Text));
        float bottom = d.Legend(legend);
        d.ScaleAndNorth(bottom);
        d.Footer();
        return new MapKey(d.Swatches, legend.Select(l => l.Label).ToList());
    }

    private static string Subtitle(MapScene scene, MapSpec spec, MapText t)
    {
        var r = scene.Result;
        return spec.Kind switch
        {
            MapKind.Overview => t.T($"{r.Infos[0].Label} ({r.Infos[0].Ids.Count}) et les zones de {r.Infos.Count - 1} réseaux d'opérateurs",
                $"{r.Infos[0].Label} ({r.Infos[0].Ids.Count}) and the zones of {r.Infos.Count - 1} operator networks"),
            MapKind.Misfit => t.T("Part de chaque cellule à réaffecter pour que les zones s'y emboîtent (0 = alignée)",
                "Share of each cell to reassign for the zones to nest in it (0 = aligned)"),
            _ => t.T($"Zones de « {scene.Info(spec.Operator!).Label} » colorées selon leur désalignement avec « {scene.Info(spec.Against!).Label} »",
                $"Zones of \"{scene.Info(spec.Operator!).Label}\" coloured by their misfit against \"{scene.Info(spec.Against!).Label}\""),
        };
    }

    internal static SKColor OperatorColor(int operatorIndex) => MisfitClasses.Sk(PlannerStyle.OperatorColor(operatorIndex));

    internal static float[] OperatorDash(int operatorIndex) => [.. PlannerStyle.OperatorDash(operatorIndex)];

    /// <summary>A legend entry: a swatch (fill, hatch, line) and its label.</summary>
    internal sealed record LegendItem(string Label, Action<SKRect>? Swatch, SKColor? Color = null, bool Heading = false);

    private sealed class Drawing(SKCanvas canvas, MapLayout layout, MapScene scene, MapOptions options)
    {
        private readonly float _u = layout.U;
        private readonly MapText _t = options.Text;

        public List<(SKRect, SKColor)> Swatches { get; } = [];

        public List<LegendItem> Overview()
        {
            var cells = scene.Layers[0];
            using var fill = Fill(CellFill);
            foreach (var g in cells) canvas.DrawPath(PathOf(g), fill);
            // Cells are the subject: a wide grey band under the operators' lines, visible where they coincide.
            StrokeAll(cells, Line(new SKColor(0x9A, 0x94, 0x8A), 5f));
            var items = new List<LegendItem>
            {
                new(scene.Result.Infos[0].Label, r => { canvas.DrawRect(r, Fill(CellFill)); canvas.DrawRect(r, Line(new SKColor(0x9A, 0x94, 0x8A), 5f)); }),
            };
            int n = scene.Layers.Count - 1;
            // Widest line underneath: every network stays visible where boundaries coincide.
            for (int k = 1; k <= n; k++)
            {
                int op = k - 1;
                var paint = OperatorPaint(op, n);
                StrokeAll(scene.Layers[k], paint);
                items.Add(new(scene.Result.Infos[k].Label, r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, OperatorPaint(op, n))));
            }
            Labels(cells, scene.Result.Infos[0].Names);
            return items;
        }

        public List<LegendItem> Misfit(string key)
        {
            int k = scene.LayerIndex(key);
            var c = scene.Result.Comparisons.First(x => x.Operator == key);
            var items = Choropleth(scene.Layers[0], c);
            using (var gapFill = Fill(GapFill))
                foreach (var d in c.Defects.Where(d => d.Kind == DefectKind.Gap))
                {
                    using var p = PathOf(scene.Defect(d));
                    canvas.DrawPath(p, gapFill);
                    Hatch(p, GapHatch, 45, 9, 1.6f);
                }
            foreach (var d in c.Defects.Where(d => d.Kind == DefectKind.DoubleCoverage))
            {
                using var p = PathOf(scene.Defect(d));
                Hatch(p, DoubleHatch, 45, 7, 1.4f);
                Hatch(p, DoubleHatch, -45, 7, 1.4f);
            }
            StrokeAll(scene.Layers[0], Line(new SKColor(0x60, 0x60, 0x60), 0.9f));
            // Straddles under the zone lines, thinner: on real data they follow most boundaries and
            // drawn on top at 2.6 px they turned the PACA maps purple (seen on misfit-bmo.png).
            using (var straddle = Line(StraddleLine, 1.8f))
                foreach (var d in c.Defects.Where(d => d.Kind == DefectKind.Straddle))
                {
                    using var p = PathOf(scene.Defect(d));
                    canvas.DrawPath(p, straddle);
                }
            StrokeAll(scene.Layers[k], Line(ZoneLine, 2.2f, [10, 5]));
            items.Add(new(_t.Gap, r => { using var p = RectPath(r); canvas.DrawRect(r, Fill(GapFill)); Hatch(p, GapHatch, 45, 9, 1.6f); canvas.DrawRect(r, Line(Ink, 0.8f)); }));
            items.Add(new(_t.Double, r => { using var p = RectPath(r); canvas.DrawRect(r, Fill(MisfitClasses.Colors[0])); Hatch(p, DoubleHatch, 45, 7, 1.4f); Hatch(p, DoubleHatch, -45, 7, 1.4f); canvas.DrawRect(r, Line(Ink, 0.8f)); }));
            items.Add(new(_t.Straddle, r => canvas.DrawRect(Inset(r, 2), Line(StraddleLine, 1.8f))));
            items.Add(new(_t.Cells, r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(new SKColor(0x60, 0x60, 0x60), 0.9f))));
            items.Add(new(_t.Zones(scene.Info(key).Label), r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(ZoneLine, 2.2f, [10, 5]))));
            items.Add(new(_t.Alignment(c.Summary.Alignment), null, Heading: true));
            return items;
        }

        public List<LegendItem> Pair(string a, string b)
        {
            int ka = scene.LayerIndex(a), kb = scene.LayerIndex(b);
            var c = scene.Result.OperatorPairs.First(x => x.CellLayer == a && x.Operator == b);
            // The units coloured here are the first operator's zones, and the legend counts them as zones.
            var items = Choropleth(scene.Layers[ka], c, _t.ZoneCount);
            StrokeAll(scene.Layers[ka], Line(new SKColor(0x40, 0x40, 0x40), 1.2f));
            // Not the operator's overview colour: orange or green lines vanish on the YlOrRd fills.
            StrokeAll(scene.Layers[kb], Line(ZoneLine, 2.2f, [10, 5]));
            items.Add(new(_t.Zones(scene.Info(a).Label), r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(new SKColor(0x40, 0x40, 0x40), 1.2f))));
            items.Add(new(_t.Zones(scene.Info(b).Label), r => canvas.DrawLine(r.Left, r.MidY, r.Right, r.MidY, Line(ZoneLine, 2.2f, [10, 5]))));
            items.Add(new(_t.Alignment(c.Summary.Alignment), null, Heading: true));
            return items;
        }

        /// <summary>Fills each unit with the colour of its misfit class; returns the class legend.</summary>
        private List<LegendItem> Choropleth(IReadOnlyList<Geometry> units, Comparison c, Func<int, string>? countLabel = null)
        {
            countLabel ??= _t.CellCount;
            var counts = new int[MisfitClasses.Count];
            for (int i = 0; i < units.Count; i++)
            {
                int cls = MisfitClasses.ClassOf(c.Cells[i].Misfit);
                counts[cls]++;
                using var p = PathOf(units[i]);
                using var fill = Fill(MisfitClasses.Colors[cls]);
                canvas.DrawPath(p, fill);
            }
            var items = new List<LegendItem>
            {
                new(_t.MisfitLegend, null, Heading: true),
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

        /// <summary>Cell names inside their cells, largest cells first, skipping any that would overlap.</summary>
        private void Labels(IReadOnlyList<Geometry> units, IReadOnlyList<string> names)
        {
            using var font = new SKFont(options.Fonts.Regular, 13 * _u);
            using var halo = new SKPaint { Color = SKColors.White.WithAlpha(230), Style = SKPaintStyle.Stroke, StrokeWidth = 3.2f * _u, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            using var ink = Fill(Ink);
            var placed = new List<SKRect>();
            foreach (int i in Enumerable.Range(0, units.Count).OrderByDescending(i => units[i].Area))
            {
                var pt = units[i].InteriorPoint;
                var at = layout.ToPixel(pt.X, pt.Y);
                float w = font.MeasureText(names[i]);
                var box = new SKRect(at.X - w / 2 - 2 * _u, at.Y - 11 * _u, at.X + w / 2 + 2 * _u, at.Y + 5 * _u);
                if (!layout.Map.Contains(box) || placed.Any(p => p.IntersectsWith(box))) continue;
                placed.Add(box);
                canvas.DrawText(names[i], at.X, at.Y, SKTextAlign.Center, font, halo);
                canvas.DrawText(names[i], at.X, at.Y, SKTextAlign.Center, font, ink);
            }
        }

        public void Frame()
        {
            using var p = Line(new SKColor(0x99, 0x99, 0x99), 1);
            canvas.DrawRect(layout.Map, p);
        }

        public void Header(string title, string subtitle)
        {
            using var big = new SKFont(options.Fonts.Bold, 28 * _u);
            using var small = new SKFont(options.Fonts.Regular, 16 * _u);
            using var ink = Fill(Ink);
            using var grey = Fill(new SKColor(0x55, 0x55, 0x55));
            canvas.DrawText(Fit(title, big, layout.Title.Width), layout.Title.Left, layout.Title.Top + 36 * _u, SKTextAlign.Left, big, ink);
            canvas.DrawText(Fit(subtitle, small, layout.Title.Width), layout.Title.Left, layout.Title.Top + 70 * _u, SKTextAlign.Left, small, grey);
        }

        /// <summary>Draws the legend from the top of its panel; returns the y where it ended.</summary>
        public float Legend(List<LegendItem> items)
        {
            var box = layout.Legend;
            using var font = new SKFont(options.Fonts.Regular, 14 * _u);
            using var bold = new SKFont(options.Fonts.Bold, 15 * _u);
            using var ink = Fill(Ink);
            float y = box.Top + 8 * _u, x = box.Left + 8 * _u, textX = x + 52 * _u, width = box.Right - textX;
            foreach (var item in items)
            {
                if (item.Heading)
                {
                    y += 8 * _u;
                    foreach (var line in Wrap(item.Label, bold, box.Width - 16 * _u))
                    {
                        canvas.DrawText(line, x, y + 15 * _u, SKTextAlign.Left, bold, ink);
                        y += 21 * _u;
                    }
                    y += 4 * _u;
                    continue;
                }
                var swatch = new SKRect(x, y, x + 40 * _u, y + 22 * _u);
                item.Swatch?.Invoke(swatch);
                if (item.Color is SKColor color) Swatches.Add((swatch, color));
                var lines = Wrap(item.Label, font, width);
                float ty = y + 16 * _u;
                foreach (var line in lines)
                {
                    canvas.DrawText(line, textX, ty, SKTextAlign.Left, font, ink);
                    ty += 18 * _u;
                }
                y += Math.Max(30 * _u, lines.Count * 18 * _u + 10 * _u);
            }
            return y;
        }

        /// <summary>Scale bar (km) and north arrow at the foot of the legend panel.</summary>
        public void ScaleAndNorth(float legendBottom)
        {
            var box = layout.Legend;
            using var font = new SKFont(options.Fonts.Regular, 13 * _u);
            using var ink = Fill(Ink);
            using var white = Fill(SKColors.White);
            using var outline = Line(Ink, 1);

            // Scale bar: a round length near 200 layout units, in two halves.
            double kmPerPixel = 1 / (layout.PixelsPerMetre * 1000);
            double km = NiceNumber(200 * _u * kmPerPixel);
            float len = (float)(km / kmPerPixel);
            float x0 = box.Left + 8 * _u, y0 = box.Bottom - 40 * _u, h = 8 * _u;
            canvas.DrawRect(new SKRect(x0, y0, x0 + len / 2, y0 + h), ink);
            canvas.DrawRect(new SKRect(x0 + len / 2, y0, x0 + len, y0 + h), white);
            canvas.DrawRect(new SKRect(x0, y0, x0 + len, y0 + h), outline);
            canvas.DrawText("0", x0, y0 + h + 16 * _u, SKTextAlign.Center, font, ink);
            canvas.DrawText(_t.N(km / 2), x0 + len / 2, y0 + h + 16 * _u, SKTextAlign.Center, font, ink);
            canvas.DrawText(_t.N(km) + " km", x0 + len, y0 + h + 16 * _u, SKTextAlign.Center, font, ink);

            // North arrow: true north at the map's centre (LAEA grid north is rotated off the central meridian).
            var (dx, dy) = scene.NorthStep(scene.Extent.Centre.X, scene.Extent.Centre.Y);
            float angle = (float)(Math.Atan2(dx, dy) * 180 / Math.PI);
            var centre = new SKPoint(box.Right - 36 * _u, box.Bottom - 56 * _u);
            canvas.Save();
            canvas.RotateDegrees(angle, centre.X, centre.Y);
            using var builder = new SKPathBuilder();
            builder.MoveTo(centre.X, centre.Y - 26 * _u);
            builder.LineTo(centre.X + 11 * _u, centre.Y + 14 * _u);
            builder.LineTo(centre.X, centre.Y + 6 * _u);
            builder.LineTo(centre.X - 11 * _u, centre.Y + 14 * _u);
            builder.Close();
            using var arrow = builder.Detach();
            canvas.DrawPath(arrow, ink);
            canvas.Restore();
            using var bold = new SKFont(options.Fonts.Bold, 15 * _u);
            canvas.DrawText("N", centre.X, centre.Y + 34 * _u, SKTextAlign.Center, bold, ink);
            _ = legendBottom;
        }

        public void Footer()
        {
            var r = scene.Result;
            using var font = new SKFont(options.Fonts.Regular, 12.5f * _u);
            using var grey = Fill(new SKColor(0x44, 0x44, 0x44));
            var lines = new List<string>();
            if (!string.IsNullOrWhiteSpace(r.Study.Sources))
                lines.AddRange(Wrap($"{_t.Sources} : {r.Study.Sources}".Replace(" : ", _t.French ? " : " : ": ", StringComparison.Ordinal), font, layout.Footer.Width).Take(2));
            lines.Add($"{_t.MadeWith(options.Version, options.Date)} · {_t.Projection(scene.Crs.ToString())}");
            float y = layout.Footer.Bottom - (lines.Count - 1) * 16 * _u - 4 * _u;
            foreach (var line in lines)
            {
                canvas.DrawText(line, layout.Footer.Left, y, SKTextAlign.Left, font, grey);
                y += 16 * _u;
            }
        }

        private static double NiceNumber(double x)
        {
            double p = Math.Pow(10, Math.Floor(Math.Log10(x)));
            double m = x / p;
            return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
        }

        private SKPaint OperatorPaint(int op, int count)
        {
            float width = Math.Max(1.6f, 1.6f + 1.2f * (count - 1 - op));
            return Line(OperatorColor(op), width, OperatorDash(op));
        }

        private void StrokeAll(IEnumerable<Geometry> geoms, SKPaint paint)
        {
            using (paint)
                foreach (var g in geoms)
                {
                    using var p = PathOf(g);
                    canvas.DrawPath(p, paint);
                }
        }

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
            using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
            for (int i = 0; i < g.NumGeometries; i++)
            {
                if (g.GetGeometryN(i) is not Polygon poly) continue;
                AddRing(path, poly.ExteriorRing);
                foreach (var hole in poly.InteriorRings) AddRing(path, hole);
            }
            return path.Detach();
        }

        private static SKPath RectPath(SKRect r)
        {
            using var path = new SKPathBuilder();
            path.AddRect(r, SKPathDirection.Clockwise);
            return path.Detach();
        }

        private void AddRing(SKPathBuilder path, LineString ring)
        {
            var seq = ring.CoordinateSequence;
            if (seq.Count < 3) return;
            path.MoveTo(layout.ToPixel(seq.GetX(0), seq.GetY(0)));
            for (int i = 1; i < seq.Count; i++) path.LineTo(layout.ToPixel(seq.GetX(i), seq.GetY(i)));
            path.Close();
        }

        private static SKPaint Fill(SKColor color) => new() { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };

        private SKPaint Line(SKColor color, float width, float[]? dash = null)
        {
            var p = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width * _u, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
            if (dash is { Length: > 0 }) p.PathEffect = SKPathEffect.CreateDash(dash.Select(v => v * _u).ToArray(), 0);
            return p;
        }

        private SKRect Inset(SKRect r, float by) => new(r.Left + by * _u, r.Top + by * _u, r.Right - by * _u, r.Bottom - by * _u);

        private static string Fit(string text, SKFont font, float width)
        {
            if (font.MeasureText(text) <= width) return text;
            while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
            return text.TrimEnd() + "…";
        }

        private static List<string> Wrap(string text, SKFont font, float width)
        {
            var lines = new List<string>();
            string current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string tryLine = current.Length == 0 ? word : current + " " + word;
                if (font.MeasureText(tryLine) <= width || current.Length == 0) current = tryLine;
                else
                {
                    lines.Add(current);
                    current = word;
                }
            }
            if (current.Length > 0) lines.Add(current);
            return lines;
        }
    }
}
