using System.Text;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Core.Reporting;
using NetTopologySuite.Geometries;
using Xunit.Abstractions;
using Ellipsoid = CepGeo.Core.Projection.Ellipsoid;

namespace CepGeo.Tests.Projection;

/// <summary>
/// The inverse Lambert-93 the GeoJSON writer uses (<see cref="LambertConformalConic2SP.InverseForRounding"/>): its
/// values may differ from <see cref="LambertConformalConic2SP.Inverse"/>'s in their last digits, their rounding to
/// millionths of a degree never does, on every vertex of the national communes and cantons.
/// </summary>
public class InverseForRoundingTests(ITestOutputHelper output)
{
    private static readonly LambertConformalConic2SP Lambert93 = new(Ellipsoid.Grs80, 49, 44, 46.5, 3, 700000, 6600000);

    /// <summary>Every vertex of the national communes and cantons in Lambert-93 (as the analysis projects them), x then y.</summary>
    private static (double[] X, double[] Y) NationalVertices()
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var (file, id) in new[] { ("communes-2018.geojson", "code"), ("cantons-2018.geojson", "code") })
        {
            var layer = Reprojector.Project(LayerReader.Read(TestPaths.Shared("france", file), new LayerOptions(file, id, "nom")),
                KnownCrs.Get(KnownCrs.Lambert93));
            foreach (var feature in layer.Features)
                foreach (var c in feature.Geometry.Coordinates)
                {
                    xs.Add(c.X);
                    ys.Add(c.Y);
                }
        }
        return ([.. xs], [.. ys]);
    }

    /// <summary>Millionths as the GeoJSON writer rounds them.</summary>
    private static double Millionths(double v) => Math.Round(v * 1e6, MidpointRounding.AwayFromZero);

    [Fact]
    public void NationalVertices_FastPathWithin1e11DegreesOfInverse()
    {
        var (x, y) = NationalVertices();
        double[] ex = [.. x], ey = [.. y], fx = [.. x], fy = [.. y];

        Lambert93.Inverse(ex, ey);
        // Rounded to whole degrees, no value comes near a boundary: every point takes the fast path.
        Lambert93.InverseForRounding(fx, fy, 1);

        Assert.True(x.Length > 2_000_000, $"{x.Length} vertices");
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Max(Math.Abs(fx[i] - ex[i]), Math.Abs(fy[i] - ey[i])));
        output.WriteLine($"{x.Length} vertices, largest difference {worst:E2}°");
        Assert.True(worst < LambertConformalConic2SP.FitBoundDegrees, $"largest difference {worst:E2}°");
        Assert.True(worst > 0, "the fast path was not taken");
    }

    [Fact]
    public void NationalVertices_AndPointsBetweenThem_RoundToTheSameMillionths()
    {
        var (x, y) = NationalVertices();
        // The communes' own vertices have 5 decimals of a degree, far from any rounding boundary; points 0.37 m
        // and 1.3 m off each (the mosaic's intersections are anywhere) come near boundaries too.
        int n = x.Length;
        double[] px = new double[3 * n], py = new double[3 * n];
        for (int i = 0; i < n; i++)
        {
            (px[3 * i], py[3 * i]) = (x[i], y[i]);
            (px[3 * i + 1], py[3 * i + 1]) = (x[i] + 0.37, y[i] - 0.37);
            (px[3 * i + 2], py[3 * i + 2]) = (x[i] - 1.3, y[i] + 0.9);
        }
        double[] ex = [.. px], ey = [.. py], fx = [.. px], fy = [.. py];

        Lambert93.Inverse(ex, ey);
        Lambert93.InverseForRounding(fx, fy, 1e6);

        int differ = 0, same = 0;
        for (int i = 0; i < px.Length; i++)
        {
            if (Millionths(fx[i]) != Millionths(ex[i]) || Millionths(fy[i]) != Millionths(ey[i])) differ++;
            if (fx[i] == ex[i] && fy[i] == ey[i]) same++;
        }
        output.WriteLine($"{px.Length} points, {same} identical to Inverse's to the last bit");
        Assert.Equal(0, differ);
        // Most points took the fast path (their values are not Inverse's to the last bit).
        Assert.True(same < px.Length / 2, $"{same} of {px.Length} identical to the last bit");
    }

    [Theory]
    [InlineData(3.0000005, 46.5)]        // the origin's meridian, half a millionth east
    [InlineData(5.54554, 45.7135905)]    // half a millionth north of a commune's vertex
    [InlineData(-61.5, 16.25)]           // Guadeloupe: beyond the series' latitudes
    [InlineData(20.0, 46.5)]             // far east: beyond atan's series
    [InlineData(3.0, 89.9)]
    public void PointsNearBoundariesOrOutsideTheSeries_RoundAsInverse(double lon, double lat)
    {
        // Points around each: a few millimetres apart, so that some fall on either side of the boundary.
        var xs = new double[201];
        var ys = new double[201];
        for (int k = 0; k < xs.Length; k++)
        {
            (xs[k], ys[k]) = (lon, lat);
            Span<double> x = xs.AsSpan(k, 1), y = ys.AsSpan(k, 1);
            Lambert93.Forward(x, y);
            xs[k] += (k - 100) * 1e-3;
            ys[k] -= (k - 100) * 1e-3;
        }
        double[] ex = [.. xs], ey = [.. ys];
        Lambert93.Inverse(ex, ey);
        Lambert93.InverseForRounding(xs, ys, 1e6);

        for (int k = 0; k < xs.Length; k++)
        {
            Assert.Equal(Millionths(ex[k]), Millionths(xs[k]));
            Assert.Equal(Millionths(ey[k]), Millionths(ys[k]));
        }
        if (Math.Abs(lat - 46.5) > 10 || Math.Abs(lon - 3) > 15)
        {
            // Outside the series, Inverse itself.
            Assert.Equal(ex, xs);
            Assert.Equal(ey, ys);
        }
    }

    [Fact]
    public void PointsOnRoundingBoundaries_WhereTheSeriesAloneRoundsOtherwise_RoundAsInverse()
    {
        // 20,000 points whose longitude or latitude is a millionth and a half-millionth of a degree, projected and
        // inverse-projected: Inverse puts them within ~1e-15° of the boundary, the series (taken alone at scale 1)
        // within its ~1e-14°, often on the other side. The margin must send those to Inverse's formula.
        int n = 20_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double k = i / 2 * 7_919 % 4_000_000;
            x[i] = i % 2 == 0 ? 1 + (k + 0.5) * 1e-6 + i % 11 * 0.5 : 1 + i % 97 * 0.06;
            y[i] = i % 2 == 1 ? 44 + (k + 0.5) * 1e-6 + i % 13 * 0.25 : 44 + i % 89 * 0.05;
        }
        Lambert93.Forward(x, y);
        double[] ex = [.. x], ey = [.. y], sx = [.. x], sy = [.. y], fx = [.. x], fy = [.. y];
        Lambert93.Inverse(ex, ey);
        Lambert93.InverseForRounding(sx, sy, 1);
        Lambert93.InverseForRounding(fx, fy, 1e6);

        int seriesOff = 0;
        for (int i = 0; i < n; i++)
        {
            if (Millionths(sx[i]) != Millionths(ex[i]) || Millionths(sy[i]) != Millionths(ey[i])) seriesOff++;
            Assert.Equal(Millionths(ex[i]), Millionths(fx[i]));
            Assert.Equal(Millionths(ey[i]), Millionths(fy[i]));
        }
        output.WriteLine($"{seriesOff} of {n} points round otherwise by the series alone");
        Assert.True(seriesOff > 0, "no point tests the margin: the series alone rounds every one as Inverse does");
    }

    [Fact]
    public void SameParameters_StillEqualProjections()
    {
        // The series is kept in fields: two instances of Lambert-93 stay equal (the same CRS by two routes).
        Assert.Equal(Lambert93, new LambertConformalConic2SP(Ellipsoid.Grs80, 49, 44, 46.5, 3, 700000, 6600000));
    }

    [Fact]
    public void PacaCommunes_GeoJsonWrittenFromLambert93_SameBytesAsFromInverse()
    {
        var wgs84 = LayerReader.Read(TestPaths.Shared("paca", "communes.geojson"), new LayerOptions("communes.geojson", "code", "nom"));
        var l93 = Reprojector.Project(wgs84, KnownCrs.Get(KnownCrs.Lambert93));
        var toWgs84 = Reprojector.Create(l93.Crs, CrsRef.Wgs84Default);

        string viaWriter = Write(l93.Features.Select(f => new GeoJsonFeature(f.Geometry, [], f.Id) { Transform = toWgs84 }));
        string viaInverse = Write(l93.Features.Select(f => new GeoJsonFeature(toWgs84.Transform(f.Geometry), [], f.Id)));

        Assert.Equal(viaInverse, viaWriter);
        Assert.True(viaWriter.Length > 1_000_000);
    }

    private static string Write(IEnumerable<GeoJsonFeature> features)
    {
        using var stream = new MemoryStream();
        GeoJsonWriter.Write(stream, features);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
