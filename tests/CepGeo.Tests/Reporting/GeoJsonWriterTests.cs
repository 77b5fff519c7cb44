using CsCheck;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Core.Reporting;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;

namespace CepGeo.Tests.Reporting;

public sealed class GeoJsonWriterTests
{
    private static readonly WKTReader WktReader = new();

    private static Geometry Wkt(string wkt) => WktReader.Read(wkt);

    private static string Write(params GeoJsonFeature[] features) => Write(features, null);

    private static string Write(IEnumerable<GeoJsonFeature> features, IReadOnlyList<KeyValuePair<string, JsonNode?>>? foreign)
    {
        using var stream = new MemoryStream();
        GeoJsonWriter.Write(stream, features, foreign);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement Coordinates(string json, int feature = 0) =>
        JsonDocument.Parse(json).RootElement.GetProperty("features")[feature].GetProperty("geometry").GetProperty("coordinates");

    /// <summary>Shoelace over a JSON ring: positive when counter-clockwise.</summary>
    private static double SignedArea(JsonElement ring)
    {
        var points = ring.EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        double sum = 0;
        for (int i = 0; i + 1 < points.Count; i++)
            sum += points[i].X * points[i + 1].Y - points[i + 1].X * points[i].Y;
        return sum / 2;
    }

    private static FeatureCollection ReadBack(string json)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return JsonSerializer.Deserialize<FeatureCollection>(json, options)!;
    }

