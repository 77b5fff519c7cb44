using CepGeo.Core.Loading;
using CepGeo.Core.Model;

namespace CepGeo.Tests.Loading;

public class LayerReaderTests
{
    [Fact]
    public void Read_MissingFile_ErrorNamesIt()
    {
        string path = LoadingFixtures.Path("does-not-exist.geojson");
        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("does-not-exist.geojson", null, null)));
        Assert.Equal($"does-not-exist.geojson: file not found: {path}", ex.Message);
    }

    [Fact]
    public void Read_Folder_ErrorSaysItIsAFolder()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(dir.Path, new LayerOptions("dir", null, null)));
        Assert.Contains("is a folder, not a layer file", ex.Message);
    }

    [Fact]
    public void Read_UnsupportedExtension_ErrorListsTheSupportedOnes()
    {
        using var dir = new TempDirectory();
        string kml = dir.File("zones.kml");
        File.WriteAllText(kml, "<kml/>");
        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(kml, new LayerOptions("zones.kml", null, null)));
        Assert.Equal("zones.kml: unsupported file type \".kml\": CepGeo reads .geojson, .json, .shp, .gpkg", ex.Message);
    }

    [Theory]
    [InlineData("zones.json")]
    [InlineData("ZONES.GEOJSON")]
    public void Read_GeoJsonExtensions_AnyCase(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.Copy(LoadingFixtures.Path("single-feature.geojson"), path);
        var layer = LayerReader.Read(path, new LayerOptions(name, "code", null));
        Assert.Equal("13055", Assert.Single(layer.Features).Id);
        Assert.Equal(name, layer.Source);
    }

    [Fact]
    public void For_LayerSpec_NamesTheLayerAfterItsFile()
    {
        var spec = new LayerSpec("ml", "Missions locales", "/data/paca/missions-locales-2025.geojson", "zone_code", "zone_name");
        Assert.Equal(new LayerOptions("missions-locales-2025.geojson", "zone_code", "zone_name", KeepAttributes: false), LayerOptions.For(spec));
    }

    [Fact]
    public void Read_WithoutAttributes_StillTakesIdsAndNamesFromTheProperties()
    {
        string path = LoadingFixtures.Path("single-feature.geojson");
        var kept = Assert.Single(LayerReader.Read(path, new LayerOptions("a.geojson", "code", "nom")).Features);
        var dropped = Assert.Single(LayerReader.Read(path, new LayerOptions("a.geojson", "code", "nom", KeepAttributes: false)).Features);
        Assert.NotEmpty(kept.Attributes);
        Assert.Empty(dropped.Attributes);
        Assert.Equal(("13055", kept.Name), (dropped.Id, dropped.Name));
        Assert.Equal(kept.Attributes["nom"], dropped.Name);
    }

    [Fact]
    public void Read_WithoutAttributes_MissingIdInALaterFeature_ListsThatFeaturesProperties()
    {
        using var dir = new TempDirectory();
        string path = dir.File("two.geojson");
        const string square = "{\"type\":\"Polygon\",\"coordinates\":[[[5,43],[5.1,43],[5.1,43.1],[5,43]]]}";
        File.WriteAllText(path, "{\"type\":\"FeatureCollection\",\"features\":["
            + "{\"type\":\"Feature\",\"properties\":{\"code\":\"1\",\"nom\":\"Un\",\"pop\":3,\"x\":[1,2]},\"geometry\":" + square + "},"
            + "{\"type\":\"Feature\",\"properties\":{\"pop\":4,\"nom\":\"Deux\",\"nom\":\"Bis\"},\"geometry\":" + square + "}]}");
        var kept = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("two.geojson", "code", "nom")));
        var dropped = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("two.geojson", "code", "nom", KeepAttributes: false)));
        Assert.Equal(kept.Message, dropped.Message);
        Assert.Contains("#2", dropped.Message);
        Assert.Contains("properties found: pop, nom", dropped.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nom")]
    public void Read_WithoutAttributes_NoIdAnywhere_StillListsThePropertiesFound(string? nameField)
    {
        // No id property configured and no GeoJSON ids: the message names the properties to choose from.
        string path = LoadingFixtures.Path("single-feature.geojson");
        var kept = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("a.geojson", null, nameField)));
        var dropped = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("a.geojson", null, nameField, KeepAttributes: false)));
        Assert.Equal(kept.Message, dropped.Message);
        Assert.Contains("properties found: code, nom", dropped.Message);
    }

    [Fact]
    public void Read_WithoutAttributes_MissingIdStillListsThePropertiesFound()
    {
        string path = LoadingFixtures.Path("single-feature.geojson");
        var kept = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("a.geojson", "insee", "nom")));
        var dropped = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(path, new LayerOptions("a.geojson", "insee", "nom", KeepAttributes: false)));
        Assert.Equal(kept.Message, dropped.Message);
        Assert.Contains("properties found: code, nom", dropped.Message);
    }

    [Fact]
    public void For_WeightsSpec_MakesIdsOptional()
    {
        var spec = new WeightsSpec("/data/paca/communes.geojson", "population_2026", "Population");
        Assert.Equal(new LayerOptions("communes.geojson", null, null, null, IdsOptional: true), LayerOptions.For(spec));
    }
}
