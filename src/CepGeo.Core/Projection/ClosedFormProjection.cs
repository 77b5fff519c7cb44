namespace CepGeo.Core.Projection;

/// <summary>
/// A map projection computed with its closed-form (Snyder / IOGP Guidance Note 7-2) formulas, over
/// coordinate spans, in place: forward takes longitude (x) and latitude (y) in degrees and returns
/// easting and northing in metres; inverse does the reverse. Used instead of ProjNet for the CRSs
/// CepGeo measures in, because ProjNet 2.0 is several millimetres off and slow per point.
/// A point that cannot be projected (latitude beyond ±90°, the antipode of a LAEA centre) comes out NaN.
/// </summary>
/// <remarks>
/// Implementations are immutable and thread-safe. Equality is by parameters, so that the same CRS
/// reached by two routes (a code and a .prj WKT) is recognised as the same.
/// </remarks>
internal abstract record ClosedFormProjection
{
    protected const double D2R = Math.PI / 180.0;
    protected const double R2D = 180.0 / Math.PI;

    /// <summary>Convergence threshold of the inverse iterations, in radians (≈ 6 µm on the ground).</summary>
    protected const double Tolerance = 1e-12;

    protected const int MaxIterations = 15;

    /// <summary>True for projections that preserve areas (LAEA); false for conformal ones.</summary>
    public abstract bool IsEqualArea { get; }

    public abstract void Forward(Span<double> xs, Span<double> ys);

    public abstract void Inverse(Span<double> xs, Span<double> ys);

    protected static void CheckLengths(Span<double> xs, Span<double> ys)
    {
        if (xs.Length != ys.Length)
            throw new ArgumentException($"xs has {xs.Length} values but ys has {ys.Length}.", nameof(ys));
    }

    /// <summary>Brings an angle difference in radians into [−π, π].</summary>
    protected static double WrapPi(double a)
    {
        if (a > Math.PI) a -= 2 * Math.PI * Math.Floor((a + Math.PI) / (2 * Math.PI));
        else if (a < -Math.PI) a += 2 * Math.PI * Math.Floor((Math.PI - a) / (2 * Math.PI));
        return a;
    }

    /// <summary>Brings a longitude in degrees into [−180, 180].</summary>
    protected static double WrapLongitude(double lon) => WrapPi(lon * D2R) * R2D;

    /// <summary>
    /// Latitude from isometric latitude ψ by Newton's method on ψ(φ) = asinh(tan φ) − e·atanh(e sin φ),
    /// starting from the conformal latitude; converges to 1e-12 rad in three or four steps.
    /// </summary>
    protected static double LatitudeFromIsometric(double psi, double e)
    {
        double e2 = e * e;
        double phi = Math.Atan(Math.Sinh(psi));
        for (int i = 0; i < MaxIterations; i++)
        {
            double s = Math.Sin(phi), c = Math.Cos(phi);
            if (c <= 0) break;
            double f = Math.Asinh(s / c) - e * Math.Atanh(e * s) - psi;
            double w = 1 - e2 * s * s;
            double delta = f * c * w / (1 - e2);
            phi -= delta;
            if (Math.Abs(delta) < Tolerance) break;
        }
        return phi;
    }
}
