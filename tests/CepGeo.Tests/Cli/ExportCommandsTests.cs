using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using CepGeo.Core.Reporting;
using Microsoft.Data.Sqlite;
using MiniExcelLibs;

namespace CepGeo.Tests.Cli;

/// <summary>
/// results.xlsx and results.gpkg from <c>plan score</c> and <c>design</c> on PACA (a study with sites), as
/// GDAL (QGIS's reader) lists them: every sheet and layer, row counts equal to the CSVs the same run wrote,
/// the site figures re-measured on the new perimeters.
/// </summary>
public sealed class ExportCommandsTests : IClassFixture<ExportCommandsTests.PacaRuns>
{
    private static readonly string Paca = Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json");

    /// <summary>
    /// plan score (today's cells as a plan, and a plan with three more perimeters) and design nest, once;
    /// analyze's tables are the shared PACA analyze's (<see cref="PacaAnalyzeOutput"/>: its maps change no table).
    /// </summary>
    public sealed class PacaRuns : IDisposable
    {
        public PacaRuns()
        {
            Root = Directory.CreateTempSubdirectory("cepgeo-exports-").FullName;
            string plan = Path.Combine(Root, "plan.csv");
            FromCells = CliRun.Of("plan", "from-cells", Paca, "--out", plan);
            Today = CliRun.Of("plan", "score", Paca, "--plan", plan, "--out", Dir("today"));
            // Every 50th commune to one of three new perimeters: 25 perimeters for 22 cells.
            var lines = File.ReadAllLines(plan);
            var split = new List<string> { "unit_id,perimeter_id" };
            for (int i = 1; i < lines.Length; i++)
            {
                var f = lines[i].Split(',');
                split.Add(f[0] + "," + ((i - 1) % 50 == 0 ? "NEW" + ((i - 1) / 50 % 3).ToString(CultureInfo.InvariantCulture) : f[1]));
            }
            string split25 = Path.Combine(Root, "split.csv");
            File.WriteAllLines(split25, split);
            Split = CliRun.Of("plan", "score", Paca, "--plan", split25, "--out", Dir("split"));
            Nest = CliRun.Of("design", "nest", Paca, "--out", Dir("nest"));
        }

        public string Root { get; }

        public string Dir(string name) => Path.Combine(Root, name);

        /// <summary>analyze's run and its folder.</summary>
        internal CliRun Analyze => PacaAnalyzeOutput.Run;

        public string AnalyzeDir => PacaAnalyzeOutput.Dir;
        internal CliRun FromCells { get; }
        internal CliRun Today { get; }
        internal CliRun Split { get; }
        internal CliRun Nest { get; }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private readonly PacaRuns _runs;

    public ExportCommandsTests(PacaRuns runs) => _runs = runs;

    private static string Ogrinfo(params string[] args) => AnalyzeCommandTests.Ogrinfo(args);

    private static List<Dictionary<string, string>> Csv(string dir, string name) => TestCsv.Read(Path.Combine(dir, name));

