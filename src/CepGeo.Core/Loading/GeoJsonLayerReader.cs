using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CepGeo.Core.Model;
using NetTopologySuite;

namespace CepGeo.Core.Loading;

/// <summary>
/// Reads a GeoJSON layer (RFC 7946, or legacy GeoJSON with a <c>crs</c> member) from a stream:
/// a FeatureCollection, or a single Feature.
/// </summary>
public static partial class GeoJsonLayerReader
{
    private static readonly Phrase CrsAdvice = new(
        "ajoutez un membre crs qui le nomme, ex. \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:2154\"}}, ou la clé \"crs\" de la couche dans l'étude, ou reprojetez le fichier en WGS84",
        "add a crs member naming it, e.g. \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:2154\"}}, or the layer a \"crs\" key in the study, or reproject the file to WGS84");

    /// <summary>Reads the layer; geometries are 2D and polygonal but not yet repaired (see <c>LayerRepair</c>).</summary>
    /// <exception cref="CepGeoInputException">Malformed file or a broken rule of spec §2, naming the file and the feature.</exception>
    public static Layer Read(Stream stream, LayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        // Properties other than the id and the name are not decoded when they will not be kept. With
        // no id property, the file's own ids are used, and a file without them gets a message that
        // lists the properties it has: all are read then.
        string[]? keep = options.KeepAttributes || options.IdField is null ? null : [.. new[] { options.IdField, options.NameField }.OfType<string>()];
        return LayerAssembler.Assemble(options, ReadRaw(stream, options.Source, keep));
    }

    /// <param name="keep">When set, the only properties whose values are decoded (see <see cref="GeoJsonFeatureParser.Parse"/>).</param>
    internal static RawLayer ReadRaw(Stream stream, string source, string[]? keep = null)
    {
        var notes = new List<LoadIssue>();
        using var utf8 = OpenAsUtf8(stream, source, notes);
        if (ReadWhole(stream, utf8) is not { } whole)
            return Read(new JsonStreamScanner(utf8), source, notes, keep);
        int opening = notes.Count;
        try
        {
            return Read(JsonStreamScanner.InMemory(whole.Bytes, whole.Length), source, notes, keep);
        }
        catch (MalformedJsonException)
        {
            // Read again as a stream: that is how a syntax error is placed and told apart from a
            // file that stops short, so a broken file gets the same message whatever its size.
            notes.RemoveRange(opening, notes.Count - opening);
            return Read(new JsonStreamScanner(new MemoryStream(whole.Bytes, 0, whole.Length, writable: false)), source, notes, keep);
        }
    }

    private static RawLayer Read(JsonStreamScanner scanner, string source, List<LoadIssue> notes, string[]? keep)
    {
        try
        {
            return ReadDocument(scanner, source, notes, keep);
        }
        catch (JsonException ex)
        {
            throw Malformed(source, ex, scanner.ReachedEnd);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // A member name or top-level string (outside any feature) that is not UTF-8: found by the fuzz test.
            throw new CepGeoInputException(source, null, NotUtf8, ex);
        }
    }

