using CepGeo.Core.Model;
using CepGeo.Core.Projection;

namespace CepGeo.Tests.Projection;

public class KnownCrsTests
{
    [Theory]
    [InlineData("EPSG:2154", "EPSG:2154")]
    [InlineData(" epsg:2154 ", "EPSG:2154")]
    [InlineData("urn:ogc:def:crs:EPSG::2154", "EPSG:2154")]
    [InlineData("urn:ogc:def:crs:EPSG:6.6:3035", "EPSG:3035")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:OGC::CRS84", "EPSG:4326")]
    [InlineData("CRS84", "EPSG:4326")]
    [InlineData("EPSG:900913", "EPSG:3857")]
    [InlineData("EPSG:102100", "EPSG:3857")]
    [InlineData("EPSG:27572", "EPSG:27572")]
    [InlineData("laea:55.5,-21.1", "LAEA:55.5,-21.1")]
    [InlineData("Lambert 93", null)]
    [InlineData("EPSG:", null)]
    [InlineData("", null)]
    public void NormaliseCode_CommonSpellings(string code, string? expected)
    {
        Assert.Equal(expected, KnownCrs.NormaliseCode(code));
    }

    [Fact]
    public void Get_KnownCodes_CarryTheirWkt()
    {
        Assert.All(KnownCrs.Codes, code =>
        {
            var crs = KnownCrs.Get(code);
            Assert.Equal(code, crs.Code);
            Assert.Contains($"AUTHORITY[\"EPSG\",\"{code[5..]}\"]]", crs.Wkt, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Get_UnknownCode_Throws()
    {
        var e = Assert.Throws<CepGeoInputException>(() => KnownCrs.Get("EPSG:27572"));

        Assert.Equal("EPSG:27572", e.Input);
    }

    [Fact]
    public void Laea_RoundsCentreAndWrapsLongitude()
    {
        var crs = KnownCrs.Laea(190.12345, 46.00049);

        Assert.Equal("LAEA:-169.877,46", crs.Code);
        Assert.Contains("PARAMETER[\"longitude_of_center\",-169.877]", crs.Wkt, StringComparison.Ordinal);
    }
}
