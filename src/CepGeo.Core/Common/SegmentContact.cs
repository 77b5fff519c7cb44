using NetTopologySuite.Algorithm;

namespace CepGeo.Core.Common;

/// <summary>
/// Whether two segments meet anywhere but at endpoints: the only contacts that need a new node.
/// Boundaries of adjacent polygons touch at shared vertices millions of times on national data;
/// telling those apart with exact orientation tests, before any intersection point is computed,
/// is what keeps noding cheap. A predicate on coordinates shared by validation (is a ring simple?)
/// and the overlay (where must a node go?).
/// </summary>
internal static class SegmentContact
{
    /// <summary>
    /// True when the closed segments p0–p1 and q0–q1 share a point that lies inside one of them
    /// (a crossing, an endpoint of one on the other's interior, a collinear overlap). Two equal
    /// segments and segments touching only at common endpoints do not count.
    /// </summary>
    public static bool MeetInInterior(double p0x, double p0y, double p1x, double p1y,
        double q0x, double q0y, double q1x, double q1y)
    {
        if (Math.Max(p0x, p1x) < Math.Min(q0x, q1x) || Math.Max(q0x, q1x) < Math.Min(p0x, p1x)
            || Math.Max(p0y, p1y) < Math.Min(q0y, q1y) || Math.Max(q0y, q1y) < Math.Min(p0y, p1y))
            return false;
        int o1 = CGAlgorithmsDD.OrientationIndex(p0x, p0y, p1x, p1y, q0x, q0y);
        int o2 = CGAlgorithmsDD.OrientationIndex(p0x, p0y, p1x, p1y, q1x, q1y);
        if (o1 == o2 && o1 != 0) return false;
        int o3 = CGAlgorithmsDD.OrientationIndex(q0x, q0y, q1x, q1y, p0x, p0y);
        int o4 = CGAlgorithmsDD.OrientationIndex(q0x, q0y, q1x, q1y, p1x, p1y);
        if (o3 == o4 && o3 != 0) return false;
        if (o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0) return true;
        // An endpoint lies on the other segment's line: a contact needs it strictly inside.
        return (o1 == 0 && StrictlyInside(q0x, q0y, p0x, p0y, p1x, p1y))
            || (o2 == 0 && StrictlyInside(q1x, q1y, p0x, p0y, p1x, p1y))
            || (o3 == 0 && StrictlyInside(p0x, p0y, q0x, q0y, q1x, q1y))
            || (o4 == 0 && StrictlyInside(p1x, p1y, q0x, q0y, q1x, q1y));
    }

    /// <summary>
    /// <see cref="MeetInInterior"/> for two segments a–s and s–b sharing the endpoint s (consecutive
    /// segments of a ring): they meet elsewhere only when a, s and b are collinear and one turns
    /// back over the other. No envelope test, and one orientation test instead of four.
    /// </summary>
    public static bool FoldBack(double ax, double ay, double sx, double sy, double bx, double by) =>
        CGAlgorithmsDD.OrientationIndex(ax, ay, sx, sy, bx, by) == 0
        && (StrictlyInside(bx, by, ax, ay, sx, sy) || StrictlyInside(ax, ay, sx, sy, bx, by));

    /// <summary>For c exactly on the line a–b: c lies between them and is neither (signs of differences are exact).</summary>
    private static bool StrictlyInside(double cx, double cy, double ax, double ay, double bx, double by) =>
        !(cx == ax && cy == ay) && !(cx == bx && cy == by)
        && (cx - ax) * (cx - bx) <= 0 && (cy - ay) * (cy - by) <= 0;
}
