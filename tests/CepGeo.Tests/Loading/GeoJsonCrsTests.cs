using CepGeo.Core.Model;
using static CepGeo.Tests.Loading.LoadingFixtures;

namespace CepGeo.Tests.Loading;

public class GeoJsonCrsTests
{
    [Fact]
    public void Read_NoCrsMember_IsWgs84ByRfc7946NotDeclared()
    {
        var layer = ReadText(Collection(null, Square));
        Assert.Same(CrsRef.Wgs84Default, layer.Crs);
        Assert.False(layer.Crs.Declared);
        Assert.Empty(layer.Report);
    }

    [Theory]
    [InlineData("EPSG:4326", "EPSG:4326")]
    [InlineData("epsg:4326", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:OGC::CRS84", "EPSG:4326")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:EPSG::4326", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:EPSG:6.6:4326", "EPSG:4326")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326")]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/4258", "EPSG:4258")]
    public void Read_GeographicCrsSpellings_NormalisedToEpsgCode(string spelling, string code)
    {
        var layer = ReadText(Collection(NamedCrs(spelling), Square));
        Assert.Equal(new CrsRef(code, null, true), layer.Crs);
    }

    [Theory]
    [InlineData("EPSG:2154", "EPSG:2154")]
    [InlineData("urn:ogc:def:crs:EPSG::2154", "EPSG:2154")]
    [InlineData("urn:ogc:def:crs:EPSG:8.5:3857", "EPSG:3857")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3035", "EPSG:3035")]
    [InlineData("EPSG:32631", "EPSG:32631")]
    [InlineData(" EPSG:27572 ", "EPSG:27572")]
    public void Read_ProjectedCrsSpellings_NormalisedToEpsgCode(string spelling, string code)
    {
        var layer = ReadText(Collection(NamedCrs(spelling), LambertSquare));
        Assert.Equal(new CrsRef(code, null, true), layer.Crs);
    }

    [Fact]
    public void Read_LambertUrnFixture_IsDeclaredEpsg2154()
    {
        var layer = Read("crs-lambert93-urn.geojson");
        Assert.Equal(new CrsRef("EPSG:2154", null, true), layer.Crs);
        Assert.Equal(1e8, layer.Features[0].Geometry.Area, 3);
    }

    [Fact]
    public void Read_CrsWrittenAfterFeatures_IsHonoured()
    {
        Assert.Equal("EPSG:2154", Read("crs-after-features.geojson").Crs.Code);
    }

    [Fact]
    public void Read_OldEpsgTypeCrs_IsHonoured()
    {
        var layer = ReadText(Collection("""{"type": "EPSG", "properties": {"code": 2154}}""", LambertSquare));
        Assert.Equal("EPSG:2154", layer.Crs.Code);
    }

    [Fact]
    public void Read_CrsAsABareString_IsHonoured()
    {
        Assert.Equal("EPSG:2154", ReadText(Collection("\"EPSG:2154\"", LambertSquare)).Crs.Code);
    }

    [Fact]
    public void Read_NullCrs_MeansTheDefault()
    {
        Assert.Same(CrsRef.Wgs84Default, ReadText(Collection("null", Square)).Crs);
    }

    [Theory]
    [InlineData("Lambert 93")]
    [InlineData("EPSG:")]
    [InlineData("EPSG:0")]
    [InlineData("ESRI:102110")]
    [InlineData("urn:ogc:def:crs:IGNF::LAMB93")]
    public void Read_UnknownCrsSpelling_ErrorListsAcceptedSpellings(string spelling)
    {
        var ex = ReadTextFails(Collection(NamedCrs(spelling), Square));
        Assert.Contains($"crs \"{spelling}\" is not a CRS name CepGeo understands", ex.Message);
        Assert.Contains("urn:ogc:def:crs:EPSG::n", ex.Message);
    }

    [Fact]
    public void Read_UnknownCrsFixture_ErrorNamesFile()
    {
        Assert.StartsWith("crs-unknown.geojson: crs \"Lambert 93\"", ReadFails("crs-unknown.geojson").Message);
    }

    [Fact]
    public void Read_LinkedCrs_ErrorSaysNotSupported()
    {
        var ex = ReadTextFails(Collection("""{"type": "link", "properties": {"href": "http://example.com/crs/42", "type": "proj4"}}""", Square));
        Assert.Contains("crs member of type \"link\" is not supported", ex.Message);
    }

    [Fact]
    public void Read_ProjectedCoordinatesWithoutCrs_ErrorShowsRangeAndSuggestsCrsMember()
    {
        var ex = ReadFails("projected-no-crs.geojson");
        Assert.Contains("coordinates are outside the longitude/latitude range (x from 892000 to 902000, y from 6247000 to 6257000; first at feature 13055)", ex.Message);
        Assert.Contains("no CRS is declared", ex.Message);
        Assert.Contains("probably projected", ex.Message);
        Assert.Contains("Lambert-93, EPSG:2154", ex.Message);
        Assert.Contains("add a crs member", ex.Message);
    }

    [Fact]
    public void Read_LatitudeWrittenFirst_ErrorMentionsSwappedAxes()
    {
        var ex = ReadFails("swapped-axes.geojson");
        Assert.Contains("x from 31.1 to 31.3, y from 121.3 to 121.6", ex.Message);
        Assert.Contains("axes look swapped", ex.Message);
    }

    [Fact]
    public void Read_DeclaredWgs84ButProjectedCoordinates_ErrorSaysTheFileDeclaresWgs84()
    {
        var ex = ReadTextFails(Collection(NamedCrs("urn:ogc:def:crs:OGC:1.3:CRS84"), LambertSquare));
        Assert.Contains("the file declares WGS84 (EPSG:4326)", ex.Message);
        Assert.Contains("x from 892000 to 902000", ex.Message);
    }

    [Fact]
    public void Read_DeclaredLambert93ButDegrees_ErrorSaysTheCrsIsProbablyWrong()
    {
        var ex = ReadFails("crs-2154-but-degrees.geojson");
        Assert.Contains("declares EPSG:2154, a projected CRS in metres, but every coordinate lies within longitude/latitude range", ex.Message);
    }
}
