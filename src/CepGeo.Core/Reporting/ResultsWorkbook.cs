using CepGeo.Core.Metrics;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using MiniExcelLibs;

namespace CepGeo.Core.Reporting;

/// <summary>
/// results.xlsx: the summary and the three tables as sheets (Synthèse, Cellules, Paires, Zones) for
/// planners who work in Excel. French headings (glossary words), codes as text (<c>04049</c> keeps
/// its zero), numbers as numbers with a display format, booleans as booleans, the header row frozen.
/// Text is written as text cells, never as formulas, and neutralised by <see cref="SpreadsheetText"/>.
/// </summary>
public static class ResultsWorkbook
{
    public const string FileName = "results.xlsx";

    /// <summary>The sheet names, in order, and the table each shows.</summary>
    public static IReadOnlyList<(string Sheet, string Table)> Sheets { get; } =
        [("Synthèse", "summary"), ("Cellules", "cells"), ("Paires", "pairs"), ("Zones", "zones")];

    public static void Write(Stream stream, AnalysisResult r) =>
        Write(stream, [ResultTables.Summary(r), ResultTables.Cells(r), ResultTables.Pairs(r), ResultTables.Zones(r)]);

    /// <summary>Writes the tables (in the order of <see cref="Sheets"/>, matched by table name) as sheets.</summary>
    public static void Write(Stream stream, IReadOnlyList<ResultTables.Table> tables)
    {
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        var columns = new List<DynamicExcelColumn>();
        foreach (var (sheet, name) in Sheets)
        {
            var table = tables.FirstOrDefault(t => t.Name == name);
            if (table is null) continue;
            // Each sheet's columns are keyed by sheet so that one column name can carry a heading per table.
            string[] keys = [.. table.Columns.Select(c => name + "." + c)];
            for (int i = 0; i < keys.Length; i++)
                columns.Add(new DynamicExcelColumn(keys[i])
                {
                    Name = ResultTables.FrenchHeading(name, table.Columns[i]),
                    Format = Format(table.Columns[i], table.Types[i]),
                    Width = Math.Clamp(ResultTables.FrenchHeading(name, table.Columns[i]).Length + 2, 10, 40),
                });
            sheets[sheet] = table.Rows.Select(row =>
            {
                var d = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
                for (int i = 0; i < keys.Length; i++)
                    d[keys[i]] = row[i] switch
                    {
                        double v when !double.IsFinite(v) => null,
                        string text => SpreadsheetText.Neutralise(text),
                        var v => v,
                    };
                return (IDictionary<string, object?>)d;
            });
        }
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            AutoFilter = true,
            DynamicColumns = [.. columns],
        };
        MiniExcel.SaveAs(stream, sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: configuration);
    }

    /// <summary>The display format of a number column: people as whole numbers, km² to 0.01, shares to 0.001.</summary>
    private static string? Format(string column, ColumnType type) => type switch
    {
        ColumnType.Integer => "0",
        ColumnType.Real when column is "pop" or "pop_gap" or "pop_double" => "#,##0",
        ColumnType.Real when column.EndsWith("_km2", StringComparison.Ordinal) => "#,##0.00",
        ColumnType.Real when column.EndsWith("_pct", StringComparison.Ordinal) => "0.0",
        ColumnType.Real => "0.000",
        _ => null,
    };
}
