using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Loading;

/// <summary>
/// A file read whole has its features after the first delimited by their braces, unchecked; a
/// syntax error inside one of them must still get the message a streamed read gives.
/// </summary>
public class InMemorySyntaxTests
{
    private const string Good = """{"type": "Feature", "properties": {"code": "A", "n": 1}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}""";

    [Theory]
    [InlineData("""{"type": "Feature", "properties": {"code": "C" "n": 1}, "geometry": null}""")] // a comma missing
    [InlineData("""{"type": "Feature", "properties": {"code": "C\q"}, "geometry": null}""")] // a bad escape
    [InlineData("""{"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0.], [1, 1], [0, 0]]]}}""")]
    [InlineData("""{"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 01], [0, 0]]]}}""")]
    [InlineData("""{"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]], "x": 1}}""")]
    [InlineData("""{"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]] "x": 1}}""")]
    [InlineData("""{"type": "Feature", "id": true, "properties": {"code": "C",}, "geometry": null}""")] // a content error met before the syntax error
    [InlineData("""{"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, "0"], [1, 1], [0, 0]]], "x": [1,]}}""")]
    public void SyntaxErrorInThirdFeature_SameMessageWholeOrStreamed(string third)
    {
        var text = $$"""
            {"type": "FeatureCollection", "features": [
            {{Good}},
            {{Good.Replace("\"A\"", "\"B\"")}},
            {{third}}
            ]}
            """;
        var bytes = Encoding.UTF8.GetBytes(text);

        var whole = Assert.Throws<MalformedJsonException>(() =>
            GeoJsonLayerReader.Read(new MemoryStream(bytes), new LayerOptions("t.geojson", "code", null)));
        var streamed = Assert.Throws<MalformedJsonException>(() =>
            GeoJsonLayerReader.Read(new OneWayStream(bytes), new LayerOptions("t.geojson", "code", null)));

        Assert.Equal(streamed.Message, whole.Message);
        Assert.Contains("not valid JSON at line 4", whole.Message);
    }

    /// <summary>A stream that cannot seek: read as a stream, never whole.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
