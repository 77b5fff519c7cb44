using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace CepGeo.Core.Loading;

/// <summary>
/// Decodes one GeoJSON geometry object into a 2D NTS geometry, noting instead of failing what a
/// user's file gets wrong (Z/M, unclosed rings, NaN-like values). GeoJSON4STJ's converter throws
/// on an unclosed ring or an empty coordinates array and keeps Z silently; CepGeo must report these
/// per feature, hence this reader.
/// </summary>
/// <remarks>Structural errors (a position that is not an array…) throw <see cref="JsonException"/>.</remarks>
internal sealed class GeoJsonGeometryParser(GeometryFactory factory)
{
    // No coordinate of any CRS on Earth gets near this (metres or degrees): 1e308 is a sentinel or
    // a corrupted export, not a position, and would poison every area computed downstream.
    private const double MaxPlausibleOrdinate = 1e10;

    private bool _hadZ;
    private bool _hadM;
    private string? _badNumber;
    private int _closedRings;
    private int _droppedRings;
    private string? _typeName;

    /// <summary>Reads the geometry whose first token the reader is on (an object, or null).</summary>
    /// <param name="json">The whole text the reader runs over (to come back to coordinates written before the type).</param>
    /// <remarks>
    /// The plain coordinates of a Polygon or MultiPolygon are read straight from the text (see
    /// <see cref="PolygonCoordinates"/>); the reader then goes on over the rest of the text, so
    /// <paramref name="json"/> and <paramref name="reader"/> may both be replaced by a later part of
    /// the same text. The geometry must be a member of a top-level object (a feature's "geometry").
    /// </remarks>
    public (Geometry? Geometry, GeometryNotes Notes) Parse(ref ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        var geometry = ReadGeometry(ref json, ref reader, topLevel: true);
        return (geometry, new GeometryNotes(_hadZ, _hadM, _badNumber, _closedRings, _droppedRings, _typeName));
    }

    /// <summary>
    /// Where the reader stands after the coordinates of a feature's geometry: in an object in an
    /// object, just after an array. A reader started over the text that follows the coordinates
    /// with this state goes on as if it had read them.
    /// </summary>
    private static readonly JsonReaderState AfterCoordinates = StateAfter("{\"geometry\":{\"coordinates\":[]"u8);

    private static JsonReaderState StateAfter(ReadOnlySpan<byte> prefix)
    {
        var reader = new Utf8JsonReader(prefix, isFinalBlock: false, default);
        while (reader.Read()) { }
        return reader.CurrentState;
    }

    private Geometry? ReadGeometry(ref ReadOnlySpan<byte> json, ref Utf8JsonReader reader, bool topLevel)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw GeoJsonFeatureParser.Shape("la géométrie doit être un objet ou null", "geometry must be an object or null");

