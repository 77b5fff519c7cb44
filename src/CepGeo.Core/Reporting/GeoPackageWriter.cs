using System.Globalization;
using System.Security;
using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Core.Rendering;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Core.Reporting;

/// <summary>
/// results.gpkg (OGC GeoPackage 1.3): the layers <c>cells</c>, <c>gaps</c> and <c>zones_&lt;key&gt;</c>
/// (MultiPolygon in EPSG:4326, every metric a typed column, ids as text), the tables <c>pairs</c>,
/// <c>cells_metrics</c>, <c>zones_metrics</c> and <c>summary</c>, the study's equal-area CRS declared beside
/// WGS 84, and QGIS styles for <c>cells</c> (misfit in the report's classes and colours, names as labels)
/// and <c>gaps</c> in the <c>layer_styles</c> table QGIS reads, so the file opens already styled.
/// Where the study has sites: a <c>sites_&lt;key&gt;</c> point layer per operator with sites, and the spec §9
/// columns (<c>{key}_sites</c>, <c>{key}_dist_mean_km</c>…) in <c>cells</c>. <c>plan score</c> and <c>design</c>
/// add their own tables (perimeters; design, moves, glue) through <c>extra</c>.
/// </summary>
/// <remarks>
/// SQLite writes to a database, not a stream: the caller opens the connection on a new file (Core
/// never names a path) and closes it.
/// </remarks>
public static class GeoPackageWriter
{
    public const string FileName = "results.gpkg";

    private const int Wgs84 = 4326;

    /// <summary>Writes every layer and table in one transaction.</summary>
    public static void Write(SqliteConnection connection, AnalysisResult r, string version, string lang = "fr") =>
        Write(connection, r, version, [], lang);

    /// <summary>Writes every layer and table, then the attribute tables <paramref name="extra"/>, in one transaction.</summary>
    public static void Write(SqliteConnection connection, AnalysisResult r, string version, IEnumerable<ResultTables.Table> extra, string lang = "fr")
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(extra);
        using (var pragma = connection.CreateCommand())
        {
            // "GPKG" and version 1.3.0: how GDAL and QGIS recognise a GeoPackage.
            pragma.CommandText = "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = OFF;";
            pragma.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        CreateCoreTables(connection, r);
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        var writer = new GeoPackageGeoWriter();

        WriteFeatures(connection, ResultTables.CellsLayer(r), toWgs84, writer);
        WriteFeatures(connection, ResultTables.GapsLayer(r), toWgs84, writer);
        for (int k = 1; k < r.Infos.Count; k++)
            WriteFeatures(connection, ResultTables.ZonesLayer(r, k), toWgs84, writer);
        foreach (var s in r.Sites)
            WriteFeatures(connection, ResultTables.SitesLayer(r, s), toWgs84, writer);
        foreach (var (table, name) in new[]
        {
            (ResultTables.Pairs(r), "pairs"), (ResultTables.Cells(r), "cells_metrics"),
            (ResultTables.Zones(r), "zones_metrics"), (ResultTables.Summary(r), "summary"),
        })
            WriteAttributes(connection, name, table);
        foreach (var table in extra)
            WriteAttributes(connection, table.Name, table);
        WriteStyles(connection, r, lang == "en" ? MapText.En : MapText.Fr);
        tx.Commit();
    }

    // ---- the GeoPackage's own tables ------------------------------------------------------------

