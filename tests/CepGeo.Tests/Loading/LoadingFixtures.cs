using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Loading;

/// <summary>Reads the hostile files of tests/Fixtures/loading and small GeoJSON written inline.</summary>
internal static class LoadingFixtures
{
    public static string Path(string name) => TestPaths.Fixture("loading", name);

    public static Layer Read(string name, string? idField = null, string? nameField = null) =>
        LayerReader.Read(Path(name), new LayerOptions(name, idField, nameField));

    public static CepGeoInputException ReadFails(string name, string? idField = null, string? nameField = null) =>
        Assert.ThrowsAny<CepGeoInputException>(() => Read(name, idField, nameField));

    public static Layer ReadText(string json, string? idField = null, string? nameField = null, string source = "inline.geojson")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return GeoJsonLayerReader.Read(stream, new LayerOptions(source, idField, nameField));
    }

    public static CepGeoInputException ReadTextFails(string json, string? idField = null, string? nameField = null) =>
        Assert.ThrowsAny<CepGeoInputException>(() => ReadText(json, idField, nameField));

    /// <summary>A FeatureCollection of unit-ish squares near Marseille, ids "a", "b"…, with an optional crs member.</summary>
    public static string Collection(string? crsMember = null, params string[] geometries)
    {
        var features = geometries.Select((g, i) =>
            $$"""{"type": "Feature", "id": "{{(char)('a' + i)}}", "properties": {}, "geometry": {{g}}}""");
        string crs = crsMember is null ? "" : $"\"crs\": {crsMember},";
        return $$"""{"type": "FeatureCollection", {{crs}} "features": [{{string.Join(",\n", features)}}]}""";
    }

    public const string Square = """{"type": "Polygon", "coordinates": [[[5.0,43.0],[5.1,43.0],[5.1,43.1],[5.0,43.1],[5.0,43.0]]]}""";

    public const string LambertSquare =
        """{"type": "Polygon", "coordinates": [[[892000,6247000],[902000,6247000],[902000,6257000],[892000,6257000],[892000,6247000]]]}""";

    public static string NamedCrs(string name) => """{"type": "name", "properties": {"name": """ + "\"" + name + "\"}}";
}
