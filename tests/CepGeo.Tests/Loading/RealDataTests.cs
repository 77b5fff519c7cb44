using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Validation;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Loading;

/// <summary>The shared PACA and national files load with the counts their README gives.</summary>
public class RealDataTests
{
    [Fact]
    public void Read_PacaMissionsLocales_28ZonesKeyedByZoneCode()
    {
        var layer = LayerReader.Read(TestPaths.Shared("paca", "missions-locales-2025.geojson"),
            new LayerOptions("missions-locales-2025.geojson", "zone_code", "zone_name"));

        Assert.Equal(28, layer.Features.Count);
        Assert.Same(CrsRef.Wgs84Default, layer.Crs);
        Assert.Empty(layer.Report);
        Assert.Equal("04049", layer.Features[0].Id);
        Assert.Equal("04-ML CHATEAU ARNOUX ST AUBAN", layer.Features[0].Name);
        Assert.Contains(layer.Features, f => f.Id == "13201");
        Assert.Equal(5_218_960, layer.Features.Sum(f => (double)f.Attributes["population_2026"]!));
        Assert.All(layer.Features, f => Assert.True(f.Geometry is Polygon or MultiPolygon));
    }

    [Fact]
    public void Read_PacaCommunes_947CommunesAllValid()
    {
        var layer = LayerReader.Read(TestPaths.Shared("paca", "communes.geojson"), new LayerOptions("communes.geojson", "code", "nom"));

        Assert.Equal(947, layer.Features.Count);
        Assert.Equal(5_218_960, layer.Features.Sum(f => (double)f.Attributes["population_2026"]!));
        var marseille = Assert.Single(layer.Features, f => f.Id == "13055");
        Assert.Equal("Marseille", marseille.Name);
        Assert.Equal(886_040.0, marseille.Attributes["population_2026"]);
        Assert.Equal(6, layer.Features.Select(f => f.Attributes["dep"]).Distinct().Count());

        var repaired = LayerRepair.Repair(layer);
        Assert.Equal(947, repaired.Features.Count);
        Assert.Empty(repaired.Report);
    }

    [Fact]
    public void Read_PacaCommunesWithoutIdField_ErrorSuggestsCode()
    {
        var ex = Assert.Throws<CepGeoInputException>(() =>
            LayerReader.Read(TestPaths.Shared("paca", "communes.geojson"), new LayerOptions("communes.geojson", null, null)));
        Assert.StartsWith("communes.geojson: the features have no id", ex.Message);
        Assert.Contains("properties found: code, nom", ex.Message);
    }

    [Fact]
    public void Read_NationalCommunes_35228CommunesWithCrs84Member()
    {
        var layer = LayerReader.Read(TestPaths.Shared("france", "communes-2018.geojson"), new LayerOptions("communes-2018.geojson", "code", "nom"));

        Assert.Equal(35_228, layer.Features.Count);
        Assert.Equal(new CrsRef("EPSG:4326", null, Declared: true), layer.Crs);
        Assert.Equal(66_160_566, layer.Features.Sum(f => (double)f.Attributes["population"]!), 3);
    }
}
