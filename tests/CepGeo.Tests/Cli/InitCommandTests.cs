using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary><c>cepgeo init</c> on held-out layers: field names no test or rule was written against.</summary>
public class InitCommandTests
{
    /// <summary>Copies a PACA layer with its properties renamed (and the zones' counts kept, as decoys).</summary>
    private static string Renamed(TempDirectory dir, string file, string newName, Dictionary<string, string> renames)
    {
        var doc = JsonNode.Parse(File.ReadAllText(TestPaths.Shared("paca", file)))!;
        foreach (var feature in doc["features"]!.AsArray())
        {
            var props = feature!["properties"]!.AsObject();
            var copy = new JsonObject();
            foreach (var (key, value) in props.ToList())
                copy[renames.GetValueOrDefault(key, key)] = value?.DeepClone();
            feature["properties"] = copy;
        }
        string path = dir.File(newName);
        File.WriteAllText(path, doc.ToJsonString());
        return path;
    }

    [Fact]
    public void Init_HeldOutLayers_NoTerminal_WritesTheStudyAHandWouldWrite_SameAnalysis()
    {
        using var dir = new TempDirectory();
        // Zones keep their population and commune count under other names: unique numbers that must lose to the codes.
        string cells = Renamed(dir, "ze2020.geojson", "zones-emploi.geojson",
            new() { ["zone_code"] = "codgeo", ["zone_name"] = "libgeo", ["population_2026"] = "pop_totale", ["nb_communes"] = "nbcom" });
        string ml = Renamed(dir, "missions-locales-2025.geojson", "ml.geojson",
            new() { ["zone_code"] = "id_structure", ["zone_name"] = "denomination", ["population_2026"] = "population", ["nb_communes"] = "communes_count" });
        string bmo = Renamed(dir, "bassins-bmo.geojson", "bassins.geojson",
            new() { ["zone_code"] = "bassin", ["zone_name"] = "nom_bassin", ["population_2026"] = "habitants" });
        string cap = Renamed(dir, "departements.geojson", "cap.geojson",
            new() { ["zone_code"] = "dep", ["zone_name"] = "intitule", ["population_2026"] = "habitants" });
        string communes = Renamed(dir, "communes.geojson", "communes.geojson",
            new() { ["code"] = "insee_com", ["nom"] = "nom_com", ["population_2026"] = "pmun_2026" });

        string auto = dir.File("auto/study.json");
        var init = CliRun.Of("init", "--cells", cells, "--operator", $"ml={ml}", "--operator", $"bmo={bmo}", "--operator", $"cap={cap}",
            "--weights", communes, "--out", auto);
        Assert.True(init.ExitCode == 0, init.Err + init.Out);
        Assert.Contains("L'étude peut être analysée", init.Out, StringComparison.Ordinal);

        var study = JsonDocument.Parse(File.ReadAllText(auto)).RootElement;
        Assert.Equal("codgeo", study.GetProperty("cells").GetProperty("id").GetString());
        Assert.Equal("libgeo", study.GetProperty("cells").GetProperty("name").GetString());
        var ops = study.GetProperty("operators").EnumerateArray().ToDictionary(o => o.GetProperty("key").GetString()!);
        Assert.Equal(("id_structure", "denomination"), (ops["ml"].GetProperty("id").GetString(), ops["ml"].GetProperty("name").GetString()));
        Assert.Equal(("bassin", "nom_bassin"), (ops["bmo"].GetProperty("id").GetString(), ops["bmo"].GetProperty("name").GetString()));
        Assert.Equal(("dep", "intitule"), (ops["cap"].GetProperty("id").GetString(), ops["cap"].GetProperty("name").GetString()));
        Assert.Equal("pmun_2026", study.GetProperty("weights").GetProperty("value").GetString());
        Assert.Equal("../ml.geojson", ops["ml"].GetProperty("path").GetString());
        Assert.False(string.IsNullOrWhiteSpace(study.GetProperty("sources").GetString()));
        Assert.Equal("Ml", ops["ml"].GetProperty("label").GetString());

        // The study a person would write by hand for the same files (data/paca/study.json, fields renamed).
        string hand = dir.File("hand/study.json");
        Directory.CreateDirectory(Path.GetDirectoryName(hand)!);
        File.WriteAllText(hand, """
            {
              "name": "PACA à la main",
              "cells": { "path": "../zones-emploi.geojson", "id": "codgeo", "name": "libgeo", "label": "Zones d'emploi 2020" },
              "operators": [
                { "key": "ml", "label": "Missions locales 2025", "path": "../ml.geojson", "id": "id_structure", "name": "denomination" },
                { "key": "bmo", "label": "Bassins BMO", "path": "../bassins.geojson", "id": "bassin", "name": "nom_bassin" },
                { "key": "cap", "label": "Cap emploi", "path": "../cap.geojson", "id": "dep", "name": "intitule" }
              ],
              "weights": { "path": "../communes.geojson", "value": "pmun_2026", "label": "Population 2026" }
            }
            """);
        foreach (var (studyFile, outDir) in new[] { (auto, dir.File("out-auto")), (hand, dir.File("out-hand")) })
        {
            var run = CliRun.Of("analyze", studyFile, "--out", outDir, "--no-maps");
            Assert.True(run.ExitCode == 0, run.Err);
        }
        foreach (var table in new[] { "cells.csv", "pairs.csv", "zones.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(dir.File("out-hand"), table)), File.ReadAllText(Path.Combine(dir.File("out-auto"), table)));
        // Not trivially equal: 22 cells × 3 operators, then operator against operator (28 ML × 2, 17 basins × 1), and a header.
        Assert.Equal(1 + 22 * 3 + 28 * 2 + 17, File.ReadAllLines(Path.Combine(dir.File("out-auto"), "cells.csv")).Length);
    }

    [Fact]
    public void Init_ExistingStudy_RefusedWithoutForce_NothingOverwritten()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("study.json"), "mine");
        string demo = Path.Combine(TestPaths.RepoRoot, "data", "demo");
        var run = CliRun.Of("init", "--cells", Path.Combine(demo, "cells.geojson"), "--operator", "ml=" + Path.Combine(demo, "missions_locales.geojson"),
            "--out", dir.File("study.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--force", run.Err, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(dir.File("study.json")));
    }

    [Fact]
    public void Validate_MisspelledWeightsField_ExitCode2_NamesTheField_Regression()
    {
        // Before issue 25, validate passed this study and analyze then rejected it.
        using var dir = new TempDirectory();
        string demo = Path.Combine(TestPaths.RepoRoot, "data", "demo").Replace("\\", "/", StringComparison.Ordinal);
        File.WriteAllText(dir.File("study.json"), $$"""
            {
              "cells": { "path": "{{demo}}/cells.geojson", "id": "code", "name": "nom" },
              "operators": [ { "key": "ml", "path": "{{demo}}/missions_locales.geojson", "id": "code", "name": "nom" } ],
              "weights": { "path": "{{demo}}/communes.geojson", "value": "populaton" }
            }
            """);
        var run = CliRun.Of("validate", dir.File("study.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("\"populaton\"", run.Err, StringComparison.Ordinal);
        Assert.Contains("population", run.Err.Replace("\"populaton\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

/// <summary>Defaults of the design commands (issue 25).</summary>
public class DesignDefaultsTests
{
    [Fact]
    public void DesignFolder_DefaultsBesideTheStudysAnalysis_Regression()
    {
        // Before: out/design-snap for every study, so a second study's design replaced the first's.
        Assert.Equal(Path.Combine("out", "paca", "design-snap"), CepGeo.Cli.Commands.DesignCommon.DefaultFolder("data/paca/study.json", "snap"));
        Assert.Equal(Path.Combine("out", "demo", "design-balance"), CepGeo.Cli.Commands.DesignCommon.DefaultFolder("data/demo/study.json", "balance"));
    }

    [Fact]
    public void Balance_WithoutMinPop_EveryPerimeterHoldsAtLeastAQuarterOfTheMean_Regression()
    {
        using var dir = new TempDirectory();
        var run = CliRun.Of("design", "balance", Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json"), "--count", "8", "--out", dir.Path, "--force");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("Plancher de population", run.Out, StringComparison.Ordinal);
        // design.csv: one row per perimeter and operator; pop_after is the perimeter's population.
        var rows = File.ReadAllLines(Path.Combine(dir.Path, "design.csv"));
        var head = rows[0].Split(',');
        int id = Array.IndexOf(head, "perimeter_id"), pop = Array.IndexOf(head, "pop_after");
        var pops = rows.Skip(1).Select(r => r.Split(',')).GroupBy(f => f[id])
            .Select(g => double.Parse(g.First()[pop], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(8, pops.Count);
        double total = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "data", "demo", "communes.geojson"))).RootElement
            .GetProperty("features").EnumerateArray().Sum(f => f.GetProperty("properties").GetProperty("population").GetDouble());
        // With no floor (--min-pop 0) the demo gives a perimeter of 5 110 people beside ones of 40 000 and more.
        Assert.All(pops, p => Assert.True(p >= Math.Floor(total / 8 / 4) - 1e-6, $"{p} < {total / 32}"));
        Assert.DoesNotContain("sous le plancher", run.Out, StringComparison.Ordinal);
    }
}
