namespace CepGeo.Core.Projection;

/// <summary>
/// Lambert conformal conic with two standard parallels (EPSG method 9802; IOGP Guidance Note 7-2
/// §3.2.1.1, Snyder 1987 pp. 107–109). Lambert-93 (EPSG:2154) is this projection with parallels
/// 44°N and 49°N, origin 46.5°N 3°E, false origin (700 000, 6 600 000) on GRS 80.
/// Conformal, so not equal-area: the area scale k² runs from 0.998 (46.5°N) to 1.006 (southern Corsica).
/// </summary>
/// <remarks>
/// t^n is written as exp(−n·ψ) with ψ = atanh(sin φ) − e·atanh(e sin φ) the isometric latitude, which
/// keeps full precision; the inverse recovers φ from ψ through the conformal latitude χ and Karney's
/// series in the third flattening (to n⁶, 3e-15 rad), without iterating.
/// </remarks>
internal sealed record LambertConformalConic2SP : ClosedFormProjection
{
    private readonly double _e, _e2, _lonFRad, _n, _aF, _rF;
    private readonly double _d2, _d4, _d6, _d8, _d10, _d12;

    // InverseForRounding's latitude as a Chebyshev series in r over [_rMin, _rMax] (fields, not an array:
    // the record's equality compares its fields, and the same CRS reached twice must stay equal).
    private readonly double _rMin, _rMax, _rMid, _rScale, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12;

    public LambertConformalConic2SP(Ellipsoid ellipsoid, double standardParallel1, double standardParallel2,
        double latitudeOfOrigin, double longitudeOfOrigin, double falseEasting, double falseNorthing)
    {
        Ellipsoid = ellipsoid;
        StandardParallel1 = standardParallel1;
        StandardParallel2 = standardParallel2;
        LatitudeOfOrigin = latitudeOfOrigin;
        LongitudeOfOrigin = longitudeOfOrigin;
        FalseEasting = falseEasting;
        FalseNorthing = falseNorthing;

        double a = ellipsoid.SemiMajorAxis;
        double e2 = ellipsoid.EccentricitySquared;
        _e2 = e2;
        _e = Math.Sqrt(e2);
        // Conformal to geodetic latitude, series in the third flattening n to n⁶ (Karney 2011,
        // "Transverse Mercator with an accuracy of a few nanometers", eq. 36): exact to 1e-14 rad
        // without iterating.
        double flattening = 1 - Math.Sqrt(1 - e2);
        double n = flattening / (2 - flattening), n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
        _d2 = 2 * n - 2.0 / 3 * n2 - 2 * n3 + 116.0 / 45 * n4 + 26.0 / 45 * n5 - 2854.0 / 675 * n6;
        _d4 = 7.0 / 3 * n2 - 8.0 / 5 * n3 - 227.0 / 45 * n4 + 2704.0 / 315 * n5 + 2323.0 / 945 * n6;
        _d6 = 56.0 / 15 * n3 - 136.0 / 35 * n4 - 1262.0 / 105 * n5 + 73814.0 / 2835 * n6;
        _d8 = 4279.0 / 630 * n4 - 332.0 / 35 * n5 - 399572.0 / 14175 * n6;
        _d10 = 4174.0 / 315 * n5 - 144838.0 / 6237 * n6;
        _d12 = 601676.0 / 22275 * n6;
        _lonFRad = longitudeOfOrigin * D2R;
        double phi1 = standardParallel1 * D2R, phi2 = standardParallel2 * D2R;
        double m1 = M(phi1, e2), m2 = M(phi2, e2);
        double psi1 = Psi(phi1), psi2 = Psi(phi2);
        // n = (ln m1 − ln m2)/(ln t1 − ln t2) with ln t = −ψ; with one parallel (tangent cone) n = sin φ1.
        _n = Math.Abs(phi1 - phi2) < 1e-12 ? Math.Sin(phi1) : (Math.Log(m1) - Math.Log(m2)) / (psi2 - psi1);
        if (_n == 0 || !double.IsFinite(_n))
            throw new ArgumentException("Standard parallels symmetric about the equator make a cylinder, not a cone.");
        double f = m1 / (_n * Math.Exp(-_n * psi1));
        _aF = a * f;
        _rF = _aF * Math.Exp(-_n * Psi(latitudeOfOrigin * D2R));
        (_rMin, _rMax, _rMid, _rScale, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12) = FitLatitude();
    }

    /// <summary>Latitudes within this many degrees of the origin's take the fast path of <see cref="InverseForRounding"/>.</summary>
    private const double FitHalfWidthDegrees = 10;

    /// <summary>
    /// How far <see cref="InverseForRounding"/>'s fast path may be from <see cref="Inverse"/>, in degrees, before
    /// rounding: 10 times the bound its series is held to (<see cref="FitBoundDegrees"/>).
    /// </summary>
    internal const double FastPathMaxErrorDegrees = 1e-10;

