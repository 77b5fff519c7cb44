using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;

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

    public static byte[] Convert(byte[] csv)
    {
        var rows = Parse(Encoding.UTF8.GetString(csv));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            if (rows.Count > 0)
            {
                var header = rows[0];
                foreach (var row in rows.Skip(1))
                {
                    json.WriteStartObject();
                    for (int i = 0; i < header.Count; i++)
                    {
                        string value = i < row.Count ? row[i] : "";
                        json.WritePropertyName(header[i]);
                        WriteValue(json, header[i], value);
                    }
                    json.WriteEndObject();
                }
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string column, string value)
    {
        if (value.Length == 0) json.WriteNullValue();
        else if (TextColumns.Contains(column)) json.WriteStringValue(value);
        else if (value is "true" or "false") json.WriteBooleanValue(value == "true");
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
            json.WriteNumberValue(d);
        else json.WriteStringValue(value);
    }

    /// <summary>RFC 4180: comma, double quotes doubled inside quoted fields, LF or CRLF.</summary>
    internal static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString()); field.Clear();
                    rows.Add(row); row = []; any = false;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (any || field.Length > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
