using System.Text.Json;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;

namespace CepGeo.Tests.Cli;

public class InspectValidateTests
{
    private static JsonElement InspectJson(params string[] files)
    {
        var run = CliRun.Of(["inspect", .. files, "--json"]);
        Assert.True(run.ExitCode == 0, run.Err);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    [Fact]
    public void Inspect_MissionsLocales_28Features_AreaOfTheCommunes_NoCoverageDefect()
    {
        var r = InspectJson(TestPaths.Shared("paca", "missions-locales-2025.geojson"))[0];
        Assert.Equal(28, r.GetProperty("features").GetInt32());
        Assert.Equal("EPSG:3035", r.GetProperty("area_crs").GetString());
        // Independent: the 947 communes, each projected and measured here.
        var communes = AnalyzeCommandTests.ReadGeoJson(TestPaths.Shared("paca", "communes.geojson"));
        Assert.Equal(947, communes.Count);
        var toLaea = Reprojector.Create(CrsRef.Wgs84Default, KnownCrs.Get("EPSG:3035"));
        double sum = communes.Sum(c => toLaea.Transform(c.Geometry).Area) / 1e6;
        Assert.InRange(r.GetProperty("area_km2").GetDouble(), sum * 0.9999, sum * 1.0001);
        Assert.False(r.GetProperty("coverage_defects").GetBoolean());
        Assert.Equal(0, r.GetProperty("overlaps").GetArrayLength());
        Assert.Equal(0, r.GetProperty("gaps").GetArrayLength());
        Assert.Equal(0, r.GetProperty("edges_not_matching").GetInt32());
    }

    [Fact]
    public void Inspect_Communes_NoNarrowGap_OneHoleTheEtangDeBerre()
    {
        var r = InspectJson(TestPaths.Shared("paca", "communes.geojson"))[0];
        Assert.Equal(947, r.GetProperty("features").GetInt32());
        Assert.Equal(0, r.GetProperty("gaps").GetArrayLength());
        var hole = Assert.Single(r.GetProperty("holes").EnumerateArray());
        Assert.InRange(hole.GetProperty("area_km2").GetDouble(), 150, 160);
        // The lake lies between Martigues, Istres and Marignane.
        Assert.InRange(hole.GetProperty("lon").GetDouble(), 4.95, 5.25);
        Assert.InRange(hole.GetProperty("lat").GetDouble(), 43.38, 43.56);
        var bbox = r.GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(bbox[0], 4.2, 4.3);
        Assert.InRange(bbox[3], 45.1, 45.2);
    }

    [Fact]
    public void Inspect_DemoCapEmploi_FindsItsOverlap()
    {
        var r = InspectJson(Path.Combine(TestPaths.RepoRoot, "data", "demo", "cap_emploi.geojson"))[0];
        Assert.True(r.GetProperty("coverage_defects").GetBoolean());
        var biggest = r.GetProperty("overlaps")[0];
        Assert.InRange(biggest.GetProperty("area_km2").GetDouble(), 4.9, 5.4);
        Assert.Equal(2, biggest.GetProperty("feature_ids").GetArrayLength());
    }

    [Fact]
    public void Inspect_HumanTable_SaysWhatItFound()
    {
        var run = CliRun.Of("inspect", TestPaths.Shared("paca", "departements.geojson"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("6 (", run.Out, StringComparison.Ordinal);
        Assert.Contains("EPSG:3035", run.Out, StringComparison.Ordinal);
        Assert.Contains("aucun défaut de couverture", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_ExitsTwoNamingIt()
    {
        var run = CliRun.Of("inspect", "/nonexistent/zones.geojson");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("zones.geojson", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Paca_CanBeAnalysed()
    {
        var run = CliRun.Of("validate", Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json"), "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        var layers = JsonDocument.Parse(run.Out).RootElement.GetProperty("layers");
        Assert.Equal(["cells", "ml", "bmo", "cap", "weights"], layers.EnumerateObject().Select(p => p.Name));
        Assert.Equal(22, layers.GetProperty("cells").GetProperty("features").GetInt32());
    }

    [Fact]
    public void Validate_StudyWithAnUnknownKey_ExitsTwoNamingTheField()
    {
        string dir = Directory.CreateTempSubdirectory("cepgeo-validate-").FullName;
        try
        {
            string study = Path.Combine(dir, "study.json");
            File.WriteAllText(study, $$"""
                { "cells": { "path": "{{TestPaths.Shared("paca", "ze2020.geojson").Replace("\\", "/", StringComparison.Ordinal)}}", "id": "zone_code" },
                  "operators": [ { "key": "ml", "lable": "x", "path": "a.geojson" } ] }
                """);
            var run = CliRun.Of("validate", study);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("operators[0].lable", run.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
