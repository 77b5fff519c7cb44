using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// An interior point of a polygon by NTS's scan-line rule (<c>InteriorPointArea</c>): the middle of
/// the widest inside section of a horizontal line through the polygon, at a height between vertex
/// heights near the middle of its envelope. Read straight off the rings' coordinates: NTS's own
/// version copies every vertex of a packed ring into a new object, which on a national mosaic is
/// most of the labelling time.
/// </summary>
internal static class FacePoint
{
    /// <summary>The point, or the first vertex when no section has a width (a polygon of zero area).</summary>
    public static Coordinate Interior(Polygon polygon)
    {
        var env = polygon.EnvelopeInternal;
        return Interior(new PolygonRings(polygon), env.MinY, env.MaxY) ?? polygon.Coordinate.Copy();
    }

    /// <summary>The rings of a polygon or of a face: shell first, then holes.</summary>
    internal interface IRings
    {
        int Count { get; }

        int Length(int ring);

        double X(int ring, int i);

        double Y(int ring, int i);
    }

    private readonly struct PolygonRings(Polygon polygon) : IRings
    {
        public int Count => 1 + polygon.NumInteriorRings;

        private CoordinateSequence Ring(int r) => (r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1)).CoordinateSequence;

        public int Length(int ring) => Ring(ring).Count;

        public double X(int ring, int i) => Ring(ring).GetX(i);

        public double Y(int ring, int i) => Ring(ring).GetY(i);
    }

    /// <summary>The point for rings whose shell spans <paramref name="minY"/> to <paramref name="maxY"/>; null when no section has a width.</summary>
    public static Coordinate? Interior<T>(T rings, double minY, double maxY) where T : struct, IRings
    {
        double centre = (minY + maxY) / 2, lo = minY, hi = maxY;
        for (int r = 0; r < rings.Count; r++)
            for (int i = 0, n = rings.Length(r); i < n; i++)
            {
                double y = rings.Y(r, i);
                if (y <= centre) { if (y > lo) lo = y; }
                else if (y < hi) hi = y;
            }
        double scanY = (hi + lo) / 2;

        var crossings = new List<double>();
        for (int r = 0; r < rings.Count; r++)
        {
            int n = rings.Length(r);
            if (n == 0) continue;
            double x0 = rings.X(r, 0), y0 = rings.Y(r, 0);
            for (int i = 1; i < n; i++)
            {
                double x1 = rings.X(r, i), y1 = rings.Y(r, i);
                if (Counted(y0, y1, scanY))
                    crossings.Add(x0 == x1 ? x0 : x0 + (scanY - y0) / ((y1 - y0) / (x1 - x0)));
                (x0, y0) = (x1, y1);
            }
        }
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
        return best;
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
}
