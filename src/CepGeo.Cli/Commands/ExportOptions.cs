using System.CommandLine;
using CepGeo.Core.Reporting;

namespace CepGeo.Cli.Commands;

/// <summary>Where and how results go besides the files every run writes: the CSV dialect, a PostGIS schema.</summary>
internal sealed record ExportChoices(CsvDialect Csv, string? ToPostGis = null, string Schema = "cepgeo");

/// <summary>The export options shared by the commands that write results (<c>--csv</c>).</summary>
internal sealed class ExportOptionSet
{
    private readonly Option<string> _csv = new("--csv")
    {
        Description = "CSV tables as standard (comma, '.' decimals, a GDAL .csvt beside each) or excel (';', UTF-8 with BOM, decimal comma, for French spreadsheets)",
        DefaultValueFactory = _ => "standard",
    };

    private readonly Option<string?> _toPostGis = new("--to-postgis")
    {
        Description = "Also write the results into PostGIS (Host=…;Database=…;Username=… or postgresql://user@host/db; the password from PGPASSWORD or ~/.pgpass)",
    };

    private readonly Option<string> _schema = new("--schema")
    {
        Description = "The PostGIS schema of --to-postgis; its tables cells, gaps, zones, pairs, summary are replaced",
        DefaultValueFactory = _ => "cepgeo",
    };

    private ExportOptionSet(ConsoleText text)
    {
        _csv.Description = text.T("Tableaux CSV standard (virgule, décimales « . », un .csvt GDAL à côté de chacun) ou excel (« ; », UTF-8 avec BOM, virgule décimale, pour un tableur français)", _csv.Description!);
        _toPostGis.Description = text.T("Écrire aussi les résultats dans PostGIS (Host=…;Database=…;Username=… ou postgresql://utilisateur@hôte/base ; le mot de passe vient de PGPASSWORD ou de ~/.pgpass)", _toPostGis.Description!);
        _schema.Description = text.T("Le schéma PostGIS de --to-postgis ; ses tables cells, gaps, zones, pairs, summary sont remplacées", _schema.Description!);
        _csv.AcceptOnlyFromAmong("standard", "excel");
        _schema.Validators.Add(r =>
        {
            string? s = r.GetValueOrDefault<string>();
            if (string.IsNullOrEmpty(s) || !System.Text.RegularExpressions.Regex.IsMatch(s, "^[a-z_][a-z0-9_]*$"))
                r.AddError(text.T($"--schema : « {s} » n'est pas un nom de schéma (minuscules, chiffres et _)", $"--schema: \"{s}\" is not a schema name (lower-case letters, digits and _)"));
        });
    }

    public static ExportOptionSet Create(ConsoleText text) => new(text);

    public void AddTo(Command command)
    {
        command.Options.Add(_csv);
        command.Options.Add(_toPostGis);
        command.Options.Add(_schema);
    }

    public ExportChoices Read(ParseResult parsed) =>
        new(parsed.GetValue(_csv) == "excel" ? CsvDialect.Excel : CsvDialect.Standard, parsed.GetValue(_toPostGis), parsed.GetValue(_schema)!);
}

/// <summary>results.xlsx and results.gpkg, written into the output folder beside the other results.</summary>
internal static class ExportFiles
{
    /// <summary>
    /// Opens both files here (the folder is used from one thread) and writes them on threads of their
    /// own while the caller writes its other files: the GeoPackage's inserts are one thread's work
    /// (SQLite), the longest of the run's outputs, and waiting for the GeoJSON files before starting it
    /// left a core idle (case B). <see cref="Running.Finish"/> waits for both; disposing without it
    /// (the caller failed) waits too, so that no file is still being written as the folder goes.
    /// </summary>
    /// <param name="extra">The command's own tables besides the analysis' (plan score: perimeters; design: design, moves, glue).</param>
    /// <param name="cancel">Ctrl+C: stops both within a moment (the GeoPackage before its next chunk of rows, the workbook
    /// at its next write), so that a cancelled run does not sit out a whole GeoPackage.</param>
    public static Running Start(CepGeo.Core.Metrics.AnalysisResult result, OutputFolder folder, string version,
        IReadOnlyList<ResultTables.Table>? extra = null, CancellationToken cancel = default)
    {
        extra ??= [];
        string gpkg = folder.PathFor(GeoPackageWriter.FileName);
        var xlsx = folder.Create(ResultsWorkbook.FileName);
        // Dedicated threads (long-running): each blocks for a second or more, and on the thread pool
        // they held the threads that the GeoJSON formatting and the GeoPackage's blobs run on.
        var workbook = Task.Factory.StartNew(() =>
        {
            using (xlsx) ResultsWorkbook.Write(new Cancellable(xlsx, cancel), result, extra);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var geoPackage = Task.Factory.StartNew(() => WriteGeoPackage(result, gpkg, version, extra, cancel),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new Running(workbook, geoPackage);
    }

    /// <summary>
    /// Writes both exports (<see cref="Start"/>) while <paramref name="others"/> writes the command's other files; returns the
    /// exports' names once all are written. A failure of <paramref name="others"/> is the one reported, once both are done.
    /// </summary>
    public static IReadOnlyList<string> WriteBeside(CepGeo.Core.Metrics.AnalysisResult result, OutputFolder folder, string version,
        Action others, IReadOnlyList<ResultTables.Table>? extra = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(others);
        using var running = Start(result, folder, version, extra, cancel);
        others();
        return running.Finish();
    }

    /// <summary>The two exports being written.</summary>
    internal sealed class Running(Task workbook, Task geoPackage) : IDisposable
    {
        /// <summary>Waits for both; the first failure (the GeoPackage's, then the workbook's) is thrown as it was.</summary>
        public IReadOnlyList<string> Finish()
        {
            try
            {
                geoPackage.GetAwaiter().GetResult();
            }
            finally
            {
                // Even when the GeoPackage failed: the workbook is let finish before the error goes up.
                Quietly(workbook);
            }
            workbook.GetAwaiter().GetResult();
            return [ResultsWorkbook.FileName, GeoPackageWriter.FileName];
        }

        /// <summary>Waits for both without throwing: the caller's own failure is the one reported.</summary>
        public void Dispose()
        {
            Quietly(geoPackage);
            Quietly(workbook);
        }

        private static void Quietly(Task task)
        {
            try { task.Wait(); } catch (AggregateException) { }
        }
    }

    private static void WriteGeoPackage(CepGeo.Core.Metrics.AnalysisResult result, string path, string version, IReadOnlyList<ResultTables.Table> extra,
        CancellationToken cancel)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate,
            // No pool: the file is moved into place once written.
            Pooling = false,
        };
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ToString()))
        {
            connection.Open();
            GeoPackageWriter.Write(connection, result, version, extra, cancel: cancel);
        }
    }

    /// <summary>A stream that throws <see cref="OperationCanceledException"/> on a write once Ctrl+C came.</summary>
    private sealed class Cancellable(Stream inner, CancellationToken cancel) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count)
        {
            cancel.ThrowIfCancellationRequested();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cancel.ThrowIfCancellationRequested();
            inner.Write(buffer);
        }
    }
}
