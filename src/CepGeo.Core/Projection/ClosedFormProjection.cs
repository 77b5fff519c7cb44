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

    /// <summary>
    /// Convergence threshold of the inverse iterations, in radians (≈ 6 µm on the ground). Newton's method
    /// converges quadratically: after a step δ the error left is about |tan φ|/2·δ², so iterations stop
    /// once (1 + |tan φ|)·δ² is below this, which a good starting series reaches in one step.
    /// </summary>
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

    /// <summary>Brings a longitude in degrees into [−180, 180] (in degrees, so that 3° stays exactly 3°).</summary>
    protected static double WrapLongitude(double lon)
    {
        if (lon > 180) lon -= 360 * Math.Floor((lon + 180) / 360);
        else if (lon < -180) lon += 360 * Math.Floor((180 - lon) / 360);
        return lon;
    }

    /// <summary>True once a Newton step <paramref name="delta"/> at latitude φ leaves less than <see cref="Tolerance"/>.</summary>
    protected static bool Converged(double delta, double sinPhi, double cosPhi) =>
        delta * delta * (1 + Math.Abs(sinPhi / cosPhi)) < Tolerance;
}
