using CepGeo.Core.Model;

namespace CepGeo.Core.Projection;

/// <summary>
/// Lambert azimuthal equal-area, ellipsoidal, oblique aspect (EPSG method 9820; IOGP Guidance Note 7-2
/// §3.2.4, Snyder 1987 pp. 187–190). EPSG:3035 is this projection centred on 52°N 10°E on GRS 80.
/// </summary>
/// <remarks>
/// The polar aspects (centre at ±90°) need other formulas and are left to ProjNet; the automatic
/// study projection keeps its centre off the poles (see <see cref="KnownCrs.Laea"/>).
/// </remarks>
internal sealed record LambertAzimuthalEqualArea : ClosedFormProjection
{
    private readonly double _a, _e, _e2, _lon0Rad, _qP, _sinB0, _cosB0, _rq, _d;
    private readonly double _c2, _c4, _c6;

    public LambertAzimuthalEqualArea(Ellipsoid ellipsoid, double latitudeOfCentre, double longitudeOfCentre,
        double falseEasting, double falseNorthing)
    {
        if (!(Math.Abs(latitudeOfCentre) < 90))
            throw new ArgumentOutOfRangeException(nameof(latitudeOfCentre), latitudeOfCentre, "Polar aspect not supported.");
        Ellipsoid = ellipsoid;
        LatitudeOfCentre = latitudeOfCentre;
        LongitudeOfCentre = longitudeOfCentre;
        FalseEasting = falseEasting;
        FalseNorthing = falseNorthing;

        _a = ellipsoid.SemiMajorAxis;
        _e2 = ellipsoid.EccentricitySquared;
        _e = Math.Sqrt(_e2);
        double e4 = _e2 * _e2, e6 = e4 * _e2;
        _c2 = _e2 / 3 + 31 * e4 / 180 + 517 * e6 / 5040;
        _c4 = 23 * e4 / 360 + 251 * e6 / 3780;
        _c6 = 761 * e6 / 45360;
        _lon0Rad = longitudeOfCentre * D2R;
        double phi0 = latitudeOfCentre * D2R;
        _qP = Q(1.0);
        double beta0 = Math.Asin(Q(Math.Sin(phi0)) / _qP);
        _sinB0 = Math.Sin(beta0);
        _cosB0 = Math.Cos(beta0);
        _rq = _a * Math.Sqrt(_qP / 2);
        double s0 = Math.Sin(phi0);
        _d = _a * Math.Cos(phi0) / Math.Sqrt(1 - _e2 * s0 * s0) / (_rq * _cosB0);
    }

    public Ellipsoid Ellipsoid { get; }
    public double LatitudeOfCentre { get; }
    public double LongitudeOfCentre { get; }
    public double FalseEasting { get; }
    public double FalseNorthing { get; }

    public override bool IsEqualArea => true;

    /// <summary>Radius of the authalic sphere, Rq = a·√(qP/2).</summary>
    internal double AuthalicRadius => _rq;

    /// <summary>
    /// Snyder's q(φ) = (1 − e²)·[sin φ/(1 − e² sin² φ) + atanh(e sin φ)/e], written with atanh
    /// (= −½·ln((1 − e sin φ)/(1 + e sin φ))) for precision. The area of the ellipsoid between the
    /// equator and latitude φ over Δλ radians of longitude is a²·Δλ·q(φ)/2.
    /// </summary>
    internal static double Q(double sinPhi, double e2, double e) =>
        (1 - e2) * (sinPhi / (1 - e2 * sinPhi * sinPhi) + Math.Atanh(e * sinPhi) / e);

    private double Q(double sinPhi) => Q(sinPhi, _e2, _e);

    public override void Forward(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            double lat = ys[i];
            if (!(Math.Abs(lat) <= 90)) { xs[i] = ys[i] = double.NaN; continue; }
            double sinBeta = Math.Clamp(Q(Math.Sin(lat * D2R)) / _qP, -1.0, 1.0);
            double cosBeta = Math.Sqrt((1 - sinBeta) * (1 + sinBeta));
            var (sinL, cosL) = Math.SinCos(xs[i] * D2R - _lon0Rad);
            double b = _rq * Math.Sqrt(2 / (1 + _sinB0 * sinBeta + _cosB0 * cosBeta * cosL));
            xs[i] = FalseEasting + b * _d * cosBeta * sinL;
            ys[i] = FalseNorthing + b / _d * (_cosB0 * sinBeta - _sinB0 * cosBeta * cosL);
        }
    }

    public override void Inverse(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = (xs[i] - FalseEasting) / _d;
            double y = (ys[i] - FalseNorthing) * _d;
            double rho = Math.Sqrt(x * x + y * y);
            if (rho < 1e-9)
            {
                xs[i] = LongitudeOfCentre;
                ys[i] = LatitudeOfCentre;
                continue;
            }
            double ratio = rho / (2 * _rq);
            if (!(ratio <= 1 + 1e-15)) { xs[i] = ys[i] = double.NaN; continue; }
            // C = 2·asin(u): sin C and cos C are algebraic in u.
            double u = Math.Min(1.0, ratio);
            double sinC = 2 * u * Math.Sqrt(1 - u * u), cosC = 1 - 2 * u * u;
            double sinBeta = Math.Clamp(cosC * _sinB0 + y * sinC * _cosB0 / rho, -1.0, 1.0);
            double lambda = _lon0Rad + Math.Atan2(x * sinC, rho * _cosB0 * cosC - y * _sinB0 * sinC);
            xs[i] = WrapLongitude(lambda * R2D);
            ys[i] = LatitudeFromAuthalic(sinBeta) * R2D;
        }
    }

    /// <summary>
    /// Latitude φ with q(φ) = qP·sin β: the authalic-latitude series (IOGP 7-2, ≈ 1e-9 rad), then
    /// Newton steps (Snyder eq. 3-16) to 1e-12 rad, one in practice.
    /// </summary>
    private double LatitudeFromAuthalic(double sinBeta)
    {
        if (Math.Abs(sinBeta) >= 1 - 1e-15) return Math.CopySign(Math.PI / 2, sinBeta);
        double q = _qP * sinBeta;
        double beta = Math.Asin(sinBeta);
        var (s2, c2) = Math.SinCos(2 * beta);
        double s4 = 2 * s2 * c2, c4 = c2 * c2 - s2 * s2, s6 = s4 * c2 + c4 * s2;
        double phi = beta + _c2 * s2 + _c4 * s4 + _c6 * s6;
        for (int k = 0; k < MaxIterations; k++)
        {
            var (s, c) = Math.SinCos(phi);
            if (c <= 0) break;
            double w = 1 - _e2 * s * s;
            double delta = (Q(s) - q) * w * w / (2 * (1 - _e2) * c);
            phi -= delta;
            if (Converged(delta, s, c)) break;
        }
        return phi;
    }
}
