using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Tests.Projection;

public class ReprojectorTests
{
    private static readonly CrsRef Wgs84 = KnownCrs.Get(KnownCrs.Wgs84);
    private static readonly CrsRef Lambert93 = KnownCrs.Get(KnownCrs.Lambert93);
    private static readonly CrsRef Laea3035 = KnownCrs.Get(KnownCrs.LaeaEurope);

    /// <summary>Lambert-93 as ESRI software writes it in a Shapefile's .prj.</summary>
    private const string EsriLambert93Prj =
        """PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]""";

    private const string Utm31NWkt =
        """PROJCS["WGS 84 / UTM zone 31N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",3],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","32631"]]""";

    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    [Fact]
    public void Transform_NormalPolygonWithHole_StaysValidAndMovesEveryVertex()
    {
        // Roughly the Hérault with a hole, in lon/lat.
        var polygon = Wkt("POLYGON ((2.5 43.2, 4.2 43.4, 4.0 44.0, 3.2 43.95, 2.5 43.6, 2.5 43.2), (3.0 43.5, 3.5 43.5, 3.5 43.7, 3.0 43.7, 3.0 43.5))");

        var projected = Reprojector.Create(Wgs84, Laea3035).Transform(polygon);

        Assert.True(projected.IsValid);
        Assert.Equal(polygon.NumPoints, projected.NumPoints);
        Span<double> xs = [4.2], ys = [43.4];
        Reprojector.Create(Wgs84, Laea3035).Transform(xs, ys);
        Assert.Equal(xs[0], projected.Coordinates[1].X, 1e-9);
        Assert.Equal(ys[0], projected.Coordinates[1].Y, 1e-9);
        // Shoelace in degrees (0.8525 deg², hole deducted) × 111.2 km × 111.2·cos 43.6° km ≈ 7 630 km².
        Assert.InRange(projected.Area / 1e6, 7550, 7700);
        // A new geometry: the input is untouched.
        Assert.Equal(4.2, polygon.Coordinates[1].X);
    }

    [Fact]
    public void Transform_SameCrs_ReturnsAnEqualCopy()
    {
        var polygon = Wkt("POLYGON ((700000 6600000, 701000 6600000, 701000 6601000, 700000 6600000))");
        var reprojector = Reprojector.Create(Lambert93, KnownCrs.Get("epsg:2154"));

        var copy = reprojector.Transform(polygon);

        Assert.True(reprojector.IsIdentity);
        Assert.NotSame(polygon, copy);
        Assert.True(copy.EqualsExact(polygon));
    }

    [Fact]
    public void Create_EsriLambert93Prj_IsRecognisedAsEpsg2154()
    {
        var prj = new CrsRef(null, EsriLambert93Prj, true);

        Assert.True(Reprojector.Create(prj, Lambert93).IsIdentity);
        Span<double> xs = [3.0], ys = [46.5];
        Reprojector.Create(Wgs84, prj).Transform(xs, ys);
        Assert.Equal(700000.0, xs[0], 1e-6);
        Assert.Equal(6600000.0, ys[0], 1e-6);
    }

    [Fact]
    public void Create_Lambert93ToLaea_ChainsInverseAndForward()
    {
        Span<double> xs = [700000.0], ys = [6600000.0];

        Reprojector.Create(Lambert93, Laea3035).Transform(xs, ys);

        Span<double> direct = [3.0], directY = [46.5];
        Reprojector.Create(Wgs84, Laea3035).Transform(direct, directY);
        Assert.Equal(direct[0], xs[0], 1e-6);
        Assert.Equal(directY[0], ys[0], 1e-6);
    }

    [Fact]
    public void Create_OtherWkt_GoesThroughProjNet()
    {
        // WGS 84 / UTM 31N is not computed in closed form: ProjNet does it. On the central meridian at 45°N,
        // E = 500 000 and N = 0.9996 × meridian arc (4 984 944.38 m) = 4 982 950.40 m.
        Span<double> xs = [3.0], ys = [45.0];

        Reprojector.Create(Wgs84, new CrsRef(null, Utm31NWkt, true)).Transform(xs, ys);

        Assert.Equal(500000.0, xs[0], 0.01);
        Assert.Equal(4982950.40, ys[0], 0.05);
    }