    /// <summary>
    /// A UTF-8 file of known size up to 256 MB is read whole first: its features can then be parsed
    /// on every core straight from the one buffer while the scanner walks on, instead of being copied
    /// out one by one and parsed in stop-and-go batches. Larger, transcoded or unsized streams are
    /// scanned as they come (holding only one feature at a time).
    /// </summary>
    private static (byte[] Bytes, int Length)? ReadWhole(Stream original, Stream utf8)
    {
        if (!original.CanSeek || utf8 is not PrefixedStream) return null;
        long size = original.Length - original.Position;
        if (size > MaxWholeFile) return null;
        var buffer = new byte[size + 4096];
        int length = 0;
        while (true)
        {
            // Only a file growing while it is read needs more room.
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, 2L * buffer.Length));
            int read = utf8.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }
        return (buffer, length);
    }

    private const long MaxWholeFile = 256L << 20;

    private static readonly Phrase NotUtf8 = new(
        "texte qui n'est pas de l'UTF-8 valide (GeoJSON doit être en UTF-8 ; le fichier a-t-il été enregistré en Latin-1/Windows-1252 ?)",
        "text that is not valid UTF-8 (GeoJSON must be UTF-8; was the file saved as Latin-1/Windows-1252?)");

    /// <summary>The steps: top-level members one by one, features streamed as they come, the type checked at the end.</summary>
    private static RawLayer ReadDocument(JsonStreamScanner scanner, string source, List<LoadIssue> notes, string[]? keep)
    {
        var first = scanner.ReadToken(out _);
        if (first != JsonTokenType.StartObject)
            throw new CepGeoInputException(source, null, new Phrase(
                $"pas du GeoJSON : le fichier contient {GeoJsonFeatureParser.Describe(first, true)}, là où un objet FeatureCollection est attendu",
                $"not GeoJSON: the file holds {GeoJsonFeatureParser.Describe(first)}, where a FeatureCollection object was expected"));

        var factory = NtsGeometryServices.Instance.CreateGeometryFactory();
        string? type = null;
        CrsRef? crs = CrsRef.Wgs84Default;
        List<RawFeature>? features = null;
        var rootFeature = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        while (scanner.ReadToken(out string? member) == JsonTokenType.PropertyName)
        {
            switch (member)
            {
                case "type":
                    type = scanner.ReadValue(out var typeJson) == JsonTokenType.String
                        ? ReadString(typeJson.Span)
                        : throw new CepGeoInputException(source, null, new Phrase("pas du GeoJSON : le \"type\" de premier niveau n'est pas un texte",
                            "not GeoJSON: the top-level \"type\" is not a string"));
                    break;
                case "features":
                    features = ReadFeatures(scanner, source, factory, keep);
                    break;
                case "crs":
                    scanner.ReadValue(out var crsJson);
                    crs = CrsNames.FromGeoJsonMember(crsJson, source) ?? CrsRef.Wgs84Default;
                    break;
                case "geometry" or "properties" or "id":
                    // Kept in case the file is a single Feature; small compared with a collection.
                    scanner.ReadValue(out var value);
                    rootFeature[member] = value.ToArray();
                    break;
                default:
                    scanner.ReadValue(out _);
                    break;
            }
        }
        if (scanner.ReadToken(out _) != JsonTokenType.None)
            throw new InvalidOperationException("Utf8JsonReader let content follow the top-level value.");

        return type switch
        {
            "FeatureCollection" when features is not null => new RawLayer(features, crs, CrsAdvice, notes),
            "FeatureCollection" => throw new CepGeoInputException(source, null, new Phrase("FeatureCollection sans liste \"features\"",
                "FeatureCollection without a \"features\" array")),
            "Feature" => new RawLayer([ParseFeature(SingleFeatureJson(rootFeature), "#1", source, factory, keep)], crs, CrsAdvice, notes),
            null => throw new CepGeoInputException(source, null, new Phrase(
                "pas du GeoJSON : l'objet JSON n'a pas de membre \"type\" (une FeatureCollection est attendue)",
                "not GeoJSON: the JSON object has no \"type\" member (a FeatureCollection was expected)")),
            "Point" or "MultiPoint" or "LineString" or "MultiLineString" or "Polygon" or "MultiPolygon" or "GeometryCollection" =>
                throw new CepGeoInputException(source, null, new Phrase(
                    $"le fichier est une géométrie {type} seule, pas une FeatureCollection : CepGeo a besoin d'entités avec identifiants et noms (mettez-la dans une Feature)",
                    $"the file is a bare {type} geometry, not a FeatureCollection: CepGeo needs features with ids and names (wrap it in a Feature)")),
            _ => throw new CepGeoInputException(source, null, new Phrase($"pas une FeatureCollection GeoJSON : \"type\" vaut \"{type}\"",
                $"not a GeoJSON FeatureCollection: \"type\" is \"{type}\"")),
        };
    }

    private static List<RawFeature> ReadFeatures(JsonStreamScanner scanner, string source, NetTopologySuite.Geometries.GeometryFactory factory,
        string[]? keep)
    {
        var start = scanner.ReadToken(out _);
        if (start != JsonTokenType.StartArray)
            throw new CepGeoInputException(source, null, new Phrase($"\"features\" doit être une liste, pas {GeoJsonFeatureParser.Describe(start, true)}",
                $"\"features\" must be an array, not {GeoJsonFeatureParser.Describe(start)}"));

        // The scanner is sequential; decoding a feature's coordinates is not: features are parsed in
        // batches on every core, in file order, and the first problem in file order is the one
        // reported. When the document is in memory, a batch is parsed while the scanner walks
        // through the next one.
        var features = new List<RawFeature>();
        var batch = new List<ReadOnlyMemory<byte>>(BatchSize);
        Task<(RawFeature[], Exception?)>? pending = null;
        bool afterObject = false;
        while (true)
        {
            ReadOnlyMemory<byte> json;
            // In memory, features after the first are delimited by their braces (the scanner
            // tokenising every coordinate was the sequential part of loading); their own parse
            // checks their syntax.
            if (afterObject && scanner.TrySkimObject(out json))
            {
                AddToBatch(json);
                continue;
            }
            try
            {
                var token = scanner.ReadValue(out json);
                afterObject = token == JsonTokenType.StartObject;
                if (token == JsonTokenType.EndArray)
                {
                    Collect();
                    Add(ParseBatch([.. batch], features.Count, source, factory, keep));
                    return features;
                }
            }
            catch (JsonException ex)
            {
                Collect();
                Add(ParseBatch([.. batch], features.Count, source, factory, keep));
                throw Malformed(source, ex, scanner.ReachedEnd, Position(features.Count));
            }
            AddToBatch(json);
        }

        void AddToBatch(ReadOnlyMemory<byte> json)
        {
            batch.Add(scanner.Stable ? json : json.ToArray());
            if (batch.Count < BatchSize) return;
            Collect();
            var items = batch.ToArray();
            batch.Clear();
            int first = features.Count;
            if (scanner.Stable)
                pending = Task.Run(() => ParseBatch(items, first, source, factory, keep));
            else
                Add(ParseBatch(items, first, source, factory, keep));
        }

        void Collect()
        {
            if (pending is null) return;
            var done = pending.GetAwaiter().GetResult();
            pending = null;
            Add(done);
        }

        void Add((RawFeature[] Parsed, Exception? Error) result)
        {
            if (result.Error is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
            features.AddRange(result.Parsed);
        }
    }

    private const int BatchSize = 512;

    /// <summary>Parses a batch on every core: the features, or the first error in file order.</summary>
    private static (RawFeature[] Parsed, Exception? Error) ParseBatch(ReadOnlyMemory<byte>[] batch, int first, string source,
        NetTopologySuite.Geometries.GeometryFactory factory, string[]? keep)
    {
        var parsed = new RawFeature[batch.Length];
        var error = InFileOrder.For(batch.Length, i => parsed[i] = ParseFeature(batch[i].Span, Position(first + i), source, factory, keep));
        return (parsed, error);
    }

    private static RawFeature ParseFeature(ReadOnlySpan<byte> json, string where, string source, NetTopologySuite.Geometries.GeometryFactory factory,
        string[]? keep)
    {
        try
        {
            return GeoJsonFeatureParser.Parse(json, where, factory, keep);
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own exception: the feature's text is not JSON (a feature delimited by its
            // braces was not checked before). The document is read again as a stream, which places
            // the error as for any syntax error.
            throw Malformed(source, ex, atEnd: false, where);
        }
        catch (JsonException ex)
        {
            // The parse may stop on the content before reaching a syntax error further on (a feature
            // delimited by its braces was not checked before): the syntax error is the one told.
            if (SyntaxErrorIn(json) is { } syntax) throw Malformed(source, syntax, atEnd: false, where);
            var words = GeoJsonFeatureParser.Words(ex);
            throw new CepGeoInputException(source, where, new Phrase("entité GeoJSON non valide : " + words.Fr, "not a valid GeoJSON feature: " + words.En), ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            if (SyntaxErrorIn(json) is { } syntax) throw Malformed(source, syntax, atEnd: false, where);
            throw new CepGeoInputException(source, where, NotUtf8, ex);
        }
    }

    /// <summary>The reader's error on the feature's text, or null when it is well-formed JSON.</summary>
    private static JsonException? SyntaxErrorIn(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            reader.Skip();
            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return reader.GetString();
    }

    private static byte[] SingleFeatureJson(Dictionary<string, byte[]> members)
    {
        using var buffer = new MemoryStream();
        buffer.Write("{\"type\":\"Feature\""u8);
        foreach (var (name, value) in members)
        {
            buffer.Write(Encoding.UTF8.GetBytes($",\"{name}\":"));
            buffer.Write(value);
        }
        buffer.Write("}"u8);
        return buffer.ToArray();
    }

    /// <summary>
    /// A UTF-8 view of the stream: a UTF-8 BOM is skipped (Utf8JsonReader refuses it), UTF-16 (with
    /// a BOM, or recognisable by its zero bytes) is decoded and noted.
    /// </summary>
    private static Stream OpenAsUtf8(Stream stream, string source, List<LoadIssue> notes)
    {
        var head = new byte[4];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n == 0)
            throw new CepGeoInputException(source, null, new Phrase("le fichier est vide", "the file is empty"));

        if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
            return new PrefixedStream(head[3..n], stream);

        Encoding? utf16 = null;
        int skip = 0;
        if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) (utf16, skip) = (Encoding.Unicode, 2);
        else if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) (utf16, skip) = (Encoding.BigEndianUnicode, 2);
        else if (n >= 2 && head[0] != 0 && head[1] == 0) utf16 = Encoding.Unicode;
        else if (n >= 2 && head[0] == 0 && head[1] != 0) utf16 = Encoding.BigEndianUnicode;

        if (utf16 is null)
            return new PrefixedStream(head[..n], stream);

        string utf = utf16 == Encoding.Unicode ? "UTF-16 LE" : "UTF-16 BE";
        notes.Add(new LoadIssue(source, null, LoadIssueKind.Note, $"file is {utf}, not UTF-8 as GeoJSON requires: decoded",
            Words: new Phrase($"le fichier est en {utf}, pas en UTF-8 comme GeoJSON le demande : décodé", $"file is {utf}, not UTF-8 as GeoJSON requires: decoded")));
        return Encoding.CreateTranscodingStream(new PrefixedStream(head[skip..n], stream), utf16, Encoding.UTF8, leaveOpen: false);
    }

    /// <summary>How messages name a feature by its place in the file: #1 is the first.</summary>
    internal static string Position(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <param name="atEnd">The reader had reached the end of the stream: what broke is that the data stopped.</param>
    private static MalformedJsonException Malformed(string source, JsonException ex, bool atEnd, string? feature = null)
    {
        string reason = PositionSuffix().Replace(ex.Message, "").Trim();
        string where = ex.LineNumber is long line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}")
            : "";
        string hint = "", hintFr = "";
        string whereFr = ex.LineNumber is long lineFr
            ? string.Create(CultureInfo.InvariantCulture, $" à la ligne {lineFr + 1}, octet {(ex.BytePositionInLine ?? 0) + 1}")
            : "";
        // Each buffer is first read as non-final, so a syntax error inside the data throws before the
        // end of the stream is known; one that waits for the end is the data stopping short.
        if (atEnd)
            (hint, hintFr) = (" (the file looks truncated: it ends in the middle of a value)", " (le fichier semble tronqué : il s'arrête au milieu d'une valeur)");
        else if (reason.Contains("'N'", StringComparison.Ordinal) || reason.Contains("'I'", StringComparison.Ordinal) || reason.Contains("'-I'", StringComparison.Ordinal))
            (hint, hintFr) = (" (NaN and Infinity are not JSON numbers: a coordinate or value could not be computed when the file was written)",
                " (NaN et Infinity ne sont pas des nombres JSON : une coordonnée ou une valeur n'a pas pu être calculée à l'écriture du fichier)");
        // The runtime's reason is English only: the French line places the error without it (--lang en gives it).
        return new MalformedJsonException(source, feature, new Phrase($"JSON invalide{whereFr}{hintFr}", $"not valid JSON{where}{hint}: {reason}"), ex);
    }

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex PositionSuffix();
}
