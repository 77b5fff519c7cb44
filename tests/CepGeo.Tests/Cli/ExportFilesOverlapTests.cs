using System.IO.Compression;
using CepGeo.Cli.Commands;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Loading;
using Microsoft.Data.Sqlite;

namespace CepGeo.Tests.Cli;

/// <summary>
/// results.gpkg and results.xlsx are written on threads of their own while <c>analyze</c> writes its other
/// files (issue 28, case B): the command must still never leave the folder, or report an error, while
/// one of them is half written.
/// </summary>
public sealed class ExportFilesOverlapTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static AnalysisResult Demo()
    {
        string studyPath = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");
        using var json = File.OpenRead(studyPath);
        var study = StudyReader.Read(json, "study.json", Path.GetDirectoryName(studyPath)!);
        return Analysis.Run(study, s => LayerReader.Read(s.Path, LayerOptions.For(s)), w => LayerReader.Read(w.Path, LayerOptions.For(w)));
    }

    private static long Count(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The caller fails while the exports are being written (as a GeoJSON write failing would): by the time its
    /// error leaves the block, both files are whole, so the folder can be removed and nothing writes into it later.
    /// Without the wait the error left at once, the GeoPackage still empty of rows (its tables are made first).
    /// </summary>
    [Fact]
    public void CallerFails_WhileExportsRun_BothFilesAreWholeBeforeTheErrorLeaves()
    {
        var r = Demo();
        using var folder = OutputFolder.Open(_dir.File("out"), force: false);
        void FailWhileRunning()
        {
            using var running = ExportFiles.Start(r, folder, "test");
            throw new IOException("the caller's own failure");
        }
        var error = Assert.Throws<IOException>(FailWhileRunning);
        Assert.Equal("the caller's own failure", error.Message);

        string gpkg = Path.Combine(folder.Staging, GeoPackageWriter.FileName);
        using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gpkg, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            c.Open();
            Assert.Equal(r.Cells.Features.Count, Count(c, "SELECT count(*) FROM cells"));
            Assert.Equal(r.Comparisons.Sum(x => x.Defects.Count), Count(c, "SELECT count(*) FROM gaps"));
            Assert.Equal(r.Comparisons.Sum(x => x.Pairs.Count) + r.OperatorPairs.Sum(x => x.Pairs.Count), Count(c, "SELECT count(*) FROM pairs"));
            Assert.Equal(2, Count(c, "SELECT count(*) FROM layer_styles WHERE f_table_name IN ('cells', 'gaps') AND useAsDefault"));
        }
        using var zip = ZipFile.OpenRead(Path.Combine(folder.Staging, ResultsWorkbook.FileName));
        Assert.Contains(zip.Entries, e => e.FullName == "xl/worksheets/sheet2.xml");
    }

    /// <summary>
    /// Ctrl+C reaches the two export threads: a run cancelled as its write step starts does not wait for a whole
    /// GeoPackage and workbook (case B: a second or more) before it stops. Both threads were started without the
    /// token before, and Finish returned both names.
    /// </summary>
    [Fact]
    public void Cancelled_TheExportsStop_AndFinishThrowsTheCancellation()
    {
        var r = Demo();
        using var folder = OutputFolder.Open(_dir.File("out3"), force: false);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var error = Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            using var running = ExportFiles.Start(r, folder, "test", cancel: cts.Token);
            running.Finish();
        });
        Assert.Equal(cts.Token, error.CancellationToken);
        // The GeoPackage stopped before its first row of cells (its tables are made first, in the one transaction
        // that is never committed), so the file holds no cells table.
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder.Staging, GeoPackageWriter.FileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        Assert.Equal(0, Count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'cells'"));
    }

    /// <summary>Written with the other files, the GeoPackage holds every cell, gap and pair (the byte comparison with a
    /// GeoPackage written alone was made by hand: docs/performance.md).</summary>
    [Fact]
    public void Finish_ReturnsBothNames_AndTheGeoPackageHoldsEveryCell()
    {
        var r = Demo();
        using var folder = OutputFolder.Open(_dir.File("out2"), force: false);
        IReadOnlyList<string> names;
        using (var running = ExportFiles.Start(r, folder, "test"))
            names = running.Finish();
        Assert.Equal([ResultsWorkbook.FileName, GeoPackageWriter.FileName], names);
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder.Staging, GeoPackageWriter.FileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        Assert.Equal(r.Cells.Features.Count, Count(c, "SELECT count(*) FROM cells"));
        Assert.Equal(r.Cells.Features.Count, Count(c, "SELECT count(DISTINCT cell_id) FROM cells"));
        // 64 KB pages (fewer, larger pages: SQLite's inserts cost less); a GeoPackage all the same.
        Assert.Equal(65536, Count(c, "PRAGMA page_size"));
        Assert.Equal(1196444487, Count(c, "PRAGMA application_id"));
    }
}
