using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Tests.Cli;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Zones;

/// <summary><c>cepgeo zones build</c> as a user runs it, on hand-made files and on the real PACA and France lists.</summary>
public sealed class ZonesBuildCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cepgeo-zones-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text, bool bom = false)
    {
        string path = Path.Combine(_dir, name);
        var bytes = Encoding.UTF8.GetBytes(text);
        System.IO.File.WriteAllBytes(path, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return path;
    }

    /// <summary>Three 0.1° squares side by side near Marseille, codes with leading zeros.</summary>
    private string HandMadeCommunes() => File("communes.geojson", $$"""
        {"type": "FeatureCollection", "features": [
          {{Square("04001", 0)}}, {{Square("04002", 1)}}, {{Square("2A004", 2)}} ]}
        """);

    private static string Square(string code, int i)
    {
        string ring = FormattableString.Invariant(
            $"[[{5 + 0.1 * i}, 43], [{5.1 + 0.1 * i}, 43], [{5.1 + 0.1 * i}, 43.1], [{5 + 0.1 * i}, 43.1], [{5 + 0.1 * i}, 43]]");
        string pop = (10 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "{\"type\": \"Feature\", \"properties\": {\"code\": \"" + code + "\", \"pop\": " + pop
            + "}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [" + ring + "]}}";
    }

    private static Layer ReadZones(string path, string idField = "zone_code") =>
        LayerReader.Read(path, new LayerOptions(Path.GetFileName(path), idField, null));

    /// <summary>Areas in km² in the project's equal-area projection (EPSG:3035), by feature id.</summary>
    private static Dictionary<string, double> AreasKm2(Layer layer)
    {
        var project = Reprojector.Create(layer.Crs, KnownCrs.Get(KnownCrs.LaeaEurope));
        return layer.Features.ToDictionary(f => f.Id, f => project.Transform(f.Geometry).Area / 1e6);
    }

    [Fact]
    public void HandMadeList_SemicolonsBomAndLeadingZeros_BuildsZones_AndExits3ForTheUnknownCode()
    {
        string communes = HandMadeCommunes();
        string list = File("list.csv", "commune_code;zone_code;zone_name\r\n04001;Z1;\"Zone; un\"\r\n04002;Z1;\"Zone; un\"\r\n2A004;Z2;Sud\r\n04999;Z2;Sud\r\n", bom: true);
        string output = Path.Combine(_dir, "zones.geojson");

        var run = CliRun.Of("zones", "build", "--communes", communes, "--code-field", "code", "--members", list,
            "--member-code", "commune_code", "--zone-code", "zone_code", "--zone-name", "zone_name", "--weights", "pop", "--out", output);

        Assert.Equal(3, run.ExitCode);
        var zones = ReadZones(output);
        Assert.Equal(["Z1", "Z2"], zones.Features.Select(f => f.Id));
        var z1 = zones.Features[0];
        Assert.Equal("Zone; un", z1.Attributes["zone_name"]);
        Assert.Equal(2.0, z1.Attributes["communes"]);
        Assert.Equal(30.0, z1.Attributes["pop"]);
        // One polygon, written as a MultiPolygon of one: the layer has one geometry type (issue 26).
        Assert.Equal(1, Assert.IsType<MultiPolygon>(z1.Geometry).NumGeometries);
        Assert.Equal(0.02, z1.Geometry.Area, 9);
        string match = System.IO.File.ReadAllText(Path.Combine(_dir, "zones.match.csv"));
        Assert.StartsWith("kind,code,zone_code,resolved_to,detail\n", match, StringComparison.Ordinal);
        Assert.Contains("unmatched_code,04999,Z2,,", match, StringComparison.Ordinal);
        Assert.Contains("04999", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ListInWindows1252_KeepsItsAccents_AndOneLineNamesTheEncoding()
    {
        string list = Path.Combine(_dir, "liste.csv");
        System.IO.File.WriteAllBytes(list, CepGeo.Core.Loading.TextEncodings.Windows1252.GetBytes(
            "commune_code;zone_code;zone_name\r\n04001;Z1;Fréjus\r\n04002;Z1;Fréjus\r\n2A004;Z2;Sud\r\n"));
        string output = Path.Combine(_dir, "zones.geojson");

        var run = CliRun.Of("zones", "build", "--communes", HandMadeCommunes(), "--code-field", "code", "--members", list,
            "--member-code", "commune_code", "--zone-code", "zone_code", "--zone-name", "zone_name", "--out", output);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("Fréjus", ReadZones(output).Features[0].Attributes["zone_name"]);
        Assert.Contains("liste.csv lu en Windows-1252 (pas UTF-8)", run.Out.Split('\n').Select(l => l.Trim()));
        Assert.DoesNotContain("communes.geojson lu en", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedSeparators_AreAnInputError_NamingTheLine()
    {
        string list = File("list.csv", "commune_code,zone_code\n04001,Z1\n04002;Z1\n");
        var run = CliRun.Of("zones", "build", "--communes", HandMadeCommunes(), "--members", list, "--out", Path.Combine(_dir, "z.geojson"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("list.csv : la ligne 3 emploie ';' comme séparateur mais l'en-tête emploie ','", run.Err, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(Path.Combine(_dir, "z.geojson")));
    }

    [Fact]
    public void ExistingOutput_IsRefusedWithoutForce()
    {
        string list = File("list.csv", "commune_code,zone_code\n04001,Z1\n04002,Z1\n2A004,Z1\n");
        string output = File("z.geojson", "{}");
        var run = CliRun.Of("zones", "build", "--communes", HandMadeCommunes(), "--members", list, "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--force", run.Err, StringComparison.Ordinal);
        var forced = CliRun.Of("zones", "build", "--communes", HandMadeCommunes(), "--members", list, "--out", output, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Single(ReadZones(output).Features);
    }

    [Fact]
    public void Paca_MissionsLocales_RebuildTheTwentyEightPublishedZones()
    {
        string output = Path.Combine(_dir, "ml.geojson");
        var run = CliRun.Of("zones", "build",
            "--communes", TestPaths.Shared("paca", "communes.geojson"), "--code-field", "code",
            "--members", TestPaths.Shared("paca", "missions-locales-2025-communes.csv"),
            "--member-code", "commune_code", "--zone-code", "zone_code", "--zone-name", "zone_name",
            "--weights", "population_2026",
            // The list is of 2025, the map of 2018: Ristolas (05120) has since merged into Abriès (05001).
            "--crosswalk", TestPaths.Shared("france", "crosswalk-communes-2018-to-2026.csv"),
            "--from-field", "commune_code_2018", "--to-field", "commune_code_2026",
            "--out", output);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);

        var published = ReadZones(TestPaths.Shared("paca", "missions-locales-2025.geojson"));
        var built = ReadZones(output);
        Assert.Equal(28, published.Features.Count);
        Assert.Equal(published.Features.Select(f => f.Id).Order(), built.Features.Select(f => f.Id).Order());
        var expected = AreasKm2(published);
        foreach (var (code, area) in AreasKm2(built))
            Assert.True(Math.Abs(area - expected[code]) <= 1e-6 * expected[code], $"{code}: {area} km² built, {expected[code]} km² published");
        foreach (var f in published.Features)
        {
            var mine = built.Features.Single(b => b.Id == f.Id);
            Assert.Equal(f.Attributes["population_2026"], mine.Attributes["population_2026"]);
            Assert.Equal(f.Attributes["zone_name"], mine.Attributes["zone_name"]);
        }

        var match = System.IO.File.ReadAllLines(Path.Combine(_dir, "ml.match.csv"));
        var arrondissements = match.Where(l => l.StartsWith("arrondissement,", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(13201, 16).Select(n => $"arrondissement,{n},13201,13055,"),
            arrondissements.Select(l => string.Join(',', l.Split(',').Take(4)) + ","));
        Assert.Contains(match, l => l.StartsWith("crosswalk,05001,05061,05120,", StringComparison.Ordinal));
        Assert.DoesNotContain(match, l => l.StartsWith("unmatched_code,", StringComparison.Ordinal) || l.StartsWith("unassigned_commune,", StringComparison.Ordinal));
    }

    [Fact]
    public void Paca_WithoutCrosswalk_ReportsRistolasInNoZone_AndStillExits0()
    {
        string output = Path.Combine(_dir, "ml.geojson");
        var run = CliRun.Of("zones", "build", "--communes", TestPaths.Shared("paca", "communes.geojson"),
            "--members", TestPaths.Shared("paca", "missions-locales-2025-communes.csv"), "--out", output);
        Assert.Equal(0, run.ExitCode);
        var unassigned = System.IO.File.ReadAllLines(Path.Combine(_dir, "ml.match.csv"))
            .Where(l => l.StartsWith("unassigned_commune,", StringComparison.Ordinal)).ToList();
        Assert.Equal("05120", Assert.Single(unassigned).Split(',')[1]);

        // Gap = exactly Ristolas: the published zone minus the built one.
        var communes = LayerReader.Read(TestPaths.Shared("paca", "communes.geojson"), new LayerOptions("communes", "code", null));
        double ristolas = AreasKm2(communes)["05120"];
        double published = AreasKm2(ReadZones(TestPaths.Shared("paca", "missions-locales-2025.geojson")))["05061"];
        double built = AreasKm2(ReadZones(output))["05061"];
        Assert.Equal(published, built + ristolas, published * 1e-6);
    }

    [Fact]
    public void France_EmploymentZones_ThroughTheCrosswalk_ListEveryUnmatchedCode_AndMatchThePublishedAreas()
    {
        string list = TestPaths.Shared("france", "ze2020-communes.csv");
        string map = TestPaths.Shared("france", "communes-2018.geojson");
        string crosswalkPath = TestPaths.Shared("france", "crosswalk-communes-2018-to-2026.csv");
        string output = Path.Combine(_dir, "ze.geojson");
        var run = CliRun.Of("zones", "build", "--communes", map, "--members", list, "--zone-name", "zone_name",
            "--crosswalk", crosswalkPath, "--from-field", "commune_code_2018", "--to-field", "commune_code_2026", "--out", output);
        Assert.True(run.ExitCode == 3, run.Out + run.Err);

        // Expectations from the tables alone, with plain set logic.
        var rows = CsvRows(list);
        var cw = CsvRows(crosswalkPath).Select(r => (From: r["commune_code_2018"], To: r["commune_code_2026"])).ToList();
        var communes = LayerReader.Read(map, new LayerOptions("communes", "code", null));
        var mapCodes = communes.Features.Select(f => f.Id).ToHashSet();
        var cwCodes = cw.SelectMany(p => new[] { p.From, p.To }).ToHashSet();
        var listCodes = rows.Select(r => r["commune_code"]).ToHashSet();
        var expectedUnmatched = listCodes.Where(c => !mapCodes.Contains(c) && !cwCodes.Contains(c)).Order().ToList();
        Assert.Equal(130, expectedUnmatched.Count); // 129 overseas communes and Sannerville (14666), re-established in 2023
        // A 2018 commune is reached when it, or the commune it became, or one it merged with, is listed.
        var groupOf = cw.ToDictionary(p => p.From, p => p.To);
        var listedGroups = cw.Where(p => listCodes.Contains(p.From)).Select(p => p.To).Concat(listCodes).ToHashSet();
        var expectedUnassigned = mapCodes.Where(m => !listCodes.Contains(m) && !listedGroups.Contains(groupOf[m])).Order().ToList();
        int metropolitanZones = rows.Where(r => !r["dep"].StartsWith("97", StringComparison.Ordinal)).Select(r => r["zone_code"]).Distinct().Count();

        var match = CsvRows(Path.Combine(_dir, "ze.match.csv"));
        Assert.Equal(expectedUnmatched, match.Where(r => r["kind"] == "unmatched_code").Select(r => r["code"]).Order());
        Assert.All(match.Where(r => r["kind"] == "unmatched_code"), r => Assert.Contains("not in communes-2018.geojson", r["detail"], StringComparison.Ordinal));
        Assert.Equal(expectedUnassigned, match.Where(r => r["kind"] == "unassigned_commune").Select(r => r["code"]).Order());

        var built = ReadZones(output);
        Assert.Equal(287, metropolitanZones);
        Assert.Equal(metropolitanZones, built.Features.Count);

        // Published zones were dissolved from each 2018 commune's own ze_code, which three communes lack
        // (60455, 60694, 69101: merged after 2023 into communes that changed code). Ours differ from them
        // exactly by those the list reaches through the crosswalk: each goes to the zone of a listed code
        // of its 2026 commune.
        var publishedAreas = AreasKm2(ReadZones(TestPaths.Shared("france", "ze2020.geojson"), "ze_code"));
        var communeAreas = AreasKm2(communes);
        var zoneOfListed = rows.ToDictionary(r => r["commune_code"], r => r["zone_code"]);
        var withoutZone = communes.Features.Where(f => (string?)f.Attributes["ze_code"] is null or "").Select(f => f.Id).ToList();
        Assert.Equal(["60455", "60694", "69101"], withoutZone.Order());
        var extra = withoutZone.Where(m => !expectedUnassigned.Contains(m))
            .GroupBy(m => cw.First(p => p.To == groupOf[m] && zoneOfListed.ContainsKey(p.From)).From)
            .ToDictionary(g => zoneOfListed[g.Key], g => g.Sum(m => communeAreas[m]));
        Assert.Equal(["8421"], extra.Keys); // Jarnioux, in Porte des Pierres Dorées (69159), in the Lyon zone
        foreach (var (code, area) in AreasKm2(built))
        {
            double expected = publishedAreas[code] + extra.GetValueOrDefault(code);
            Assert.True(Math.Abs(area - expected) <= 1e-6 * expected, $"{code}: {area} km² built, {expected} km² expected");
        }
    }

    private static List<Dictionary<string, string>> CsvRows(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        var table = CsvTable.Read(stream, Path.GetFileName(path));
        return table.Rows.Select(r => table.Header.Select((h, i) => (h, r.Fields[i])).ToDictionary(p => p.h, p => p.Item2)).ToList();
    }
}

public sealed class ZoneListStudyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cepgeo-zones-study-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Study_WithACommuneListOperator_AnalysesItLikeThePublishedPolygons_AndKeepsTheMatchReport()
    {
        static string J(string path) => System.Text.Json.JsonSerializer.Serialize(path);
        string study = Path.Combine(_dir, "study.json");
        File.WriteAllText(study, $$"""
            { "name": "PACA from lists",
              "cells": { "path": {{J(TestPaths.Shared("paca", "ze2020.geojson"))}}, "id": "zone_code" },
              "operators": [
                { "key": "ml", "members": {{J(TestPaths.Shared("paca", "missions-locales-2025-communes.csv"))}},
                  "communes": {{J(TestPaths.Shared("paca", "communes.geojson"))}}, "codeField": "code",
                  "memberCode": "commune_code", "zoneCode": "zone_code", "zoneName": "zone_name",
                  "crosswalk": {{J(TestPaths.Shared("france", "crosswalk-communes-2018-to-2026.csv"))}},
                  "fromField": "commune_code_2018", "toField": "commune_code_2026" },
                { "key": "published", "path": {{J(TestPaths.Shared("paca", "missions-locales-2025.geojson"))}}, "id": "zone_code" } ] }
            """);
        string output = Path.Combine(_dir, "out");

        var run = CliRun.Of("analyze", study, "--out", output);

        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var root = summary.RootElement;
        var ml = root.GetProperty("operators").GetProperty("ml");
        var published = root.GetProperty("operators").GetProperty("published");
        Assert.Equal(28, ml.GetProperty("zones").GetInt32());
        // The same 28 polygons: the same alignment against the employment zones.
        Assert.Equal(published.GetProperty("alignment").GetDouble(), ml.GetProperty("alignment").GetDouble(), 9);
        var load = root.GetProperty("load").EnumerateArray()
            .Where(e => e.GetProperty("layer").GetString() == "missions-locales-2025-communes.csv over communes.geojson").ToList();
        Assert.Equal(Enumerable.Range(13201, 16).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            load.Where(e => e.GetProperty("kind").GetString() == "arrondissement").Select(e => e.GetProperty("feature").GetString()));
        Assert.Contains(load, e => e.GetProperty("kind").GetString() == "crosswalk" && e.GetProperty("feature").GetString() == "05001");
    }
}
