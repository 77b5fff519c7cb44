using CepGeo.Core.Common;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Tests.Common;

public class FaceUnionTests
{
    private static readonly WKTReader Reader = new();

    [Fact]
    public void Faces_sharing_edges_dissolve_into_one_polygon_without_the_inner_edges()
    {
        // An L of three unit squares: the two inner edges go, the area is the sum.
        var union = FaceUnion.UnionOfFaces(
        [
            Reader.Read("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"),
            Reader.Read("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"),
            Reader.Read("POLYGON ((0 1, 1 1, 1 2, 0 2, 0 1))"),
        ]);
        var polygon = Assert.IsType<Polygon>(union);
        Assert.Equal(3.0, polygon.Area, 12);
        Assert.Equal(0, polygon.NumInteriorRings);
        Assert.Equal(8.0, polygon.Length, 12); // the outline only: 2 + 1 + 1 + 1 + 1 + 2
        Assert.True(polygon.IsValid);
    }

    [Fact]
    public void Overlapping_parts_fall_back_to_the_robust_overlay()
    {
        // A coverage union trusts its input: on overlapping squares it would count the overlap twice.
        var union = FaceUnion.UnionOfFaces(
        [
            Reader.Read("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"),
            Reader.Read("POLYGON ((0.5 0, 1.5 0, 1.5 1, 0.5 1, 0.5 0))"),
        ]);
        Assert.Equal(1.5, union.Area, 12);
        Assert.Equal(5.0, union.Length, 12);
        Assert.True(union.IsValid);
    }

    [Fact]
    public void One_part_is_returned_as_it_is()
    {
        var square = Reader.Read("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
        Assert.Same(square, FaceUnion.UnionOfFaces([square]));
    }
}
