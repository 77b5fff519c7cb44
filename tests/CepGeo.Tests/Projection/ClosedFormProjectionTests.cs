using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CsCheck;
using ProjNet.CoordinateSystems;
using Ellipsoid = CepGeo.Core.Projection.Ellipsoid;
using ProjNet.CoordinateSystems.Transformations;

namespace CepGeo.Tests.Projection;

public class ClosedFormProjectionTests
{
    private static readonly CrsRef Wgs84 = KnownCrs.Get(KnownCrs.Wgs84);
    private static readonly CrsRef Lambert93 = KnownCrs.Get(KnownCrs.Lambert93);
    private static readonly CrsRef Laea3035 = KnownCrs.Get(KnownCrs.LaeaEurope);

    private static (double X, double Y) Project(CrsRef from, CrsRef to, double x, double y)
    {
        Span<double> xs = [x], ys = [y];
        Reprojector.Create(from, to).Transform(xs, ys);
        return (xs[0], ys[0]);
    }

    [Fact]
    public void Lambert93_Origin_MapsToFalseOriginWithin1cm()
    {
        var (x, y) = Project(Wgs84, Lambert93, 3.0, 46.5);

        Assert.Equal(700000.0, x, 0.01);
        Assert.Equal(6600000.0, y, 0.01);
        // Closed form: exact to floating point, where ProjNet 2.0 is 4.7 mm off in y.
        Assert.Equal(6600000.0, y, 1e-6);
    }

    [Fact]
    public void Laea3035_Vienna_MatchesReferenceWithin1cm()
    {
        var (x, y) = Project(Wgs84, Laea3035, 16.4, 48.2);

        Assert.Equal(4796297.431, x, 0.01);
        Assert.Equal(2807999.154, y, 0.01);
    }

    [Fact]
    public void Laea3035_IogpGuidanceNoteExample_50N5E()
    {
        // IOGP Guidance Note 7-2, EPSG method 9820 example: ETRS89 50°N 5°E → E 3962799.45, N 2999718.85.
        var (x, y) = Project(Wgs84, Laea3035, 5.0, 50.0);

        Assert.Equal(3962799.45, x, 0.01);
        Assert.Equal(2999718.85, y, 0.01);
    }

    [Fact]
    public void Lcc2SP_IogpGuidanceNoteExample_TexasSouthCentral()
    {
        // IOGP Guidance Note 7-2, EPSG method 9802 example (NAD27 / Texas South Central, Clarke 1866):
        // 28°30'N 96°W → E 2963503.91 ftUS, N 254759.80 ftUS.
        const double usFoot = 1200.0 / 3937.0;
        var lcc = new LambertConformalConic2SP(new Ellipsoid(6378206.400, 294.97870),
            28 + 23.0 / 60, 30 + 17.0 / 60, 27 + 50.0 / 60, -99, 2000000 * usFoot, 0);
        Span<double> xs = [-96.0], ys = [28.5];

        lcc.Forward(xs, ys);

        Assert.Equal(2963503.91, xs[0] / usFoot, 0.01);
        Assert.Equal(254759.80, ys[0] / usFoot, 0.01);
    }

    /// <summary>
    /// A cone that opens near the equator (n ≈ 0.026) has a huge isometric latitude next to its
    /// apex: the inverse must still give the pole there, not NaN.
    /// </summary>
    [Fact]
    public void Lcc2SP_LowConeNextToItsApex_InverseGivesThePole()
    {
        var lcc = new LambertConformalConic2SP(Ellipsoid.Grs80, 1, 2, 0, 0, 0, 0);
        Span<double> xs = [0.0], ys = [90.0];
        lcc.Forward(xs, ys); // the apex
        ys[0] -= 0.001;

        lcc.Inverse(xs, ys);

        Assert.Equal(90, ys[0], 1e-9);
    }

    [Fact]
    public void WebMercator_Paris_MatchesSphericalFormula()
    {
        var (x, y) = Project(Wgs84, KnownCrs.Get(KnownCrs.WebMercator), 2.35, 48.85);

        Assert.Equal(261600.8033641929, x, 1e-6);
        Assert.Equal(6249447.752791281, y, 1e-6);
    }

