using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Tests.Loading;

public class GeoPackageLayerReaderTests
{
    private const string Lambert93Wkt = """PROJCS["RGF93 / Lambert-93",GEOGCS["RGF93",DATUM["Reseau_Geodesique_Francais_1993",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1],AUTHORITY["EPSG","2154"]]""";

    private static readonly WKTReader Wkt = new();

    /// <summary>A minimal GeoPackage (the three gpkg_ tables CepGeo reads) with the given feature tables.</summary>
    private sealed class GeoPackageBuilder : IDisposable
    {
        private readonly SqliteConnection _connection;

        public GeoPackageBuilder(string path)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            _connection.Open();
            Execute("""
                CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL);
                INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL);
                INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]]', NULL);
                CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                    description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
                CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
                """);
        }

        public GeoPackageBuilder WithSrs(int srsId, string organization, int code, string definition)
        {
            Execute($"INSERT INTO gpkg_spatial_ref_sys VALUES ('srs {srsId}', {srsId}, '{organization}', {code}, '{definition}', NULL)");
            return this;
        }

        public GeoPackageBuilder WithTable(string table, int srsId, params (string? Wkt, string Code, string Nom)[] rows)
        {
            Execute($"""
                CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, code TEXT, nom TEXT);
                INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('{table}', 'features', '{table}', {srsId});
                INSERT INTO gpkg_geometry_columns VALUES ('{table}', 'geom', 'GEOMETRY', {srsId}, 0, 0);
                """);
            var writer = new GeoPackageGeoWriter();
            foreach (var (wkt, code, nom) in rows)
            {
                using var insert = _connection.CreateCommand();
                insert.CommandText = $"INSERT INTO \"{table}\" (geom, code, nom) VALUES ($geom, $code, $nom)";
                object blob = DBNull.Value;
                if (wkt is not null)
                {
                    var geometry = Wkt.Read(wkt);
                    geometry.SRID = srsId;
                    blob = writer.Write(geometry);
                }
                insert.Parameters.AddWithValue("$geom", blob);
                insert.Parameters.AddWithValue("$code", code);
                insert.Parameters.AddWithValue("$nom", nom);
                insert.ExecuteNonQuery();
            }
            return this;
        }

        public GeoPackageBuilder WithAttributeTable(string table)
        {
            Execute($"""
                CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, label TEXT);
                INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('{table}', 'attributes', '{table}');
                """);
            return this;
        }

