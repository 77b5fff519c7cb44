namespace CepGeo.Core.Projection;

/// <summary>A reference ellipsoid by semi-major axis (metres) and inverse flattening.</summary>
internal readonly record struct Ellipsoid(double SemiMajorAxis, double InverseFlattening)
{
    /// <summary>GRS 1980: the ellipsoid of ETRS89 (EPSG:3035) and RGF93 (EPSG:2154).</summary>
    public static Ellipsoid Grs80 { get; } = new(6378137.0, 298.257222101);

    /// <summary>WGS 84 (EPSG:4326). Its semi-minor axis differs from GRS 80's by 0.1 mm.</summary>
    public static Ellipsoid Wgs84 { get; } = new(6378137.0, 298.257223563);

    public double Flattening => 1.0 / InverseFlattening;

    /// <summary>First eccentricity squared, e² = f(2 − f).</summary>
    public double EccentricitySquared => Flattening * (2.0 - Flattening);

    public double Eccentricity => Math.Sqrt(EccentricitySquared);
}
