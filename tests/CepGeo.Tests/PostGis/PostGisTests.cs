using System.Globalization;
using System.Text.Json.Nodes;
using CepGeo.Core.Loading;
using CepGeo.Tests.Cli;

namespace CepGeo.Tests.PostGis;

/// <summary>Studies read from and results written to a real PostGIS, in a private cluster started for these tests.</summary>
public sealed class PostGisTests : IClassFixture<PostGisCluster>, IDisposable
{
    private readonly PostGisCluster _pg;
    private readonly string _tmp = Directory.CreateTempSubdirectory("cepgeo-pgtest-").FullName;

    public PostGisTests(PostGisCluster pg) => _pg = pg;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private static string Demo(string file) => Path.Combine(TestPaths.RepoRoot, "data", "demo", file);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The demo study with its Missions locales layer read from a PostGIS table.</summary>
    private string StudyWithTable(string name, string table, string connection) => DemoStudy(name, (table, connection));

    /// <summary>The demo study (absolute paths), optionally with the Missions locales from a table and some operators left out.</summary>
    private string DemoStudy(string name, (string Table, string Connection)? ml, params string[] dropOperators)
    {
        var study = JsonNode.Parse(File.ReadAllText(Demo("study.json")))!.AsObject();
        foreach (var layer in new[] { study["cells"]!, study["weights"]! }.Concat(study["operators"]!.AsArray()!))
            layer!["path"] = Demo((string)layer["path"]!);
        var ops = study["operators"]!.AsArray();
        foreach (var drop in dropOperators) ops.Remove(ops.First(o => (string)o!["key"]! == drop));
        if (ml is var (table, connection))
        {
            var layer = ops.First(o => (string)o!["key"]! == "ml")!.AsObject();
            layer.Remove("path");
            layer["postgis"] = connection;
            layer["table"] = table;
        }
        string path = Path.Combine(_tmp, name + ".json");
        File.WriteAllText(path, study.ToJsonString());
        return path;
    }

    private static Dictionary<string, Dictionary<string, string>> Keyed(string csv, params string[] key) =>
        TestCsv.Read(csv).ToDictionary(r => string.Join("|", key.Select(k => r[k])));

    [Fact]
    public void StudyFromPostGisTable_GivesTheSameNumbersAsFromTheGeoJson()
    {
        PostGisCluster.Run("ogr2ogr", "-f", "PostgreSQL", _pg.Ogr, Demo("missions_locales.geojson"), "-nln", "ref.ml_4326",
            "-lco", "GEOMETRY_NAME=geom", "-lco", "SCHEMA=ref", "-overwrite");
        string fromFile = Path.Combine(_tmp, "file"), fromTable = Path.Combine(_tmp, "table");
        Assert.Equal(0, CliRun.Of("analyze", Demo("study.json"), "--out", fromFile, "--no-maps").ExitCode);
        var run = CliRun.Of("analyze", StudyWithTable("pg", "ref.ml_4326", _pg.Uri), "--out", fromTable, "--no-maps");
        Assert.True(run.ExitCode == 0, run.Err);

        var want = Keyed(Path.Combine(fromFile, "cells.csv"), "cell_layer", "cell_id", "operator");
        var got = Keyed(Path.Combine(fromTable, "cells.csv"), "cell_layer", "cell_id", "operator");
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        Assert.Contains(want.Keys, k => k.Contains("|ml", StringComparison.Ordinal));
        foreach (var (key, row) in want)
            foreach (var column in new[] { "area_km2", "pop", "coverage", "gap_km2", "double_km2", "misfit", "pop_misfit", "dominant_share" })
                Assert.Equal(D(row[column]), D(got[key][column]), 1e-9 * Math.Max(1, Math.Abs(D(row[column]))));
        Assert.Equal(TestCsv.Read(Path.Combine(fromFile, "pairs.csv")).Count, TestCsv.Read(Path.Combine(fromTable, "pairs.csv")).Count);
    }

