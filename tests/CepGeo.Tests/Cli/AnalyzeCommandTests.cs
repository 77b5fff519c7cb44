using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CepGeo.Core.Projection;
using CepGeo.Core.Model;
using CepGeo.Tests.Viewer;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CepGeo.Tests.Cli;

/// <summary>The analyze command as a user meets it, on the demo and on the real PACA study.</summary>
[RunsLong]
public sealed partial class AnalyzeCommandTests : IClassFixture<AnalyzeCommandTests.PacaRun>, IClassFixture<DemoAnalyzeOutput>, IDisposable
{
    private readonly PacaRun _paca;
    private readonly DemoAnalyzeOutput _demo;
    private readonly string _tmp = Directory.CreateTempSubdirectory("cepgeo-analyze-").FullName;

    public AnalyzeCommandTests(PacaRun paca, DemoAnalyzeOutput demo) => (_paca, _demo) = (paca, demo);

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    /// <summary>The PACA study's analyze run, made once per test run (<see cref="PacaAnalyzeOutput"/>).</summary>
    public sealed class PacaRun
    {
        public string Dir => PacaAnalyzeOutput.Dir;

        internal CliRun Run => PacaAnalyzeOutput.Run;

        public List<Dictionary<string, string>> Csv(string name) => ReadCsv(Path.Combine(Dir, name));
    }

    internal static List<Dictionary<string, string>> ReadCsv(string path) => TestCsv.Read(path);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Paca_MissionLocaleByEmploymentZonePopulation_MatchesTheCommuneTable()
    {
        Assert.Equal(0, _paca.Run.ExitCode);
        // Independent truth: every PACA layer is a union of communes; sum the commune table.
        var expected = new Dictionary<(string Ml, string Ze), double>();
        foreach (var row in ReadCsv(TestPaths.Shared("paca", "communes.csv")))
        {
            var key = (row["ml_code"], row["ze_code"]);
            expected[key] = expected.GetValueOrDefault(key) + D(row["population_2026"]);
        }
        var pairs = _paca.Csv("pairs.csv").Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        Assert.Equal(expected.Count, pairs.Count);
        foreach (var p in pairs)
        {
            double want = expected[(p["zone_id"], p["cell_id"])];
            Assert.InRange(D(p["pop"]), want * 0.995, want * 1.005);
        }
    }

    [Fact]
    public void Paca_NineteenOfTwentyEightMissionsLocales_TouchMoreThanOneEmploymentZone()
    {
        var zones = _paca.Csv("zones.csv").Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        Assert.Equal(28, zones.Count);
        Assert.Equal(19, zones.Count(z => int.Parse(z["cells"], CultureInfo.InvariantCulture) > 1));
    }

    [Fact]
    public void Paca_EtangDeBerre_IsNotAGapOfAnyOperator()
    {
        // Layers dissolved from the same communes: no operator leaves any part of a cell uncovered,
        // and the lake (a hole in every layer) is outside every cell, so it cannot be a gap.
        var cells = _paca.Csv("cells.csv").Where(r => r["cell_layer"] == "cells").ToList();
        Assert.Equal(22 * 3, cells.Count);
        Assert.All(cells, c => Assert.Equal(0, D(c["gap_km2"])));
        var gaps = ReadGeoJson(Path.Combine(_paca.Dir, "gaps.geojson"));
        var etang = new GeometryFactory().CreatePoint(new Coordinate(5.10, 43.45));
        Assert.DoesNotContain(gaps, f => f.Geometry.Contains(etang));
        Assert.DoesNotContain(gaps, f => (string)f.Attributes["kind"] == "gap");
    }