    public static TheoryData<string> FrenchCrsCodes => new() { KnownCrs.Lambert93, KnownCrs.LaeaEurope, "LAEA:2.5,46.5", KnownCrs.WebMercator };

    [Theory]
    [MemberData(nameof(FrenchCrsCodes))]
    public void ForwardThenInverse_OverFrance_RoundTripsWithin1mm(string code)
    {
        var to = code.StartsWith("LAEA:", StringComparison.Ordinal) ? KnownCrs.Laea(2.5, 46.5) : KnownCrs.Get(code);
        var forward = Reprojector.Create(Wgs84, to);
        var inverse = Reprojector.Create(to, Wgs84);
        double worstMetres = 0;

        Gen.Select(Gen.Double[-5.5, 9.8], Gen.Double[41.2, 51.2]).Sample((lon, lat) =>
        {
            Span<double> xs = [lon], ys = [lat];
            forward.Transform(xs, ys);
            double x = xs[0], y = ys[0];
            inverse.Transform(xs, ys);
            // Back on the ground: 1° of latitude ≈ 111.2 km, of longitude ≈ 111.3 km·cos φ.
            double dNorth = (ys[0] - lat) * 111_200;
            double dEast = (xs[0] - lon) * 111_300 * Math.Cos(lat * Math.PI / 180);
            double groundError = Math.Sqrt(dNorth * dNorth + dEast * dEast);
            forward.Transform(xs, ys);
            double gridError = Math.Max(Math.Abs(xs[0] - x), Math.Abs(ys[0] - y));
            worstMetres = Math.Max(worstMetres, Math.Max(groundError, gridError));
            Assert.True(groundError < 1e-3 && gridError < 1e-3,
                $"({lon}, {lat}): {groundError} m on the ground, {gridError} m on the grid");
        }, iter: 20_000, threads: 1);

        // Newton to 1e-12 rad leaves micrometres.
        Assert.True(worstMetres < 1e-5, $"worst round trip {worstMetres} m");
    }

    [Theory]
    [InlineData(KnownCrs.Lambert93)]
    [InlineData(KnownCrs.LaeaEurope)]
    [InlineData(KnownCrs.WebMercator)]
    public void ClosedForm_AgreesWithProjNet_OverFranceWithinAFewCm(string code)
    {
        var closedForm = Reprojector.Create(Wgs84, KnownCrs.Get(code));
        var projNet = new CoordinateTransformationFactory().CreateFromCoordinateSystems(
            GeographicCoordinateSystem.WGS84,
            (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(KnownCrs.Wkt(code))).MathTransform;
        double worst = 0;

        for (double lon = -5.0; lon <= 9.5; lon += 0.5)
        {
            for (double lat = 41.5; lat <= 51.0; lat += 0.5)
            {
                Span<double> xs = [lon], ys = [lat];
                closedForm.Transform(xs, ys);
                var (px, py) = projNet.Transform(lon, lat);
                worst = Math.Max(worst, Math.Max(Math.Abs(xs[0] - px), Math.Abs(ys[0] - py)));
            }
        }

        Assert.True(worst < 0.03, $"worst difference with ProjNet {worst} m");
    }

    [Theory]
    [InlineData(KnownCrs.LaeaEurope, 2.0, 46.0)]     // Centre of France
    [InlineData(KnownCrs.LaeaEurope, -5.0, 48.0)]    // Brittany, far west of the 3035 centre
    [InlineData(KnownCrs.LaeaEurope, 9.0, 41.0)]     // Corsica
    [InlineData("LAEA:55.5,-21.1", 55.0, -22.0)]     // Réunion in its own LAEA
    public void Laea_OneDegreeCell_HasTheEllipsoidalAreaWithin1e6(string code, double lon, double lat)
    {
        var crs = code.StartsWith("LAEA:", StringComparison.Ordinal) ? KnownCrs.Laea(55.5, -21.1) : KnownCrs.Get(code);
        const int perEdge = 2000; // dense enough that chords stand for the curved edges to < 1e-7
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < perEdge; i++) { xs.Add(lon + (double)i / perEdge); ys.Add(lat); }
        for (int i = 0; i < perEdge; i++) { xs.Add(lon + 1); ys.Add(lat + (double)i / perEdge); }
        for (int i = 0; i < perEdge; i++) { xs.Add(lon + 1 - (double)i / perEdge); ys.Add(lat + 1); }
        for (int i = 0; i < perEdge; i++) { xs.Add(lon); ys.Add(lat + 1 - (double)i / perEdge); }
        double[] px = [.. xs], py = [.. ys];
        Reprojector.Create(Wgs84, crs).Transform(px, py);

        double projected = ShoelaceArea(px, py);
        double exact = EllipsoidalCellArea(lon, lat, lon + 1, lat + 1);

        Assert.True(Math.Abs(projected / exact - 1) < 1e-6, $"projected {projected} m², exact {exact} m²");
    }