    [Fact]
    public void StudyFromPostGisTable_InLambert93_IsReprojectedByTheCrsMachinery()
    {
        PostGisCluster.Run("ogr2ogr", "-f", "PostgreSQL", _pg.Ogr, Demo("missions_locales.geojson"), "-nln", "ref.ml_2154",
            "-lco", "GEOMETRY_NAME=geom", "-lco", "SCHEMA=ref", "-t_srs", "EPSG:2154", "-overwrite");
        Assert.Equal("2154", _pg.Psql("SELECT Find_SRID('ref', 'ml_2154', 'geom')").Trim());
        string fromFile = Path.Combine(_tmp, "file"), fromTable = Path.Combine(_tmp, "l93");
        Assert.Equal(0, CliRun.Of("analyze", Demo("study.json"), "--out", fromFile, "--no-maps").ExitCode);
        var run = CliRun.Of("analyze", StudyWithTable("l93", "ref.ml_2154", _pg.Connection), "--out", fromTable, "--no-maps");
        Assert.True(run.ExitCode == 0, run.Err);
        var want = Keyed(Path.Combine(fromFile, "zones.csv"), "cell_layer", "operator", "zone_id");
        var got = Keyed(Path.Combine(fromTable, "zones.csv"), "cell_layer", "operator", "zone_id");
        // Through Lambert-93 and back: the same zones, areas to a millionth (ProjNet round trips drift by millimetres).
        foreach (var (key, row) in want.Where(w => w.Key.StartsWith("cells|ml|", StringComparison.Ordinal)))
            Assert.Equal(D(row["area_km2"]), D(got[key]["area_km2"]), 1e-6 * D(row["area_km2"]));
    }

