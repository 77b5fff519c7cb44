using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace CepGeo.Core.Common;

/// <summary>
/// The one union of polygons that should share their edges exactly (faces of one mosaic, communes of
/// one map): the gaps written and drawn, the perimeters a design proposes, the zones built from lists.
/// </summary>
public static class FaceUnion
{
    /// <summary>
    /// A coverage union (it drops the edges used twice: far faster than an overlay, and exact when the
    /// parts come from one noding). It trusts its input: parts that overlap or whose edges do not match
    /// exactly change the area or give an invalid result, and a hole touching the boundary can defeat it
    /// (NTS issue 804); then the parts are united again with the robust OverlayNG union. One part is
    /// returned as it is (not copied).
    /// </summary>
    public static Geometry UnionOfFaces(IReadOnlyList<Geometry> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        if (parts.Count == 1) return parts[0];
        var array = parts as Geometry[] ?? [.. parts];
        var factory = array[0].Factory;
        try
        {
            var union = CoverageUnion.Union(factory.CreateGeometryCollection(array));
            if (union is not null && !union.IsEmpty && union.IsValid && SameArea(union, array)) return union;
        }
        catch (TopologyException)
        {
        }
        return OverlayNGRobust.Union(factory.BuildGeometry(array));
    }

    private static bool SameArea(Geometry union, Geometry[] parts)
    {
        double sum = 0;
        foreach (var p in parts) sum += p.Area;
        return Math.Abs(union.Area - sum) <= 1e-9 * sum;
    }
}