        private void Execute(string sql)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        public void Dispose() => _connection.Dispose();
    }

    private static readonly (string?, string, string)[] LambertRows =
    [
        ("POLYGON ((892000 6247000, 902000 6247000, 902000 6257000, 892000 6257000, 892000 6247000))", "13055", "Marseille"),
        ("POLYGON ((902000 6247000, 912000 6247000, 912000 6257000, 902000 6257000, 902000 6247000))", "13005", "Aubagne"),
    ];

    private static readonly (string?, string, string)[] LonLatRows =
    [
        ("POLYGON ((5 43, 5.1 43, 5.1 43.1, 5 43.1, 5 43))", "04001", "Aiglun"),
        ("MULTIPOLYGON (((5.1 43, 5.2 43, 5.2 43.1, 5.1 43.1, 5.1 43)))", "04004", "Allos"),
        (null, "04005", "Sans géométrie"),
    ];

    private static string TwoTables(TempDirectory dir)
    {
        string path = dir.File("zones.gpkg");
        using var gpkg = new GeoPackageBuilder(path)
            .WithSrs(2154, "EPSG", 2154, Lambert93Wkt)
            .WithTable("communes", 4326, LonLatRows)
            .WithTable("bassins l93", 2154, LambertRows)
            .WithAttributeTable("notes");
        return path;
    }

    [Fact]
    public void Read_TwoFeatureTablesAndNoTableGiven_ErrorListsTheirNames()
    {
        using var dir = new TempDirectory();
        string path = TwoTables(dir);

        var ex = Assert.Throws<CepGeoInputException>(() => GeoPackageLayerReader.Read(path, new LayerOptions("zones.gpkg", null, null)));

        Assert.Equal("zones.gpkg: the GeoPackage holds 2 feature tables (\"bassins l93\", \"communes\"): say which one with the layer's \"table\"", ex.Message);
    }

    [Fact]
    public void Read_TableGiven_ReadsItWithItsCrs()
    {
        using var dir = new TempDirectory();
        string path = TwoTables(dir);

        var layer = GeoPackageLayerReader.Read(path, new LayerOptions("zones.gpkg", "code", "nom", Table: "bassins l93"));

        Assert.Equal(new CrsRef("EPSG:2154", Lambert93Wkt, Declared: true), layer.Crs);
        Assert.Equal(["13055", "13005"], layer.Features.Select(f => f.Id));
        Assert.Equal(["Marseille", "Aubagne"], layer.Features.Select(f => f.Name));
        Assert.Equal(1e8, layer.Features[1].Geometry.Area, 3);
    }

    [Fact]
    public void Read_NoIdField_UsesThePrimaryKeyAndSkipsNullGeometry()
    {
        using var dir = new TempDirectory();
        string path = TwoTables(dir);

        var layer = LayerReader.Read(path, new LayerOptions("zones.gpkg", null, "nom", Table: "communes"));

        Assert.Equal(new CrsRef("EPSG:4326", "GEOGCS[\"WGS 84\",AUTHORITY[\"EPSG\",\"4326\"]]", true), layer.Crs);
        Assert.Equal(["1", "2"], layer.Features.Select(f => f.Id));
        Assert.Equal(["Aiglun", "Allos"], layer.Features.Select(f => f.Name));
        Assert.IsType<MultiPolygon>(layer.Features[1].Geometry);
        Assert.Equal("04001", layer.Features[0].Attributes["code"]);
        var skipped = Assert.Single(layer.Report);
        Assert.Equal(("3", LoadIssueKind.Skipped, "no geometry (null)"), (skipped.FeatureId, skipped.Kind, skipped.Reason));
    }

    [Fact]
    public void Read_UnknownTable_ErrorListsTheFeatureTables()
    {
        using var dir = new TempDirectory();
        string path = TwoTables(dir);

        var ex = Assert.Throws<CepGeoInputException>(() => GeoPackageLayerReader.Read(path, new LayerOptions("zones.gpkg", null, null, Table: "notes")));

        Assert.Equal("zones.gpkg: no feature table \"notes\"; the feature tables are: \"bassins l93\", \"communes\"", ex.Message);
    }

    [Fact]
    public void Read_SingleFeatureTable_NeedsNoTableName()
    {
        using var dir = new TempDirectory();
        string path = dir.File("one.gpkg");
        using (new GeoPackageBuilder(path).WithTable("communes", 4326, LonLatRows).WithAttributeTable("notes")) { }

        var layer = LayerReader.Read(path, new LayerOptions("one.gpkg", "code", null));

        Assert.Equal(["04001", "04004"], layer.Features.Select(f => f.Id));
    }

    [Fact]
    public void Read_UndefinedSrsWithProjectedCoordinates_ErrorAsksForACrs()
    {
        using var dir = new TempDirectory();
        string path = dir.File("undefined.gpkg");
        using (new GeoPackageBuilder(path).WithTable("bassins", -1, LambertRows)) { }

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("undefined.gpkg", "code", null)));

        Assert.Contains("outside the longitude/latitude range", ex.Message);
        Assert.Contains("srs_id in gpkg_geometry_columns", ex.Message);
    }

    [Fact]
    public void Read_UndefinedSrsWithLonLat_AssumedWgs84WithANote()
    {
        using var dir = new TempDirectory();
        string path = dir.File("undefined.gpkg");
        using (new GeoPackageBuilder(path).WithTable("communes", 0, LonLatRows)) { }

        var layer = LayerReader.Read(path, new LayerOptions("undefined.gpkg", "code", null));

        Assert.Same(CrsRef.Wgs84Default, layer.Crs);
        Assert.Contains(layer.Report, i => i.Kind == LoadIssueKind.Note && i.Reason.StartsWith("no CRS declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NotAGeoPackage_ErrorSaysSo()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fake.gpkg");
        File.WriteAllText(path, "PK\u0003\u0004 a zip file renamed .gpkg, not SQLite");

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("fake.gpkg", null, null)));

        Assert.StartsWith("fake.gpkg: not a", ex.Message);
        Assert.Contains("GeoPackage", ex.Message);
    }

    [Fact]
    public void Read_SqliteWithoutGpkgTables_ErrorSaysNotAGeoPackage()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.gpkg");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x INTEGER)";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("plain.gpkg", null, null)));

        Assert.StartsWith("plain.gpkg: not a GeoPackage (no gpkg_contents table)", ex.Message);
    }
}