    [Fact]
    public void StudyWithAPasswordInTheConnection_IsRefused_NamingTheField()
    {
        string study = StudyWithTable("secret", "ref.ml_4326", "postgresql://planif:s3cret@localhost/sig");
        var run = CliRun.Of("validate", study);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("operators[0].postgis", run.Err, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPostGis_WritesTablesWhoseRowsAndValuesEqualTheCsvs()
    {
        string outDir = Path.Combine(_tmp, "out");
        var run = CliRun.Of("analyze", Demo("study.json"), "--out", outDir, "--no-maps", "--to-postgis", _pg.Connection, "--schema", "results");
        Assert.True(run.ExitCode == 0, run.Err);

        var pairs = TestCsv.Read(Path.Combine(outDir, "pairs.csv"));
        var db = _pg.Psql("SELECT cell_layer, cell_id, operator, zone_id, area_km2, pop, share_of_cell, significant FROM results.pairs")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))
            .ToDictionary(f => string.Join("|", f[..4]));
        Assert.Equal(pairs.Count, db.Count);
        foreach (var p in pairs)
        {
            var f = db[$"{p["cell_layer"]}|{p["cell_id"]}|{p["operator"]}|{p["zone_id"]}"];
            Assert.Equal(D(p["area_km2"]), D(f[4]));
            Assert.Equal(D(p["pop"]), D(f[5]));
            Assert.Equal(D(p["share_of_cell"]), D(f[6]));
            Assert.Equal(p["significant"] == "true" ? "t" : "f", f[7]);
        }
        var cells = TestCsv.Read(Path.Combine(outDir, "cells.csv")).Where(c => c["cell_layer"] == "cells" && c["operator"] == "cap").ToList();
        var misfit = _pg.Psql("SELECT cell_id, cap_misfit, cap_partners FROM results.cells").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('|')).ToDictionary(f => f[0]);
        Assert.Equal(cells.Count, misfit.Count);
        foreach (var c in cells)
        {
            Assert.Equal(D(c["misfit"]), D(misfit[c["cell_id"]][1]));
            Assert.Equal(c["partners"], misfit[c["cell_id"]][2]);
        }
        int gaps = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(outDir, "gaps.geojson")), "\"type\":\"Feature\"").Count;
        Assert.Equal(gaps.ToString(CultureInfo.InvariantCulture), _pg.Psql("SELECT count(*) FROM results.gaps").Trim());
        Assert.Equal(TestCsv.Read(Path.Combine(outDir, "zones.csv")).Count(z => z["cell_layer"] == "cells").ToString(CultureInfo.InvariantCulture),
            _pg.Psql("SELECT count(*) FROM results.zones").Trim());
        Assert.Equal("3", _pg.Psql("SELECT count(*) FROM results.summary WHERE cell_layer = 'cells'").Trim());
        // Geometry in EPSG:4326, one type, and a spatial index on each layer.
        Assert.Equal("MULTIPOLYGON|4326", _pg.Psql("SELECT DISTINCT GeometryType(geom) || '|' || ST_SRID(geom) FROM results.cells").Trim());
        Assert.Equal("cells_geom_idx\ngaps_geom_idx\nzones_geom_idx",
            _pg.Psql("SELECT indexname FROM pg_indexes WHERE schemaname = 'results' AND indexdef LIKE '%gist%' ORDER BY 1").Trim());
    }

    [Fact]
    public void ToPostGis_FailingMidway_LeavesThePreviousTables()
    {
        string first = Path.Combine(_tmp, "first"), second = Path.Combine(_tmp, "second");
        Assert.Equal(0, CliRun.Of("analyze", Demo("study.json"), "--out", first, "--no-maps", "--to-postgis", _pg.Connection, "--schema", "kept").ExitCode);
        string before = _pg.Psql("SELECT count(*) FROM kept.summary; SELECT count(*) FROM kept.pairs; SELECT sum(cap_misfit) FROM kept.cells");
        // A planner's view on the results: the new run cannot drop the old table, after building every new one.
        _pg.Psql("CREATE VIEW kept.worst AS SELECT cell_id FROM kept.cells ORDER BY ml_misfit DESC LIMIT 1");
        // The second run compares two operators, not three: its tables would differ from the first's.
        string twoOperators = DemoStudy("two", null, "cap");
        var run = CliRun.Of("analyze", twoOperators, "--out", second, "--no-maps", "--to-postgis", _pg.Connection, "--schema", "kept");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--to-postgis", run.Err, StringComparison.Ordinal);
        Assert.Matches("(tables précédentes|previous tables)", run.Err);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, _pg.Psql("SELECT count(*) FROM kept.summary; SELECT count(*) FROM kept.pairs; SELECT sum(cap_misfit) FROM kept.cells"));
        Assert.Equal("", _pg.Psql("SELECT tablename FROM pg_tables WHERE schemaname = 'kept' AND tablename LIKE '%cepgeo_new'").Trim());
        Assert.False(Directory.Exists(second));
        // Without the view, the same run replaces the tables.
        _pg.Psql("DROP VIEW kept.worst");
        Assert.Equal(0, CliRun.Of("analyze", twoOperators, "--out", second, "--no-maps", "--to-postgis", _pg.Connection, "--schema", "kept").ExitCode);
        Assert.Equal("3", _pg.Psql("SELECT count(*) FROM kept.summary").Trim()); // ml, pe and pe against ml
        Assert.Equal("0", _pg.Psql("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'kept' AND column_name = 'cap_misfit'").Trim());
    }

    [Theory]
    [InlineData("postgresql://planif@db.example:5433/sig?sslmode=require", "Host=db.example;Port=5433;Username=planif;Database=sig;SSL Mode=Require")]
    [InlineData("postgresql:///sig?host=/run/postgresql", "Host=/run/postgresql;Database=sig")]
    [InlineData("Host=localhost;Database=sig;Username=planif", "Host=localhost;Database=sig;Username=planif")]
    public void Connection_UriAndKeywordForms_GiveTheNpgsqlConnectionString(string given, string expected)
    {
        var want = new Npgsql.NpgsqlConnectionStringBuilder(expected);
        var got = new Npgsql.NpgsqlConnectionStringBuilder(PostGisConnection.ToNpgsql(given));
        Assert.True(want.EquivalentTo(got), got.ConnectionString);
        Assert.False(PostGisConnection.HasPassword(given));
        Assert.True(PostGisConnection.HasPassword(given.StartsWith("post", StringComparison.Ordinal)
            ? given.Replace("planif@", "planif:x@", StringComparison.Ordinal).Replace(":///", "://u:x@/", StringComparison.Ordinal) : given + ";Password=x"));
    }
}
