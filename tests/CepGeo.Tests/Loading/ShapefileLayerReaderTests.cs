using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using NtsFeature = NetTopologySuite.Features.Feature;

namespace CepGeo.Tests.Loading;

public class ShapefileLayerReaderTests
{
    private const string Lambert93Prj =
        """PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]""";

    private static readonly WKTReader Wkt = new();

    private static NtsFeature Zone(string wkt, string code, string nom, double pop) =>
        new(Wkt.Read(wkt), new AttributesTable { { "code", code }, { "nom", nom }, { "pop", pop } });

    private static readonly NtsFeature[] LambertZones =
    [
        Zone("POLYGON ((892000 6247000, 892000 6257000, 902000 6257000, 902000 6247000, 892000 6247000))", "13055", "Marseille", 886040),
        Zone("POLYGON ((902000 6247000, 902000 6257000, 912000 6257000, 912000 6247000, 902000 6247000))", "13005", "Aubagne", 48000),
    ];

    private static readonly NtsFeature[] LonLatZones =
    [
        Zone("POLYGON ((5 43, 5 43.1, 5.1 43.1, 5.1 43, 5 43))", "a", "A", 1),
        Zone("POLYGON ((5.1 43, 5.1 43.1, 5.2 43.1, 5.2 43, 5.1 43))", "b", "B", 2),
    ];

    private static string Write(TempDirectory dir, IEnumerable<IFeature> features, string? prj, string name = "zones.shp")
    {
        string shp = dir.File(name);
        Shapefile.WriteAllFeatures(features, shp, prj);
        return shp;
    }

    [Fact]
    public void Read_WithLambert93Prj_CrsIsEpsg2154WithWkt()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LambertZones, Lambert93Prj);

        var layer = LayerReader.Read(shp, new LayerOptions("zones.shp", "code", "nom"));

        Assert.Equal(new CrsRef("EPSG:2154", Lambert93Prj, Declared: true), layer.Crs);
        Assert.Equal(["13055", "13005"], layer.Features.Select(f => f.Id));
        Assert.Equal(["Marseille", "Aubagne"], layer.Features.Select(f => f.Name));
        Assert.Equal(886040.0, Assert.IsType<double>(layer.Features[0].Attributes["pop"]));
        Assert.Equal(1e8, layer.Features[0].Geometry.Area, 3);
        Assert.Empty(layer.Report);
    }

    [Fact]
    public void Read_FromStreams_SameAsFromPath()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LambertZones, Lambert93Prj);
        using var shpStream = File.OpenRead(shp);
        using var dbfStream = File.OpenRead(Path.ChangeExtension(shp, ".dbf"));
        using var prjStream = File.OpenRead(Path.ChangeExtension(shp, ".prj"));

        var layer = ShapefileLayerReader.Read(shpStream, dbfStream, prjStream, new LayerOptions("zones.shp", "code", null));

        Assert.Equal("EPSG:2154", layer.Crs.Code);
        Assert.Equal(2, layer.Features.Count);
    }

    [Fact]
    public void Read_WithoutPrjInLonLatRange_AssumedWgs84WithANote()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LonLatZones, prj: null);
        Assert.False(File.Exists(Path.ChangeExtension(shp, ".prj")));

        var layer = LayerReader.Read(shp, new LayerOptions("zones.shp", "code", "nom"));

        Assert.Same(CrsRef.Wgs84Default, layer.Crs);
        var note = Assert.Single(layer.Report);
        Assert.Equal((LoadIssueKind.Note, (string?)null), (note.Kind, note.FeatureId));
        Assert.Contains("no CRS declared", note.Reason);
        Assert.Contains("read as WGS84", note.Reason);
    }

    [Fact]
    public void Read_WithoutPrjProjected_ErrorAsksForThePrj()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LambertZones, prj: null);

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(shp, new LayerOptions("zones.shp", "code", "nom")));

        Assert.StartsWith("zones.shp: coordinates are outside the longitude/latitude range (x from 892000 to 912000", ex.Message);
        Assert.Contains("no CRS is declared", ex.Message);
        Assert.Contains("add the .prj file", ex.Message);
    }

    [Fact]
    public void Read_UnrecognisedPrj_KeepsTheWktAndSaysSo()
    {
        using var dir = new TempDirectory();
        const string prj = """PROJCS["Some_Local_Grid",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]""";
        string shp = Write(dir, LambertZones, prj);

        var layer = LayerReader.Read(shp, new LayerOptions("zones.shp", "code", null));

        Assert.Equal(new CrsRef(null, prj, true), layer.Crs);
        Assert.Contains(layer.Report, i => i.Kind == LoadIssueKind.Note && i.Reason.Contains("no EPSG code", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NoIdField_ErrorListsTheFields()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LonLatZones, prj: null);

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(shp, new LayerOptions("zones.shp", null, null)));

        Assert.StartsWith("zones.shp: the features have no id", ex.Message);
        Assert.Contains("properties found: code, nom, pop", ex.Message);
    }

    [Fact]
    public void Read_PointShapefile_ErrorSaysNoPolygon()
    {
        using var dir = new TempDirectory();
        var points = new[] { new NtsFeature(Wkt.Read("POINT (5 43)"), new AttributesTable { { "code", "p" } }) };
        string shp = Write(dir, points, prj: null);

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(shp, new LayerOptions("zones.shp", "code", null)));

        Assert.Equal("zones.shp: no polygon features: all 1 skipped (1 × Point is not a polygon)", ex.Message);
    }

    [Fact]
    public void Read_PolygonZ_DroppedTo2DAndSaidOnce()
    {
        using var dir = new TempDirectory();
        var zones = new[]
        {
            Zone("POLYGON Z ((5 43 100, 5 43.1 110, 5.1 43.1 120, 5.1 43 130, 5 43 100))", "a", "A", 1),
            Zone("POLYGON Z ((5.1 43 100, 5.1 43.1 110, 5.2 43.1 120, 5.2 43 130, 5.1 43 100))", "b", "B", 2),
        };
        string shp = Write(dir, zones, prj: null);

        var layer = LayerReader.Read(shp, new LayerOptions("zones.shp", "code", null));

        Assert.All(layer.Features, f => Assert.All(f.Geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z))));
        var dropped = Assert.Single(layer.Report, i => i.Kind == LoadIssueKind.DroppedZm);
        Assert.Contains("2 feature(s)", dropped.Reason);
    }

    [Fact]
    public void Read_ShpWithoutDbf_ErrorNamesTheMissingFile()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LonLatZones, prj: null);
        File.Delete(Path.ChangeExtension(shp, ".dbf"));

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(shp, new LayerOptions("zones.shp", "code", null)));

        Assert.Equal("zones.shp: the Shapefile's attribute table zones.dbf is missing beside it", ex.Message);
    }

    [Fact]
    public void Read_GarbageShp_ErrorSaysNotAShapefile()
    {
        using var dir = new TempDirectory();
        string shp = Write(dir, LonLatZones, prj: null);
        File.WriteAllText(shp, "this is not a shapefile at all, just some text long enough to have a header");

        var ex = Assert.Throws<CepGeoInputException>(() => LayerReader.Read(shp, new LayerOptions("zones.shp", "code", null)));

        Assert.StartsWith("zones.shp: not a readable Shapefile", ex.Message);
    }
}
