using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Reporting;

/// <summary>One feature to write: a polygonal geometry in lon/lat, ordered properties, an optional id.</summary>
/// <param name="Geometry">Polygon or MultiPolygon in WGS84 lon/lat (in the source CRS of <see cref="Transform"/>
/// when that is set), or null (written as <c>"geometry": null</c>).</param>
/// <param name="Properties">
/// Written in this order. Values: <see cref="string"/>, <see cref="double"/>, <see cref="float"/>,
/// <see cref="int"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="bool"/>, null, or a sequence of
/// strings (a JSON array). NaN and infinities are written as null.
/// </param>
/// <param name="Id">The feature's <c>id</c> member, omitted when null.</param>
public sealed record GeoJsonFeature(
    Geometry? Geometry,
    IReadOnlyList<KeyValuePair<string, object?>> Properties,
    string? Id = null)
{
    /// <summary>
    /// When set, the geometry's coordinates are transformed by it as they are written (the geometry
    /// itself is left as it is): a layer written in lon/lat needs no projected copy of every ring.
    /// </summary>
    public Reprojector? Transform { get; init; }

    /// <summary>
    /// In place of <see cref="Geometry"/>: one polygon's rings (shell first), each its closed x, y
    /// pairs. Written as a Polygon, the same bytes as the polygon made of these rings, without
    /// making it (a national gap report is 70,000 faces of the mosaic, each copied into a polygon
    /// only to be written).
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<double>>? PolygonXY { get; init; }

    /// <summary>
    /// Writes a Polygon as a MultiPolygon of one polygon: a layer whose features are all MultiPolygon
    /// is one geometry type for GDAL and QGIS ("Multi Polygon", not "Unknown (any)").
    /// </summary>
    public bool AsMultiPolygon { get; init; }

    /// <summary>Builds a feature from (name, value) pairs, in order.</summary>
    public static GeoJsonFeature Create(Geometry? geometry, string? id, params (string Name, object? Value)[] properties)
    {
        var list = new KeyValuePair<string, object?>[properties.Length];
        for (int i = 0; i < list.Length; i++) list[i] = new(properties[i].Name, properties[i].Value);
        return new(geometry, list, id);
    }
}

