using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Projection;

public class EqualAreaTests
{
    private static Envelope Box(double minLon, double maxLon, double minLat, double maxLat) => new(minLon, maxLon, minLat, maxLat);

    [Fact]
    public void Choose_AutoForPaca_IsEpsg3035()
    {
        var crs = EqualArea.Choose("auto", Box(4.2, 7.72, 42.98, 45.13));

        Assert.Equal("EPSG:3035", crs.Code);
        Assert.False(crs.Declared);
        Assert.NotNull(crs.Wkt);
    }

    [Fact]
    public void Choose_AutoForMainlandFranceAndCorsica_IsEpsg3035()
    {
        Assert.Equal("EPSG:3035", EqualArea.Choose("AUTO", Box(-5.2, 9.6, 41.3, 51.1)).Code);
    }

    [Theory]
    [InlineData(55.21, 55.84, -21.39, -20.87, "LAEA:55.525,-21.13")]   // La Réunion
    [InlineData(-54.61, -51.61, 2.11, 5.75, "LAEA:-53.11,3.93")]       // Guyane
    [InlineData(-61.23, -60.81, 14.39, 14.88, "LAEA:-61.02,14.635")]   // Martinique
    [InlineData(-79.8, -57.1, 44.9, 62.6, "LAEA:-68.45,53.75")]        // Québec, Canada
    public void Choose_AutoOutsideEurope_IsLaeaCentredOnTheStudy(double minLon, double maxLon, double minLat, double maxLat, string code)
    {
        var crs = EqualArea.Choose("auto", Box(minLon, maxLon, minLat, maxLat));

        Assert.Equal(code, crs.Code);
        Assert.Contains("Lambert_Azimuthal_Equal_Area", crs.Wkt, StringComparison.Ordinal);
        Assert.True(EqualArea.IsEqualArea(crs));
    }

    [Fact]
    public void Choose_AutoStraddlingEuropesEdge_IsLaea()
    {
        // France with Guadeloupe: the box is not in Europe.
        Assert.StartsWith("LAEA:", EqualArea.Choose("auto", Box(-61.8, 9.6, 15.8, 51.1)).Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_AutoCentreNearPole_IsKeptOffThePole()
    {
        Assert.Equal("LAEA:0,-89", EqualArea.Choose("auto", Box(-180, 180, -90, -89.5)).Code);
    }

    [Fact]
    public void Choose_ExplicitLambert93_IsAcceptedButNotEqualArea()
    {
        var crs = EqualArea.Choose("EPSG:2154", Box(3, 4, 43, 44));

        Assert.Equal("EPSG:2154", crs.Code);
        Assert.True(crs.Declared);
        Assert.False(EqualArea.IsEqualArea(crs));
    }

    [Theory]
    [InlineData("epsg:3035", "EPSG:3035")]
    [InlineData("urn:ogc:def:crs:EPSG::3035", "EPSG:3035")]
    [InlineData("LAEA:2,46.5", "LAEA:2,46.5")]
    public void Choose_ExplicitCode_IsThatCrs(string setting, string code)
    {
        // An explicit CRS ignores the extent, even one in another hemisphere.
        Assert.Equal(code, EqualArea.Choose(setting, Box(55, 56, -21, -20)).Code);
    }

    [Theory]
    [InlineData("EPSG:4326", "longitude/latitude")]
    [InlineData("EPSG:3857", "Web Mercator")]
    [InlineData("EPSG:27572", "EPSG:27572")]
    [InlineData("lambert93", "\"lambert93\" is not a CRS")]
    public void Choose_UnusableSetting_ThrowsNamingCrs(string setting, string expected)
    {
        var e = Assert.Throws<CepGeoInputException>(() => EqualArea.Choose(setting, Box(3, 4, 43, 44), "study.json"));

        Assert.Equal("study.json", e.Input);
        Assert.StartsWith("crs: ", e.Problem, StringComparison.Ordinal);
        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KnownCrs.LaeaEurope, true)]
    [InlineData(KnownCrs.Lambert93, false)]
    [InlineData(KnownCrs.WebMercator, false)]
    [InlineData(KnownCrs.Wgs84, false)]
    public void IsEqualArea_KnownCodes(string code, bool expected)
    {
        Assert.Equal(expected, EqualArea.IsEqualArea(KnownCrs.Get(code)));
    }

    [Fact]
    public void IsEqualArea_AlbersWkt_IsTrue()
    {
        const string albers =
            """PROJCS["NAD83 / Conus Albers",GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Albers_Conic_Equal_Area"],PARAMETER["standard_parallel_1",29.5],PARAMETER["standard_parallel_2",45.5],PARAMETER["latitude_of_center",23],PARAMETER["longitude_of_center",-96],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]""";

        Assert.True(EqualArea.IsEqualArea(new CrsRef(null, albers, true)));
    }
}
