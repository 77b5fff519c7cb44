using System.Text.Json;
using AngleSharp.Html.Parser;
using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Sites;

/// <summary>Sites as a user meets them: a study naming a CSV of sites, good and bad.</summary>
public class SitesCliTests
{
    private static string Study(TempDirectory dir, string sitesJson)
    {
        string paca = TestPaths.Shared("paca").Replace("\\", "/", StringComparison.Ordinal);
        string study = dir.File("study.json");
        File.WriteAllText(study, $$"""
        {
          "name": "sites",
          "cells": { "path": "{{paca}}/ze2020.geojson", "id": "zone_code", "name": "zone_name" },
          "operators": [
            { "key": "cap", "path": "{{paca}}/departements.geojson", "id": "zone_code", "name": "zone_name" },
            { "key": "ft", "label": "France Travail", "sites": {{sitesJson}} }
          ],
          "weights": { "path": "{{paca}}/communes.geojson", "value": "population_2026" }
        }
        """);
        return study;
    }

    [Fact]
    public void CsvSite_ProjectedCoordinates_IsOneLineNamingFileSiteAndProblem_Exit2()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("sites.csv"), "code;nom;lon;lat\nA1;Agence Gap;6,08;44,56\nB2;Agence Nice;1043000;6298000\n");
        var run = CliRun.Of("analyze", Study(dir, """{ "path": "sites.csv", "id": "code", "name": "nom" }"""), "--out", dir.File("out"), "--no-maps");
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sites.csv", line);
        Assert.Contains("B2 (line 3)", line);
        Assert.Contains("sort des bornes longitude/latitude", line);
        Assert.Contains("projetées", line);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void CsvSite_UnknownCommuneCode_IsAnError_Exit2()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ml.csv"), "ml_code,ml_name\n05061,ML Gap\n99999,ML nowhere\n");
        var run = CliRun.Of("analyze", Study(dir, """{ "path": "ml.csv", "id": "ml_code", "name": "ml_name", "commune": "ml_code" }"""), "--out", dir.File("out"), "--no-maps");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ml.csv", run.Err);
        Assert.Contains("\"99999\" ne correspond à aucune unité", run.Err);
    }

    [Fact]
    public void CommuneCentroidOutsideItsCommune_Hyeres_IsANoteOfTheLoadReport_AndTheSiteIsInNoCell()
    {
        // Hyères (83069): the mainland and the îles d'Hyères; the centroid of the whole lies in the sea, in no
        // employment zone. It is the one Missions locales head office of PACA in no cell (its code is right).
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ml.csv"), "ml_code,ml_name\n05061,ML Gap\n83069,ML Hyeres\n");
        var run = CliRun.Of("analyze", Study(dir, """{ "path": "ml.csv", "id": "ml_code", "name": "ml_name", "commune": "ml_code" }"""), "--out", dir.File("out"), "--no-maps");
        Assert.True(run.ExitCode == 0, run.Err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var note = Assert.Single(summary.RootElement.GetProperty("load").EnumerateArray(), i => i.GetProperty("layer").GetString() == "ml.csv");
        Assert.Equal("83069", note.GetProperty("feature").GetString());
        Assert.Equal("note", note.GetProperty("kind").GetString());
        string reason = note.GetProperty("reason").GetString()!;
        Assert.Contains("centroid of commune 83069 (Hyères), which lies outside the commune", reason);
        Assert.Contains("in no cell", reason);
        // The console says it too, in French by default.
        Assert.Contains("ml.csv : 83069 : placé au centroïde de la commune 83069 (Hyères), qui tombe hors de la commune", run.Out);
        Assert.Contains("hors de tout territoire", run.Out);
        // Of the two sites, only Gap's is counted in a cell.
        Assert.Equal(1, summary.RootElement.GetProperty("sites").GetProperty("ft").GetProperty("sites").GetInt32());
    }

    [Fact]
    public void Synthesis_NamesTheThreeCellsWithTheMostPeopleBeyond20Km_MostFirst()
    {
        // Two Missions locales sites only, Gap and Nice: Marseille's employment zone, the most populous and over
        // 100 km from both, must come first; the rest of the order is cells.csv's pop_beyond, read here.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ml.csv"), "ml_code,ml_name\n05061,ML Gap\n06088,ML Nice\n");
        string study = Study(dir, """{ "path": "ml.csv", "id": "ml_code", "name": "ml_name", "commune": "ml_code" }""");
        var r = Analysis.Run(StudyFiles.Read(study), StudyFiles.LoadLayer, StudyFiles.LoadWeights, loadSites: StudyFiles.LoadSites);
        using var html = new StringWriter();
        HtmlReport.Write(html, r, MapText.Fr, "test", "2026-01-01", []);
        var li = new HtmlParser().ParseDocument(html.ToString()).QuerySelector("li[data-sites='ft']");
        Assert.NotNull(li);
        string text = li.TextContent;
        var ft = Assert.Single(r.Sites);
        var names = r.Infos[0].Ids.Select((id, i) => (id, r.Infos[0].Names[i])).ToDictionary(x => x.id, x => x.Item2);
        var top = ft.Cells.OrderByDescending(c => c.PopBeyond).Take(3).Select(c => names[c.CellId]).ToList();
        Assert.Equal("Marseille", top[0]);
        Assert.StartsWith("France Travail : ", text, StringComparison.Ordinal);
        Assert.Contains("vivent à plus de 20 km à vol d'oiseau d'un lieu d'accueil, surtout dans : ", text, StringComparison.Ordinal);
        int at = text.IndexOf(" : Marseille (", StringComparison.Ordinal);
        Assert.True(at > 0, text);
        Assert.True(text.IndexOf(top[1] + " (", StringComparison.Ordinal) > at && text.IndexOf(top[2] + " (", StringComparison.Ordinal) > text.IndexOf(top[1] + " (", StringComparison.Ordinal), text);
        // The territory's total is the sum of its cells' (the cells tile it).
        double cellsSum = ft.Cells.Sum(c => c.PopBeyond!.Value), total = ft.Territory.PopBeyond!.Value;
        Assert.True(total > 0 && Math.Abs(cellsSum - total) <= 1e-9 * total, $"{cellsSum} against {total}");
    }

    [Fact]
    public void SitesOnlyOperator_AppendsSiteColumns_AndSummarySites()
    {
        using var dir = new TempDirectory();
        // Two sites: Gap (Hautes-Alpes) and Nice, decimal commas in a ';' file as a French spreadsheet writes them.
        File.WriteAllText(dir.File("sites.csv"), "code;nom;lon;lat\nA1;Agence Gap;6,08301;44,559659\nB2;Agence Nice;7,26;43,70\n");
        var run = CliRun.Of("analyze", Study(dir, """{ "path": "sites.csv", "id": "code", "name": "nom" }"""), "--out", dir.File("out"), "--no-maps");
        Assert.True(run.ExitCode == 0, run.Err);
        var lines = File.ReadAllLines(Path.Combine(dir.File("out"), "cells.csv"));
        Assert.EndsWith(",aligned,sites,sites_per_100k,dist_mean_km,dist_p90_km,pop_beyond,pop_beyond_share", lines[0]);
        // 22 cells × cap (zones, no sites: site columns empty) + 22 cells × ft (sites only: zone columns empty).
        Assert.Equal(1 + 22 + 22, lines.Length);
        var gap = lines.Single(l => l.StartsWith("cells,9310,", StringComparison.Ordinal) && l.Contains(",ft,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("1", gap[21]); // the Gap site lies in the Gap employment zone
        Assert.Equal("", gap[6]);   // no coverage: ft has no zones
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "summary.json")));
        var ft = summary.RootElement.GetProperty("sites").GetProperty("ft");
        Assert.Equal(2, ft.GetProperty("sites").GetInt32());
        Assert.Equal(20, summary.RootElement.GetProperty("tolerances").GetProperty("beyondKm").GetDouble());
    }
}
