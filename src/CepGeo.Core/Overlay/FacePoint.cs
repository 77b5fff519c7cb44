using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// An interior point of a polygon by NTS's scan-line rule (<c>InteriorPointArea</c>): the middle of
/// the widest inside section of a horizontal line through the polygon, at a height between vertex
/// heights near the middle of its envelope. Read straight off the rings' coordinate sequences: NTS's
/// own version copies every vertex of a packed ring into a new object, which on a national mosaic is
/// most of the labelling time.
/// </summary>
internal static class FacePoint
{
    /// <summary>The point, or the first vertex when no section has a width (a polygon of zero area).</summary>
    public static Coordinate Interior(Polygon polygon)
    {
        var env = polygon.EnvelopeInternal;
        double centre = (env.MinY + env.MaxY) / 2, lo = env.MinY, hi = env.MaxY;
        ForEachRing(polygon, seq =>
        {
            for (int i = 0; i < seq.Count; i++)
            {
                double y = seq.GetY(i);
                if (y <= centre) { if (y > lo) lo = y; }
                else if (y < hi) hi = y;
            }
        });
        double scanY = (hi + lo) / 2;

        var crossings = new List<double>();
        ForEachRing(polygon, seq =>
        {
            int n = seq.Count;
            if (n == 0) return;
            double x0 = seq.GetX(0), y0 = seq.GetY(0);
            for (int i = 1; i < n; i++)
            {
                double x1 = seq.GetX(i), y1 = seq.GetY(i);
                if (Counted(y0, y1, scanY))
                    crossings.Add(x0 == x1 ? x0 : x0 + (scanY - y0) / ((y1 - y0) / (x1 - x0)));
                (x0, y0) = (x1, y1);
            }
        });
        crossings.Sort();
        Coordinate? best = null;
        double width = 0;
        for (int i = 0; i + 1 < crossings.Count; i += 2)
        {
            double w = crossings[i + 1] - crossings[i];
            if (w > width)
            {
                width = w;
                best = new Coordinate((crossings[i] + crossings[i + 1]) / 2, scanY);
            }
        }
        return best ?? polygon.Coordinate.Copy();
    }

    /// <summary>Whether the edge crosses the line, counting a vertex on it once (NTS's rule).</summary>
    private static bool Counted(double y0, double y1, double scanY)
    {
        if ((y0 > scanY && y1 > scanY) || (y0 < scanY && y1 < scanY)) return false;
        if (y0 == y1) return false;
        if (y0 == scanY && y1 < scanY) return false;
        if (y1 == scanY && y0 < scanY) return false;
        return true;
    }

    private static void ForEachRing(Polygon polygon, Action<CoordinateSequence> visit)
    {
        visit(polygon.ExteriorRing.CoordinateSequence);
        for (int h = 0; h < polygon.NumInteriorRings; h++)
        {
            visit(polygon.GetInteriorRingN(h).CoordinateSequence);
        }
    }
}
