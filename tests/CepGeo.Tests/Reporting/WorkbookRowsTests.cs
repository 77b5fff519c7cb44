using System.IO.Compression;
using System.Text.RegularExpressions;
using CepGeo.Core.Reporting;

namespace CepGeo.Tests.Reporting;

/// <summary>
/// results.xlsx's rows are written by CepGeo after MiniExcel's heading row: every part of the package
/// must be the one MiniExcel and the rewrite make when they write every row themselves.
/// </summary>
public sealed partial class WorkbookRowsTests
{
    [GeneratedRegex("(Id|r:id)=\"R[0-9a-f]+\"")]
    private static partial Regex RelationshipId();

    /// <summary>Each part's text, MiniExcel's random relationship ids set aside.</summary>
    private static Dictionary<string, string> Parts(Action<Stream> write)
    {
        var s = new MemoryStream();
        write(s);
        s.Position = 0;
        using var zip = new ZipArchive(s, ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var r = new StreamReader(e.Open());
            return RelationshipId().Replace(r.ReadToEnd(), "$1=\"R\"");
        });
    }

    [Fact]
    public void RowsWrittenHere_AreThePartsMiniExcelAndTheRewriteMake()
    {
        string[] texts =
        [
            "cells", "04049", "", " ", "  two  ", "Saint-Étienne", "a & b < c > d", "\"quoted\" 'single'", "=1+1", "-12", "+cmd", "@x",
            "line\nbreak", "tab\tinside", "crlf\r\nline", "emoji 🗺️ and ½", "x\u00a0y", "' =apostrophe", "end\t", "end\n", "\u0001ctl", "a_x0041_b", "e\u0301", "trail ", "\u00a0nbsp",
        ];
        double[] numbers = [0, -0.0, 1, -1.5, 0.1, 1e-7, 9.159147613532412E-05, 1e21, 123456789.123, double.NaN, double.PositiveInfinity, double.Epsilon, double.MaxValue];
        var rows = new List<object?[]>();
        for (int i = 0; i < 40; i++)
            rows.Add([texts[i % texts.Length], numbers[i % numbers.Length], i % 3 == 0 ? null : i * 1000 - 7, i % 2 == 0, i % 5 == 0 ? null : numbers[(i + 3) % numbers.Length], (long)i << 40]);
        var zones = new ResultTables.Table("zones", ["zone_id", "area_km2", "cells", "nested", "main_share", "pop"],
            [ColumnType.Text, ColumnType.Real, ColumnType.Integer, ColumnType.Boolean, ColumnType.Real, ColumnType.Real], rows);
        // A sheet of 30 columns (AA, AB… after Z), one of one row, one of none.
        string[] wide = [.. Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? $"c{i}_km2" : $"c{i}_pct")];
        var pairs = new ResultTables.Table("pairs", wide, [.. wide.Select(_ => ColumnType.Real)],
            [.. Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 30).Select(c => (object?)(r * 100.0 + c / 7.0)).ToArray())]);
        var summary = new ResultTables.Table("summary", ResultTables.SummaryColumns, ResultTables.SummaryTypes,
            [["cells", "ml", "Missions locales", 12, 50.0, 25.0, 75.0, 1.5, 3, 10.25, 1200.0, 0.0, null, 0.9, double.NaN]]);
        var cells = new ResultTables.Table("cells", ["cell_id", "pop"], [ColumnType.Text, ColumnType.Real], []);
        IReadOnlyList<ResultTables.Table> tables = [summary, cells, pairs, zones];

        var reference = Parts(s => ResultsWorkbook.Write(s, tables, 20, rowsByMiniExcel: true));
        var written = Parts(s => ResultsWorkbook.Write(s, tables));

        Assert.Equal(reference.Keys.Order(), written.Keys.Order());
        foreach (var (part, text) in reference)
            Assert.True(text == written[part], $"{part} differs:\n{text}\n---\n{written[part]}");
        // The rows are there: 40 zones (and the heading), the last cell of the wide sheet in column AD.
        Assert.Contains("<row r=\"41\">", written["xl/worksheets/sheet4.xml"], StringComparison.Ordinal);
        Assert.Contains("<autoFilter ref=\"A1:F41\" />", written["xl/worksheets/sheet4.xml"], StringComparison.Ordinal);
        Assert.Contains("<c r=\"AD4\" s=\"", written["xl/worksheets/sheet3.xml"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(51, "AZ")]
    [InlineData(52, "BA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void ColumnLetters(int column, string letters) => Assert.Equal(letters, SheetRows.Letters(column));
}