        string? type = null;
        var coordinatesText = "null"u8;
        PolygonCoordinates? plain = null;
        List<Geometry>? members = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : throw GeoJsonFeatureParser.Shape("le \"type\" de la géométrie doit être un texte", "geometry \"type\" must be a string");
            }
            else if (reader.ValueTextEquals("coordinates"u8))
            {
                reader.Read();
                coordinatesText = json[checked((int)reader.TokenStartIndex)..];
                if (topLevel && PolygonCoordinates.TryRead(coordinatesText, MaxPlausibleOrdinate, out plain, out int length))
                {
                    json = coordinatesText[length..];
                    reader = new Utf8JsonReader(json, isFinalBlock: true, AfterCoordinates);
                    continue;
                }
                plain = null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("geometries"u8))
            {
                reader.Read();
                members = ReadMembers(ref json, ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type is null)
            throw GeoJsonFeatureParser.Shape("la géométrie n'a pas de \"type\"", "geometry has no \"type\"");
        if (topLevel)
            _typeName = type;

        if (type == "GeometryCollection")
            return factory.CreateGeometryCollection(members?.ToArray() ?? []);

        if (plain is not null && (type, plain.Depth) is ("Polygon", 3) or ("MultiPolygon", 4))
            return FromPlain(plain, type == "MultiPolygon");

        var coordinates = new Utf8JsonReader(coordinatesText);
        coordinates.Read();
        return type switch
        {
            "Polygon" => ToPolygon(ReadRings(ref coordinates)),
            "MultiPolygon" => factory.CreateMultiPolygon(
                ReadList(ref coordinates, ReadRings).Select(ToPolygon).Where(p => !p.IsEmpty).ToArray()),
            "Point" => ReadPoint(ref coordinates),
            "MultiPoint" => factory.CreateMultiPointFromCoords(ReadPositions(ref coordinates)),
            "LineString" => ToLineString(ReadPositions(ref coordinates)),
            "MultiLineString" => factory.CreateMultiLineString(
                ReadList(ref coordinates, ReadPositions).Select(ToLineString).ToArray()),
            // An unknown type is skipped by the assembler, named as written.
            _ => topLevel ? null : factory.CreateGeometryCollection(),
        };
    }

    private Geometry FromPlain(PolygonCoordinates plain, bool multi)
    {
        var polygons = new Polygon[plain.PolygonEnds.Count];
        int ring = 0, start = 0;
        for (int k = 0; k < polygons.Length; k++)
        {
            var rings = new List<CoordinateSequence?>(plain.PolygonEnds[k] - ring);
            for (; ring < plain.PolygonEnds[k]; ring++)
            {
                int end = plain.RingEnds[ring];
                rings.Add(Ring(plain.Xy.AsSpan(start, end - start)));
                start = end;
            }
            polygons[k] = ToPolygon(rings);
        }
        return multi ? factory.CreateMultiPolygon(polygons.Where(p => !p.IsEmpty).ToArray()) : polygons[0];
    }

    private List<Geometry> ReadMembers(ref ReadOnlySpan<byte> json, ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return [];
        if (reader.TokenType != JsonTokenType.StartArray)
            throw GeoJsonFeatureParser.Shape("\"geometries\" doit être une liste", "\"geometries\" must be an array");
        var members = new List<Geometry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (ReadGeometry(ref json, ref reader, topLevel: false) is { } member)
                members.Add(member);
        }
        return members;
    }

    private Point ReadPoint(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return factory.CreatePoint();
        if (reader.TokenType == JsonTokenType.StartArray && !IsEmptyArray(reader))
            return factory.CreatePoint(ReadPosition(ref reader));
        reader.Skip();
        return factory.CreatePoint();
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader reader);

    private static List<T> ReadList<T>(ref Utf8JsonReader reader, ItemReader<T> item)
    {
        var list = new List<T>();
        if (reader.TokenType == JsonTokenType.Null)
            return list;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw GeoJsonFeatureParser.Shape("les coordonnées doivent être des listes imbriquées de nombres", "coordinates must be nested arrays of numbers");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(item(ref reader));
        return list;
    }

    private List<CoordinateSequence?> ReadRings(ref Utf8JsonReader reader) => ReadList(ref reader, ReadRing);

    /// <summary>
    /// A ring as one packed array of x, y pairs: a national layer holds millions of vertices, and
    /// one array per ring instead of one object per vertex keeps the garbage collector out of the way.
    /// </summary>
    private CoordinateSequence? ReadRing(ref Utf8JsonReader reader)
    {
        return Ring(CollectionsMarshal.AsSpan(ReadPositionPairs(ref reader)));
    }

    /// <summary>A ring from its x, y pairs: closed if it was not (noted), null (noted) with fewer than four positions.</summary>
    private CoordinateSequence? Ring(ReadOnlySpan<double> xy)
    {
        int n = xy.Length / 2;
        bool open = n > 0 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]);
        if (open)
        {
            _closedRings++;
            n++;
        }
        if (n < 4)
        {
            if (n > 0)
                _droppedRings++;
            return null;
        }
        var packed = new double[2 * n];
        xy.CopyTo(packed);
        if (open)
            (packed[2 * n - 2], packed[2 * n - 1]) = (xy[0], xy[1]);
        return new PackedDoubleCoordinateSequence(packed, 2, 0);
    }

    private Coordinate[] ReadPositions(ref Utf8JsonReader reader)
    {
        var xy = ReadPositionPairs(ref reader);
        var points = new Coordinate[xy.Count / 2];
        for (int i = 0; i < points.Length; i++)
            points[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        return points;
    }

    [ThreadStatic]
    private static List<double>? t_xy;

    /// <summary>Positions of one list as x, y pairs, in a buffer reused by the thread (copied out by the caller).</summary>
    private List<double> ReadPositionPairs(ref Utf8JsonReader reader)
    {
        var xy = t_xy ??= new List<double>(2048);
        xy.Clear();
        if (reader.TokenType == JsonTokenType.Null)
            return xy;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw GeoJsonFeatureParser.Shape("les coordonnées doivent être des listes imbriquées de nombres", "coordinates must be nested arrays of numbers");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var (x, y) = ReadXY(ref reader);
            xy.Add(x);
            xy.Add(y);
        }
        return xy;
    }

    private Coordinate ReadPosition(ref Utf8JsonReader reader)
    {
        var (x, y) = ReadXY(ref reader);
        return new Coordinate(x, y);
    }

    private (double X, double Y) ReadXY(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw GeoJsonFeatureParser.Shape("une position doit être une liste de nombres, ex. [5.37, 43.3]", "a position must be an array of numbers, e.g. [5.37, 43.3]");
        double x = 0, y = 0;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                throw GeoJsonFeatureParser.Shape("les coordonnées sont imbriquées plus profond que le type de géométrie ne le permet", "coordinates are nested deeper than the geometry type allows");
            switch (count++)
            {
                case 0: x = ReadOrdinate(ref reader); break;
                case 1: y = ReadOrdinate(ref reader); break;
                case 2: _hadZ = true; break;
                default: _hadM = true; break;
            }
        }
        if (count < 2)
            throw GeoJsonFeatureParser.Shape("une position demande au moins deux nombres (longitude, latitude)", "a position needs at least two numbers (longitude, latitude)");
        return (x, y);
    }

    private double ReadOrdinate(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number
            && reader.TryGetDouble(out double value)
            && double.IsFinite(value)
            && Math.Abs(value) <= MaxPlausibleOrdinate)
        {
            return value;
        }
        _badNumber ??= reader.TokenType switch
        {
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => "\"" + reader.GetString() + "\"",
            JsonTokenType.Null => "null",
            JsonTokenType.True => "true",
            _ => "false",
        };
        return 0;
    }

    private static bool IsEmptyArray(Utf8JsonReader copy) => copy.Read() && copy.TokenType == JsonTokenType.EndArray;

    private Polygon ToPolygon(List<CoordinateSequence?> rings)
    {
        if (rings.Count == 0 || rings[0] is not { } shell)
            return factory.CreatePolygon();
        var holes = rings.Skip(1).OfType<CoordinateSequence>().Select(factory.CreateLinearRing).ToArray();
        return factory.CreatePolygon(factory.CreateLinearRing(shell), holes);
    }

    private LineString ToLineString(Coordinate[] points) =>
        points.Length == 1 ? factory.CreateLineString([points[0], points[0].Copy()]) : factory.CreateLineString(points);
}
