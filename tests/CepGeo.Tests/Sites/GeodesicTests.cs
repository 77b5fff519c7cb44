using CepGeo.Core.Metrics;

namespace CepGeo.Tests.Sites;

/// <summary>
/// The geodesic against GeographicLib's published reference values (Karney's test set, as in
/// GeographicLib's own test suite, geodtest.c: lat1, lon1, lat2, lon2, s12 in metres, exact to 1e-8 m).
/// </summary>
public class GeodesicTests
{
    private const double OneMillimetre = 1e-3;

    // lat1, lon1, lat2, lon2, s12 (m): the 20 random cases of GeographicLib's testinverse.
    public static TheoryData<double, double, double, double, double> Reference => new()
    {
        { 35.60777, -139.44815, -11.17491, -69.95921, 8935244.5604818305 },
        { 55.52454, 106.05087, 77.03196, 197.18234, 4105086.1713924406 },
        { -21.97856, 142.59065, 41.84138, 98.56635, 8394328.894657671 },
        { -66.99028, 112.2363, -12.70631, 285.90344, 11150344.2312080241 },
        { -17.42761, 173.34268, -15.84784, 5.93557, 16076603.1631180673 },
        { 32.84994, 48.28919, -56.28556, 202.29132, 16727068.9438164461 },
        { 6.96833, 52.74123, -7.39675, 206.17291, 17102477.2496958388 },
        { -50.56724, -16.30485, -33.56571, -94.97412, 6455670.5118668696 },
        { -58.93002, -8.90775, -8.91104, 133.13503, 11756066.0219864627 },
        { -68.82867, -74.28391, -50.63005, -8.36685, 3956936.926063544 },
        { -10.62672, -32.0898, 5.883, -134.31681, 11470869.3864563009 },
        { -21.76221, 166.90563, 48.72884, 213.97627, 9098627.3986554915 },
        { -19.79938, -174.47484, -11.99349, -154.35109, 2319004.8601169389 },
        { -11.95887, -116.94513, 4.57352, 7.16501, 13834722.5801401374 },
        { -87.85331, 85.66836, 66.48646, 16.09921, 17286615.3147144645 },
        { 1.74708, 128.32011, -11.16617, 11.87109, 12942901.1241347408 },
        { -25.72959, -144.90758, -57.70581, -269.17879, 9413446.7452453107 },
        { -41.22777, 122.32875, -7.57291, 130.37946, 3812686.035106021 },
        { 11.01307, 138.25278, 6.62726, 247.05981, 11911190.819018408 },
        { -29.47124, 95.14681, -27.46601, -69.15955, 13487015.8381145492 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void Distance_AgreesWithGeographicLibToAMillimetre(double lat1, double lon1, double lat2, double lon2, double s12)
    {
        Assert.Equal(s12, Geodesic.DistanceM(lon1, lat1, lon2, lat2), OneMillimetre);
        Assert.Equal(s12, Geodesic.DistanceM(lon2, lat2, lon1, lat1), OneMillimetre);
    }

    // Nearly antipodal points, where Vincenty's iteration does not converge and the bisection takes
    // over (GeographicLib's GeodSolve6, 9, 10 and 11; values to 0.5 mm).
    [Theory]
    [InlineData(88.202499451857, 0, -88.202499451857, 179.981022032992859592, 20003898.214)]
    [InlineData(89.262080389218, 0, -89.262080389218, 179.992207982775375662, 20003925.854)]
    [InlineData(56.320923501171, 0, -56.320923501171, 179.664747671772880215, 19993558.287)]
    [InlineData(52.784459512564, 0, -52.784459512563990912, 179.634407464943777557, 19991596.095)]
    [InlineData(48.522876735459, 0, -48.52287673545898293, 179.599720456223079643, 19989144.774)]
    public void NearlyAntipodal_BisectionAgreesWithGeographicLib(double lat1, double lon1, double lat2, double lon2, double s12) =>
        Assert.Equal(s12, Geodesic.DistanceM(lon1, lat1, lon2, lat2), OneMillimetre);

    [Fact]
    public void ShortLine_SevenCentimetres() =>
        // GeographicLib's GeodSolve4 (a short-line bug of its own): 0.072 m.
        Assert.Equal(0.072, Geodesic.DistanceM(0, 36.493349428792, .0000008, 36.49334942879201), 0.5e-3);

    [Fact]
    public void JfkToParis_GeodSolve0() =>
        Assert.Equal(5853226, Geodesic.DistanceM(-73.8, 40.6, 2.55, 49.01666667), 0.5);

    [Fact]
    public void SamePoint_IsZero_AndOneDegreeOfEquator_IsAOverRadians()
    {
        Assert.Equal(0, Geodesic.DistanceM(5.4, 43.3, 5.4, 43.3));
        // Along the equator the geodesic is the equator itself (for less than (1 − f)·180°): a·Δλ.
        Assert.Equal(6378137.0 * Math.PI / 180, Geodesic.DistanceM(0, 0, 1, 0), 1e-6);
        // Along a meridian: the meridian arc from the equator to the pole, 10,001,965.729 m on WGS84.
        Assert.Equal(10001965.729, Geodesic.DistanceM(3, 0, 3, 90), OneMillimetre);
    }
}