    /// <summary>The parallel, chunked overload writes the same bytes as the sequential one, at chunk edges too.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(300)]
    [InlineData(4500)] // more than one wave of chunks
    public void ParallelOverload_WritesTheSameBytes(int count)
    {
        GeoJsonFeature Feature(int i) => GeoJsonFeature.Create(
            Wkt($"POLYGON (({i} 0, {i + 1} 0, {i + 1} 1.5, {i} 0.25, {i} 0))"), $"f{i}", ("n", i), ("name", $"Zone {i}"));
        var foreign = new List<KeyValuePair<string, JsonNode?>> { new("cepgeo", new JsonObject { ["v"] = 1 }) };
        using var parallel = new MemoryStream();
        GeoJsonWriter.Write(parallel, count, Feature, foreign);
        string expected = Write(Enumerable.Range(0, count).Select(Feature), foreign);
        Assert.Equal(expected, Encoding.UTF8.GetString(parallel.ToArray()));
        Assert.Equal(count, JsonDocument.Parse(expected).RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public void ClockwiseExterior_IsWrittenCounterClockwise_AndCounterClockwiseHole_Clockwise()
    {
        // Exterior clockwise, hole counter-clockwise: both the wrong way round for RFC 7946.
        var polygon = Wkt("POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))");
        Assert.True(((Polygon)polygon).Shell.IsCCW is false);

        var rings = Coordinates(Write(GeoJsonFeature.Create(polygon, null)));

        Assert.True(SignedArea(rings[0]) > 0, "exterior must be counter-clockwise");
        Assert.True(SignedArea(rings[1]) < 0, "hole must be clockwise");
        Assert.Equal(100, SignedArea(rings[0]), 9);
        Assert.Equal(-4, SignedArea(rings[1]), 9);
    }

    [Fact]
    public void MultiPolygon_EveryPartFollowsTheRightHandRule()
    {
        var multi = Wkt("MULTIPOLYGON (((0 0, 0 1, 1 1, 1 0, 0 0)), ((5 5, 6 5, 6 6, 5 6, 5 5), (5.2 5.2, 5.2 5.4, 5.4 5.4, 5.2 5.2)))");

        var parts = Coordinates(Write(GeoJsonFeature.Create(multi, null)));

        Assert.Equal(2, parts.GetArrayLength());
        Assert.True(SignedArea(parts[0][0]) > 0);
        Assert.True(SignedArea(parts[1][0]) > 0);
        Assert.True(SignedArea(parts[1][1]) < 0);
    }

    [Fact]
    public void Coordinates_AreRoundedToSixDecimals()
    {
        var polygon = Wkt("POLYGON ((4.12345649 45.1234565, 4.2 45.1, 4.2 45.2, 4.12345649 45.1234565))");

        string json = Write(GeoJsonFeature.Create(polygon, null));

        Assert.Contains("[4.123456,45.123457]", json, StringComparison.Ordinal);
        Assert.Contains("[4.2,45.1]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("4.1234564", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinates_NearZero_AreWrittenInPlainDecimals_ThatReadBackToTheRoundedValues()
    {
        // Near the Greenwich meridian: the round-trip form would write 7E-05.
        var polygon = Wkt("POLYGON ((-0.00007 49.18594, 0.000037 49.1, 0.0000095 49.2, -179.999999 -0.000001, -0.00007 49.18594))");

        string json = Write(GeoJsonFeature.Create(polygon, null));

        Assert.Contains("[-0.00007,49.18594]", json, StringComparison.Ordinal);
        Assert.Contains("[0.000037,49.1]", json, StringComparison.Ordinal);
        Assert.Contains("[0.00001,49.2]", json, StringComparison.Ordinal);
        Assert.Contains("[-179.999999,-0.000001]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("E", json.Split("\"coordinates\"")[1], StringComparison.Ordinal);
        var ring = Coordinates(json)[0];
        Assert.Equal(5, ring.GetArrayLength());
        foreach (var point in ring.EnumerateArray())
            Assert.Contains(polygon.Coordinates, c => GeoJsonWriter.Round(c.X) == point[0].GetDouble() && GeoJsonWriter.Round(c.Y) == point[1].GetDouble());
    }

    [Fact]
    public void Coordinates_OfEveryMagnitude_AreTheRoundedValues_InShortestPlainDecimals()
    {
        // Degrees (one to three digits before the point), projected metres, and values past 1e9
        // (written in round-trip form), each rounded to six decimals, read back exactly.
        var random = new Random(20261127);
        var factory = new GeometryFactory();
        for (int k = 0; k < 4000; k++)
        {
            double scale = Math.Pow(10, random.Next(-7, 11));
            double x = (random.NextDouble() * 2 - 1) * scale, y = (random.NextDouble() * 2 - 1) * scale;
            var ring = factory.CreatePolygon([new(x, y), new(x + 1, y), new(x, y + 1), new(x, y)]);

            string json = Write(GeoJsonFeature.Create(ring, null));

            string coordinates = json.Split("\"coordinates\":")[1];
            var tokens = System.Text.RegularExpressions.Regex.Matches(coordinates, @"-?[0-9][0-9.eE+-]*").Select(m => m.Value).ToList();
            Assert.Equal(8, tokens.Count);
            var expected = new[] { x, y, x + 1, y, x, y + 1 }.Select(GeoJsonWriter.Round).ToHashSet();
            foreach (string token in tokens)
            {
                double value = double.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Contains(value, expected);
                string shortest = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                if (!shortest.Contains('E')) Assert.Equal(shortest, token);
                else Assert.True(Math.Abs(value) < 1e-4 && !token.Contains('E') || Math.Abs(value) >= 1e9, token);
            }
        }
    }

    [Fact]
    public void Ring_MixingPlainAndHugeOrNonFiniteValues_WritesEachAsItsRoundedValue()
    {
        // One value of 10⁹ or more (or not finite) sends the whole ring to the round-trip path:
        // the values before it must still be the input's, not what the plain path made of them.
        var factory = new GeometryFactory();
        var ring = factory.CreatePolygon([new(1.2345678, 2.5), new(1.5, 3.1234567), new(2e9 + 0.1234567, 2.5), new(1.2345678, 2.5)]);
        var withNaN = factory.CreatePolygon([new(1.2345678, 2.5), new(1.5, 3.1234567), new(double.NaN, 2.5), new(1.2345678, 2.5)]);

        string huge = Write(GeoJsonFeature.Create(ring, null)).Split("\"coordinates\":")[1];
        string nan = Write(GeoJsonFeature.Create(withNaN, null)).Split("\"coordinates\":")[1];

        foreach (string token in new[] { "[1.234568,2.5]", "[1.5,3.123457]", "[2000000000.123457,2.5]" })
            Assert.Contains(token, huge, StringComparison.Ordinal);
        foreach (string token in new[] { "[1.234568,2.5]", "[1.5,3.123457]", "[null,2.5]" })
            Assert.Contains(token, nan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0)]   // degrees
    [InlineData(4e8)]   // large projected values: a millionth is a few units in the last place
    public void Orientation_HoldsExactlyForTheWrittenNumbers_OnThinRings(double magnitude)
    {
        // Triangles on consecutive Fibonacci numbers of millionths, (0, 0), (F(n), F(n+1)),
        // (F(n+1), F(n+2)): up to a thousand millionths long, of twice-area exactly ±1. Each point
        // is within half a millionth of its lattice point, so rounding puts it there. Read back as
        // decimals (exact), every exterior written must be counter-clockwise, every hole clockwise.
        var factory = new GeometryFactory();
        double span = Math.Min(magnitude, 179.9);
        var genJitter = Gen.Double[-0.45, 0.45].Array[6];
        var genRing = Gen.Select(Gen.Double[-span, span], Gen.Int[6, 15], Gen.Int[0, 7], genJitter);
        Gen.Select(genRing, genRing).Sample(rings =>
        {
            var written = Coordinates(Write(GeoJsonFeature.Create(factory.CreatePolygon(Ring(rings.Item1), [Ring(rings.Item2)]), null)));
            return ExactSignedArea(written[0]) > 0 && ExactSignedArea(written[1]) < 0;
        }, iter: 2000);

        LinearRing Ring((double At, int N, int Turn, double[] J) r)
        {
            double x0 = magnitude > 1000 ? Math.Round(magnitude + r.At) : Math.Round(r.At, 1), y0 = magnitude > 1000 ? x0 : Math.Round(r.At / 2, 1);
            long f0 = 0, f1 = 1;
            for (int i = 0; i < r.N; i++) (f0, f1) = (f1, f0 + f1);
            // Mirrored, swapped or both: both orientations, every direction.
            (long X, long Y)[] lattice = [(0, 0), (f0, f1), (f1, f0 + f1)];
            if ((r.Turn & 1) != 0) lattice = [.. lattice.Select(q => (q.Y, q.X))];
            if ((r.Turn & 2) != 0) lattice = [.. lattice.Select(q => (-q.X, q.Y))];
            if ((r.Turn & 4) != 0) lattice = [lattice[0], lattice[2], lattice[1]];
            var points = lattice.Select((q, i) => new Coordinate(x0 + (q.X + r.J[2 * i]) * 1e-6, y0 + (q.Y + r.J[2 * i + 1]) * 1e-6)).ToList();
            points.Add(points[0]);
            return factory.CreateLinearRing([.. points]);
        }
    }

    [Theory]
    [InlineData(999.9999995, "1000")]
    [InlineData(-999.9999995, "-1000")]
    [InlineData(9.9999995, "10")]
    [InlineData(99.9999995, "100")]
    [InlineData(-0.0000004, "0")]
    [InlineData(-0.0000005, "-0.000001")]
    [InlineData(0.0000005, "0.000001")]
    [InlineData(999999999.9999996, "1000000000")]
    [InlineData(1e9, "1000000000")]
    [InlineData(123456789.1234565, "123456789.123457")]
    public void Coordinate_AtADigitOrSignBoundary_IsWrittenAsItsRoundedValue(double value, string expected)
    {
        var ring = new GeometryFactory().CreatePolygon([new(value, 1), new(value + 2, 1), new(value, 3), new(value, 1)]);

        string coordinates = Write(GeoJsonFeature.Create(ring, null)).Split("\"coordinates\":")[1];

        Assert.Contains($"[{expected},1]", coordinates, StringComparison.Ordinal);
    }

    /// <summary>Shoelace over a JSON ring read as decimals (six decimals of values below 10³: exact).</summary>
    private static decimal ExactSignedArea(JsonElement ring)
    {
        var points = ring.EnumerateArray().Select(p => (X: p[0].GetDecimal(), Y: p[1].GetDecimal())).ToList();
        decimal sum = 0;
        for (int i = 0; i + 1 < points.Count; i++)
            sum += (points[i].X - points[0].X) * (points[i + 1].Y - points[0].Y) - (points[i + 1].X - points[0].X) * (points[i].Y - points[0].Y);
        return sum;
    }

    [Fact]
    public void Rounding_DropsRepeatedPointsAndNegativeZero()
    {
        var polygon = Wkt("POLYGON ((-0.0000001 0, 1 0, 1.0000001 0, 1 1, 0 1, -0.0000001 0))");

        var ring = Coordinates(Write(GeoJsonFeature.Create(polygon, null)))[0];

        Assert.Equal(5, ring.GetArrayLength());
        Assert.Equal("[[0,0],[1,0],[1,1],[0,1],[0,0]]", ring.GetRawText());
    }

    [Fact]
    public void NaNAndInfinity_AreWrittenAsNull_NeverAsNaN()
    {
        string json = Write(GeoJsonFeature.Create(null, "a",
            ("nan", double.NaN), ("inf", double.PositiveInfinity), ("ninf", double.NegativeInfinity), ("fnan", float.NaN)));

        var properties = JsonDocument.Parse(json).RootElement.GetProperty("features")[0].GetProperty("properties");
        foreach (string name in new[] { "nan", "inf", "ninf", "fnan" })
            Assert.Equal(JsonValueKind.Null, properties.GetProperty(name).ValueKind);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_KeepTheirOrderAndTypes_DoublesInRoundTripForm()
    {
        string json = Write(GeoJsonFeature.Create(null, "z1",
            ("name", "Saint-Étienne"), ("third", 1.0 / 3), ("tenth", 0.1), ("count", 42), ("big", 9_007_199_254_740_993L),
            ("flag", true), ("none", null), ("ids", new[] { "a", "b" }), ("tiny", 1e-7)));

        string line = json.Split('\n')[1];
        Assert.Equal(
            """{"type":"Feature","id":"z1","properties":{"name":"Saint-Étienne","third":0.3333333333333333,"tenth":0.1,"count":42,"big":9007199254740993,"flag":true,"none":null,"ids":["a","b"],"tiny":1E-07},"geometry":null}""",
            line);
        var third = JsonDocument.Parse(json).RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("third").GetDouble();
        Assert.Equal(1.0 / 3, third);
    }

    [Fact]
    public void PropertyNames_NeedingEscapes_ReadBackAsGiven_InEveryFeature()
    {
        // Names are encoded once per thread and reused: each feature must still carry its own.
        string[] names = ["réseau", "say \"hi\"", "back\\slash", "tab\t", "plain"];
        var features = Enumerable.Range(0, 130).Select(i => GeoJsonFeature.Create(null, $"f{i}",
            names.Select((n, k) => (k == i % names.Length ? n + i : n, (object?)k)).ToArray())).ToList();
        using var stream = new MemoryStream();
        GeoJsonWriter.Write(stream, features.Count, i => features[i]);

        var read = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("features");
        for (int i = 0; i < features.Count; i++)
            Assert.Equal(features[i].Properties.Select(p => p.Key), read[i].GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void UnsupportedPropertyType_IsRejectedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => Write(GeoJsonFeature.Create(null, null, ("when", DateTime.UnixEpoch))));
        Assert.Contains("when", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_IsOneFeaturePerLine_WithForeignMembersFirst_AndUnixNewlines()
    {
        var square = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
        var foreign = new[] { KeyValuePair.Create<string, JsonNode?>("cepgeo", new JsonObject { ["version"] = "0.1.0", ["n"] = 2 }) };

        string json = Write([GeoJsonFeature.Create(square, "a"), GeoJsonFeature.Create(square, "b")], foreign);

        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.Equal(
            """
            {"type":"FeatureCollection","cepgeo":{"version":"0.1.0","n":2},"features":[
            {"type":"Feature","id":"a","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
            {"type":"Feature","id":"b","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}
            ]}

            """.ReplaceLineEndings("\n"),
            json);
    }

    [Fact]
    public void EmptyCollection_IsValidJson()
    {
        string json = Write([], null);

        Assert.Equal("{\"type\":\"FeatureCollection\",\"features\":[]}\n", json);
        Assert.Equal(0, JsonDocument.Parse(json).RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public void ForeignMember_NamedLikeAGeoJsonMember_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Write([], [KeyValuePair.Create<string, JsonNode?>("features", null)]));
    }

    [Fact]
    public void UnsupportedGeometry_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Write(GeoJsonFeature.Create(Wkt("LINESTRING (1 2, 3 4)"), null)));
    }

    [Fact]
    public void Point_ASite_IsWrittenAsAPointRoundedToSixDecimals()
    {
        string json = Write(GeoJsonFeature.Create(Wkt("POINT (5.123456789 43.1)"), "s1"));
        Assert.Contains("\"geometry\":{\"type\":\"Point\",\"coordinates\":[5.123457,43.1]}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBackWithGeoJson4Stj_GivesTheSameGeometryTo1e6()
    {
        var polygon = Wkt("POLYGON ((4.1 45.1, 4.3000004 45.1, 4.3 45.3, 4.1 45.3, 4.1 45.1), (4.15 45.15, 4.15 45.2, 4.2 45.2, 4.2 45.15, 4.15 45.15))");
        var multi = Wkt("MULTIPOLYGON (((4.5 45.5, 4.6 45.5, 4.6 45.6, 4.5 45.5)), ((4.7 45.7, 4.7 45.8, 4.8 45.8, 4.7 45.7)))");

        string json = Write(
            [GeoJsonFeature.Create(polygon, "p", ("n", 1)), GeoJsonFeature.Create(multi, "m", ("n", 2))],
            [KeyValuePair.Create<string, JsonNode?>("cepgeo", new JsonObject { ["study"] = "x" })]);
        var read = ReadBack(json);

        Assert.Equal(2, read.Count);
        Assert.Equal(1m, read[0].Attributes["n"]);
        AssertSameGeometry(polygon, read[0].Geometry);
        AssertSameGeometry(multi, read[1].Geometry);
    }

    private static void AssertSameGeometry(Geometry expected, Geometry actual)
    {
        Assert.Equal(expected.GeometryType, actual.GeometryType);
        Assert.True(actual.IsValid);
        var a = expected.Copy();
        var b = actual.Copy();
        a.Normalize();
        b.Normalize();
        Assert.True(a.EqualsExact(b, 1e-6), $"{a} vs {b}");
        Assert.Equal(expected.Area, actual.Area, 1e-6);
    }

    /// <summary>A feature written with a transform gives the bytes of its transformed copy, and leaves its geometry as it was.</summary>
    [Fact]
    public void Transform_WritesTheBytesOfTheTransformedCopy()
    {
        var lambert = Wkt("MULTIPOLYGON (((700000 6600000, 760000 6600000, 760000 6650000, 700000 6600000)), ((800000 6700000, 900000 6700000, 900000 6800000, 800000 6800000, 800000 6700000), (820000 6720000, 820000 6780000, 880000 6780000, 820000 6720000)))");
        var toLonLat = CepGeo.Core.Projection.Reprojector.Create(
            CepGeo.Core.Model.KnownCrs.Get("EPSG:2154"), CepGeo.Core.Model.CrsRef.Wgs84Default);
        var before = lambert.Copy();

        string direct = Write(new GeoJsonFeature(lambert, [], "a") { Transform = toLonLat });
        string copied = Write(new GeoJsonFeature(toLonLat.Transform(lambert), [], "a"));

        Assert.Equal(copied, direct);
        Assert.Contains("[3,46.5]", direct);
        Assert.True(before.EqualsExact(lambert));
    }

    [Fact]
    public void Transform_PointThatCannotBeTransformed_IsTheReprojectorsError()
    {
        var laea = Wkt("POLYGON ((4321000 3210000, 9e7 3210000, 9e7 9e7, 4321000 3210000))");
        var toLonLat = CepGeo.Core.Projection.Reprojector.Create(
            CepGeo.Core.Model.KnownCrs.Get("EPSG:3035"), CepGeo.Core.Model.CrsRef.Wgs84Default);

        var e = Assert.ThrowsAny<Exception>(() => Write(new GeoJsonFeature(laea, [], "a") { Transform = toLonLat }));

        var input = Assert.IsType<CepGeo.Core.Model.CepGeoInputException>(e is AggregateException a ? a.InnerException : e);
        Assert.Contains("cannot be transformed", input.Message);
        Assert.Contains("90000000", input.Message);
    }

    /// <summary>Rings given as x, y pairs are written as the polygon made of them would be: with and
    /// without a transform, holes, and rings in either orientation (the writer orients them).</summary>
    [Theory]
    [InlineData("POLYGON ((700000 6600000, 760000 6650000, 760000 6600000, 700000 6600000))", true)]
    [InlineData("POLYGON ((800000 6700000, 900000 6700000, 900000 6800000, 800000 6800000, 800000 6700000), (820000 6720000, 820000 6780000, 880000 6780000, 820000 6720000), (885000 6785000, 885000 6790000, 890000 6790000, 885000 6785000))", true)]
    [InlineData("POLYGON ((0.1234567 0, 0 1, 1 1, 1 0, 0.1234567 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2))", false)]
    public void PolygonXY_WritesTheBytesOfThePolygonOfTheseRings(string wkt, bool lambert)
    {
        var polygon = (Polygon)Wkt(wkt);
        var transform = lambert
            ? CepGeo.Core.Projection.Reprojector.Create(CepGeo.Core.Model.KnownCrs.Get("EPSG:2154"), CepGeo.Core.Model.CrsRef.Wgs84Default)
            : null;
        var rings = new[] { polygon.Shell }.Concat(polygon.Holes)
            .Select(r => (ReadOnlyMemory<double>)r.Coordinates.SelectMany(c => new[] { c.X, c.Y }).ToArray()).ToList();

        string fromRings = Write(GeoJsonFeature.Create(null, "a", ("k", 1.5)) with { PolygonXY = rings, Transform = transform });
        string fromPolygon = Write(GeoJsonFeature.Create(polygon, "a", ("k", 1.5)) with { Transform = transform });

        Assert.Equal(fromPolygon, fromRings);
        Assert.Equal(polygon.NumInteriorRings + 1, Coordinates(fromRings).GetArrayLength());
    }

    [Fact]
    public void PolygonXY_PointThatCannotBeTransformed_IsTheReprojectorsError()
    {
        var toLonLat = CepGeo.Core.Projection.Reprojector.Create(
            CepGeo.Core.Model.KnownCrs.Get("EPSG:3035"), CepGeo.Core.Model.CrsRef.Wgs84Default);
        ReadOnlyMemory<double> ring = new[] { 4321000, 3210000, 9e7, 3210000, 9e7, 9e7, 4321000, 3210000 };

        var e = Assert.ThrowsAny<Exception>(() => Write(GeoJsonFeature.Create(null, "a") with { PolygonXY = [ring], Transform = toLonLat }));

        var input = Assert.IsType<CepGeo.Core.Model.CepGeoInputException>(e is AggregateException a ? a.InnerException : e);
        Assert.Contains("(90000000, 3210000) cannot be transformed", input.Message);
    }

    [Fact]
    public void SameInput_GivesTheSameBytes()
    {
        var polygon = Wkt("POLYGON ((0.123456789 0, 1 0, 1 1, 0 1, 0.123456789 0))");
        var feature = GeoJsonFeature.Create(polygon, "a", ("x", Math.PI), ("s", "é"));

        Assert.Equal(Write(feature), Write(feature));
    }
}