    private static void CreateCoreTables(SqliteConnection c, AnalysisResult r)
    {
        Exec(c, """
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
              description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            """);
        AddSrs(c, "WGS 84 geodetic", Wgs84, "EPSG", Wgs84, KnownCrs.Wkt("EPSG:4326")!, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid");
        var (srsId, organization, code) = EqualAreaSrs(r.Crs);
        string? wkt = r.Crs.Wkt ?? (r.Crs.Code is { } known ? KnownCrs.Wkt(known) : null);
        if (srsId != Wgs84 && wkt is not null)
            AddSrs(c, r.Crs.ToString(), srsId, organization, code, wkt, "the equal-area CRS CepGeo measured the areas in");
    }

    /// <summary>An EPSG code keeps its number; a LAEA centred on the study is a custom SRS of its own number.</summary>
    private static (int SrsId, string Organization, int Code) EqualAreaSrs(CrsRef crs)
    {
        if (crs.Code is { } code && code.StartsWith("EPSG:", StringComparison.Ordinal)
            && int.TryParse(code.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int epsg))
            return (epsg, "EPSG", epsg);
        return (100000, "CEPGEO", 100000);
    }

    private static void AddSrs(SqliteConnection c, string name, int id, string organization, int code, string wkt, string description)
    {
        Exec(c, "INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $id, $org, $code, $wkt, $description)",
            ("$name", name), ("$id", id), ("$org", organization), ("$code", code), ("$wkt", wkt), ("$description", description));
    }

    // ---- feature layers ---------------------------------------------------------------------------

    private static void WriteFeatures(SqliteConnection c, ResultTables.FeatureTable t, Reprojector toWgs84, GeoPackageGeoWriter writer) =>
        WriteFeatures(c, t.Name, t.Label, t.Columns, t.Rows, t.Points ? null : toWgs84, writer);

    /// <param name="toWgs84">Null for points already in lon/lat (a POINT layer); else MultiPolygons to reproject.</param>
    private static void WriteFeatures(SqliteConnection c, string table, string identifier, IReadOnlyList<(string Name, ColumnType Type)> columns,
        IEnumerable<(Geometry Geometry, object?[] Values)> rows, Reprojector? toWgs84, GeoPackageGeoWriter writer)
    {
        string geometryType = toWgs84 is null ? "POINT" : "MULTIPOLYGON";
        var sql = new StringBuilder($"CREATE TABLE {Quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometryType}");
        foreach (var (name, type) in columns) sql.Append(", ").Append(Quote(name)).Append(' ').Append(SqlType(type));
        sql.Append(')');
        Exec(c, sql.ToString());

        var envelope = new Envelope();
        using (var insert = Insert(c, table, ["geom", .. columns.Select(x => x.Name)]))
        {
            foreach (var (geometry, values) in rows)
            {
                var g = toWgs84 is null ? geometry : AsMultiPolygon(toWgs84.Transform(geometry));
                g.SRID = Wgs84;
                envelope.ExpandToInclude(g.EnvelopeInternal);
                insert.Parameters[0].Value = writer.Write(g);
                for (int i = 0; i < values.Length; i++) insert.Parameters[i + 1].Value = DbValue(values[i]);
                insert.ExecuteNonQuery();
            }
        }
        Exec(c, """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id)
            VALUES ($t, 'features', $id, $x0, $y0, $x1, $y1, 4326);
            INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, 4326, 0, 0);
            """,
            ("$t", table), ("$type", geometryType), ("$id", identifier == table ? table : $"{table} ({identifier})"),
            ("$x0", envelope.IsNull ? DBNull.Value : envelope.MinX), ("$y0", envelope.IsNull ? DBNull.Value : envelope.MinY),
            ("$x1", envelope.IsNull ? DBNull.Value : envelope.MaxX), ("$y1", envelope.IsNull ? DBNull.Value : envelope.MaxY));
    }

    private static MultiPolygon AsMultiPolygon(Geometry g) => ResultTables.AsMultiPolygon(g);

    // ---- attribute tables --------------------------------------------------------------------------

    private static void WriteAttributes(SqliteConnection c, string name, ResultTables.Table table)
    {
        var sql = new StringBuilder($"CREATE TABLE {Quote(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL");
        for (int i = 0; i < table.Columns.Length; i++) sql.Append(", ").Append(Quote(table.Columns[i])).Append(' ').Append(SqlType(table.Types[i]));
        sql.Append(')');
        Exec(c, sql.ToString());
        using (var insert = Insert(c, name, table.Columns))
        {
            foreach (var row in table.Rows)
            {
                for (int i = 0; i < row.Length; i++) insert.Parameters[i].Value = DbValue(row[i]);
                insert.ExecuteNonQuery();
            }
        }
        Exec(c, "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ($t, 'attributes', $t)", ("$t", name));
    }

    // ---- QGIS styles --------------------------------------------------------------------------------

    private static void WriteStyles(SqliteConnection c, AnalysisResult r, MapText t)
    {
        // The table QGIS creates and reads ("Save style in database"); registered as attributes, as QGIS does.
        Exec(c, """
            CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
              f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
              useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT, update_time DATETIME DEFAULT CURRENT_TIMESTAMP);
            INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('layer_styles', 'attributes', 'layer_styles');
            """);
        bool first = true;
        foreach (var cmp in r.Comparisons)
        {
            string label = r.Infos.First(i => i.Key == cmp.Operator).Label;
            string field = cmp.Operator + (r.HasWeights ? "_pop_misfit" : "_misfit");
            string title = t.MisfitTitle(r.Infos[0].Label, label) + (r.HasWeights ? t.T(" (en population)", " (by population)") : "");
            AddStyle(c, "cells", $"misfit {cmp.Operator}", QgisStyles.CellsMisfit(field, "cell_name", t), title, first);
            first = false;
        }
        AddStyle(c, "gaps", "defects", QgisStyles.Gaps(t), t.T("Zones blanches, doubles couvertures, débordements", "Gaps, double coverage, straddling pieces"), true);
        foreach (var s in r.Sites)
        {
            // The maps' marker of this operator: its colour, and circle, square or triangle in turn.
            int op = MapRenderer.OperatorIndex(r, s.Operator);
            AddStyle(c, "sites_" + s.Operator, "sites", QgisStyles.Sites(PlannerStyle.OperatorColor(op), op % 3),
                t.T($"Lieux d'accueil : {s.Label}", $"Sites: {s.Label}"), true);
        }
    }

    private static void AddStyle(SqliteConnection c, string table, string name, string qml, string description, bool useAsDefault)
    {
        Exec(c, """
            INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
            VALUES ('', '', $t, 'geom', $name, $qml, '', $default, $description, 'CepGeo', '')
            """,
            ("$t", table), ("$name", name), ("$qml", qml), ("$default", useAsDefault), ("$description", description));
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private static SqliteCommand Insert(SqliteConnection c, string table, IReadOnlyList<string> columns)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (int i = 0; i < columns.Count; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static object DbValue(object? v) => v switch
    {
        null => DBNull.Value,
        double d when !double.IsFinite(d) => DBNull.Value,
        bool b => b ? 1 : 0,
        _ => v,
    };

    /// <summary>GeoPackage column types (GDAL reads them as Integer, Real, String and Integer(Boolean); INTEGER would be Integer64).</summary>
    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "MEDIUMINT",
        ColumnType.Real => "REAL",
        ColumnType.Boolean => "BOOLEAN",
        _ => "TEXT",
    };

    /// <summary>Runs one statement (or several) with its named parameters.</summary>
    private static void Exec(SqliteConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>QGIS layer styles (QML) for the GeoPackage: the classes, colours and words of <see cref="PlannerStyle"/>.</summary>
public static class QgisStyles
{
    /// <summary>Cells coloured by <paramref name="field"/> in the misfit classes, labelled with <paramref name="labelField"/>.</summary>
    public static string CellsMisfit(string field, string labelField, MapText t)
    {
        var scale = PlannerStyle.Misfit;
        var ranges = new StringBuilder();
        var symbols = new StringBuilder();
        double[] bounds = [scale.Min, .. scale.Breaks, scale.Max ?? 1];
        for (int i = 0; i < scale.Count; i++)
        {
            // QGIS ranges hold lower < v ≤ upper; the style's classes hold their lower bound (0.05 is in
            // the second class): each upper bound is the double just below the next break.
            double lower = i == 0 ? bounds[0] : Math.BitDecrement(bounds[i]);
            double upper = i == scale.Count - 1 ? bounds[i + 1] : Math.BitDecrement(bounds[i + 1]);
            string label = $"{t.N(bounds[i], "0.00")} – {t.N(bounds[i + 1], "0.00")}";
            ranges.Append(CultureInfo.InvariantCulture, $"""<range lower="{lower:R}" upper="{upper:R}" symbol="{i}" label="{Xml(label)}" render="true"/>""");
            symbols.Append(FillSymbol(i.ToString(CultureInfo.InvariantCulture), Rgba(PlannerStyle.Palette[scale.ColorIndexOf(i)]), "solid", "96,96,96,255"));
        }
        return $"""
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
              <renderer-v2 type="graduatedSymbol" attr="{Xml(field)}" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
                <ranges>{ranges}</ranges>
                <symbols>{symbols}</symbols>
                <source-symbol>{FillSymbol("0", Rgba(PlannerStyle.Palette[0]), "solid", "96,96,96,255")}</source-symbol>
                <classificationMethod id="Fixed"/>
              </renderer-v2>
              <labeling type="simple">
                <settings calloutType="simple">
                  <text-style fieldName="{Xml(labelField)}" isExpression="0" fontSize="9" fontFamily="DejaVu Sans" textColor="34,34,34,255" fontWeight="50">
                    <text-buffer bufferDraw="1" bufferSize="1" bufferColor="255,255,255,255" bufferOpacity="0.9"/>
                  </text-style>
                  <placement placement="0" placementFlags="10"/>
                  <rendering obstacle="1" displayAll="0"/>
                </settings>
              </labeling>
              <layerGeometryType>2</layerGeometryType>
            </qgis>
            """;
    }

    /// <summary>The defects by kind, drawn as <see cref="PlannerStyle.Defects"/> says (hatch, cross-hatch, outline).</summary>
    public static string Gaps(MapText t)
    {
        var categories = new StringBuilder();
        var symbols = new StringBuilder();
        int i = 0;
        foreach (var d in PlannerStyle.Defects.Values)
        {
            string name = i.ToString(CultureInfo.InvariantCulture);
            categories.Append(CultureInfo.InvariantCulture, $"""<category value="{d.Kind}" symbol="{name}" label="{Xml(t.French ? d.Fr : d.En)}" render="true"/>""");
            symbols.Append(d.Pattern switch
            {
                "hatch" => FillSymbol(name, Rgba(d.Color), "b_diagonal", Rgba(d.Color)),
                "crosshatch" => FillSymbol(name, Rgba(d.Color), "diagonal_x", Rgba(d.Color)),
                _ => FillSymbol(name, "0,0,0,0", "no", Rgba(d.Color)),
            });
            i++;
        }
        return $"""
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology">
              <renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0">
                <categories>{categories}</categories>
                <symbols>{symbols}</symbols>
              </renderer-v2>
              <layerGeometryType>2</layerGeometryType>
            </qgis>
            """;
    }

    /// <summary>An operator's sites: a marker of its colour with a white ring (shape 0 circle, 1 square, 2 triangle, as on the maps).</summary>
    public static string Sites(string color, int shape) => $"""
        <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
        <qgis version="3.28.0" styleCategories="Symbology">
          <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
            <symbols>
              <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="name" value="{shape switch { 0 => "circle", 1 => "square", _ => "triangle" }}"/><Option type="QString" name="color" value="{Rgba(color)}"/><Option type="QString" name="outline_color" value="255,255,255,255"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.4"/><Option type="QString" name="outline_width_unit" value="MM"/><Option type="QString" name="size" value="2.6"/><Option type="QString" name="size_unit" value="MM"/></Option></layer></symbol>
            </symbols>
          </renderer-v2>
          <layerGeometryType>0</layerGeometryType>
        </qgis>
        """;

    /// <summary><c>#rrggbb</c> → QGIS's <c>r,g,b,255</c>.</summary>
    public static string Rgba(string hex) => string.Create(CultureInfo.InvariantCulture,
        $"{Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},255");

    /// <summary>A QGIS simple fill symbol: fill colour and style (solid, b_diagonal, diagonal_x, no), outline colour.</summary>
    private static string FillSymbol(string name, string fill, string style, string outline) => $"""
        <symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="{fill}"/><Option type="QString" name="style" value="{style}"/><Option type="QString" name="outline_color" value="{outline}"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.26"/><Option type="QString" name="outline_width_unit" value="MM"/><Option type="QString" name="joinstyle" value="bevel"/></Option></layer></symbol>
        """;

    private static string Xml(string s) => SecurityElement.Escape(s);
}
