using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
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
/// Where the study has sites, a Sites sheet (spec §9 per operator × cell); <c>plan score</c> adds Plan
/// (perimeters.csv), <c>design</c> its Proposition, Mouvements and Liaisons (design, moves, glue.csv).
/// </summary>
/// <remarks>
/// MiniExcel writes the worksheet XML with an <c>x:</c> prefix on every element and text cells as
/// <c>t="str"</c> (a formula's string result). Both are valid OOXML that Excel and LibreOffice read, but
/// GDAL's XLSX driver (QGIS's reader) matches unprefixed names (<c>row</c>, <c>c</c>) and takes
/// <c>t="str"</c> for a number: it found no row in any sheet, dropped every sheet but the first as
/// empty, and would have read <c>04049</c> as 4049. <see cref="ForGdal"/> rewrites each part of the
/// package in the default namespace with text cells as inline strings (<c>t="inlineStr"</c>), the
/// same cells spelled the way Excel itself writes them.
/// </remarks>
public static class ResultsWorkbook
{
    public const string FileName = "results.xlsx";

    /// <summary>The sheet names, in order, and the table each shows.</summary>
    public static IReadOnlyList<(string Sheet, string Table)> Sheets { get; } =
    [
        ("Synthèse", "summary"), ("Cellules", "cells"), ("Paires", "pairs"), ("Zones", "zones"), ("Sites", "sites"),
        ("Plan", "perimeters"), ("Proposition", "design"), ("Mouvements", "moves"), ("Liaisons", "glue"),
    ];

    /// <param name="extra">Tables of the command besides the analysis (perimeters, design, moves, glue).</param>
    public static void Write(Stream stream, AnalysisResult r, IEnumerable<ResultTables.Table>? extra = null) =>
        Write(stream, [.. ResultTables.Analysis(r), .. extra ?? []], r.Study.Tolerances.BeyondKm);

    /// <summary>Writes the tables (in the order of <see cref="Sheets"/>, matched by table name) as sheets.</summary>
    /// <param name="beyondKm">The N of the headings "Habitants à plus de N km".</param>
    public static void Write(Stream stream, IReadOnlyList<ResultTables.Table> tables, double beyondKm = 20) =>
        Write(stream, tables, beyondKm, rowsByMiniExcel: false);

