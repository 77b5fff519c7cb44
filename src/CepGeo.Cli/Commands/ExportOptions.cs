using System.CommandLine;
using CepGeo.Core.Reporting;

namespace CepGeo.Cli.Commands;

/// <summary>Where and how results go besides the files every run writes: the CSV dialect.</summary>
internal sealed record ExportChoices(CsvDialect Csv);

/// <summary>The export options shared by the commands that write results (<c>--csv</c>).</summary>
internal sealed class ExportOptionSet
{
    private readonly Option<string> _csv = new("--csv")
    {
        Description = "CSV tables as standard (comma, '.' decimals, a GDAL .csvt beside each) or excel (';', UTF-8 with BOM, decimal comma, for French spreadsheets)",
        DefaultValueFactory = _ => "standard",
    };

    private ExportOptionSet() => _csv.AcceptOnlyFromAmong("standard", "excel");

    public static ExportOptionSet Create() => new();

    public void AddTo(Command command) => command.Options.Add(_csv);

    public ExportChoices Read(ParseResult parsed) =>
        new(parsed.GetValue(_csv) == "excel" ? CsvDialect.Excel : CsvDialect.Standard);
}

/// <summary>results.xlsx and results.gpkg, written into the output folder beside the other results.</summary>
internal static class ExportFiles
{
    public static IReadOnlyList<string> Write(CepGeo.Core.Pipeline.AnalysisResult result, OutputFolder folder, string version)
    {
        using (var xlsx = folder.Create(ResultsWorkbook.FileName))
            ResultsWorkbook.Write(xlsx, result);
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = folder.PathFor(GeoPackageWriter.FileName),
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate,
            // No pool: the file is moved into place once written.
            Pooling = false,
        };
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ToString()))
        {
            connection.Open();
            GeoPackageWriter.Write(connection, result, version);
        }
        return [ResultsWorkbook.FileName, GeoPackageWriter.FileName];
    }
}