    [Fact]
    public void Paca_PopulationIsConserved_AndTheSummaryHasEveryOperator()
    {
        double total = ReadCsv(TestPaths.Shared("paca", "communes.csv")).Sum(r => D(r["population_2026"]));
        var cells = _paca.Csv("cells.csv").Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        Assert.Equal(total, cells.Sum(c => D(c["pop"])), total * 1e-9);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_paca.Dir, "summary.json")));
        var ops = summary.RootElement.GetProperty("operators");
        Assert.Equal(["ml", "bmo", "cap"], ops.EnumerateObject().Select(o => o.Name));
        Assert.Equal("EPSG:3035", summary.RootElement.GetProperty("crs").GetString());
        Assert.Equal(3, summary.RootElement.GetProperty("operator_pairs").EnumerateObject().Count());
        double alignment = ops.GetProperty("ml").GetProperty("alignment").GetDouble();
        Assert.InRange(alignment, 0, 1);
        // Alignment is 1 − area-weighted mean misfit: recompute it from cells.csv.
        double sumA = cells.Sum(c => D(c["area_km2"]));
        Assert.Equal(1 - cells.Sum(c => D(c["misfit"]) * D(c["area_km2"])) / sumA, alignment, 12);
    }

    [Fact]
    public void Paca_GapReportAndCells_AreRfc7946_AndAreasMatchTheirGeometry()
    {
        var defects = ReadGeoJson(Path.Combine(_paca.Dir, "gaps.geojson"));
        Assert.NotEmpty(defects);
        var toLaea = Reprojector.Create(CrsRef.Wgs84Default, KnownCrs.Get("EPSG:3035"));
        foreach (var f in defects)
        {
            double area = toLaea.Transform(f.Geometry).Area / 1e6;
            double stated = Convert.ToDouble(f.Attributes["area_km2"], CultureInfo.InvariantCulture);
            Assert.InRange(area, stated * 0.999, stated * 1.001);
            AssertRightHandRule(f.Geometry);
            var env = f.Geometry.EnvelopeInternal;
            Assert.InRange(env.MinX, 4, 8);
            Assert.InRange(env.MinY, 42, 46);
        }
        foreach (var f in ReadGeoJson(Path.Combine(_paca.Dir, "cells.geojson")))
            AssertRightHandRule(f.Geometry);
    }

    [Fact]
    public void Paca_OutputsOpenInGdalWithoutWarnings()
    {
        foreach (var name in new[] { "gaps.geojson", "cells.geojson" })
        {
            var psi = new ProcessStartInfo("ogrinfo", ["-ro", "-al", "-so", Path.Combine(_paca.Dir, name)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            Assert.Equal("", stderr.Trim());
            // One geometry type per layer: MultiPolygon everywhere (mixed would read "Unknown (any)").
            Assert.Matches(@"Geometry: Multi Polygon\n", stdout);
            Assert.Matches(@"Feature Count: [1-9]", stdout);
            Assert.Contains("WGS 84", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Demo_ShowsTheCapEmploiGapAndDoubleCoverage()
    {
        // The demo's analyze with its maps, run once per test run and shared (DemoAnalyzeOutput).
        string outDir = _demo.Dir;
        var run = _demo.Run;
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("alignement", run.Out, StringComparison.Ordinal);
        var gaps = ReadGeoJson(Path.Combine(outDir, "gaps.geojson"));
        var capGap = Assert.Single(gaps, f => (string)f.Attributes["operator"] == "cap" && (string)f.Attributes["kind"] == "gap");
        var capDouble = Assert.Single(gaps, f => (string)f.Attributes["operator"] == "cap" && (string)f.Attributes["kind"] == "double_coverage");
        // The demo generator drew a ≈2.5 km² gap and a ≈5.1 km² overlap (measured in its own flat grid).
        Assert.InRange(Convert.ToDouble(capGap.Attributes["area_km2"], CultureInfo.InvariantCulture), 2.3, 2.7);
        Assert.InRange(Convert.ToDouble(capDouble.Attributes["area_km2"], CultureInfo.InvariantCulture), 4.9, 5.4);
        Assert.DoesNotContain(gaps, f => (string)f.Attributes["operator"] != "cap" && (string)f.Attributes["kind"] is "gap" or "double_coverage");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("slivers").GetProperty("count").GetInt32() > 10);
    }

    [Fact]
    public void Analyze_RefusesAFolderHoldingOtherFiles_UnlessForced()
    {
        string outDir = Path.Combine(_tmp, "mine");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "my notes");
        string study = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        var refused = CliRun.Of("analyze", study, "--out", outDir);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(_tmp, ".mine.tmp-*"));

        // Without maps from here on: the folder rules are the same, the maps only cost time (issue 28).
        var forced = CliRun.Of("analyze", study, "--out", outDir, "--force", "--no-maps");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(outDir, "gaps.geojson")));
        // A folder CepGeo wrote may be written again without --force.
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", Path.Combine(_tmp, "again"), "--no-maps").ExitCode);
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", Path.Combine(_tmp, "again"), "--no-maps").ExitCode);
    }

    [Fact]
    public void Analyze_TablesBoth_WritesJsonTablesWithTheCsvColumnsAndValues()
    {
        string outDir = Path.Combine(_tmp, "both");
        var run = CliRun.Of("analyze", Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json"), "--out", outDir,
            "--tables", "both", "--no-maps");
        Assert.True(run.ExitCode == 0, run.Err);
        foreach (var table in new[] { "pairs", "cells", "zones" })
        {
            var csv = ReadCsv(Path.Combine(outDir, table + ".csv"));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, table + ".json")));
            var rows = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(csv.Count, rows.Count);
            for (int i = 0; i < rows.Count; i++)
                foreach (var (column, text) in csv[i])
                {
                    var v = rows[i].GetProperty(column);
                    switch (v.ValueKind)
                    {
                        case JsonValueKind.Null: Assert.Equal("", text); break;
                        case JsonValueKind.Number: Assert.Equal(D(text), v.GetDouble()); break;
                        case JsonValueKind.True or JsonValueKind.False: Assert.Equal(text, v.GetBoolean() ? "true" : "false"); break;
                        default: Assert.Equal(text, v.GetString()); break;
                    }
                }
        }
        var jsonOnly = CliRun.Of("analyze", Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json"), "--out",
            Path.Combine(_tmp, "json"), "--tables", "json", "--no-maps");
        Assert.Equal(0, jsonOnly.ExitCode);
        Assert.False(File.Exists(Path.Combine(_tmp, "json", "pairs.csv")));
        Assert.True(File.Exists(Path.Combine(_tmp, "json", "pairs.json")));
        Assert.Equal(2, CliRun.Of("analyze", "--tables", "xml").ExitCode);
    }

    [Fact]
    public void Analyze_MissingLayerFile_IsAnInputErrorNamingIt()
    {
        string study = Path.Combine(_tmp, "study.json");
        File.WriteAllText(study, """{ "cells": { "path": "nope.geojson", "id": "code" }, "operators": [ { "key": "ml", "path": "ml.geojson" } ] }""");
        var run = CliRun.Of("analyze", study, "--out", Path.Combine(_tmp, "o"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.geojson", run.Err, StringComparison.Ordinal);
        Assert.Contains("cells.path", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_tmp, "o")));
    }

    private static void AssertRightHandRule(Geometry g)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            var p = (Polygon)g.GetGeometryN(i);
            Assert.True(NetTopologySuite.Algorithm.Orientation.IsCCW(p.ExteriorRing.CoordinateSequence), "exterior ring must be counter-clockwise");
            foreach (var h in p.InteriorRings)
                Assert.False(NetTopologySuite.Algorithm.Orientation.IsCCW(h.CoordinateSequence), "holes must be clockwise");
        }
    }

    internal static List<IFeature> ReadGeoJson(string path)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return [.. JsonSerializer.Deserialize<FeatureCollection>(File.ReadAllText(path), options)!];
    }
}
