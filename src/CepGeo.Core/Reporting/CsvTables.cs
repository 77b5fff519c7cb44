using System.Globalization;
using System.Text;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Reporting;

/// <summary>
/// pairs.csv, cells.csv and zones.csv (spec §6): UTF-8, comma, header row, numbers in round-trip
/// form with '.' (a real always has its decimal point or exponent: <c>1.0</c>, never <c>1</c>, so a
/// type-guessing reader never takes it for an integer), booleans true/false, missing values empty.
/// Column names are a stable contract. Beside each CSV, a GDAL/QGIS <c>.csvt</c> says every column's
/// type (ids and codes as String: <c>04049</c> stays <c>04049</c>). <see cref="CsvDialect.Excel"/> writes
/// the same table for a French spreadsheet: <c>;</c>, UTF-8 with BOM, decimal comma.
/// </summary>
public static class CsvTables
{
    public static readonly string[] PairColumns =
    [
        "cell_layer", "cell_id", "operator", "zone_id", "area_km2", "pop", "share_of_cell", "share_of_zone",
        "pop_share_of_cell", "pop_share_of_zone", "significant",
    ];

    public static readonly string[] CellColumns =
    [
        "cell_layer", "cell_id", "cell_name", "operator", "area_km2", "pop", "coverage", "pop_coverage",
        "gap_km2", "pop_gap", "double_km2", "pop_double", "partners", "dominant_zone", "dominant_share",
        "nested", "straddling", "misfit", "pop_misfit", "coterminous", "aligned",
    ];

    /// <summary>Spec §9, appended to <see cref="CellColumns"/> when the study has sites (empty on rows without).</summary>
    public static readonly string[] SiteColumns =
    [
        "sites", "sites_per_100k", "dist_mean_km", "dist_p90_km", "pop_beyond", "pop_beyond_share",
    ];

    public static readonly string[] ZoneColumns =
    [
        "operator", "zone_id", "zone_name", "cell_layer", "area_km2", "pop", "cells", "main_cell", "main_share",
        "nested", "outside_km2",
    ];

