using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Loading;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>Sites on the fiches territoire: each operator's sites drawn where they are, in the operator's colour.</summary>
public sealed class FicheSitesPixelTests
{
    [Fact]
    public void FicheMap_SiteOfASitesOnlyOperator_IsDrawnAtItsProjectedPosition_InTheFourthOperatorColour_WithALegendEntry()
    {
        using var dir = new TempDirectory();
        string demo = Path.Combine(TestPaths.RepoRoot, "data", "demo").Replace("\\", "/", StringComparison.Ordinal);
        // One site at every commune's centroid, for a fourth operator with sites and no zones: its colour
        // (the fourth of the style, #cc79a7) is drawn by nothing else on the fiche (three operators have zones).
        using var communes = JsonDocument.Parse(File.ReadAllText(Path.Combine(demo, "communes.geojson")));
        var codes = communes.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()!).ToList();
        File.WriteAllText(dir.File("sieges.csv"), "code,nom\n" + string.Concat(codes.Select(c => $"{c},Siège {c}\n")));
        File.WriteAllText(dir.File("study.json"), $$"""
        {
          "name": "demo with sites",
          "cells": { "path": "{{demo}}/cells.geojson", "id": "code", "name": "nom" },
          "operators": [
            { "key": "ml", "path": "{{demo}}/missions_locales.geojson", "id": "code", "name": "nom" },
            { "key": "pe", "path": "{{demo}}/agences.geojson", "id": "code", "name": "nom" },
            { "key": "cap", "path": "{{demo}}/cap_emploi.geojson", "id": "code", "name": "nom" },
            { "key": "sg", "label": "Sièges", "sites": { "path": "sieges.csv", "id": "code", "name": "nom", "commune": "code" } }
          ],
          "weights": { "path": "{{demo}}/communes.geojson", "value": "population" }
        }
        """);
        var result = Analysis.Run(StudyFiles.Read(dir.File("study.json")), StudyFiles.LoadLayer, StudyFiles.LoadWeights, loadSites: StudyFiles.LoadSites);
        var scene = MapScene.Build(result);
        using var fonts = MapFiles.LoadFonts();
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01");

        // The cell holding the most communes, and the communes whose centroid lies inside it.
        var cells = scene.Layers[0];
        var centroids = scene.Units!.Select(u => u.Centroid).ToList();
        int cell = Enumerable.Range(0, cells.Count).MaxBy(c => centroids.Count(p => cells[c].Contains(p)));
        var spec = new MapSpec("fiche", MapKind.Territory, Cell: cell);
        using var png = new MemoryStream();
        var key = MapRenderer.WritePng(png, scene, spec, options);
        using var bitmap = SKBitmap.Decode(png.ToArray());
        var layout = new MapLayout(MapRenderer.Extent(scene, spec), MapLayout.ScreenWidth);

        int inCell = centroids.Count(p => cells[cell].Contains(p));
        Assert.Contains($"Lieux d'accueil : Sièges ({inCell} dans le territoire)", key.LegendLabels);
        var expected = new SKColor(0xcc, 0x79, 0xa7);
        var pixels = centroids.Select(p => layout.ToPixel(p.X, p.Y)).ToList();
        int checkedSites = 0;
        for (int u = 0; u < pixels.Count; u++)
        {
            var at = pixels[u];
            if (!cells[cell].Contains(centroids[u]) || !layout.Map.Contains(at)) continue;
            // Not under a name (drawn over the sites), nor where another site's white ring could reach.
            if (key.Labels.Any(l => l.Box.Contains(at.X, at.Y))) continue;
            if (pixels.Where((q, v) => v != u).Any(q => SKPoint.Distance(q, at) < 14)) continue;
            Assert.Equal(expected, bitmap.GetPixel((int)Math.Round(at.X), (int)Math.Round(at.Y)));
            checkedSites++;
        }
        Assert.True(checkedSites >= 3, $"only {checkedSites} sites could be checked");

        // And nowhere else: a pixel of that colour far from every site would be a site drawn in the wrong place.
        for (int x = (int)layout.Map.Left; x < layout.Map.Right; x += 3)
            for (int y = (int)layout.Map.Top; y < layout.Map.Bottom; y += 3)
                if (bitmap.GetPixel(x, y) == expected)
                    Assert.True(pixels.Any(q => SKPoint.Distance(q, new SKPoint(x, y)) < 10), $"site colour at ({x}, {y}), far from every site");
    }
}