/// <summary>
/// Writes an RFC 7946 FeatureCollection to a stream, feature by feature (no document is built in memory).
/// </summary>
/// <remarks>
/// The output is deterministic, byte for byte: members in a fixed order (<c>type</c>, the foreign
/// members, <c>features</c>; in a feature <c>type</c>, <c>id</c>, <c>properties</c>, <c>geometry</c>), numbers
/// in invariant round-trip form, coordinates rounded to <see cref="CoordinateDecimals"/> decimals, "\n"
/// newlines, one feature per line so that a diff of two runs shows the features that changed.
/// Rings follow the RFC 7946 right-hand rule (exterior counter-clockwise, holes clockwise) whatever
/// the input's orientation; the orientation is decided on the rounded coordinates that are written.
/// </remarks>
public static class GeoJsonWriter
{
    /// <summary>6 decimals of a degree ≈ 0.1 m (spec §3).</summary>
    public const int CoordinateDecimals = 6;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Accented names (Saint-Étienne) stay readable; the output is never embedded in HTML unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Writes the collection. The stream is flushed, not closed.</summary>
    /// <param name="stream">Where to write (UTF-8, no BOM).</param>
    /// <param name="features">The features, written in this order.</param>
    /// <param name="foreignMembers">Extra collection members written before <c>features</c> (e.g. <c>cepgeo</c>).</param>
    public static void Write(
        Stream stream,
        IEnumerable<GeoJsonFeature> features,
        IReadOnlyList<KeyValuePair<string, JsonNode?>>? foreignMembers = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(features);

        using (var header = new Utf8JsonWriter(stream, WriterOptions))
            WriteHeader(header, foreignMembers ?? []);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        bool first = true;
        foreach (var feature in features)
        {
            AppendFeature(json, buffer, first, feature);
            first = false;
            stream.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
        WriteEnd(stream, empty: first);
    }

    /// <summary>
    /// Writes features <c>0 .. count-1</c>, the same file byte for byte as the sequential overload, but
    /// built and formatted on every core: chunks of features are made by <paramref name="feature"/>
    /// (called from several threads, in no particular order) and formatted into buffers, which are
    /// written in order. Tens of thousands of gap polygons are otherwise formatted on one thread.
    /// </summary>
    public static void Write(
        Stream stream,
        int count,
        Func<int, GeoJsonFeature> feature,
        IReadOnlyList<KeyValuePair<string, JsonNode?>>? foreignMembers = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(feature);

        using (var json = new Utf8JsonWriter(stream, WriterOptions))
            WriteHeader(json, foreignMembers ?? []);
        // Waves of chunks formatted on every core into buffers kept from wave to wave, then written
        // in order: a national gap report is over a thousand chunks of hundreds of KB, and letting
        // the formatting run ahead of the writing held hundreds of them at once. Sixteen chunks a core
        // per wave (64 at most, so that many cores do not hold a whole report): with four, cores
        // waited for the wave's largest chunk (gap polygons vary a lot).
        const int chunk = 64;
        int chunks = (count + chunk - 1) / chunk, wave = Math.Min(chunks, Math.Min(16 * Environment.ProcessorCount, 64));
        var buffers = new ArrayBufferWriter<byte>[wave];
        for (int w = 0; w < chunks; w += wave)
        {
            int n = Math.Min(wave, chunks - w);
            Parallel.For(0, n, j =>
            {
                int k = w + j;
                FormatFeatures(k * chunk, Math.Min(count, (k + 1) * chunk), feature, buffers[j] ??= new ArrayBufferWriter<byte>(64 * 1024));
            });
            for (int j = 0; j < n; j++)
            {
                stream.Write(buffers[j].WrittenSpan);
                buffers[j].ResetWrittenCount();
            }
        }
        WriteEnd(stream, empty: count == 0);
    }

    /// <summary>Features <c>from .. to-1</c> as they appear in the file, each with its separator.</summary>
    private static ArrayBufferWriter<byte> FormatFeatures(int from, int to, Func<int, GeoJsonFeature> feature, ArrayBufferWriter<byte> buffer)
    {
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        for (int i = from; i < to; i++)
            AppendFeature(json, buffer, i == 0, feature(i));
        return buffer;
    }

    /// <summary>
    /// One feature, on its own line after its separator: each feature is its own JSON value, the
    /// separators are written raw between them and the writer is reset so that it adds no comma.
    /// </summary>
    private static void AppendFeature(Utf8JsonWriter json, ArrayBufferWriter<byte> output, bool first, GeoJsonFeature feature)
    {
        output.Write(first ? "\n"u8 : ",\n"u8);
        json.Reset(output);
        WriteFeature(json, output, feature);
        json.Flush();
    }

    /// <summary>Closes the features array and the collection; the stream is flushed, not closed.</summary>
    private static void WriteEnd(Stream stream, bool empty)
    {
        stream.Write(empty ? "]}\n"u8 : "\n]}\n"u8);
        stream.Flush();
    }

    /// <summary>Convenience overload for foreign members given as a dictionary (written in its enumeration order).</summary>
    public static void Write(Stream stream, IEnumerable<GeoJsonFeature> features, IDictionary<string, JsonNode?> foreignMembers) =>
        Write(stream, features, [.. foreignMembers]);

    /// <summary>Rounds a coordinate value as the writer does (half away from zero; −0 becomes 0).</summary>
    public static double Round(double value)
    {
        double rounded = Math.Round(value, CoordinateDecimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }

    private static void WriteHeader(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, JsonNode?>> foreignMembers)
    {
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        foreach (var (name, node) in foreignMembers)
        {
            if (name is "type" or "features")
                throw new ArgumentException($"'{name}' is not a foreign member: GeoJSON defines it.", nameof(foreignMembers));
            json.WritePropertyName(name);
            if (node is null) json.WriteNullValue();
            else node.WriteTo(json);
        }
        json.WritePropertyName("features");
        json.WriteStartArray();
        json.Flush();
    }

    /// <summary>
    /// The feature through <paramref name="json"/> up to its properties; its geometry straight into
    /// <paramref name="output"/> (where <paramref name="json"/> writes), closing the object by hand:
    /// national outputs are over a hundred MB of coordinates, and passing them through the writer
    /// copied them once more. The caller resets <paramref name="json"/> before its next feature.
    /// </summary>
    private static void WriteFeature(Utf8JsonWriter json, IBufferWriter<byte> output, GeoJsonFeature feature)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        if (feature.Id is not null)
            json.WriteString("id", feature.Id);

        json.WritePropertyName("properties");
        json.WriteStartObject();
        var names = t_names ??= new Dictionary<string, JsonEncodedText>(StringComparer.Ordinal);
        // By index: enumerating through the interface boxed an enumerator for every feature.
        var properties = feature.Properties;
        for (int i = 0; i < properties.Count; i++)
        {
            var (name, value) = properties[i];
            // Each name escaped and encoded once per thread, not once per feature (a national
            // layer repeats its twenty names tens of thousands of times).
            if (!names.TryGetValue(name, out var encoded))
            {
                if (names.Count >= 4096) names.Clear();
                names[name] = encoded = JsonEncodedText.Encode(name, WriterOptions.Encoder);
            }
            json.WritePropertyName(encoded);
            WriteValue(json, name, value);
        }
        json.WriteEndObject();
        json.Flush();

        output.Write(",\"geometry\":"u8);
        if (feature.PolygonXY is { } rings)
            WritePolygon(output, rings, feature.Transform, feature.AsMultiPolygon);
        else
            WriteGeometry(output, feature.Geometry, feature.Transform, feature.AsMultiPolygon);
        output.Write("}"u8);
    }

    [ThreadStatic]
    private static Dictionary<string, JsonEncodedText>? t_names;

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case double number:
                WriteDouble(json, number);
                break;
            case float number:
                WriteDouble(json, number);
                break;
            case IEnumerable<string?> texts:
                json.WriteStartArray();
                foreach (string? text in texts)
                {
                    if (text is null) json.WriteNullValue();
                    else json.WriteStringValue(text);
                }
                json.WriteEndArray();
                break;
            default:
                throw new ArgumentException(
                    $"Property '{name}': a {value.GetType().Name} cannot be written to GeoJSON " +
                    "(use string, number, bool, null or a list of strings).", nameof(value));
        }
    }

    /// <summary>Round-trip form ("R": the shortest text that reads back as the same double); NaN and ±∞ as null.</summary>
    private static void WriteDouble(Utf8JsonWriter json, double number)
    {
        if (!double.IsFinite(number))
        {
            json.WriteNullValue();
            return;
        }
        // Utf8JsonWriter already writes the shortest round-trip form; spelling it out keeps the
        // format a decision of ours rather than of the serializer's defaults.
        Span<byte> text = stackalloc byte[MaxNumberBytes];
        number.TryFormat(text, out int written, "R", CultureInfo.InvariantCulture);
        json.WriteRawValue(text[..written], skipInputValidation: true);
    }

    private static void WriteGeometry(IBufferWriter<byte> output, Geometry? geometry, Reprojector? transform, bool asMulti = false)
    {
        switch (geometry)
        {
            case null:
                output.Write("null"u8);
                return;
            case Polygon polygon when asMulti:
                output.Write("{\"type\":\"MultiPolygon\",\"coordinates\":["u8);
                WritePolygonRings(output, polygon, transform);
                output.Write("]}"u8);
                return;
            case Polygon polygon:
                output.Write("{\"type\":\"Polygon\",\"coordinates\":"u8);
                WritePolygonRings(output, polygon, transform);
                output.Write("}"u8);
                return;
            case MultiPolygon multi:
                output.Write("{\"type\":\"MultiPolygon\",\"coordinates\":["u8);
                for (int i = 0; i < multi.NumGeometries; i++)
                {
                    if (i > 0) output.Write(","u8);
                    WritePolygonRings(output, (Polygon)multi.GetGeometryN(i), transform);
                }
                output.Write("]}"u8);
                return;
            case Point point when !point.IsEmpty:
            {
                // A site (the viewer's sites layers): one position, rounded as ring coordinates are.
                double[] x = [point.X], y = [point.Y];
                (transform ?? Identity).Transform(x, y);
                var text = output.GetSpan(32 + 2 * MaxNumberBytes);
                int p = 0;
                foreach (byte b in "{\"type\":\"Point\",\"coordinates\":["u8) text[p++] = b;
                p = FormatCoordinate(Math.Round(x[0], CoordinateDecimals, MidpointRounding.AwayFromZero), text, p);
                text[p++] = (byte)',';
                p = FormatCoordinate(Math.Round(y[0], CoordinateDecimals, MidpointRounding.AwayFromZero), text, p);
                text[p++] = (byte)']';
                text[p++] = (byte)'}';
                output.Advance(p);
                return;
            }
            default:
                throw new ArgumentException(
                    $"GeoJsonWriter writes Polygon, MultiPolygon and Point geometries, not {geometry.GeometryType}.", nameof(geometry));
        }
    }

    private static void WritePolygon(IBufferWriter<byte> output, IReadOnlyList<ReadOnlyMemory<double>> rings, Reprojector? transform, bool multi)
    {
        output.Write(multi ? "{\"type\":\"MultiPolygon\",\"coordinates\":[["u8 : "{\"type\":\"Polygon\",\"coordinates\":["u8);
        for (int r = 0; r < rings.Count; r++)
        {
            if (r > 0) output.Write(","u8);
            var xy = rings[r].Span;
            var scratch = RingScratch.For(xy.Length / 2);
            (transform ?? Identity).Transform(xy, scratch.X, scratch.Y, CoordinateDecimals);
            WriteRing(output, scratch, xy.Length / 2, counterClockwise: r == 0);
        }
        output.Write(multi ? "]]}"u8 : "]}"u8);
    }

    private static void WritePolygonRings(IBufferWriter<byte> output, Polygon polygon, Reprojector? transform)
    {
        output.Write("["u8);
        if (!polygon.IsEmpty)
        {
            WriteRing(output, polygon.ExteriorRing.CoordinateSequence, counterClockwise: true, transform);
            for (int i = 0; i < polygon.NumInteriorRings; i++)
            {
                output.Write(","u8);
                WriteRing(output, polygon.GetInteriorRingN(i).CoordinateSequence, counterClockwise: false, transform);
            }
        }
        output.Write("]"u8);
    }

    private static void WriteRing(IBufferWriter<byte> output, CoordinateSequence ring, bool counterClockwise, Reprojector? transform)
    {
        var scratch = RingScratch.For(ring.Count);
        (transform ?? Identity).Transform(ring, scratch.X, scratch.Y, CoordinateDecimals);
        WriteRing(output, scratch, ring.Count, counterClockwise);
    }

    /// <summary>The <paramref name="n"/> points in <paramref name="scratch"/>, in lon/lat, rounded, oriented and formatted.</summary>
    private static void WriteRing(IBufferWriter<byte> output, RingScratch scratch, int n, bool counterClockwise)
    {
        var (xs, ys) = (scratch.X, scratch.Y);

        // Round first (to whole millionths, kept as integers), drop the repeated points that
        // rounding can create, then orient: the orientation must hold for the numbers a reader
        // will see, so it is decided exactly on those integers.
        for (int i = 0; i < n; i++)
        {
            if (!(Math.Abs(xs[i]) < MaxPlain && Math.Abs(ys[i]) < MaxPlain))
            {
                WriteRingOfAnyMagnitude(output, scratch, n, counterClockwise);
                return;
            }
        }
        int m = RoundInPlace(xs, ys, n, millionths: true);
        WriteRingText(output, xs, ys, m, reverse: TwiceSignedArea(xs, ys, m) > 0 != counterClockwise, millionths: true);
    }

    /// <summary>
    /// Rounds the <paramref name="n"/> points in place, to whole millionths or (<paramref name="millionths"/>
    /// false) to their rounded values, dropping the repeated points rounding makes; the count kept.
    /// </summary>
    private static int RoundInPlace(double[] xs, double[] ys, int n, bool millionths)
    {
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            double x = millionths ? Millionths(xs[i]) : Round(xs[i]), y = millionths ? Millionths(ys[i]) : Round(ys[i]);
            if (m > 0 && xs[m - 1] == x && ys[m - 1] == y) continue;
            xs[m] = x;
            ys[m] = y;
            m++;
        }
        return m;
    }

    /// <summary>
    /// The <paramref name="m"/> rounded points, reversed or not: each number from its whole
    /// millionths, or (<paramref name="millionths"/> false) from its rounded value.
    /// </summary>
    private static void WriteRingText(IBufferWriter<byte> output, double[] xs, double[] ys, int m, bool reverse, bool millionths)
    {
        // Formatted here, in place: formatting each number through a JSON writer was most of the
        // time spent writing a national gap report.
        var text = output.GetSpan(2 + m * (2 * MaxNumberBytes + 4));
        int p = 0;
        text[p++] = (byte)'[';
        for (int k = 0; k < m; k++)
        {
            int i = reverse ? m - 1 - k : k;
            if (k > 0) text[p++] = (byte)',';
            text[p++] = (byte)'[';
            p = millionths ? FormatMillionths((long)xs[i], text, p) : FormatCoordinate(xs[i], text, p);
            text[p++] = (byte)',';
            p = millionths ? FormatMillionths((long)ys[i], text, p) : FormatCoordinate(ys[i], text, p);
            text[p++] = (byte)']';
        }
        text[p++] = (byte)']';
        output.Advance(p);
    }

    /// <summary>
    /// <paramref name="value"/> in whole millionths, rounded half away from zero: what
    /// <see cref="Round"/> gives, times 10⁶ (<see cref="Math.Round(double, int, MidpointRounding)"/>
    /// scales, rounds and scales back; the written digits are those of the scaled integer).
    /// </summary>
    private static double Millionths(double value)
    {
        double scaled = Math.Round(value * 1e6, MidpointRounding.AwayFromZero);
        return scaled == 0 ? 0 : scaled;
    }

    /// <summary>Coordinates are written in plain decimals below 10⁹ (degrees or metres), in round-trip form from there.</summary>
    private const double MaxPlain = 1e9;

    /// <summary>
    /// The same ring, when a coordinate is not finite or is 10⁹ or more: rounded as doubles, each
    /// number in its shortest round-trip form, non-finite ones as null.
    /// </summary>
    private static void WriteRingOfAnyMagnitude(IBufferWriter<byte> output, RingScratch scratch, int n, bool counterClockwise)
    {
        var (xs, ys) = (scratch.X, scratch.Y);
        int m = RoundInPlace(xs, ys, n, millionths: false);
        WriteRingText(output, xs, ys, m, reverse: SignedArea(xs, ys, m) > 0 != counterClockwise, millionths: false);
    }

    /// <summary>Reads rings written as they are.</summary>
    private static readonly Reprojector Identity = Reprojector.Create(CepGeo.Core.Model.CrsRef.Wgs84Default, CepGeo.Core.Model.CrsRef.Wgs84Default);

    /// <summary>
    /// Per-thread work arrays of the ring writer: renting them from the shared pool for each of
    /// millions of rings cost more than formatting them (the pool's thread cache holds one array per size).
    /// </summary>
    private sealed class RingScratch
    {
        public double[] X = [], Y = [];

        /// <summary>This thread's arrays, room for <paramref name="points"/> points.</summary>
        public static RingScratch For(int points)
        {
            var scratch = t_ring ??= new RingScratch();
            if (scratch.X.Length < points)
                (scratch.X, scratch.Y) = (new double[Math.Max(points, 2 * scratch.X.Length)], new double[Math.Max(points, 2 * scratch.X.Length)]);
            return scratch;
        }
    }

    [ThreadStatic]
    private static RingScratch? t_ring;

    private const int MaxNumberBytes = 32;

    /// <summary>
    /// A coordinate already rounded to <see cref="CoordinateDecimals"/> decimals, in plain decimal
    /// form without trailing zeros (5.1, -0.000012, 43): what the shortest round-trip form gives for
    /// such numbers, without its exponent form near 0. Non-finite values are written as null.
    /// </summary>
    private static int FormatCoordinate(double value, Span<byte> text, int p)
    {
        if (!double.IsFinite(value))
        {
            "null"u8.CopyTo(text[p..]);
            return p + 4;
        }
        if (Math.Abs(value) >= MaxPlain)
        {
            value.TryFormat(text.Slice(p, MaxNumberBytes), out int written, "R", CultureInfo.InvariantCulture);
            return p + written;
        }
        return FormatMillionths((long)Millionths(value), text, p);
    }

    /// <summary>A whole number of millionths (10¹⁵ at most in magnitude) as a plain decimal without trailing zeros.</summary>
    private static int FormatMillionths(long scaled, Span<byte> text, int p)
    {
        // At most 1 + 10 + 1 + 6 bytes; checked once, then written by pairs of digits from a
        // table (checking each byte and computing each digit was a sixth of writing the GeoJSON).
        if ((uint)p > (uint)text.Length || text.Length - p < 18) throw new ArgumentException("no room for a coordinate", nameof(text));
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), p);
        int n = 0;
        if (scaled < 0)
        {
            at = (byte)'-';
            n = 1;
            scaled = -scaled;
        }
        long whole = scaled / 1_000_000;
        int f = (int)(scaled - 1_000_000 * whole);
        if (whole < 10)
            Unsafe.Add(ref at, n++) = (byte)('0' + (int)whole);
        else if (whole < 100)
        {
            Pair(ref Unsafe.Add(ref at, n), (int)whole);
            n += 2;
        }
        else
        {
            bool done = Utf8Formatter.TryFormat(whole, MemoryMarshal.CreateSpan(ref Unsafe.Add(ref at, n), 10), out int digits);
            System.Diagnostics.Debug.Assert(done, "at most 10 digits of whole degrees");
            n += digits;
        }
        if (f == 0) return p + n;
        int d1 = f / 10_000, rest = f - 10_000 * d1, d2 = rest / 100, d3 = rest - 100 * d2;
        Unsafe.Add(ref at, n) = (byte)'.';
        Pair(ref Unsafe.Add(ref at, n + 1), d1);
        Pair(ref Unsafe.Add(ref at, n + 3), d2);
        Pair(ref Unsafe.Add(ref at, n + 5), d3);
        int end = n + 7;
        while (Unsafe.Add(ref at, end - 1) == (byte)'0') end--;
        return p + end;

        static void Pair(ref byte to, int value) =>
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), 2 * value)));
    }

    /// <summary>"00" to "99", two bytes each.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>
    /// Twice the signed area of a closed ring of whole millionths (10¹⁵ at most), exactly: positive
    /// when counter-clockwise (x east, y north), zero when it has none.
    /// </summary>
    private static Int128 TwiceSignedArea(double[] xs, double[] ys, int count)
    {
        Int128 sum = 0;
        if (count < 2) return sum;
        long x0 = (long)xs[0], y0 = (long)ys[0];
        for (int i = 0; i + 1 < count; i++)
        {
            long ax = (long)xs[i] - x0, ay = (long)ys[i] - y0, bx = (long)xs[i + 1] - x0, by = (long)ys[i + 1] - y0;
            sum += Math.BigMul(ax, by) - Math.BigMul(bx, ay);
        }
        return sum;
    }

    /// <summary>Shoelace sum over a closed ring: positive when counter-clockwise (x east, y north).</summary>
    private static double SignedArea(double[] xs, double[] ys, int count)
    {
        double sum = 0;
        for (int i = 0; i + 1 < count; i++)
            sum += (xs[i] - xs[0]) * (ys[i + 1] - ys[0]) - (xs[i + 1] - xs[0]) * (ys[i] - ys[0]);
        return sum / 2;
    }
}
