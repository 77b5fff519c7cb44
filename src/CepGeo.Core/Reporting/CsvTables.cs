using System.Globalization;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Reporting;

/// <summary>
/// pairs.csv, cells.csv and zones.csv (spec §6): UTF-8, comma, header row, numbers in round-trip
/// form with '.', booleans true/false, missing values empty. Column names are a stable contract.
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

    public static readonly string[] ZoneColumns =
    [
        "operator", "zone_id", "zone_name", "cell_layer", "area_km2", "pop", "cells", "main_cell", "main_share",
        "nested", "outside_km2",
    ];

    public static void WritePairs(TextWriter w, IEnumerable<PairMetric> rows) => Write(w, PairColumns, rows.Select(PairValues));

    public static void WriteCells(TextWriter w, IEnumerable<CellMetric> rows) => Write(w, CellColumns, rows.Select(CellValues));

    public static void WriteZones(TextWriter w, IEnumerable<ZoneMetric> rows) => Write(w, ZoneColumns, rows.Select(ZoneValues));

    /// <summary>A row's values in the order of <see cref="PairColumns"/> (shared by the CSV and JSON tables).</summary>
    public static object?[] PairValues(PairMetric p) => [p.CellLayer, p.CellId, p.Operator, p.ZoneId, p.AreaKm2, p.Pop,
        p.ShareOfCell, p.ShareOfZone, p.PopShareOfCell, p.PopShareOfZone, p.Significant];

    public static object?[] CellValues(CellMetric c) => [c.CellLayer, c.CellId, c.CellName, c.Operator, c.AreaKm2, c.Pop,
        c.Coverage, c.PopCoverage, c.GapKm2, c.PopGap, c.DoubleKm2, c.PopDouble, c.Partners,
        c.DominantZone, c.DominantShare, c.Nested, c.Straddling, c.Misfit, c.PopMisfit,
        c.Coterminous, c.Aligned];

    public static object?[] ZoneValues(ZoneMetric z) => [z.Operator, z.ZoneId, z.ZoneName, z.CellLayer, z.AreaKm2, z.Pop,
        z.Cells, z.MainCell, z.MainShare, z.Nested, z.OutsideKm2];

    /// <summary>A header row and one line per row of values.</summary>
    public static void Write(TextWriter w, string[] columns, IEnumerable<object?[]> rows)
    {
        w.Write(string.Join(',', columns));
        w.Write('\n');
        foreach (var v in rows)
        {
            for (int i = 0; i < v.Length; i++)
            {
                if (i > 0) w.Write(',');
                w.Write(Cell(v[i]));
            }
            w.Write('\n');
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

    /// <summary>One CSV field: round-trip numbers, lower-case booleans, quoted text when needed.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d when !double.IsFinite(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => Quote(s),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