    /// <summary>The bound the latitude's series must meet (its neglected coefficients, doubled); else no fast path.</summary>
    internal const double FitBoundDegrees = 1e-11;

    /// <summary>
    /// φ(r) of <see cref="Inverse"/> as a Chebyshev series of degree 12 in r, for the latitudes within
    /// <see cref="FitHalfWidthDegrees"/> of the origin: its coefficients from 32 values of <see cref="Inverse"/>'s own
    /// formula at the Chebyshev nodes. Degree 10 is enough for Lambert-93 (3e-13° over 36.5°–56.5°); the terms past 12
    /// are below 1e-15 rad and their sum, doubled, bounds the series' error. An empty domain (no fast path) for a
    /// cone opening south, near a pole, or when the bound is not met.
    /// </summary>
    private (double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double) FitLatitude()
    {
        var none = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        double lo = LatitudeOfOrigin - FitHalfWidthDegrees, hi = LatitudeOfOrigin + FitHalfWidthDegrees;
        if (_n <= 0 || lo <= -80 || hi >= 80) return none;
        // r decreases as the latitude grows (n > 0).
        double rMin = _aF * Math.Exp(-_n * Psi(hi * D2R)), rMax = _aF * Math.Exp(-_n * Psi(lo * D2R));
        double mid = (rMin + rMax) / 2, half = (rMax - rMin) / 2;
        const int nodes = 32;
        var phi = new double[nodes];
        for (int k = 0; k < nodes; k++)
            phi[k] = LatitudeFromIsometric(-Math.Log((mid + half * Math.Cos(Math.PI * (k + 0.5) / nodes)) / _aF) / _n);
        var c = new double[nodes];
        for (int j = 0; j < nodes; j++)
        {
            double sum = 0;
            for (int k = 0; k < nodes; k++) sum += phi[k] * Math.Cos(Math.PI * j * (k + 0.5) / nodes);
            c[j] = (j == 0 ? 1.0 : 2.0) / nodes * sum;
        }
        double tail = 0;
        for (int j = 13; j < nodes; j++) tail += Math.Abs(c[j]);
        if (!(2 * tail * R2D < FitBoundDegrees)) return none;
        return (rMin, rMax, mid, 1 / half, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
    }

    public Ellipsoid Ellipsoid { get; }
    public double StandardParallel1 { get; }
    public double StandardParallel2 { get; }
    public double LatitudeOfOrigin { get; }
    public double LongitudeOfOrigin { get; }
    public double FalseEasting { get; }
    public double FalseNorthing { get; }

    public override bool IsEqualArea => false;

    private static double M(double phi, double e2)
    {
        double s = Math.Sin(phi);
        return Math.Cos(phi) / Math.Sqrt(1 - e2 * s * s);
    }

    /// <summary>Isometric latitude ψ = asinh(tan φ) − e·atanh(e sin φ) = −ln t (asinh(tan φ) = atanh(sin φ)).</summary>
    private double Psi(double phi) => Psi(Math.Sin(phi), _e);

    private static double Psi(double sinPhi, double e) => Math.Atanh(sinPhi) - e * Math.Atanh(e * sinPhi);

    public override void Forward(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            double lat = ys[i];
            if (!(Math.Abs(lat) <= 90)) { xs[i] = ys[i] = double.NaN; continue; }
            // At the pole the cone closes on its apex (r = 0) or, for the far pole, r is infinite.
            double r = Math.Abs(lat) == 90
                ? (Math.Sign(lat) == Math.Sign(_n) ? 0 : double.PositiveInfinity)
                : _aF * Math.Exp(-_n * Psi(Math.Sin(lat * D2R), _e));
            double theta = _n * WrapPi(xs[i] * D2R - _lonFRad);
            var (sinT, cosT) = Math.SinCos(theta);
            xs[i] = FalseEasting + r * sinT;
            ys[i] = FalseNorthing + _rF - r * cosT;
        }
    }