    /// <param name="rowsByMiniExcel">Every row through MiniExcel and the rewrite (the tests' reference for
    /// the rows written here); else MiniExcel writes each sheet's heading and first row only.</param>
    internal static void Write(Stream stream, IReadOnlyList<ResultTables.Table> tables, double beyondKm, bool rowsByMiniExcel)
    {
        string km = beyondKm.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR"));
        string Heading(string table, string column) => ResultTables.FrenchHeading(table, column).Replace(" N km", $" {km} km", StringComparison.Ordinal);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        var columns = new List<DynamicExcelColumn>();
        var written = new List<ResultTables.Table>();
        foreach (var (sheet, name) in Sheets)
        {
            var table = tables.FirstOrDefault(t => t.Name == name);
            if (table is null) continue;
            // Each sheet's columns are keyed by sheet so that one column name can carry a heading per table.
            string[] keys = [.. table.Columns.Select(c => name + "." + c)];
            for (int i = 0; i < keys.Length; i++)
                columns.Add(new DynamicExcelColumn(keys[i])
                {
                    Name = Heading(name, table.Columns[i]),
                    Format = Format(table.Columns[i], table.Types[i]),
                    Width = Math.Clamp(Heading(name, table.Columns[i]).Length + 2, 10, 40),
                });
            sheets[sheet] = (rowsByMiniExcel ? table.Rows : table.Rows.Take(1)).Select(row =>
            {
                var d = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
                for (int i = 0; i < keys.Length; i++) d[keys[i]] = CellValue(row[i]);
                return (IDictionary<string, object?>)d;
            });
            written.Add(table);
        }
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            AutoFilter = true,
            DynamicColumns = [.. columns],
        };
        using var package = new MemoryStream();
        MiniExcel.SaveAs(package, sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: configuration);
        package.Position = 0;
        // MiniExcel numbers the custom formats in the order the columns first use them, after its six styles.
        var formats = columns.Select(c => c.Format).Where(f => f is not null).Distinct(StringComparer.Ordinal).ToList();
        ForGdal(package, stream, rowsByMiniExcel ? null : k => written[k - 1], t => [.. t.Columns.Select((c, i) => Format(c, t.Types[i]) is { } f ? 6 + formats.IndexOf(f) : 0)]);
    }

    /// <summary>A value as a cell holds it: NaN and infinities empty, text neutralised (<see cref="SpreadsheetText"/>).</summary>
    private static object? CellValue(object? value) => value switch
    {
        double v when !double.IsFinite(v) => null,
        string text => SpreadsheetText.Neutralise(text),
        var v => v,
    };

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>
    /// The package copied part by part, its XML in the default namespace and its text cells inline (see
    /// remarks). With <paramref name="table"/>, sheet k's rows after the heading are <paramref name="table"/>(k)'s, written
    /// here as the rewrite spells MiniExcel's (a national workbook is 75 MB of cells: MiniExcel and the
    /// rewrite took 4.5 s of processor time for them).
    /// </summary>
    private static void ForGdal(Stream package, Stream output, Func<int, ResultTables.Table>? table = null, Func<ResultTables.Table, int[]>? styles = null)
    {
        using var from = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        using var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in from.Entries)
        {
            using var source = entry.Open();
            // Fastest: case B's workbook (35,228 communes) is 75 MB of XML, which Optimal packed to 9.5
            // instead of 16 MB for a second more of processor time; the parts are the same.
            using var target = to.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
            bool xml = entry.FullName.StartsWith("xl/", StringComparison.Ordinal) && entry.FullName.EndsWith(".xml", StringComparison.Ordinal);
            if (xml && table is not null && SheetNumber(entry.FullName) is int k && table(k) is { } t && t.Rows.Any())
            {
                var small = new MemoryStream();
                Unprefix(source, small);
                SheetRows.Write(small.GetBuffer().AsSpan(0, (int)small.Length), t, styles!(t), target);
            }
            else if (xml)
                Unprefix(source, target);
            else
                source.CopyTo(target);
        }
    }

    /// <summary>k of <c>xl/worksheets/sheet{k}.xml</c>, else null.</summary>
    private static int? SheetNumber(string part) =>
        part.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal) && part.EndsWith(".xml", StringComparison.Ordinal)
        && int.TryParse(part.AsSpan(19, part.Length - 23), NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k : null;

    private static void Unprefix(Stream source, Stream target)
    {
        using var reader = XmlReader.Create(source, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        using var writer = XmlWriter.Create(target, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        writer.WriteStartDocument(true);
        bool textCell = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    bool main = reader.NamespaceURI == Main;
                    bool empty = reader.IsEmptyElement;
                    if (main && textCell && reader.LocalName == "v")
                    {
                        // <c t="str"><v>text</v></c> → <c t="inlineStr"><is><t>text</t></is></c>
                        writer.WriteStartElement("is", Main);
                        writer.WriteStartElement("t", Main);
                        writer.WriteAttributeString("xml", "space", null, "preserve");
                        if (empty) { writer.WriteEndElement(); writer.WriteEndElement(); }
                        break;
                    }
                    writer.WriteStartElement(main ? "" : reader.Prefix, reader.LocalName, reader.NamespaceURI);
                    if (main && reader.LocalName == "c") textCell = false;
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            // The prefix's declaration goes; the default namespace is declared by the writer.
                            if (reader.Prefix == "xmlns" && reader.Value == Main) continue;
                            if (reader.Prefix == "" && reader.LocalName == "xmlns") continue;
                            string value = reader.Value;
                            if (main && reader.Prefix == "" && reader.LocalName == "t" && value == "str")
                            {
                                value = "inlineStr";
                                textCell = true;
                            }
                            writer.WriteAttributeString(reader.Prefix, reader.LocalName, reader.NamespaceURI, value);
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    if (empty) writer.WriteEndElement();
                    break;
                case XmlNodeType.EndElement:
                    if (reader.NamespaceURI == Main && textCell && reader.LocalName == "v")
                    {
                        writer.WriteEndElement();
                        writer.WriteEndElement();
                        break;
                    }
                    if (reader.NamespaceURI == Main && reader.LocalName == "c") textCell = false;
                    writer.WriteFullEndElement();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    writer.WriteString(reader.Value);
                    break;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    writer.WriteWhitespace(reader.Value);
                    break;
            }
        }
    }

    /// <summary>The display format of a number column: people as whole numbers, km² to 0.01, shares to 0.001.</summary>
    private static string? Format(string column, ColumnType type) => type switch
    {
        ColumnType.Integer => "0",
        ColumnType.Real when column is "pop" or "pop_gap" or "pop_double" or "pop_beyond" or "moved_pop"
            || column.StartsWith("pop_before", StringComparison.Ordinal) || column.StartsWith("pop_after", StringComparison.Ordinal)
            || column is "pop_gained" or "pop_lost" or "detached_pop" => "#,##0",
        ColumnType.Real when column.EndsWith("_km2", StringComparison.Ordinal) || column.Contains("_km2_", StringComparison.Ordinal) => "#,##0.00",
        ColumnType.Real when column.EndsWith("_km", StringComparison.Ordinal) || column == "sites_per_100k" => "0.0",
        ColumnType.Real when column.EndsWith("_pct", StringComparison.Ordinal) => "0.0",
        ColumnType.Real => "0.000",
        _ => null,
    };
}