    /// <summary>The type of each column of <see cref="PairColumns"/>.</summary>
    public static readonly ColumnType[] PairTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Boolean,
    ];

    /// <summary>The type of each column of <see cref="CellColumns"/>.</summary>
    public static readonly ColumnType[] CellTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Integer, ColumnType.Text,
        ColumnType.Real, ColumnType.Integer, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Boolean, ColumnType.Boolean,
    ];

    /// <summary>The type of each column of <see cref="SiteColumns"/>.</summary>
    public static readonly ColumnType[] SiteTypes =
    [
        ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real,
    ];

    /// <summary>The type of each column of <see cref="ZoneColumns"/>.</summary>
    public static readonly ColumnType[] ZoneTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Real, ColumnType.Real, ColumnType.Integer,
        ColumnType.Text, ColumnType.Real, ColumnType.Boolean, ColumnType.Real,
    ];

    /// <summary>
    /// The <c>.csvt</c> GDAL and QGIS read beside a CSV: one line, each column's type quoted
    /// (<c>"String","Real","Integer","Integer(Boolean)"</c>), so that codes keep their leading zeros and a
    /// column keeps one type from run to run.
    /// </summary>
    public static void WriteCsvt(Stream s, IReadOnlyList<ColumnType> types)
    {
        var line = string.Join(',', types.Select(t => "\"" + CsvtName(t) + "\"")) + "\n";
        s.Write(Encoding.UTF8.GetBytes(line));
    }

    private static string CsvtName(ColumnType t) => t switch
    {
        ColumnType.Integer => "Integer",
        ColumnType.Real => "Real",
        ColumnType.Boolean => "Integer(Boolean)",
        _ => "String",
    };

    /// <summary>A row's values in the order of <see cref="PairColumns"/> (shared by the CSV and JSON tables).</summary>
    /// <remarks>Numbers and flags through <see cref="Boxed"/>: 0, 1 and the flags are most of them.</remarks>
    public static object?[] PairValues(PairMetric p) => [p.CellLayer, p.CellId, p.Operator, p.ZoneId, Boxed.Of(p.AreaKm2), Boxed.Of(p.Pop),
        Boxed.Of(p.ShareOfCell), Boxed.Of(p.ShareOfZone), Boxed.Of(p.PopShareOfCell), Boxed.Of(p.PopShareOfZone), Boxed.Of(p.Significant)];

    public static object?[] CellValues(CellMetric c) => [c.CellLayer, c.CellId, c.CellName, c.Operator, Boxed.Of(c.AreaKm2), Boxed.Of(c.Pop),
        Boxed.Of(c.Coverage), Boxed.Of(c.PopCoverage), Boxed.Of(c.GapKm2), Boxed.Of(c.PopGap), Boxed.Of(c.DoubleKm2), Boxed.Of(c.PopDouble), Boxed.Of(c.Partners),
        c.DominantZone, Boxed.Of(c.DominantShare), Boxed.Of(c.Nested), Boxed.Of(c.Straddling), Boxed.Of(c.Misfit), Boxed.Of(c.PopMisfit),
        Boxed.Of(c.Coterminous), Boxed.Of(c.Aligned)];

    /// <summary>A row's values in the order of <see cref="SiteColumns"/>; all empty when the operator has no sites.</summary>
    public static object?[] SiteValues(SiteMetric? s) => s is null ? new object?[SiteColumns.Length]
        : [s.Sites, s.SitesPer100k, s.DistMeanKm, s.DistP90Km, s.PopBeyond, s.PopBeyondShare];

    public static object?[] ZoneValues(ZoneMetric z) => [z.Operator, z.ZoneId, z.ZoneName, z.CellLayer, Boxed.Of(z.AreaKm2), Boxed.Of(z.Pop),
        Boxed.Of(z.Cells), z.MainCell, Boxed.Of(z.MainShare), Boxed.Of(z.Nested), Boxed.Of(z.OutsideKm2)];

    /// <summary>
    /// A header row and one line per row of values, in UTF-8 (each field as <see cref="Cell"/> writes
    /// it), formatted straight into bytes: national tables are a hundred thousand rows.
    /// </summary>
    /// <param name="dialect"><see cref="CsvDialect.Excel"/>: <c>;</c> between fields, a BOM, decimal comma.</param>
    public static void Write(Stream s, string[] columns, IEnumerable<object?[]> rows, CsvDialect dialect = CsvDialect.Standard)
    {
        var buffer = new byte[1 << 16];
        int at = 0;
        bool excel = dialect == CsvDialect.Excel;
        byte separator = excel ? (byte)';' : (byte)',';
        if (excel) Bytes(Encoding.UTF8.Preamble);
        for (int i = 0; i < columns.Length; i++)
        {
            if (i > 0) Byte(separator);
            Text(excel ? Quote(columns[i], ';') : columns[i]);
        }
        Byte((byte)'\n');
        foreach (var v in rows)
        {
            for (int i = 0; i < v.Length; i++)
            {
                if (i > 0) Byte(separator);
                switch (v[i])
                {
                    case null: break;
                    case double d when !double.IsFinite(d): break;
                    case double d: Real(d); break;
                    case int n: Number(n); break;
                    case bool b: Text(b ? "true" : "false"); break;
                    case string text when excel: Text(Quote(SpreadsheetText.Neutralise(text), ';')); break;
                    default: Text(Cell(v[i])); break;
                }
            }
            Byte((byte)'\n');
        }
        s.Write(buffer, 0, at);

        void Room(int bytes)
        {
            if (at + bytes <= buffer.Length) return;
            s.Write(buffer, 0, at);
            at = 0;
            if (bytes > buffer.Length) buffer = new byte[bytes];
        }
        void Byte(byte b)
        {
            Room(1);
            buffer[at++] = b;
        }
        void Bytes(ReadOnlySpan<byte> bytes)
        {
            Room(bytes.Length);
            bytes.CopyTo(buffer.AsSpan(at));
            at += bytes.Length;
        }
        void Real(double d)
        {
            Room(34);
            int start = at;
            Number(d);
            var written = buffer.AsSpan(start, at - start);
            if (written.IndexOfAny((byte)'.', (byte)'E') < 0)
            {
                buffer[at++] = (byte)'.';
                buffer[at++] = (byte)'0';
            }
            if (excel)
            {
                int dot = buffer.AsSpan(start, at - start).IndexOf((byte)'.');
                if (dot >= 0) buffer[start + dot] = (byte)',';
            }
        }
        void Number<T>(T value) where T : IUtf8SpanFormattable
        {
            Room(32);
            if (!value.TryFormat(buffer.AsSpan(at), out int written, default, CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"{value} does not fit in 32 bytes");
            at += written;
        }
        void Text(string text)
        {
            Room(Encoding.UTF8.GetMaxByteCount(text.Length));
            at += Encoding.UTF8.GetBytes(text, buffer.AsSpan(at));
        }
    }

    /// <summary>The same table as a JSON array of objects keyed by the CSV column names (nulls kept, NaN as null).</summary>
    public static void WriteJson(Stream s, string[] columns, IEnumerable<object?[]> rows)
    {
        using var w = new System.Text.Json.Utf8JsonWriter(s, new System.Text.Json.JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        w.WriteStartArray();
        foreach (var v in rows)
        {
            w.WriteStartObject();
            for (int i = 0; i < columns.Length; i++)
            {
                switch (v[i])
                {
                    case null: w.WriteNull(columns[i]); break;
                    case double d when !double.IsFinite(d): w.WriteNull(columns[i]); break;
                    case double d: w.WriteNumber(columns[i], d); break;
                    case int n: w.WriteNumber(columns[i], n); break;
                    case bool b: w.WriteBoolean(columns[i], b); break;
                    default: w.WriteString(columns[i], Convert.ToString(v[i], CultureInfo.InvariantCulture)); break;
                }
            }
            w.WriteEndObject();
            w.Flush();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// One CSV field: round-trip numbers, lower-case booleans, quoted text when needed; text that a
    /// spreadsheet would run as a formula gets a leading apostrophe (<see cref="SpreadsheetText"/>).
    /// </summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d when !double.IsFinite(d) => "",
        double d => Real(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => Quote(SpreadsheetText.Neutralise(s)),
        _ => Quote(SpreadsheetText.Neutralise(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")),
    };

    /// <summary>A real in round-trip form, with a decimal point when it has neither one nor an exponent (<c>1.0</c>).</summary>
    public static string Real(double d)
    {
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }

    private static string Quote(string s) => Quote(s, ',');

    private static string Quote(string s, char separator) =>
        s.AsSpan().IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

/// <summary>The type of a table column, as GDAL (<c>.csvt</c>), GeoPackage and spreadsheets are told it.</summary>
public enum ColumnType
{
    /// <summary>Ids, codes and names: never read as numbers (<c>04049</c>, <c>2A004</c>).</summary>
    Text,
    Integer,
    Real,
    Boolean,
}

/// <summary>How a CSV table is spelled.</summary>
public enum CsvDialect
{
    /// <summary>UTF-8 without BOM, <c>,</c> between fields, <c>.</c> decimals: GDAL, QGIS, pandas, R.</summary>
    Standard,

    /// <summary>For a French spreadsheet: UTF-8 with BOM (accents survive), <c>;</c> between fields, decimal comma.</summary>
    Excel,
}