    public override void Inverse(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++) (xs[i], ys[i]) = InversePoint(xs[i], ys[i]);
    }

    private (double Lon, double Lat) InversePoint(double x, double y)
    {
        double dx = x - FalseEasting;
        double dy = _rF - (y - FalseNorthing);
        double r = Math.CopySign(Math.Sqrt(dx * dx + dy * dy), _n);
        double theta = _n > 0 ? Math.Atan2(dx, dy) : Math.Atan2(-dx, -dy);
        double lat = r == 0
            ? Math.CopySign(Math.PI / 2, _n)
            : LatitudeFromIsometric(-Math.Log(r / _aF) / _n);
        return (WrapLongitude((theta / _n + _lonFRad) * R2D), lat * R2D);
    }

    /// <summary>
    /// As <see cref="Inverse"/> for coordinates that are then rounded to whole multiples of 1/<paramref name="scale"/>
    /// degree (half away from zero): each value may differ from <see cref="Inverse"/>'s, but not its rounding. Near
    /// the origin's latitude (±10°) and meridian (θ within atan 1/8) the point is computed without a transcendental
    /// function: the latitude from a Chebyshev series in r, the longitude from atan's series, within
    /// <see cref="FastPathMaxErrorDegrees"/> of <see cref="Inverse"/>; a value that close to a rounding boundary, and
    /// any point elsewhere, is computed by <see cref="Inverse"/>'s formula. The GeoJSON files (millionths of a degree):
    /// 44–46 → 15–16 ns a point, case B's two GeoJSON writers 0.64 → 0.51 CPU s (session 17). The error bound is
    /// checked on every vertex of the national data; for another LCC than Lambert-93 it rests on the series' tail.
    /// </summary>
    public void InverseForRounding(Span<double> xs, Span<double> ys, double scale)
    {
        CheckLengths(xs, ys);
        // A value v is taken when v·scale is farther than this from every k + ½: Inverse's value, within
        // FastPathMaxErrorDegrees of v, rounds the same (the products' own rounding errors are the second term).
        double margin = FastPathMaxErrorDegrees * scale;
        for (int i = 0; i < xs.Length; i++)
        {
            double dx = xs[i] - FalseEasting;
            double dy = _rF - (ys[i] - FalseNorthing);
            double r = Math.Sqrt(dx * dx + dy * dy);
            if (r >= _rMin && r <= _rMax && dy > 0 && Math.Abs(dx) <= 0.125 * dy)
            {
                // Fused multiply-adds: these values need only be within FastPathMaxErrorDegrees.
                double u = dx / dy, w = u * u;
                // atan u = u − u³/3 + u⁵/5 − …, to u¹⁷: the rest is below 1e-18 for |u| ≤ 1/8 (Lambert-93's
                // France is within 0.11).
                double p = Math.FusedMultiplyAdd(-1.0 / 17, w, 1.0 / 15);
                p = Math.FusedMultiplyAdd(p, w, -1.0 / 13);
                p = Math.FusedMultiplyAdd(p, w, 1.0 / 11);
                p = Math.FusedMultiplyAdd(p, w, -1.0 / 9);
                p = Math.FusedMultiplyAdd(p, w, 1.0 / 7);
                p = Math.FusedMultiplyAdd(p, w, -1.0 / 5);
                p = Math.FusedMultiplyAdd(p, w, 1.0 / 3);
                double theta = Math.FusedMultiplyAdd(-u * w, p, u);
                double t = (r - _rMid) * _rScale, t2 = 2 * t;
                double b1 = _c12, b2 = 0;
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c11 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c10 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c9 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c8 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c7 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c6 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c5 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c4 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c3 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c2 - b2), b1);
                (b1, b2) = (Math.FusedMultiplyAdd(t2, b1, _c1 - b2), b1);
                double lat = Math.FusedMultiplyAdd(t, b1, _c0 - b2) * R2D;
                double lon = WrapLongitude((theta / _n + _lonFRad) * R2D);
                if (ClearOfBoundary(lon * scale, margin) && ClearOfBoundary(lat * scale, margin))
                {
                    xs[i] = lon;
                    ys[i] = lat;
                    continue;
                }
            }
            (xs[i], ys[i]) = InversePoint(xs[i], ys[i]);
        }
    }

    /// <summary>True when <paramref name="scaled"/> is farther than <paramref name="margin"/> (plus its own rounding) from every k + ½.</summary>
    private static bool ClearOfBoundary(double scaled, double margin)
    {
        double a = Math.Abs(scaled);
        return Math.Abs(a - Math.Floor(a) - 0.5) > margin + a * 1e-15;
    }

    /// <summary>
    /// φ from isometric latitude ψ: conformal latitude χ = atan(sinh ψ), then φ = χ + Σ d_k sin 2kχ
    /// summed by Clenshaw's recurrence. The Newton refinement this replaces, and sin 2χ, cos 2χ
    /// computed from χ, made the inverse twice as slow (185 → 91 ns a point): the national
    /// outputs inverse-project millions of points.
    /// </summary>
    private double LatitudeFromIsometric(double psi)
    {
        // Beyond |ψ| ≈ 37, φ is ±π/2 to the last bit; t² below would overflow far beyond.
        if (Math.Abs(psi) > 40) return Math.CopySign(Math.PI / 2, psi);
        // tan χ = sinh ψ gives sin 2χ and cos 2χ without another transcendental function; sinh ψ
        // from one exponential (the library's sinh, exact in relative terms near 0, cost twice as
        // much; here its absolute error, ~1e-16, is what matters).
        double q = Math.Exp(psi), t = 0.5 * (q - 1 / q), d = 1 + t * t;
        double chi = Math.Atan(t), s2 = 2 * t / d, c2 = (1 - t * t) / d;
        double x = 2 * c2;
        double u = _d12, v = 0;
        (u, v) = (x * u - v + _d10, u);
        (u, v) = (x * u - v + _d8, u);
        (u, v) = (x * u - v + _d6, u);
        (u, v) = (x * u - v + _d4, u);
        u = x * u - v + _d2;
        return chi + s2 * u;
    }
}
