namespace CepGeo.Core.Projection;

/// <summary>
/// Popular visualisation pseudo-Mercator (EPSG:3857, method 1024): spherical Mercator formulas applied
/// to WGS 84 coordinates with R = 6 378 137 m. For web maps only; neither conformal on the ellipsoid
/// nor equal-area (areas grow as 1/cos² φ: ×2.1 at 46°N).
/// </summary>
internal sealed record WebMercator : ClosedFormProjection
{
    private const double Radius = 6378137.0;

    /// <summary>The latitude where the square world map ends (y = ±πR); beyond it points are clamped.</summary>
    public const double MaxLatitude = 85.05112877980659;

    public static WebMercator Instance { get; } = new();

    public override bool IsEqualArea => false;

    public override void Forward(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            double lat = ys[i];
            if (!(Math.Abs(lat) <= 90)) { xs[i] = ys[i] = double.NaN; continue; }
            lat = Math.Clamp(lat, -MaxLatitude, MaxLatitude);
            xs[i] = Radius * xs[i] * D2R;
            ys[i] = Radius * Math.Asinh(Math.Tan(lat * D2R));
        }
    }

    public override void Inverse(Span<double> xs, Span<double> ys)
    {
        CheckLengths(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = xs[i] / Radius * R2D;
            ys[i] = Math.Atan(Math.Sinh(ys[i] / Radius)) * R2D;
        }
    }
}
