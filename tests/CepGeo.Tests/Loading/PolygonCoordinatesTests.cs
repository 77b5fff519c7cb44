using System.Globalization;
using System.Text;
using System.Text.Json;
using CepGeo.Core.Loading;
using CsCheck;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Loading;

/// <summary>
/// The direct reading of Polygon/MultiPolygon coordinates gives the values a JSON parser gives, bit
/// for bit, and hands anything outside its plain case back to the general reader.
/// </summary>
public class PolygonCoordinatesTests
{
    private static readonly string[] Formats = ["R", "F0", "F1", "F5", "F6", "F9", "F15", "E3", "E16", "G17"];

    /// <summary>Doubles written the ways exports write them, with JSON whitespace between tokens.</summary>
    private static readonly Gen<(double[] Values, string Text)> GenRing =
        Gen.Select(Gen.Double[-1e7, 1e7].Array[6, 40], Gen.Int[0, Formats.Length - 1], Gen.String[Gen.Char[" \n\t\r"], 0, 2])
            .Select(t =>
            {
                var (values, format, space) = t;
                int n = values.Length / 2 * 2;
                var texts = values.Take(n).Select(v => v.ToString(Formats[format], CultureInfo.InvariantCulture)).ToArray();
                var sb = new StringBuilder("[" + space + "[");
                for (int i = 0; i < n; i += 2)
                    sb.Append(i > 0 ? "," + space : "").Append('[').Append(texts[i]).Append(space).Append(',').Append(space).Append(texts[i + 1]).Append(']');
                sb.Append(space + "]]");
                return (texts.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray(), sb.ToString());
            });

    [Fact]
    public void TryRead_NumbersAsWritten_SameBitsAsDoubleParse()
    {
        GenRing.Sample(t =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.Text + " ,");
            Assert.True(PolygonCoordinates.TryRead(bytes, 1e10, out var read, out int length), t.Text);
            Assert.Equal(t.Text.Length, length);
            Assert.Equal(3, read.Depth);
            Assert.Equal([t.Values.Length], read.RingEnds);
            for (int i = 0; i < t.Values.Length; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(t.Values[i]), BitConverter.DoubleToInt64Bits(read.Xy[i]));
        }, iter: 2000);
    }

    [Fact]
    public void TryRead_MultiPolygon_RingsAndPolygonsDelimited()
    {
        var text = "[[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.2]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"u8;

        Assert.True(PolygonCoordinates.TryRead(text, 1e10, out var read, out int length));

        Assert.Equal(text.Length - 1, length);
        Assert.Equal(4, read.Depth);
        Assert.Equal([8, 16, 24], read.RingEnds);
        Assert.Equal([2, 3], read.PolygonEnds);
        Assert.Equal(0.3, read.Xy[10]);
        Assert.Equal(6, read.Xy[20]);
    }

    [Theory]
    [InlineData("[[[1,2,3],[4,5,6]]]")] // Z: the general reader notes it
    [InlineData("[[[01,2]]]")] // not JSON
    [InlineData("[[[1.,2]]]")]
    [InlineData("[[[-,2]]]")]
    [InlineData("[[[1,2]],[]]")] // an empty ring: noted by the general reader
    [InlineData("[[[1,null]]]")]
    [InlineData("[[[1,\"2\"]]]")]
    [InlineData("[[[1,2e999]]]")] // beyond double range
    [InlineData("[[[1,2e11]]]")] // beyond any CRS
    [InlineData("[[1,2]]")] // a LineString's shape
    [InlineData("[[[1,2],]]]")]
    [InlineData("[[[1,2]]")] // cut short
    public void TryRead_OutsideThePlainCase_False(string text) =>
        Assert.False(PolygonCoordinates.TryRead(Encoding.UTF8.GetBytes(text), 1e10, out _, out _));

    /// <summary>
    /// The national employment zones read through the loader (direct path) has, ring by ring, the
    /// positions System.Text.Json's own parser finds in the file, and is as many features.
    /// </summary>
    [Fact]
    public void Read_EmploymentZones_SameCoordinatesAsJsonDocument()
    {
        string path = TestPaths.Shared("france", "ze2020.geojson");
        var layer = LayerReader.Read(path, new LayerOptions("ze2020.geojson", "ze_code", "ze_name"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();

        Assert.Equal(features.Count, layer.Features.Count);
        long positions = 0;
        for (int f = 0; f < features.Count; f++)
        {
            var geometry = features[f].GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            var read = layer.Features[f].Geometry;
            Assert.Equal(polygons.Count, read.NumGeometries);
            for (int p = 0; p < polygons.Count; p++)
            {
                var polygon = (Polygon)read.GetGeometryN(p);
                var rings = polygons[p].EnumerateArray().ToList();
                Assert.Equal(rings.Count, 1 + polygon.NumInteriorRings);
                for (int r = 0; r < rings.Count; r++)
                {
                    var sequence = (r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1)).CoordinateSequence;
                    var expected = rings[r].EnumerateArray().ToList();
                    Assert.Equal(expected.Count, sequence.Count);
                    for (int i = 0; i < expected.Count; i++, positions++)
                    {
                        Assert.Equal(expected[i][0].GetDouble(), sequence.GetX(i));
                        Assert.Equal(expected[i][1].GetDouble(), sequence.GetY(i));
                    }
                }
            }
        }
        Assert.True(positions > 100_000, $"{positions} positions compared");
    }
}
