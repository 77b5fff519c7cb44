using System.Globalization;
using CepGeo.Core.Model;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.IO;

namespace CepGeo.Core.Loading;

/// <summary>
/// Reads one feature table of a GeoPackage. SQLite needs a file, so this reader takes a path: the
/// one exception, with <see cref="LayerReader"/>, to Loading's streams-only habit.
/// </summary>
public static class GeoPackageLayerReader
{
    private static readonly Phrase CrsAdvice = new(
        "donnez à la table un SCR défini (srs_id dans gpkg_geometry_columns), ou la clé \"crs\" de la couche dans l'étude, ou reprojetez-la en WGS84",
        "give the table a defined CRS (srs_id in gpkg_geometry_columns), or the layer a \"crs\" key in the study, or reproject it to WGS84");

    /// <summary>Reads the table named by <see cref="LayerOptions.Table"/>, or the only feature table.</summary>
    /// <exception cref="CepGeoInputException">Not a GeoPackage, table missing or ambiguous, or a broken rule of spec §2.</exception>
    public static Layer Read(string path, LayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        string source = options.Source;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            // No pool: the file must be free again once read (tests delete it; users replace it).
            Pooling = false,
        }.ToString();

        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            string table = ChooseTable(connection, options);
            var (geometryColumn, srsId) = GeometryColumn(connection, table, source);
            var crs = Crs(connection, srsId);
            var features = ReadRows(connection, table, geometryColumn, source);
            return LayerAssembler.Assemble(options, new RawLayer(features, crs, CrsAdvice, []));
        }
        catch (SqliteException ex)
        {
            throw new CepGeoInputException(source, null, new Phrase($"GeoPackage illisible (erreur SQLite {ex.SqliteErrorCode} ; --lang en donne la raison exacte)", $"not a readable GeoPackage: {ex.Message}"), ex);
        }
    }

    private static string ChooseTable(SqliteConnection connection, LayerOptions options)
    {
        string source = options.Source;
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name";
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    tables.Add(reader.GetString(0));
            }
            catch (SqliteException ex)
            {
                throw new CepGeoInputException(source, null, new Phrase($"pas un GeoPackage lisible (pas de table gpkg_contents, erreur SQLite {ex.SqliteErrorCode} ; --lang en donne la raison exacte)",
                    $"not a GeoPackage (no gpkg_contents table): {ex.Message}"), ex);
            }
        }

        string names = string.Join(", ", tables.Select(t => $"\"{t}\""));
        if (options.Table is { } wanted)
        {
            return tables.Contains(wanted, StringComparer.Ordinal)
                ? wanted
                : throw new CepGeoInputException(source, null, new Phrase(
                    $"pas de table d'entités \"{wanted}\" ; les tables d'entités sont : {(tables.Count > 0 ? names : "aucune")}",
                    $"no feature table \"{wanted}\"; the feature tables are: {(tables.Count > 0 ? names : "none")}"));
        }
        return tables.Count switch
        {
            0 => throw new CepGeoInputException(source, null, new Phrase("le GeoPackage ne contient aucune table d'entités", "the GeoPackage holds no feature table")),
            1 => tables[0],
            _ => throw new CepGeoInputException(source, null, new Phrase(
                $"le GeoPackage contient {tables.Count} tables d'entités ({names}) : dites laquelle avec la clé \"table\" de la couche",
                $"the GeoPackage holds {tables.Count} feature tables ({names}): say which one with the layer's \"table\"")),
        };
    }

    private static (string Column, int SrsId) GeometryColumn(SqliteConnection connection, string table, string source)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = $table";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), reader.GetInt32(1))
            : throw new CepGeoInputException(source, null, new Phrase($"la table \"{table}\" n'a pas d'entrée dans gpkg_geometry_columns",
                $"table \"{table}\" has no entry in gpkg_geometry_columns"));
    }

    /// <summary>EPSG code from the srs table; srs_id -1 and 0 are GeoPackage's "undefined" CRSs.</summary>
    private static CrsRef? Crs(SqliteConnection connection, int srsId)
    {
        if (srsId is -1 or 0)
            return null;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return new CrsRef("EPSG:" + srsId.ToString(CultureInfo.InvariantCulture), null, Declared: true);

        string organization = reader.IsDBNull(0) ? "" : reader.GetString(0);
        string? definition = reader.IsDBNull(2) ? null : reader.GetString(2);
        if (string.Equals(definition, "undefined", StringComparison.OrdinalIgnoreCase))
            definition = null;
        string? code = string.Equals(organization, "EPSG", StringComparison.OrdinalIgnoreCase)
            ? "EPSG:" + reader.GetInt32(1).ToString(CultureInfo.InvariantCulture)
            : definition is null ? null : CrsNames.FromWkt(definition);
        return new CrsRef(code, definition, Declared: true);
    }

    private static List<RawFeature> ReadRows(SqliteConnection connection, string table, string geometryColumn, string source)
    {
        string? primaryKey = PrimaryKey(connection, table);
        var geometryReader = new GeoPackageGeoReader(
            NtsGeometryServices.Instance.DefaultCoordinateSequenceFactory, NtsGeometryServices.Instance.DefaultPrecisionModel);
        var features = new List<RawFeature>();

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Quote(table)}";
        using var reader = command.ExecuteReader();
        int row = 0;
        while (reader.Read())
        {
            row++;
            string where = "#" + row.ToString(CultureInfo.InvariantCulture);
            string? fileId = null;
            NetTopologySuite.Geometries.Geometry? geometry = null;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++)
            {
                string name = reader.GetName(i);
                object? value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (name == geometryColumn)
                {
                    geometry = value is byte[] blob ? ReadGeometry(geometryReader, blob, source, where) : null;
                    continue;
                }
                if (name == primaryKey)
                    fileId = AttributeValues.AsId(AttributeValues.Normalise(value));
                properties[name] = AttributeValues.Normalise(value);
            }
            var (flat, notes) = GeometryInspector.Inspect(geometry);
            features.Add(new RawFeature(where, fileId, properties, flat, notes));
        }
        return features;
    }

    private static NetTopologySuite.Geometries.Geometry ReadGeometry(GeoPackageGeoReader reader, byte[] blob, string source, string where)
    {
        try
        {
            return reader.Read(blob);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or FormatException or NotSupportedException or ParseException)
        {
            throw new CepGeoInputException(source, where, new Phrase($"la géométrie n'est pas une géométrie GeoPackage : {ex.Message}",
                $"geometry blob is not a GeoPackage geometry: {ex.Message}"), ex);
        }
    }

    private static string? PrimaryKey(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info({Quote(table)})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetInt32(reader.GetOrdinal("pk")) == 1)
                return reader.GetString(reader.GetOrdinal("name"));
        }
        return null;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
