using CepGeo.Cli.Commands;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// A hand-made study whose cell B is in the darkest misfit class: two cells side by side (A = 5.0–5.2°E,
/// B = 5.2–5.4°E) and three zones (Z1 = 5.0–5.2667°E, Z2 up to 5.3333°E, Z3 up to 5.6°E). B holds a third of
/// each zone: S1 = 1/3 (Z1's part) + 0 (Z2 inside) + 1/3 (Z3's part) and S2 = 1 − 1/3, so its misfit is 2/3
/// (class 0.5–1); A lies inside Z1 (misfit 0). Its label and its boundary must read over the dark red.
/// </summary>
public sealed class DarkClassPixelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cepgeo-darkclass-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static string Box(string id, string name, double w, double e) =>
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"" + id + "\",\"nom\":\"" + name + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        + FormattableString.Invariant($"[[[{w},45.0],[{e},45.0],[{e},45.1],[{w},45.1],[{w},45.0]]]") + "}}";

    private AnalysisResult Study()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "cells.geojson"), $$"""{"type":"FeatureCollection","features":[{{Box("A", "Alpha", 5.0, 5.2)}},{{Box("B", "Bravo", 5.2, 5.4)}}]}""");
        File.WriteAllText(Path.Combine(_dir, "zones.geojson"), $$"""{"type":"FeatureCollection","features":[{{Box("Z1", "Zone un", 5.0, 5.2 + 0.2 / 3)}},{{Box("Z2", "Zone deux", 5.2 + 0.2 / 3, 5.2 + 0.4 / 3)}},{{Box("Z3", "Zone trois", 5.2 + 0.4 / 3, 5.6)}}]}""");
        File.WriteAllText(Path.Combine(_dir, "study.json"), """
            { "name": "Classe sombre", "cells": { "path": "cells.geojson", "id": "code", "name": "nom" },
              "operators": [ { "key": "op", "label": "Réseau", "path": "zones.geojson", "id": "code", "name": "nom" } ] }
            """);
        string study = Path.Combine(_dir, "study.json");
        return Analysis.Run(StudyFiles.Read(study), StudyFiles.LoadLayer, StudyFiles.LoadWeights);
    }

    private static (SKBitmap Bitmap, MapLayout Layout, MapKey Key, MapScene Scene) Render(AnalysisResult r)
    {
        using var fonts = MapFiles.LoadFonts();
        var scene = MapScene.Build(r);
        var spec = new MapSpec("misfit-op", MapKind.Misfit, "op");
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", Names: new DisplayNames(r));
        using var png = new MemoryStream();
        var key = MapRenderer.WritePng(png, scene, spec, options);
        return (SKBitmap.Decode(png.ToArray()), new MapLayout(MapRenderer.Extent(scene, spec), MapLayout.ScreenWidth), key, scene);
    }

    private static bool Ink(SKColor c) => c.Red < 110 && c.Green < 110 && c.Blue < 110;

    private static bool White(SKColor c) => c.Red > 215 && c.Green > 215 && c.Blue > 215;

    [Fact]
    public void DarkestClass_CellLabel_HasInkOnAWhiteHalo_AndSaysTheValue()
    {
        var r = Study();
        var b = r.Comparisons[0].Cells.Single(m => m.CellId == "B");
        // Lon/lat boxes projected to an equal-area plane: thirds of a degree band to 1e-4.
        Assert.Equal(2.0 / 3, b.Misfit, 3);
        Assert.Equal(MisfitClasses.Count - 1, MisfitClasses.ClassOf(b.Misfit));
        var (bitmap, _, key, _) = Render(r);
        using (bitmap)
        {
            var label = key.Labels.Single(l => l.Text.StartsWith("Bravo", StringComparison.Ordinal));
            Assert.Equal("Bravo\n0,67", label.Text);
            int ink = 0, white = 0, dark = 0;
            var darkest = MisfitClasses.Colors[^1];
            for (int y = (int)label.Box.Top; y < (int)label.Box.Bottom; y++)
                for (int x = (int)label.Box.Left; x < (int)label.Box.Right; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (Ink(c)) ink++;
                    else if (White(c)) white++;
                    else if (c == darkest) dark++;
                }
            // Letters, the halo around them, and the darkest class showing between them.
            Assert.True(ink > 40, $"{ink} ink pixels in the label");
            Assert.True(white > 40, $"{white} halo pixels in the label");
            Assert.True(dark > 20, $"{dark} pixels of the darkest class around the label");
            // Just outside the label: the class colour, not a white box.
            Assert.Equal(darkest, bitmap.GetPixel((int)label.Box.MidX, (int)label.Box.Bottom + 12));
        }
    }

    [Fact]
    public void DarkestClass_CellBoundary_IsInkOnAWhiteHaloOnTheDarkSide()
    {
        var r = Study();
        var (bitmap, layout, _, scene) = Render(r);
        using (bitmap)
        {
            var cellB = scene.Layers[0][1];
            var env = cellB.EnvelopeInternal;
            // A row a quarter of the way up, away from the label in the middle.
            double y = env.MinY + env.Height / 4;
            var row = cellB.Factory.CreateLineString([new Coordinate(env.MinX - env.Width, y), new Coordinate(env.MaxX + env.Width, y)]);
            var crossing = row.Intersection(cellB.Boundary).Coordinates.MinBy(c => c.X)!;
            var px = layout.ToPixel(crossing.X, crossing.Y);
            int bx = (int)Math.Round(px.X), by = (int)Math.Round(px.Y);
            bool inkAtLine = Enumerable.Range(bx - 2, 5).Any(x => Ink(bitmap.GetPixel(x, by)));
            bool haloOnDarkSide = Enumerable.Range(bx + 1, 3).Any(x => White(bitmap.GetPixel(x, by)));
            Assert.True(inkAtLine, $"no ink at the A|B boundary near x = {px.X}");
            Assert.True(haloOnDarkSide, $"no white halo on B's side of the boundary near x = {px.X}");
            Assert.Equal(MisfitClasses.Colors[^1], bitmap.GetPixel(bx + 12, by));
            Assert.Equal(MisfitClasses.Colors[0], bitmap.GetPixel(bx - 12, by));
        }
    }

    /// <summary>
    /// How wide a line is where a row of pixels crosses it near <paramref name="x"/>: the longest run of pixels nearer the
    /// line's colour than the white halo and the fill, over the rows of a band (dashes leave some rows without the line).
    /// </summary>
    private static int LineWidth(SKBitmap bitmap, float x, IEnumerable<int> rows, SKColor line, SKColor fill)
    {
        static int D(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
        int widest = 0;
        foreach (int y in rows)
        {
            int run = 0;
            for (int px = (int)x - 8; px <= (int)x + 8; px++)
            {
                var c = bitmap.GetPixel(px, y);
                bool onLine = D(c, line) < D(c, SKColors.White) && D(c, line) < D(c, fill);
                run = onLine ? run + 1 : 0;
                widest = Math.Max(widest, run);
            }
        }
        return widest;
    }

    /// <summary>
    /// On the misfit map and on cell B's fiche, the cell boundary A|B (5.2°E, no zone boundary there) is drawn wider than
    /// the zone boundary Z1|Z2 (5.2667°E, inside B, over the darkest class on the misfit map).
    /// </summary>
    [Theory]
    [InlineData(MapKind.Misfit)]
    [InlineData(MapKind.Territory)]
    public void CellLine_IsWiderThanTheZoneLine(MapKind kind)
    {
        var r = Study();
        using var fonts = MapFiles.LoadFonts();
        var scene = MapScene.Build(r);
        var spec = kind == MapKind.Misfit ? new MapSpec("misfit-op", MapKind.Misfit, "op") : new MapSpec("fiche-B", MapKind.Territory, Cell: 1);
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", Names: new DisplayNames(r));
        using var png = new MemoryStream();
        MapRenderer.WritePng(png, scene, spec, options);
        using var bitmap = SKBitmap.Decode(png.ToArray());
        var layout = new MapLayout(MapRenderer.Extent(scene, spec), MapLayout.ScreenWidth);
        var cellB = scene.Layers[0][1];
        var env = cellB.EnvelopeInternal;
        // A band a quarter of the way up B, away from the labels; x of the two boundaries from the zones' own geometry.
        double y0 = env.MinY + env.Height / 4;
        int row = (int)Math.Round(layout.ToPixel(env.MinX, y0).Y);
        var rows = Enumerable.Range(row - 15, 30).ToList();
        // Where the row crosses B's west side and Z1's east side (projected, both lean a little).
        var line = cellB.Factory.CreateLineString([new Coordinate(env.MinX - env.Width, y0), new Coordinate(env.MaxX + env.Width, y0)]);
        float cellX = layout.ToPixel(line.Intersection(cellB.Boundary).Coordinates.MinBy(c => c.X)!.X, y0).X;
        float zoneX = layout.ToPixel(line.Intersection(scene.Layers[1][0].Boundary).Coordinates.MaxBy(c => c.X)!.X, y0).X;
        Assert.True(zoneX - cellX > 40, $"the two boundaries are {zoneX - cellX} px apart");
        var zoneColor = kind == MapKind.Misfit ? MapRenderer.ZoneLine : MisfitClasses.Sk(PlannerStyle.OperatorColor(0));
        var behindZone = kind == MapKind.Misfit ? MisfitClasses.Colors[^1] : MapRenderer.CellFill;
        int cell = LineWidth(bitmap, cellX, rows, MapRenderer.CellLine, behindZone);
        int zone = LineWidth(bitmap, zoneX, rows, zoneColor, behindZone);
        Assert.True(zone >= 1, $"no zone line found at x = {zoneX}");
        Assert.True(cell > zone, $"cell line {cell} px, zone line {zone} px: the cell must read wider");
        // Widths as drawn: 3.2 and 1.6 layout units at 1 px a unit.
        Assert.InRange(cell, 3, 5);
        Assert.InRange(zone, 1, 2);
    }

    [Fact]
    public void Legend_ListsNoGapNoDoubleCoverage_WhenTheMapHasNone()
    {
        var r = Study();
        var (bitmap, _, key, _) = Render(r);
        bitmap.Dispose();
        Assert.DoesNotContain(key.LegendLabels, l => l.Contains("Zone blanche", StringComparison.Ordinal));
        Assert.DoesNotContain(key.LegendLabels, l => l.Contains("Double couverture", StringComparison.Ordinal));
        Assert.DoesNotContain(key.LegendLabels, l => l.Contains("misfit", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(key.LegendLabels, l => l.StartsWith("Désalignement en surface", StringComparison.Ordinal));
    }
}
