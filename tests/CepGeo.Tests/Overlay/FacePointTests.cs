using CepGeo.Core.Overlay;
using CsCheck;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace CepGeo.Tests.Overlay;

public class FacePointTests
{
    private static readonly GeometryFactory Factory = new();

    // Star-shaped rings around a centre, radii on a small lattice (so vertices often share a height
    // with the scan line and edges are often horizontal), sometimes with a hole cut in the middle.
    private static readonly Gen<Polygon> GenPolygon =
        Gen.Select(Gen.Int[3, 14], Gen.Int[2, 9].Array[14], Gen.Bool, Gen.Int[0, 1])
            .Select((n, radii, hole, far) =>
            {
                double ox = far * 700_000, oy = far * 6_600_000;
                var shell = Enumerable.Range(0, n).Select(i =>
                {
                    double a = 2 * Math.PI * i / n;
                    return new Coordinate(ox + Math.Round(radii[i] * Math.Cos(a)), oy + Math.Round(radii[i] * Math.Sin(a)));
                }).ToList();
                shell.Add(shell[0].Copy());
                var holes = hole
                    ? new[] { Factory.CreateLinearRing([new(ox - 1, oy - 1), new(ox - 1, oy + 1), new(ox + 1, oy + 1), new(ox + 1, oy - 1), new(ox - 1, oy - 1)]) }
                    : [];
                return Factory.CreatePolygon(Factory.CreateLinearRing([.. shell]), holes);
            })
            .Where(p => p.IsValid);

    /// <summary>The same point as NTS's InteriorPoint, bit for bit, whatever the ring storage.</summary>
    [Fact]
    public void Equals_NTS_interior_point_on_array_and_packed_rings()
    {
        GenPolygon.Sample(p =>
        {
            var expected = p.InteriorPoint.Coordinate;
            Assert.Equal(expected, FacePoint.Interior(p));
            var packed = Packed(p);
            Assert.Equal(expected, FacePoint.Interior(packed));
            Assert.True(p.Contains(Factory.CreatePoint(FacePoint.Interior(packed))) || p.Area == 0);
        }, iter: 5000);
    }

    /// <summary>
    /// A mosaic's faces (holes included: a polygon and the shifted copies laid over it) give, read
    /// off the shared ring array, the point their polygon gives.
    /// </summary>
    [Fact]
    public void FaceRings_point_equals_the_point_of_the_face_polygon()
    {
        GenPolygon.Sample(p =>
        {
            var moved = (Polygon)p.Copy();
            moved.Apply(new NetTopologySuite.Geometries.Utilities.AffineTransformation().Translate(1, 0.5));
            var mosaic = Mosaic.Build([[p], [moved]]);
            var faces = (FaceRings)mosaic.Faces;
            for (int f = 0; f < faces.Count; f++)
                Assert.Equal(FacePoint.Interior(faces.ToPolygon(f)), faces.InteriorPoint(f));
        }, iter: 1000);
    }

    private static Polygon Packed(Polygon p)
    {
        LinearRing Ring(LineString r) => Factory.CreateLinearRing(new PackedDoubleCoordinateSequence(r.Coordinates, 2, 0));
        return Factory.CreatePolygon(Ring(p.ExteriorRing), p.InteriorRings.Select(Ring).ToArray());
    }
}