    [Fact]
    public void Create_UnknownCodeWithoutWkt_ThrowsNamingIt()
    {
        var e = Assert.Throws<CepGeoInputException>(() =>
            Reprojector.Create(new CrsRef("EPSG:27572", null, true), Laea3035, "communes.shp"));

        Assert.Equal("communes.shp", e.Input);
        Assert.Contains("EPSG:27572", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownCodeWithWkt_UsesTheWkt()
    {
        var reprojector = Reprojector.Create(new CrsRef("EPSG:32631", Utm31NWkt, true), Wgs84);
        Span<double> xs = [500000.0], ys = [0.0];

        reprojector.Transform(xs, ys);

        Assert.Equal(3.0, xs[0], 1e-9);
        Assert.Equal(0.0, ys[0], 1e-9);
    }

    [Fact]
    public void Create_WktProjNetCannotRead_ThrowsInputError()
    {
        var e = Assert.Throws<CepGeoInputException>(() =>
            Reprojector.Create(new CrsRef(null, "PROJCS[\"broken\",GEOGCS[", true), Laea3035, "zones.shp"));

        Assert.Equal("zones.shp", e.Input);
        Assert.StartsWith("cannot read the CRS WKT", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_PointThatCannotBeProjected_ThrowsInputError()
    {
        var e = Assert.Throws<CepGeoInputException>(() =>
            Reprojector.Create(Wgs84, Lambert93).Transform(Wkt("POLYGON ((2 46, 3 46, 3 95, 2 46))")));

        Assert.Contains("(3, 95)", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Project_Layer_KeepsIdsNamesAttributesAndReport()
    {
        var attributes = new Dictionary<string, object?> { ["population"] = 1234.0, ["dept"] = "34" };
        var layer = new Layer("cells.geojson",
            [
                new Feature("c1", "Montpellier", Wkt("POLYGON ((3.8 43.55, 3.95 43.55, 3.95 43.65, 3.8 43.55))"), attributes),
                new Feature("c2", "Sète", Wkt("POLYGON ((3.6 43.38, 3.72 43.38, 3.72 43.44, 3.6 43.38))"), attributes),
            ],
            Wgs84,
            [new LoadIssue("cells.geojson", null, LoadIssueKind.Note, "RFC 7946 lon/lat assumed")]);

        var projected = Reprojector.Project(layer, Lambert93);

        Assert.Equal(Lambert93, projected.Crs);
        Assert.Equal(["c1", "c2"], projected.Features.Select(f => f.Id));
        Assert.Equal(["Montpellier", "Sète"], projected.Features.Select(f => f.Name));
        Assert.Same(attributes, projected.Features[0].Attributes);
        Assert.Equal(layer.Report, projected.Report);
        Assert.InRange(projected.Features[0].Geometry.Coordinates[0].X, 760_000, 780_000);
        Assert.InRange(projected.Features[0].Geometry.Coordinates[0].Y, 6_270_000, 6_290_000);
        Assert.Equal(3.8, layer.Features[0].Geometry.Coordinates[0].X);
    }

    /// <summary>
    /// In place, a polygon two features hold (a commune alone in two zones of a zone list) is
    /// projected once: both features get the projected coordinates, as with copies.
    /// </summary>
    [Fact]
    public void Project_InPlace_SharedGeometryProjectedOnce()
    {
        var shared = Wkt("POLYGON ((3.8 43.55, 3.95 43.55, 3.95 43.65, 3.8 43.55))");
        Layer Make(Geometry g) => new("zones.geojson",
            [new Feature("z1", "z1", g, new Dictionary<string, object?>()), new Feature("z2", "z2", g, new Dictionary<string, object?>())],
            Wgs84, []);
        var copied = Reprojector.Project(Make(shared.Copy()), Lambert93);

        var inPlace = Reprojector.Project(Make(shared), Lambert93, inPlace: true);

        Assert.Equal(copied.Features[0].Geometry.Coordinates, inPlace.Features[0].Geometry.Coordinates);
        Assert.Equal(copied.Features[1].Geometry.Coordinates, inPlace.Features[1].Geometry.Coordinates);
        Assert.Same(shared, inPlace.Features[0].Geometry);
    }

    [Fact]
    public void Project_FeatureThatCannotBeProjected_ErrorNamesLayerAndFeature()
    {
        var layer = new Layer("zones.geojson",
            [new Feature("z9", "z9", Wkt("POLYGON ((2 46, 3 46, 3 120, 2 46))"), new Dictionary<string, object?>())],
            Wgs84, []);

        var e = Assert.Throws<CepGeoInputException>(() => Reprojector.Project(layer, Laea3035));

        Assert.Equal("zones.geojson", e.Input);
        Assert.Equal("z9", e.Feature);
    }
}
