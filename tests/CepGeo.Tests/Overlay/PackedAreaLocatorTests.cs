using CepGeo.Core.Overlay;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace CepGeo.Tests.Overlay;

public class PackedAreaLocatorTests
{
    private static readonly GeometryFactory Packed = new(PackedCoordinateSequenceFactory.DoubleFactory);

    [Fact]
    public void Locates_every_point_as_NTS_does_on_vertices_edges_holes_and_parts()
    {
        // Rings on a small lattice (self-crossing ones too): points on vertices, on horizontal and
        // slanted edges, on the ray through a vertex, inside holes, in a second part.
        var random = new Random(27112026);
        int[] seen = new int[3];
        for (int k = 0; k < 3000; k++)
        {
            var parts = new Polygon[random.Next(1, 3)];
            for (int j = 0; j < parts.Length; j++)
            {
                var holes = new LinearRing[random.Next(0, 3)];
                for (int h = 0; h < holes.Length; h++) holes[h] = Ring(random, 4);
                parts[j] = Packed.CreatePolygon(Ring(random, 8), holes);
            }
            Geometry area = parts.Length == 1 ? parts[0] : Packed.CreateMultiPolygon(parts);
            var locator = new PackedAreaLocator(area);
            for (int q = 0; q < 30; q++)
            {
                var p = new Coordinate(random.Next(-1, 18) / 2.0, random.Next(-1, 18) / 2.0);
                var expected = SimplePointInAreaLocator.Locate(p, area);
                Assert.Equal(expected, locator.Locate(p));
                seen[expected switch { Location.Interior => 0, Location.Boundary => 1, _ => 2 }]++;
            }
        }
        Assert.All(seen, n => Assert.True(n > 1000, $"interior, boundary, exterior: {string.Join(", ", seen)}"));
    }

    [Fact]
    public void A_ring_in_another_sequence_is_located_too()
    {
        var square = new GeometryFactory().CreatePolygon([new(0, 0), new(4, 0), new(4, 4), new(0, 4), new(0, 0)]);
        var locator = new PackedAreaLocator(square);
        Assert.Equal(Location.Interior, locator.Locate(new Coordinate(2, 2)));
        Assert.Equal(Location.Boundary, locator.Locate(new Coordinate(4, 1)));
        Assert.Equal(Location.Exterior, locator.Locate(new Coordinate(5, 1)));
    }

    private static LinearRing Ring(Random random, int maxVertices)
    {
        int n = random.Next(3, maxVertices + 1);
        var points = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) points[i] = new Coordinate(random.Next(0, 9), random.Next(0, 9));
        points[n] = points[0].Copy();
        return Packed.CreateLinearRing(points);
    }
}
