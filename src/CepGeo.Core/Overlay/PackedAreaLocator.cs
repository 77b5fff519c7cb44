using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Where a point lies in a polygon or multipolygon, by counting the ring crossings of a ray to the
/// east, read straight off the rings' packed x, y arrays. It answers as NTS's
/// <see cref="SimplePointInAreaLocator"/> does (the same half-open rule at vertices, the same exact
/// orientation test, boundary when the point is on a ring; property-tested), without copying every
/// vertex into a <see cref="Coordinate"/>: labelling a national mosaic locates ~45,000 points.
/// </summary>
internal sealed class PackedAreaLocator(Geometry area) : IPointOnGeometryLocator
{
    public Location Locate(Coordinate p)
    {
        if (area.IsEmpty || !area.EnvelopeInternal.Intersects(p)) return Location.Exterior;
        // Parts in order; the first one the point is not outside of answers.
        for (int k = 0; k < area.NumGeometries; k++)
        {
            if (area.GetGeometryN(k) is not Polygon polygon || polygon.IsEmpty) continue;
            var location = InPolygon(p, polygon);
            if (location != Location.Exterior) return location;
        }
        return Location.Exterior;
    }

    private static Location InPolygon(Coordinate p, Polygon polygon)
    {
        var inShell = InRing(p, polygon.Shell);
        if (inShell != Location.Interior) return inShell;
        foreach (var hole in polygon.Holes)
        {
            var inHole = InRing(p, hole);
            if (inHole == Location.Boundary) return Location.Boundary;
            if (inHole == Location.Interior) return Location.Exterior;
        }
        return Location.Interior;
    }

    private static Location InRing(Coordinate p, LinearRing ring)
    {
        if (!ring.EnvelopeInternal.Intersects(p)) return Location.Exterior;
        if (ring.CoordinateSequence is not PackedDoubleCoordinateSequence { Dimension: 2 } packed)
            return RayCrossingCounter.LocatePointInRing(p, ring.CoordinateSequence);
        var xy = packed.GetRawCoordinates();
        double x = p.X, y = p.Y;
        int crossings = 0;
        // Segment from vertex i to vertex i-1, as the ring is walked from its second vertex.
        for (int i = 2; i + 1 < xy.Length; i += 2)
        {
            double x1 = xy[i], y1 = xy[i + 1], x2 = xy[i - 2], y2 = xy[i - 1];
            if (x1 < x && x2 < x) continue;                       // wholly west of the point
            if (x == x2 && y == y2) return Location.Boundary;      // on a vertex
            if (y1 == y && y2 == y)
            {
                // A horizontal segment counts only when the point is on it.
                if (x >= Math.Min(x1, x2) && x <= Math.Max(x1, x2)) return Location.Boundary;
                continue;
            }
            // A segment going up holds its lower end, one going down its upper end, so that a
            // vertex on the ray is crossed once.
            if ((y1 > y && y2 <= y) || (y2 > y && y1 <= y))
            {
                int side = CGAlgorithmsDD.OrientationIndex(x1, y1, x2, y2, x, y);
                if (side == 0) return Location.Boundary;
                if (y2 < y1) side = -side;
                if (side > 0) crossings++;
            }
        }
        return crossings % 2 == 1 ? Location.Interior : Location.Exterior;
    }
}
