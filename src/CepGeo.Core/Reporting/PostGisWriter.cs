using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The results into a PostGIS schema: <c>cells</c>, <c>gaps</c>, <c>zones</c> (every operator's zones, with
/// an <c>operator</c> column) with MultiPolygon geometry in EPSG:4326 and a GiST index each, and the
/// tables <c>pairs</c> and <c>summary</c>; typed columns as in the GeoPackage, rows sent by binary COPY.
/// </summary>
/// <remarks>
/// The previous run's tables are replaced atomically: the new ones are built under temporary names,
/// then, in the same transaction, the old ones are dropped and the new ones renamed. A failure at any
/// point rolls everything back and leaves the previous tables as they were; readers see the old tables
/// or the new, never a mix (the exclusive locks are taken only by the final swap).
/// </remarks>
public static class PostGisWriter
{
    /// <summary>The tables written, in order.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["cells", "gaps", "zones", "pairs", "summary"];

    private const string Staging = "__cepgeo_new";

    /// <param name="connection">An open connection whose data source maps geometries to NetTopologySuite.</param>
    /// <param name="beforeSwap">Called after every table is built and before the swap (tests make it fail).</param>
    public static void Write(NpgsqlConnection connection, AnalysisResult r, string schema, string version, Action? beforeSwap = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var toWgs84 = Reprojector.Create(r.Crs, CrsRef.Wgs84Default);
        using var tx = connection.BeginTransaction();
        Exec(connection, $"CREATE SCHEMA IF NOT EXISTS {Q(schema)}");

        WriteFeatures(connection, schema, "cells", ResultTables.CellsLayer(r).Columns, ResultTables.CellsLayer(r).Rows, toWgs84);
        WriteFeatures(connection, schema, "gaps", ResultTables.GapsLayer(r).Columns, ResultTables.GapsLayer(r).Rows, toWgs84);
        var zoneColumns = new List<(string, ColumnType)> { ("operator", ColumnType.Text) };
        zoneColumns.AddRange(ResultTables.ZoneLayerColumns);
        var zoneRows = Enumerable.Range(1, r.Infos.Count - 1).SelectMany(k =>
            ResultTables.ZonesLayer(r, k).Rows.Select(row => (row.Geometry, (object?[])[r.Infos[k].Key, .. row.Values])));
        WriteFeatures(connection, schema, "zones", zoneColumns, zoneRows, toWgs84);
        WriteTable(connection, schema, "pairs", ResultTables.Pairs(r));
        WriteTable(connection, schema, "summary", ResultTables.Summary(r));
        Exec(connection, $"COMMENT ON TABLE {Q(schema)}.{Q("summary" + Staging)} IS {Literal($"CepGeo {version}: {r.Study.Name} (areas in {r.Crs})")}");

        beforeSwap?.Invoke();
        var swap = new StringBuilder();
        foreach (var t in Tables)
        {
            swap.Append($"DROP TABLE IF EXISTS {Q(schema)}.{Q(t)};");
            swap.Append($"ALTER TABLE {Q(schema)}.{Q(t + Staging)} RENAME TO {Q(t)};");
            if (t is "cells" or "gaps" or "zones")
                swap.Append($"ALTER INDEX {Q(schema)}.{Q(t + Staging + "_geom")} RENAME TO {Q(t + "_geom_idx")};");
        }
        Exec(connection, swap.ToString());
        tx.Commit();
    }

    private static void WriteFeatures(NpgsqlConnection c, string schema, string name, IReadOnlyList<(string Name, ColumnType Type)> columns,
        IEnumerable<(Geometry Geometry, object?[] Values)> rows, Reprojector toWgs84)
    {
        string table = $"{Q(schema)}.{Q(name + Staging)}";
        Exec(c, $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (fid serial PRIMARY KEY, geom geometry(MultiPolygon, 4326)"
            + string.Concat(columns.Select(x => $", {Q(x.Name)} {SqlType(x.Type)}")) + ")");
        using (var copy = c.BeginBinaryImport($"COPY {table} (geom{string.Concat(columns.Select(x => ", " + Q(x.Name)))}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (geometry, values) in rows)
            {
                copy.StartRow();
                var g = ResultTables.AsMultiPolygon(toWgs84.Transform(geometry));
                g.SRID = 4326;
                copy.Write((Geometry)g, NpgsqlDbType.Geometry);
                for (int i = 0; i < values.Length; i++) WriteValue(copy, values[i], columns[i].Type);
            }
            copy.Complete();
        }
        Exec(c, $"CREATE INDEX {Q(name + Staging + "_geom")} ON {table} USING GIST (geom)");
    }

    private static void WriteTable(NpgsqlConnection c, string schema, string name, ResultTables.Table t)
    {
        string table = $"{Q(schema)}.{Q(name + Staging)}";
        Exec(c, $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ("
            + string.Join(", ", t.Columns.Select((x, i) => $"{Q(x)} {SqlType(t.Types[i])}")) + ")");
        using var copy = c.BeginBinaryImport($"COPY {table} ({string.Join(", ", t.Columns.Select(Q))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in t.Rows)
        {
            copy.StartRow();
            for (int i = 0; i < row.Length; i++) WriteValue(copy, row[i], t.Types[i]);
        }
        copy.Complete();
    }

    private static void WriteValue(NpgsqlBinaryImporter copy, object? value, ColumnType type)
    {
        switch (value)
        {
            case null:
            case double d when !double.IsFinite(d):
                copy.WriteNull();
                break;
            default:
                switch (type)
                {
                    case ColumnType.Real: copy.Write(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Double); break;
                    case ColumnType.Integer: copy.Write(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Integer); break;
                    case ColumnType.Boolean: copy.Write((bool)value, NpgsqlDbType.Boolean); break;
                    default: copy.Write(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text); break;
                }
                break;
        }
    }

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "integer",
        ColumnType.Real => "double precision",
        ColumnType.Boolean => "boolean",
        _ => "text",
    };

    private static void Exec(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
