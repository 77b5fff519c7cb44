using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading;

/// <summary>Decodes one complete GeoJSON Feature object (already known to be well-formed JSON).</summary>
/// <remarks>A member that breaks GeoJSON throws <see cref="JsonException"/>; the caller names the feature.</remarks>
internal static class GeoJsonFeatureParser
{
    /// <param name="keep">When set, only these properties' values are decoded (a national layer's other
    /// properties were hundreds of thousands of strings read to be dropped). Should one of them be
    /// missing, every property is listed, with null values, so that the message can name them.</param>
    public static RawFeature Parse(ReadOnlySpan<byte> json, string where, GeometryFactory factory, string[]? keep = null)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Shape($"elle est {Describe(reader.TokenType, true)}, pas un objet Feature", $"it is {Describe(reader.TokenType)}, not a Feature object");

        string? id = null;
        string? type = null;
        IReadOnlyDictionary<string, object?> properties = AttributeValues.None;
        Geometry? geometry = null;
        var notes = GeometryNotes.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("geometry"u8))
            {
                reader.Read();
                // The geometry parser may go on over a later part of the text: json follows it.
                (geometry, notes) = new GeoJsonGeometryParser(factory).Parse(ref json, ref reader);
            }
            else if (reader.ValueTextEquals("properties"u8))
            {
                reader.Read();
                properties = ReadProperties(json, ref reader, keep);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : "(not a string)";
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // A missing "type" is tolerated inside a FeatureCollection: the position says what it is.
        if (type is not null && type != "Feature")
            throw Shape($"elle a \"type\": \"{type}\" là où une Feature est attendue", $"it has \"type\": \"{type}\" where a Feature was expected");
        return new RawFeature(where, id, properties, geometry, notes);
    }

    private static string? ReadId(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => NumberTextAsId(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw Shape("\"id\" doit être un texte ou un nombre", "\"id\" must be a string or a number"),
    };

    /// <summary>An integer id as its exact text, however many digits (JSON integers have no leading zero or '+'); other numbers as <see cref="AttributeValues.NumberAsId"/>.</summary>
    private static string NumberTextAsId(ReadOnlySpan<byte> text) =>
        IsIntegerText(text)
            ? (text.SequenceEqual("-0"u8) ? "0" : Encoding.UTF8.GetString(text))
            : AttributeValues.NumberAsId(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsIntegerText(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text[0] == '-') text = text[1..];
        if (text.Length == 0) return false;
        foreach (byte b in text)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return true;
    }

    private static Dictionary<string, object?> ReadProperties(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, string[]? keep)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
            return properties;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Shape("\"properties\" doit être un objet ou null", "\"properties\" must be an object or null");
        int position = 0;
        for (; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
        {
            string name = PropertyName(ref reader, position);
            reader.Read();
            if (keep is not null && Array.IndexOf(keep, name) < 0)
                reader.Skip();
            else
                properties[name] = ReadValue(json, ref reader);
        }
        if (keep is null || Array.TrueForAll(keep, properties.ContainsKey))
            return properties;
        // A wanted property is missing: all the names, in file order (as read into t_names).
        var all = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < position; i++)
            all[t_names![i]!] = properties.GetValueOrDefault(t_names[i]!);
        return all;
    }

    [ThreadStatic]
    private static string?[]? t_names;

    /// <summary>
    /// The property name, as the same string as the previous feature's at this position when it is
    /// the same name: the features of a layer repeat their names, and a national layer held one
    /// copy of each per feature (hundreds of thousands of strings).
    /// </summary>
    private static string PropertyName(ref Utf8JsonReader reader, int position)
    {
        var names = t_names ??= new string?[16];
        if (position < names.Length && names[position] is { } last && reader.ValueTextEquals(last))
            return last;
        string name = reader.GetString()!;
        if (position >= names.Length) Array.Resize(ref t_names, Math.Max(2 * names.Length, position + 1));
        t_names![position] = name;
        return name;
    }

    private static object? ReadValue(ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.Number:
                // Beyond double range the text is kept rather than turned into infinity; so is an
                // integer beyond 2^53, which a double would round (a 20-digit id).
                if (IsIntegerText(reader.ValueSpan)
                    && (!reader.TryGetInt64(out long whole) || Math.Abs((decimal)whole) > AttributeValues.MaxExact))
                    return Encoding.UTF8.GetString(reader.ValueSpan);
                return reader.TryGetDouble(out double d) && double.IsFinite(d) ? d : Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            default:
                // Nested objects and arrays are kept as their JSON text: CepGeo only reads flat values.
                int start = checked((int)reader.TokenStartIndex);
                reader.Skip();
                return Encoding.UTF8.GetString(json[start..checked((int)reader.BytesConsumed)]);
        }
    }

    public static string Describe(JsonTokenType token, bool french = false) => token switch
    {
        JsonTokenType.StartArray => french ? "une liste" : "an array",
        JsonTokenType.StartObject => french ? "un objet" : "an object",
        JsonTokenType.String => french ? "un texte" : "a string",
        JsonTokenType.Number => french ? "un nombre" : "a number",
        JsonTokenType.True or JsonTokenType.False => french ? "un booléen" : "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>A feature that breaks GeoJSON's shape: a plain <see cref="JsonException"/> (the readers tell it from the
    /// JSON reader's own syntax errors by its type) carrying its French in <see cref="Exception.Data"/>.</summary>
    internal static JsonException Shape(string french, string english)
    {
        var e = new JsonException(english);
        e.Data[FrenchKey] = french;
        return e;
    }

    /// <summary>The problem of a <see cref="Shape"/> exception in both languages (English only for any other).</summary>
    internal static CepGeo.Core.Model.Phrase Words(JsonException e) => new(e.Data[FrenchKey] as string ?? e.Message, e.Message);

    private const string FrenchKey = "cepgeo.fr";
}