    [Theory]
    [InlineData(8.0, 41.0, 1.0045, 1.0060)]  // Corsica: k ≈ 1.003 at 41.3°N
    [InlineData(2.0, 46.0, 0.9978, 0.9985)]  // Between the standard parallels: k ≈ 0.999
    public void Lambert93_OneDegreeCell_IsNotEqualArea(double lon, double lat, double min, double max)
    {
        // The reason Lambert-93 is never the default for areas: its area scale k² runs from 0.998 to 1.006.
        double[] xs = [lon, lon + 1, lon + 1, lon], ys = [lat, lat, lat + 1, lat + 1];
        var dense = Densify(xs, ys, 500);
        Reprojector.Create(Wgs84, Lambert93).Transform(dense.X, dense.Y);

        double ratio = ShoelaceArea(dense.X, dense.Y) / EllipsoidalCellArea(lon, lat, lon + 1, lat + 1);

        Assert.InRange(ratio, min, max);
    }

    [Fact]
    public void Transform_LatitudeBeyond90_GivesNaNInSpans()
    {
        Span<double> xs = [2.0, 3.0], ys = [95.0, 46.5];

        Reprojector.Create(Wgs84, Lambert93).Transform(xs, ys);

        Assert.True(double.IsNaN(xs[0]) && double.IsNaN(ys[0]));
        Assert.Equal(700000.0, xs[1], 1e-6);
    }

    [Fact]
    public void Transform_SpansOfDifferentLengths_Throws()
    {
        var reprojector = Reprojector.Create(Wgs84, Lambert93);

        Assert.Throws<ArgumentException>(() => reprojector.Transform(new double[2], new double[3]));
    }

    /// <summary>Exact area of a lon/lat cell on GRS 80: a²/2 · Δλ · (q(φ2) − q(φ1)) (authalic formula).</summary>
    private static double EllipsoidalCellArea(double lon1, double lat1, double lon2, double lat2)
    {
        var grs80 = Ellipsoid.Grs80;
        double a = grs80.SemiMajorAxis, e2 = grs80.EccentricitySquared, e = Math.Sqrt(e2);
        double q(double lat) => LambertAzimuthalEqualArea.Q(Math.Sin(lat * Math.PI / 180), e2, e);
        return a * a / 2 * ((lon2 - lon1) * Math.PI / 180) * (q(lat2) - q(lat1));
    }

    private static double ShoelaceArea(double[] xs, double[] ys)
    {
        double x0 = xs[0], y0 = ys[0], sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            int j = (i + 1) % xs.Length;
            sum += (xs[i] - x0) * (ys[j] - y0) - (xs[j] - x0) * (ys[i] - y0);
        }
        return Math.Abs(sum) / 2;
    }

    private static (double[] X, double[] Y) Densify(double[] xs, double[] ys, int perEdge)
    {
        var dx = new List<double>();
        var dy = new List<double>();
        for (int i = 0; i < xs.Length; i++)
        {
            int j = (i + 1) % xs.Length;
            for (int k = 0; k < perEdge; k++)
            {
                double t = (double)k / perEdge;
                dx.Add(xs[i] + t * (xs[j] - xs[i]));
                dy.Add(ys[i] + t * (ys[j] - ys[i]));
            }
        }
        return ([.. dx], [.. dy]);
    }
}