    private static int FeatureCount(string file, string layer)
    {
        var m = System.Text.RegularExpressions.Regex.Match(Ogrinfo("-so", file, layer), @"Feature Count: (\d+)\n");
        Assert.True(m.Success, $"{file} {layer}: no feature count");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void PlanScore_WorkbookListsEverySheetInGdal_RowsEqualTheCsvs()
    {
        Assert.True(_runs.Split.ExitCode == 0, _runs.Split.Err);
        string dir = _runs.Dir("split"), xlsx = Path.Combine(dir, ResultsWorkbook.FileName);
        Assert.Contains(xlsx, _runs.Split.Out, StringComparison.Ordinal);
        string layers = Ogrinfo(xlsx);
        string[] sheets = ["Synthèse", "Cellules", "Paires", "Zones", "Sites", "Plan"];
        for (int i = 0; i < sheets.Length; i++)
            Assert.Contains($"{i + 1}: {sheets[i]} (None)\n", layers, StringComparison.Ordinal);
        var cells = Csv(dir, "cells.csv");
        Assert.Equal(cells.Count, FeatureCount(xlsx, "Cellules"));
        Assert.Equal(Csv(dir, "pairs.csv").Count, FeatureCount(xlsx, "Paires"));
        Assert.Equal(Csv(dir, "zones.csv").Count, FeatureCount(xlsx, "Zones"));
        Assert.Equal(cells.Count(r => r["sites"] != ""), FeatureCount(xlsx, "Sites"));
        var perimeters = Csv(dir, "perimeters.csv");
        Assert.Equal(25, perimeters.Count);
        Assert.Equal(perimeters.Count, FeatureCount(xlsx, "Plan"));
        // GDAL reads the headings from the first row and the codes as text.
        string plan = Ogrinfo("-so", xlsx, "Plan");
        Assert.Contains("Périmètre (code): String", plan, StringComparison.Ordinal);
        Assert.Contains("Surface (km²): Real", plan, StringComparison.Ordinal);
        Assert.Contains("D'un seul tenant: Integer(Boolean)", plan, StringComparison.Ordinal);
        string zones = Ogrinfo(xlsx, "-sql", "SELECT \"Zone d'intervention (code)\" FROM Zones WHERE \"Opérateur\" = 'cap' AND \"Couche des territoires\" = 'cells'");
        Assert.Contains("(String) = 04\n", zones, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanScore_GeoPackage_HoldsThePerimetersTable_SitesLayers_AndSiteColumns()
    {
        Assert.True(_runs.Split.ExitCode == 0, _runs.Split.Err);
        string dir = _runs.Dir("split"), gpkg = Path.Combine(dir, GeoPackageWriter.FileName);
        string layers = Ogrinfo(gpkg);
        foreach (var layer in new[] { "cells (Multi Polygon)", "gaps (Multi Polygon)", "zones_ml (Multi Polygon)", "sites_ml (Point)", "sites_bmo (Point)", "perimeters (None)" })
            Assert.Contains(layer, layers, StringComparison.Ordinal);
        Assert.DoesNotContain("sites_cap", layers, StringComparison.Ordinal);
        Assert.Equal(25, FeatureCount(gpkg, "cells"));
        Assert.Equal(Csv(dir, "perimeters.csv").Count, FeatureCount(gpkg, "perimeters"));
        Assert.Equal(Csv(dir, "pairs.csv").Count, FeatureCount(gpkg, "pairs"));
        Assert.Equal(Csv(dir, "cells.csv").Count, FeatureCount(gpkg, "cells_metrics"));
        // One point per Mission locale of the list (28 rows), each at its commune.
        Assert.Equal(TestCsv.Read(TestPaths.Shared("paca", "missions-locales-2025.csv")).Count, FeatureCount(gpkg, "sites_ml"));
        string cells = Ogrinfo("-so", gpkg, "cells");
        Assert.Contains("ml_sites: Integer (", cells, StringComparison.Ordinal);
        Assert.Contains("ml_dist_mean_km: Real", cells, StringComparison.Ordinal);
        Assert.Contains("bmo_pop_beyond_share: Real", cells, StringComparison.Ordinal);
        // QGIS opens the sites with the maps' markers: Missions locales (1st operator) blue circles, bassins BMO (2nd) orange squares.
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT f_table_name, styleQML FROM layer_styles WHERE f_table_name LIKE 'sites_%' AND useAsDefault ORDER BY f_table_name";
            using var reader = cmd.ExecuteReader();
            var styles = new Dictionary<string, XDocument>();
            while (reader.Read()) styles[reader.GetString(0)] = XDocument.Parse(reader.GetString(1));
            Assert.Equal(["sites_bmo", "sites_ml"], styles.Keys.Order(StringComparer.Ordinal));
            string Option(string layer, string name) => styles[layer].Descendants("Option").Single(o => (string?)o.Attribute("name") == name).Attribute("value")!.Value;
            Assert.Equal("0,114,178,255", Option("sites_ml", "color"));
            Assert.Equal("circle", Option("sites_ml", "name"));
            Assert.Equal("213,94,0,255", Option("sites_bmo", "color"));
            Assert.Equal("square", Option("sites_bmo", "name"));
        }
        string points = Ogrinfo("-so", gpkg, "sites_bmo");
        Assert.Contains("Geometry: Point\n", points, StringComparison.Ordinal);
        Assert.Contains("site_id: String", points, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanScore_SiteFiguresOnNewPerimeters_AddUpToTodays()
    {
        Assert.True(_runs.Split.ExitCode == 0, _runs.Split.Err);
        Assert.Equal(0, _runs.Analyze.ExitCode);
        // Sites and residents are only regrouped: over the territory, the sites counted in a cell, the
        // people beyond beyondKm and the people × mean distance are the same for 25 perimeters as for 22 cells.
        var today = Csv(_runs.AnalyzeDir, "cells.csv").Where(r => r["cell_layer"] == "cells" && r["sites"] != "").ToList();
        var split = Csv(_runs.Dir("split"), "cells.csv").Where(r => r["cell_layer"] == "cells" && r["sites"] != "").ToList();
        Assert.Equal(2 * 22, today.Count);
        Assert.Equal(2 * 25, split.Count);
        foreach (var op in new[] { "ml", "bmo" })
        {
            double Sum(List<Dictionary<string, string>> rows, Func<Dictionary<string, string>, double> f) => rows.Where(r => r["operator"] == op).Sum(f);
            Assert.Equal(Sum(today, r => D(r["sites"])), Sum(split, r => D(r["sites"])));
            double beyond = Sum(today, r => D(r["pop_beyond"]));
            Assert.True(beyond > 0);
            Assert.Equal(beyond, Sum(split, r => D(r["pop_beyond"])), beyond * 1e-9);
            double km = Sum(today, r => D(r["pop"]) * D(r["dist_mean_km"]));
            Assert.Equal(km, Sum(split, r => D(r["pop"]) * D(r["dist_mean_km"])), km * 1e-9);
        }
        // A new perimeter's site figures are its own: NEW0's population beyond is not a today's cell's.
        var gpkg = Path.Combine(_runs.Dir("split"), GeoPackageWriter.FileName);
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT ml_pop_beyond, ml_dist_p90_km FROM cells WHERE cell_id = 'NEW0'";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        var row = split.Single(r => r["operator"] == "ml" && r["cell_id"] == "NEW0");
        Assert.Equal(D(row["pop_beyond"]), reader.GetDouble(0));
        Assert.Equal(D(row["dist_p90_km"]), reader.GetDouble(1));
    }

    [Fact]
    public void PlanScore_TodaysCellsAsAPlan_SiteColumnsEqualAnalyze()
    {
        Assert.True(_runs.FromCells.ExitCode == 0, _runs.FromCells.Err);
        Assert.True(_runs.Today.ExitCode == 0, _runs.Today.Err);
        // PACA's employment zones are unions of its communes: the plan's cells.csv is analyze's, site columns included.
        var want = File.ReadAllLines(Path.Combine(_runs.AnalyzeDir, "cells.csv")).Order(StringComparer.Ordinal);
        var got = File.ReadAllLines(Path.Combine(_runs.Dir("today"), "cells.csv")).Order(StringComparer.Ordinal);
        Assert.Equal(want, got);
    }

    [Fact]
    public void DesignNest_WorkbookAndGeoPackage_HoldTheDesignTables_RowsEqualTheCsvs()
    {
        Assert.True(_runs.Nest.ExitCode == 0, _runs.Nest.Err);
        string dir = _runs.Dir("nest"), xlsx = Path.Combine(dir, ResultsWorkbook.FileName), gpkg = Path.Combine(dir, GeoPackageWriter.FileName);
        Assert.Contains(gpkg, _runs.Nest.Out, StringComparison.Ordinal);
        Assert.Equal(["Synthèse", "Cellules", "Paires", "Zones", "Sites", "Proposition", "Mouvements", "Liaisons"], MiniExcel.GetSheetNames(xlsx));
        foreach (var (sheet, table, csv) in new[] { ("Proposition", "design", "design.csv"), ("Mouvements", "moves", "moves.csv"), ("Liaisons", "glue", "glue.csv") })
        {
            int rows = Csv(dir, csv).Count;
            Assert.True(rows > 0, csv);
            Assert.Equal(rows, FeatureCount(xlsx, sheet));
            Assert.Equal(rows, FeatureCount(gpkg, table));
        }
        // The perimeters are the cells layer: as many as design.geojson's features.
        int perimeters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "design.geojson"))).RootElement.GetProperty("features").GetArrayLength();
        Assert.Equal(perimeters, FeatureCount(gpkg, "cells"));
        string design = Ogrinfo("-so", gpkg, "design");
        Assert.Contains("perimeter_id: String", design, StringComparison.Ordinal);
        Assert.Contains("misfit_after: Real", design, StringComparison.Ordinal);
        Assert.Contains("partners_after: Integer (", design, StringComparison.Ordinal);
        Assert.Contains("coterminous_after: Integer(Boolean)", design, StringComparison.Ordinal);
        Assert.Contains("moved: Integer(Boolean)", Ogrinfo("-so", gpkg, "moves"), StringComparison.Ordinal);
    }

    [Fact]
    public void Workbook_PartsAreInTheDefaultNamespace_TextCellsInline()
    {
        var table = new ResultTables.Table("zones", ["zone_id", "zone_name", "area_km2"], [ColumnType.Text, ColumnType.Text, ColumnType.Real],
            [["04049", "  espaces gardés ", 12.5], ["2A004", "", 0.25]]);
        var s = new MemoryStream();
        ResultsWorkbook.Write(s, [table]);
        s.Position = 0;
        using var zip = new ZipArchive(s, ZipArchiveMode.Read);
        XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            using var text = new StreamReader(entry.Open());
            string xml = text.ReadToEnd();
            // GDAL matches "row", "c", "sheet", "numFmt" by their written names: no "x:" prefix anywhere.
            Assert.DoesNotContain("<x:", xml, StringComparison.Ordinal);
        }
        var sheet = XDocument.Load(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open());
        var cells = sheet.Descendants(x + "c").ToDictionary(c => (string)c.Attribute("r")!);
        Assert.Equal("inlineStr", (string?)cells["A2"].Attribute("t"));
        Assert.Equal("04049", cells["A2"].Element(x + "is")!.Element(x + "t")!.Value);
        Assert.Equal("  espaces gardés ", cells["B2"].Element(x + "is")!.Element(x + "t")!.Value);
        Assert.Equal("12.5", cells["C2"].Element(x + "v")!.Value);
        Assert.DoesNotContain(sheet.Descendants(x + "c"), c => (string?)c.Attribute("t") == "str");
        s.Position = 0;
        var back = MiniExcel.Query(s, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["04049", "2A004"], back.Select(r => r["Zone d'intervention (code)"]));
        Assert.Equal("  espaces gardés ", back[0]["Zone d'intervention"]);
    }
}
