using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using CepGeo.Core.Reporting;
using CepGeo.Core.Rendering;
using Microsoft.Data.Sqlite;
using MiniExcelLibs;

namespace CepGeo.Tests.Cli;

/// <summary>
/// The typed exports of the PACA run as GDAL (an independent reader, the one QGIS uses) sees them:
/// CSV with .csvt, results.gpkg, results.xlsx.
/// </summary>
public sealed partial class AnalyzeCommandTests
{
    /// <summary>Runs ogrinfo read-only and returns what it printed (it must succeed and warn of nothing).</summary>
    internal static string Ogrinfo(params string[] args)
    {
        var psi = new ProcessStartInfo("ogrinfo", ["-ro", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ogrinfo {string.Join(' ', args)}: {stderr.Result}");
        Assert.Equal("", stderr.Result.Trim());
        return stdout;
    }

    [Fact]
    public void Paca_Csvs_KeepDepartementCodesAsText_AndRealsAsReal_InGdal()
    {
        string zones = Ogrinfo("-al", "-so", Path.Combine(_paca.Dir, "zones.csv"));
        Assert.Contains("zone_id: String", zones, StringComparison.Ordinal);
        Assert.Contains("main_share: Real", zones, StringComparison.Ordinal);
        Assert.Contains("cells: Integer (", zones, StringComparison.Ordinal);
        Assert.Contains("nested: Integer(Boolean)", zones, StringComparison.Ordinal);
        // Cap emploi zones are the départements 04, 05, 06, 13, 83, 84: 04 must not become 4.
        string cap = Ogrinfo(Path.Combine(_paca.Dir, "zones.csv"), "-sql",
            "SELECT zone_id FROM zones WHERE operator = 'cap' AND cell_layer = 'cells' ORDER BY zone_id");
        Assert.Contains("zone_id (String) = 04\n", cap, StringComparison.Ordinal);
        Assert.Contains("zone_id (String) = 05\n", cap, StringComparison.Ordinal);
        // Every coverage of PACA is 1 (no gaps): still a Real column, written 1.0.
        string cells = Ogrinfo("-al", "-so", Path.Combine(_paca.Dir, "cells.csv"));
        Assert.Contains("coverage: Real", cells, StringComparison.Ordinal);
        Assert.Contains(",1.0,", File.ReadAllText(Path.Combine(_paca.Dir, "cells.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Paca_GeoPackage_CellsAreMultiPolygonWithTypedColumns_InGdal()
    {
        string gpkg = Path.Combine(_paca.Dir, GeoPackageWriter.FileName);
        string layers = Ogrinfo(gpkg);
        foreach (var layer in new[] { "cells (Multi Polygon)", "gaps (Multi Polygon)", "zones_ml (Multi Polygon)", "zones_cap (Multi Polygon)", "pairs", "cells_metrics", "zones_metrics", "summary", "layer_styles" })
            Assert.Contains(layer, layers, StringComparison.Ordinal);
        string cells = Ogrinfo("-so", gpkg, "cells");
        Assert.Contains("Geometry: Multi Polygon\n", cells, StringComparison.Ordinal);
        Assert.Contains("Feature Count: 22\n", cells, StringComparison.Ordinal);
        Assert.Contains("EPSG\",4326", cells, StringComparison.Ordinal);
        Assert.Contains("cell_id: String", cells, StringComparison.Ordinal);
        Assert.Contains("ml_misfit: Real", cells, StringComparison.Ordinal);
        Assert.Contains("ml_pop_misfit: Real", cells, StringComparison.Ordinal);
        Assert.Contains("ml_partners: Integer (", cells, StringComparison.Ordinal);
        Assert.Contains("ml_aligned: Integer(Boolean)", cells, StringComparison.Ordinal);
        // The equal-area CRS the areas were measured in is declared too.
        string srs = Ogrinfo(gpkg, "-sql", "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 3035");
        Assert.Matches(@"organization \(String\) = EPSG\n\s*organization_coordsys_id \(Integer(64)?\) = 3035\n", srs);
        // The tables hold the CSVs' rows.
        string pairs = Ogrinfo("-so", gpkg, "pairs");
        Assert.Contains($"Feature Count: {_paca.Csv("pairs.csv").Count}\n", pairs, StringComparison.Ordinal);
    }

    [Fact]
    public void Paca_GeoPackage_ValuesEqualTheCsv_AndTheCellsStyleParses()
    {
        string gpkg = Path.Combine(_paca.Dir, GeoPackageWriter.FileName);
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        var csv = _paca.Csv("cells.csv").Where(r => r["cell_layer"] == "cells" && r["operator"] == "bmo")
            .ToDictionary(r => r["cell_id"], r => r);
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT cell_id, bmo_misfit, bmo_pop_misfit, bmo_partners, bmo_dominant_zone FROM cells";
            using var reader = cmd.ExecuteReader();
            int n = 0;
            while (reader.Read())
            {
                var row = csv[reader.GetString(0)];
                Assert.Equal(D(row["misfit"]), reader.GetDouble(1));
                Assert.Equal(D(row["pop_misfit"]), reader.GetDouble(2));
                Assert.Equal(int.Parse(row["partners"], CultureInfo.InvariantCulture), reader.GetInt32(3));
                Assert.Equal(row["dominant_zone"], reader.GetString(4));
                n++;
            }
            Assert.Equal(22, n);
        }
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT styleQML FROM layer_styles WHERE f_table_name = 'cells' AND useAsDefault";
            var qml = XDocument.Parse((string)cmd.ExecuteScalar()!);
            var renderer = qml.Root!.Element("renderer-v2")!;
            Assert.Equal("graduatedSymbol", (string?)renderer.Attribute("type"));
            Assert.Equal("ml_pop_misfit", (string?)renderer.Attribute("attr"));
            var ranges = renderer.Element("ranges")!.Elements("range").ToList();
            // QGIS ranges hold their upper bound: each stops just below the style's next break (0.05 is in class 2).
            Assert.Equal([.. PlannerStyle.Misfit.Breaks.Select(Math.BitDecrement), 1.0], ranges.Select(r => D((string)r.Attribute("upper")!)));
            var colors = renderer.Element("symbols")!.Elements("symbol")
                .Select(s => s.Descendants("Option").First(o => (string?)o.Attribute("name") == "color").Attribute("value")!.Value).ToList();
            Assert.Equal(["255,255,178,255", "254,204,92,255", "253,141,60,255", "240,59,32,255", "189,0,38,255"], colors);
            Assert.Equal("cell_name", (string?)qml.Root.Descendants("text-style").Single().Attribute("fieldName"));
            cmd.CommandText = "SELECT styleQML FROM layer_styles WHERE f_table_name = 'gaps'";
            var gaps = XDocument.Parse((string)cmd.ExecuteScalar()!);
            Assert.Equal(["gap", "double_coverage", "straddle", "outside"],
                gaps.Descendants("category").Select(c => (string)c.Attribute("value")!));
        }
    }

    [Fact]
    public void Paca_GeoPackage_GapsAreGapsGeojsonsFeatures_KindsByName_GeometriesXy()
    {
        string gpkg = Path.Combine(_paca.Dir, GeoPackageWriter.FileName);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_paca.Dir, "gaps.geojson")));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT defect_id, kind, geom FROM gaps ORDER BY fid";
        using var reader = cmd.ExecuteReader();
        int n = 0;
        while (reader.Read())
        {
            var f = features[n++];
            // The same features in the same order, the kind spelled as in gaps.geojson and the gaps layer's QGIS categories.
            Assert.Equal(f.GetProperty("id").GetString(), reader.GetString(0));
            Assert.Equal(f.GetProperty("properties").GetProperty("kind").GetString(), reader.GetString(1));
            Assert.Contains(reader.GetString(1), new[] { "gap", "double_coverage", "straddle", "outside" });
            // The blob: "GP", little-endian with an xy envelope (flags 0b011), SRS 4326, then WKB MultiPolygon (6: xy, as the layer's z = 0, m = 0 say).
            var blob = (byte[])reader["geom"];
            Assert.Equal((byte)'G', blob[0]);
            Assert.Equal((byte)'P', blob[1]);
            Assert.Equal(3, blob[3]);
            Assert.Equal(4326, BitConverter.ToInt32(blob, 4));
            Assert.Equal(6u, BitConverter.ToUInt32(blob, 41));
            // The header's envelope is the lon/lat box of the shells gaps.geojson writes rounded to 1e-6.
            var shells = f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(p => p[0]).SelectMany(r => r.EnumerateArray()).ToList();
            double[] box = [BitConverter.ToDouble(blob, 8), BitConverter.ToDouble(blob, 16), BitConverter.ToDouble(blob, 24), BitConverter.ToDouble(blob, 32)];
            Assert.Equal(shells.Min(c => c[0].GetDouble()), box[0], 6e-7);
            Assert.Equal(shells.Max(c => c[0].GetDouble()), box[1], 6e-7);
            Assert.Equal(shells.Min(c => c[1].GetDouble()), box[2], 6e-7);
            Assert.Equal(shells.Max(c => c[1].GetDouble()), box[3], 6e-7);
        }
        Assert.Equal(features.Count, n);
        Assert.True(n > 0);
        reader.Close();
        // A point layer's extent is its sites' box (the blobs' envelopes make it).
        cmd.CommandText = "SELECT c.min_x, c.max_x, c.min_y, c.max_y, MIN(s.lon), MAX(s.lon), MIN(s.lat), MAX(s.lat) FROM gpkg_contents c, sites_ml s WHERE c.table_name = 'sites_ml'";
        using var extent = cmd.ExecuteReader();
        Assert.True(extent.Read());
        for (int i = 0; i < 4; i++) Assert.Equal(extent.GetDouble(i + 4), extent.GetDouble(i));
        // GDAL reads them as plain 2D MultiPolygons (the blobs once carried NaN z and m: MULTIPOLYGON ZM).
        Assert.Contains("MULTIPOLYGON (((", Ogrinfo("-q", gpkg, "-sql", "SELECT * FROM gaps LIMIT 1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Paca_Workbook_HasTheFourSheetsAndSites_AndDepartementCodesStayText()
    {
        string xlsx = Path.Combine(_paca.Dir, ResultsWorkbook.FileName);
        Assert.Equal(["Synthèse", "Cellules", "Paires", "Zones", "Sites"], MiniExcel.GetSheetNames(xlsx));
        // GDAL (QGIS's reader) lists every sheet, with the French headings and the codes as text.
        Assert.Equal("1: Synthèse (None)\n2: Cellules (None)\n3: Paires (None)\n4: Zones (None)\n5: Sites (None)\n",
            string.Concat(Ogrinfo(xlsx).Split('\n').Where(l => l.Length > 0 && char.IsDigit(l[0])).Select(l => l + "\n")));
        string zones = Ogrinfo("-so", xlsx, "Zones");
        Assert.Contains($"Feature Count: {_paca.Csv("zones.csv").Count}\n", zones, StringComparison.Ordinal);
        Assert.Contains("Zone d'intervention (code): String", zones, StringComparison.Ordinal);
        Assert.Contains("Surface (km²): Real", zones, StringComparison.Ordinal);
        string sites = Ogrinfo("-so", xlsx, "Sites");
        Assert.Contains($"Feature Count: {_paca.Csv("cells.csv").Count(r => r["sites"] != "")}\n", sites, StringComparison.Ordinal);
        Assert.Contains("Habitants à plus de 20 km: ", sites, StringComparison.Ordinal);
        Assert.Contains("Distance moyenne au lieu d'accueil le plus proche (km): Real", sites, StringComparison.Ordinal);
        var rows = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Zones").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(_paca.Csv("zones.csv").Count, rows.Count);
        Assert.Contains(rows, r => Equals(r["Zone d'intervention (code)"], "04"));
        Assert.All(rows, r => Assert.IsType<double>(r["Surface (km²)"]));
        var cells = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Cellules").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(_paca.Csv("cells.csv").Count, cells.Count);
    }

    [Fact]
    public void Workbook_CodeWithLeadingZero_IsATextCell_AndNumbersAreNumbers()
    {
        var table = new ResultTables.Table("zones", ["zone_id", "area_km2", "cells", "nested"],
            [ColumnType.Text, ColumnType.Real, ColumnType.Integer, ColumnType.Boolean],
            [["04049", 12.5, 3, true], ["=1+1", 0.1, 0, false]]);
        var s = new MemoryStream();
        ResultsWorkbook.Write(s, [table]);
        s.Position = 0;
        using var zip = new ZipArchive(s, ZipArchiveMode.Read);
        XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var sheet = XDocument.Load(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open());
        var cells = sheet.Descendants(x + "c").ToDictionary(c => (string)c.Attribute("r")!);
        // A2 is the code: a string cell (not a number that would read 4049), A3 a name that looks like a formula: no <f>.
        Assert.NotEqual("n", (string?)cells["A2"].Attribute("t") ?? "n");
        Assert.Empty(sheet.Descendants(x + "f"));
        Assert.Null(cells["B2"].Attribute("t"));
        Assert.Equal(12.5, D(cells["B2"].Element(x + "v")!.Value));
        Assert.Equal("b", (string?)cells["D2"].Attribute("t"));
        // The header row is frozen.
        Assert.Equal("frozen", (string?)sheet.Descendants(x + "pane").Single().Attribute("state"));
        s.Position = 0;
        var back = MiniExcel.Query(s, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("04049", back[0]["Zone d'intervention (code)"]);
        Assert.Equal("'=1+1", back[1]["Zone d'intervention (code)"]);
    }
}
