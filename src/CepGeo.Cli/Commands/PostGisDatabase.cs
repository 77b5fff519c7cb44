using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Reporting;
using Npgsql;

namespace CepGeo.Cli.Commands;

/// <summary>The database side of PostGIS layers and results: opening the connection, turning its failures into one clear line.</summary>
internal static class PostGisDatabase
{
    /// <summary>A data source mapping PostGIS geometries to NetTopologySuite.</summary>
    public static NpgsqlDataSource Open(string connection, string source)
    {
        string npgsql;
        try
        {
            npgsql = PostGisConnection.ToNpgsql(connection);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new CepGeoInputException(source, null, new Phrase(
                $"ce n'est pas une connexion PostgreSQL ({e.Message}) ; écrivez Host=…;Database=…;Username=… ou postgresql://utilisateur@hôte:port/base",
                $"not a PostgreSQL connection ({e.Message}); write Host=…;Database=…;Username=… or postgresql://user@host:port/database"));
        }
        var builder = new NpgsqlDataSourceBuilder(npgsql);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    public static NpgsqlConnection Connect(NpgsqlDataSource dataSource, string source)
    {
        try
        {
            return dataSource.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new CepGeoInputException(source, null, new Phrase(
                $"connexion à PostgreSQL impossible : {e.Message}", $"cannot connect to PostgreSQL: {e.Message}"));
        }
    }

    public static Layer LoadLayer(LayerSpec spec)
    {
        var pg = spec.PostGis!;
        string source = LayerOptions.For(spec).Source;
        using var dataSource = Open(pg.Connection, source);
        using var connection = Connect(dataSource, source);
        try
        {
            return PostGisLayerReader.Read(connection, pg, LayerOptions.For(spec));
        }
        catch (NpgsqlException e)
        {
            throw new CepGeoInputException(source, null, new Phrase($"PostGIS : {e.Message}", $"PostGIS: {e.Message}"));
        }
    }

    /// <summary>Writes the results into <paramref name="schema"/>, replacing the previous run's tables in one transaction.</summary>
    public static void WriteResults(AnalysisResult result, string connection, string schema, string version)
    {
        const string source = "--to-postgis";
        using var dataSource = Open(connection, source);
        using var db = Connect(dataSource, source);
        try
        {
            PostGisWriter.Write(db, result, schema, version);
        }
        catch (PostgresException e)
        {
            throw new CepGeoInputException(source, null, Kept(e.MessageText, schema));
        }
        catch (NpgsqlException e)
        {
            throw new CepGeoInputException(source, null, Kept(e.Message, schema));
        }
    }

    private static Phrase Kept(string error, string schema) => new(
        $"PostGIS : {error} ; les tables précédentes du schéma « {schema} » sont restées telles quelles",
        $"PostGIS: {error}; the previous tables of schema \"{schema}\" are as they were");
}
