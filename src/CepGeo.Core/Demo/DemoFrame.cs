using NetTopologySuite.Geometries;

namespace CepGeo.Core.Demo;

/// <summary>
/// The demo's local plane: kilometres east and north of 45°N 4.5°E, mapped to lon/lat by a plain
/// equirectangular scale. Only the generator uses it (to think in km); the analysis measures areas
/// in its own equal-area projection. Over the ±0.3° of the demo the scale is right to about 0.5 %.
/// </summary>
public static class DemoFrame
{
    public const double CentreLon = 4.5;
    public const double CentreLat = 45.0;

    /// <summary>Kilometres per degree of latitude on the mean sphere (R = 6371.0088 km).</summary>
    public const double KmPerDegreeLat = 6371.0088 * Math.PI / 180;

    /// <summary>Kilometres per degree of longitude at 45°N (cos 45° = √½: a square root is correctly rounded, so the same on every machine).</summary>
    public static readonly double KmPerDegreeLon = KmPerDegreeLat * Math.Sqrt(0.5);

    public static Geometry ToLonLat(Geometry km) => Map(km, (x, y) => (CentreLon + x / KmPerDegreeLon, CentreLat + y / KmPerDegreeLat));

    public static Geometry ToKm(Geometry lonLat) => Map(lonLat, (lon, lat) => ((lon - CentreLon) * KmPerDegreeLon, (lat - CentreLat) * KmPerDegreeLat));

    public static Coordinate ToKm(Coordinate lonLat) =>
        new((lonLat.X - CentreLon) * KmPerDegreeLon, (lonLat.Y - CentreLat) * KmPerDegreeLat);

    private static Geometry Map(Geometry geometry, Func<double, double, (double X, double Y)> map)
    {
        var copy = geometry.Copy();
        copy.Apply(new MapFilter(map));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class MapFilter(Func<double, double, (double X, double Y)> map) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                var (x, y) = map(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
