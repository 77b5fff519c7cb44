using System.Globalization;
using System.Text.Json;
using System.Text.Encodings.Web;

using CepGeo.Core.Loading;
using CepGeo.Core.Reporting;

namespace CepGeo.Viewer;

/// <summary>
/// Turns one of analyze's CSV tables into a JSON array of objects (column name → value), so that
/// the page reads the very numbers of the exported tables, whether they were just computed or read
/// from an earlier results folder.
/// </summary>
internal static class CsvJson
{
    /// <summary>Columns holding names and ids: kept as text even when they look like numbers (INSEE codes).</summary>
    private static readonly HashSet<string> TextColumns = new(StringComparer.Ordinal)
    {
        "cell_layer", "cell_id", "cell_name", "operator", "zone_id", "zone_name", "dominant_zone", "main_cell",
    };

    /// <param name="name">The table's file name, for messages (cells.csv).</param>
    public static byte[] Convert(byte[] csv, string name)
    {
        var table = CsvTable.Read(new MemoryStream(csv), name);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var row in table.Rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < table.Header.Count; i++)
                {
                    json.WritePropertyName(table.Header[i]);
                    WriteValue(json, table.Header[i], row.Fields[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string column, string value)
    {
        if (value.Length == 0) json.WriteNullValue();
        // Ids and names as the study has them: the CSV's guard against spreadsheet formulas taken off.
        else if (TextColumns.Contains(column)) json.WriteStringValue(SpreadsheetText.Restore(value));
        else if (value is "true" or "false") json.WriteBooleanValue(value == "true");
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
            json.WriteNumberValue(d);
        else json.WriteStringValue(value);
    }
}
