namespace CepGeo.Core.Metrics;

/// <summary>
/// The nearest site of a point, by geodesic distance, found through a spatial index rather than by
/// trying every site. The index holds the sites as points in space (geocentric x, y, z on the WGS84
/// ellipsoid): a straight chord is never longer than the geodesic between the same two points, so
/// once one site at geodesic distance <c>g</c> is known, every site that can be nearer lies within
/// chord distance <c>g</c>, and only those are measured. The answer is the all-pairs answer, without
/// a margin to choose (docs/decisions.md, "Sites").
/// </summary>
public sealed class NearestSite
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double E2 = F * (2 - F);
    private const double Deg = Math.PI / 180;

    private readonly double[] _lon, _lat;
    // The k-d tree: site numbers in tree order (median at the middle of each range), split axis by depth.
    private readonly int[] _order;
    private readonly double[] _x, _y, _z;

    /// <param name="lon">Longitudes of the sites (degrees, WGS84).</param>
    /// <param name="lat">Latitudes of the sites, same order.</param>
    public NearestSite(IReadOnlyList<double> lon, IReadOnlyList<double> lat)
    {
        ArgumentNullException.ThrowIfNull(lon);
        ArgumentNullException.ThrowIfNull(lat);
        if (lon.Count != lat.Count) throw new ArgumentException("as many latitudes as longitudes", nameof(lat));
        if (lon.Count == 0) throw new ArgumentException("no site", nameof(lon));
        _lon = [.. lon];
        _lat = [.. lat];
        int n = _lon.Length;
        _x = new double[n];
        _y = new double[n];
        _z = new double[n];
        for (int i = 0; i < n; i++) (_x[i], _y[i], _z[i]) = Geocentric(_lon[i], _lat[i]);
        _order = [.. Enumerable.Range(0, n)];
        Build(0, n, 0);
    }

    public int Count => _lon.Length;

    /// <summary>Geocentric coordinates (metres) of a point on the ellipsoid's surface.</summary>
    public static (double X, double Y, double Z) Geocentric(double lon, double lat)
    {
        double phi = lat * Deg, lambda = lon * Deg;
        double sinPhi = Math.Sin(phi), cosPhi = Math.Cos(phi);
        double n = A / Math.Sqrt(1 - E2 * sinPhi * sinPhi);
        return (n * cosPhi * Math.Cos(lambda), n * cosPhi * Math.Sin(lambda), n * (1 - E2) * sinPhi);
    }

    /// <summary>
    /// The nearest site of the point and its geodesic distance in km. Of sites at the same distance,
    /// the first in the sites' order.
    /// </summary>
    public (int Site, double DistanceKm) Find(double lon, double lat)
    {
        var (qx, qy, qz) = Geocentric(lon, lat);
        // 1. The nearest site by chord, and its geodesic distance: an upper bound of the answer.
        int first = -1;
        double bestChord2 = double.PositiveInfinity;
        NearestChord(0, _order.Length, 0, qx, qy, qz, ref first, ref bestChord2);
        int best = first;
        double bestM = Geodesic.DistanceM(lon, lat, _lon[first], _lat[first]);
        // 2. Every site within that chord distance (chord ≤ geodesic), measured on the ellipsoid.
        // The bound is widened by a part in 10^9 and a millimetre for the rounding of the chords.
        double reach = bestM * (1 + 1e-9) + 1e-3;
        Within(0, _order.Length, 0, qx, qy, qz, reach * reach, lon, lat, ref best, ref bestM);
        return (best, bestM / 1000);
    }

    private void Build(int from, int to, int depth)
    {
        if (to - from <= 1) return;
        int mid = (from + to) / 2;
        var axis = Axis(depth);
        Array.Sort(_order, from, to - from, Comparer<int>.Create((a, b) =>
        {
            int c = axis[a].CompareTo(axis[b]);
            return c != 0 ? c : a.CompareTo(b);
        }));
        Build(from, mid, depth + 1);
        Build(mid + 1, to, depth + 1);
    }

    private double[] Axis(int depth) => (depth % 3) switch { 0 => _x, 1 => _y, _ => _z };

    private double Chord2(int s, double qx, double qy, double qz)
    {
        double dx = _x[s] - qx, dy = _y[s] - qy, dz = _z[s] - qz;
        return dx * dx + dy * dy + dz * dz;
    }

    private void NearestChord(int from, int to, int depth, double qx, double qy, double qz, ref int best, ref double best2)
    {
        if (from >= to) return;
        int mid = (from + to) / 2;
        int s = _order[mid];
        double d2 = Chord2(s, qx, qy, qz);
        if (d2 < best2 || (d2 == best2 && s < best)) (best, best2) = (s, d2);
        double q = depth % 3 == 0 ? qx : depth % 3 == 1 ? qy : qz;
        double delta = q - Axis(depth)[s];
        bool left = delta < 0;
        if (left) NearestChord(from, mid, depth + 1, qx, qy, qz, ref best, ref best2);
        else NearestChord(mid + 1, to, depth + 1, qx, qy, qz, ref best, ref best2);
        if (delta * delta <= best2)
        {
            if (left) NearestChord(mid + 1, to, depth + 1, qx, qy, qz, ref best, ref best2);
            else NearestChord(from, mid, depth + 1, qx, qy, qz, ref best, ref best2);
        }
    }

    private void Within(int from, int to, int depth, double qx, double qy, double qz, double reach2,
        double lon, double lat, ref int best, ref double bestM)
    {
        if (from >= to) return;
        int mid = (from + to) / 2;
        int s = _order[mid];
        if (Chord2(s, qx, qy, qz) <= reach2 && s != best)
        {
            double m = Geodesic.DistanceM(lon, lat, _lon[s], _lat[s]);
            if (m < bestM || (m == bestM && s < best)) (best, bestM) = (s, m);
        }
        double q = depth % 3 == 0 ? qx : depth % 3 == 1 ? qy : qz;
        double delta = q - Axis(depth)[s];
        if (delta <= 0 || delta * delta <= reach2) Within(from, mid, depth + 1, qx, qy, qz, reach2, lon, lat, ref best, ref bestM);
        if (delta >= 0 || delta * delta <= reach2) Within(mid + 1, to, depth + 1, qx, qy, qz, reach2, lon, lat, ref best, ref bestM);
    }
}
