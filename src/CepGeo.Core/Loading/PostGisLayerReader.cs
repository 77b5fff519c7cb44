using System.Globalization;
using CepGeo.Core.Model;
using Npgsql;

namespace CepGeo.Core.Loading;

/// <summary>
/// A study layer read from a PostGIS table (<c>{ "postgis": "&lt;connection&gt;", "table": "schema.name", "geometry": "geom" }</c>):
/// the rows become features as a file's would (ids, names, repairs, the load report), the table's SRID
/// becomes the layer's CRS through the same CRS machinery as files (known codes, else the WKT PostGIS holds).
/// </summary>
public static class PostGisLayerReader
{
    private static readonly Phrase CrsAdvice = new(
        "donnez un SRID à la colonne de géométrie (ST_SetSRID, ou un typmod comme geometry(MultiPolygon, 2154))",
        "give the geometry column an SRID (ST_SetSRID, or a typmod such as geometry(MultiPolygon, 2154))");

    /// <param name="connection">An open connection whose data source maps geometries to NetTopologySuite (UseNetTopologySuite).</param>
    public static Layer Read(NpgsqlConnection connection, PostGisSpec spec, LayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(spec);
        var (schema, table) = SplitTable(spec.Table);
        string source = options.Source;
        try
        {
            int srid = Srid(connection, schema, table, spec.GeometryColumn, source);
            var features = ReadRows(connection, schema, table, spec.GeometryColumn, out int rowSrid);
            if (srid == 0) srid = rowSrid;
            var crs = srid == 0 ? null : Crs(connection, srid);
            return LayerAssembler.Assemble(options, new RawLayer(features, crs, CrsAdvice, []));
        }
        catch (PostgresException ex)
        {
            throw new CepGeoInputException(source, null, new Phrase($"PostGIS : {ex.MessageText}", $"PostGIS: {ex.MessageText}"), ex);
        }
    }

    /// <summary><c>schema.name</c> → (schema, name); a bare name is in <c>public</c>.</summary>
    public static (string Schema, string Table) SplitTable(string table)
    {
        int dot = table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ("public", table) : (table[..dot], table[(dot + 1)..]);
    }

    private static int Srid(NpgsqlConnection c, string schema, string table, string column, string source)
    {
        using (var exists = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3", c))
        {
            exists.Parameters.Add(new() { Value = schema });
            exists.Parameters.Add(new() { Value = table });
            exists.Parameters.Add(new() { Value = column });
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                throw new CepGeoInputException(source, null, new Phrase(
                    $"pas de colonne \"{column}\" dans la table {schema}.{table} (ou pas de telle table) : nommez la colonne de géométrie avec \"geometry\"",
                    $"no column \"{column}\" in table {schema}.{table} (or no such table): name the geometry column with \"geometry\""));
        }
        using var cmd = new NpgsqlCommand(
            "SELECT srid FROM geometry_columns WHERE f_table_schema = $1 AND f_table_name = $2 AND f_geometry_column = $3", c);
        cmd.Parameters.Add(new() { Value = schema });
        cmd.Parameters.Add(new() { Value = table });
        cmd.Parameters.Add(new() { Value = column });
        return cmd.ExecuteScalar() is int srid ? srid : 0;
    }

    private static List<RawFeature> ReadRows(NpgsqlConnection c, string schema, string table, string geometryColumn, out int srid)
    {
        srid = 0;
        var features = new List<RawFeature>();
        using var cmd = new NpgsqlCommand($"SELECT * FROM {Quote(schema)}.{Quote(table)}", c);
        using var reader = cmd.ExecuteReader();
        int row = 0;
        while (reader.Read())
        {
            row++;
            string where = "row " + row.ToString(CultureInfo.InvariantCulture);
            NetTopologySuite.Geometries.Geometry? geometry = null;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++)
            {
                string name = reader.GetName(i);
                object? value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (name == geometryColumn)
                {
                    geometry = value as NetTopologySuite.Geometries.Geometry;
                    if (geometry is not null && srid == 0) srid = geometry.SRID;
                    continue;
                }
                properties[name] = AttributeValues.Normalise(value);
            }
            var (flat, notes) = GeometryInspector.Inspect(geometry);
            features.Add(new RawFeature(where, null, properties, flat, notes));
        }
        return features;
    }

    /// <summary>The SRID as an EPSG code with the WKT PostGIS holds for it, resolved by the projection step as a file's CRS is.</summary>
    private static CrsRef Crs(NpgsqlConnection c, int srid)
    {
        string code = "EPSG:" + srid.ToString(CultureInfo.InvariantCulture);
        using var cmd = new NpgsqlCommand("SELECT srtext FROM spatial_ref_sys WHERE srid = $1", c);
        cmd.Parameters.Add(new() { Value = srid });
        return new CrsRef(code, cmd.ExecuteScalar() as string, Declared: true);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
