using System.Globalization;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Zones;

/// <summary>
/// <c>cepgeo zones build --nearest-site</c> on a hand-made case: every commune's nearest site found here with a
/// geodesic of the test's own (Vincenty's inverse formula on WGS84), from the commune's centroid in EPSG:3035.
/// </summary>
public sealed class NearestSiteZonesCommandTests
{
    private const double Size = 0.05;

    /// <summary>A 4 × 3 grid of 0.05° communes from (5°E, 43°N); codes C{row}{column}, population 100·(index+1).</summary>
    private static List<(string Code, Polygon Square, double Pop)> Grid()
    {
        var factory = new GeometryFactory();
        var grid = new List<(string, Polygon, double)>();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                double x = 5 + Size * c, y = 43 + Size * r;
                var ring = factory.CreatePolygon([new(x, y), new(x + Size, y), new(x + Size, y + Size), new(x, y + Size), new(x, y)]);
                grid.Add(($"C{r}{c}", ring, 100.0 * (grid.Count + 1)));
            }
        return grid;
    }

    [Fact]
    public void NearestSite_EachCommuneGoesToItsGeodesicNearestSite_Dissolved_MarkedDerived_AndTheSiteWithoutCommuneIsReported()
    {
        using var dir = new TempDirectory();
        var grid = Grid();
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllText(dir.File("communes.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", grid.Select(g =>
            $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{g.Code}\",\"pop\":{F(g.Pop)}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
            + string.Join(",", g.Square.Coordinates.Select(c => $"[{F(c.X)},{F(c.Y)}]")) + "]]}}")) + "]}");

        // Centroids as the spec places residents: in the equal-area CRS (EPSG:3035 in Europe), back to lon/lat.
        var to3035 = Reprojector.Create(CrsRef.Wgs84Default, KnownCrs.Get(KnownCrs.LaeaEurope));
        var back = Reprojector.Create(KnownCrs.Get(KnownCrs.LaeaEurope), CrsRef.Wgs84Default);
        var centroids = grid.Select(g => back.Transform(to3035.Transform(g.Square).Centroid).Coordinate).ToList();

        // N lies 0.1° due north of C11's centroid, E 0.13645° due east: on the sphere E is nearer, on the
        // ellipsoid N is (a degree of latitude is shorter, a degree of longitude longer, than the sphere says).
        var c11 = centroids[grid.FindIndex(g => g.Code == "C11")];
        var sites = new (string Id, double Lon, double Lat)[]
        {
            ("N", c11.X, c11.Y + 0.1),
            ("E", c11.X + 0.13645, c11.Y),
            ("NE", 5.22, 43.16),
            ("FAR", 6.5, 44.5),
        };
        Assert.True(Vincenty(c11.X, c11.Y, sites[0].Lon, sites[0].Lat) < Vincenty(c11.X, c11.Y, sites[1].Lon, sites[1].Lat));
        Assert.True(Haversine(c11.X, c11.Y, sites[0].Lon, sites[0].Lat) > Haversine(c11.X, c11.Y, sites[1].Lon, sites[1].Lat));
        File.WriteAllText(dir.File("sites.csv"), "site;nom;lon;lat\n" + string.Concat(sites.Select(s => $"{s.Id};Agence {s.Id};{F(s.Lon)};{F(s.Lat)}\n")));

        var expected = new Dictionary<string, List<int>>();
        for (int u = 0; u < grid.Count; u++)
        {
            var d = sites.Select(s => Vincenty(centroids[u].X, centroids[u].Y, s.Lon, s.Lat)).ToArray();
            var order = Enumerable.Range(0, d.Length).OrderBy(i => d[i]).ToArray();
            // A clear winner (no tie left to rounding): 1 m at least.
            Assert.True(d[order[1]] - d[order[0]] > 0.001, $"{grid[u].Code}: near tie");
            string site = sites[order[0]].Id;
            if (!expected.TryGetValue(site, out var list)) expected[site] = list = [];
            list.Add(u);
        }
        Assert.Equal(["C11"], expected["N"].Where(u => grid[u].Code == "C11").Select(u => grid[u].Code));
        Assert.False(expected.ContainsKey("FAR"));
        Assert.True(expected.Count == 3, "every near site should have communes: " + string.Join(", ", expected.Keys));

        string output = dir.File("derived.geojson");
        var run = CliRun.Of("zones", "build", "--communes", dir.File("communes.geojson"), "--code-field", "code",
            "--nearest-site", dir.File("sites.csv"), "--site-id", "site", "--site-name", "nom", "--weights", "pop", "--out", output);
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        Assert.Contains("FAR", run.Out, StringComparison.Ordinal);

        var zones = LayerReader.Read(output, new LayerOptions("derived.geojson", "zone_code", "zone_name"));
        Assert.Equal(expected.Keys.Order(), zones.Features.Select(f => f.Id).Order());
        foreach (var zone in zones.Features)
        {
            var members = expected[zone.Id];
            Assert.Equal("nearest_site", zone.Attributes["derived"]);
            Assert.Equal("Agence " + zone.Id, zone.Name);
            Assert.Equal((double)members.Count, zone.Attributes["communes"]);
            Assert.Equal(members.Sum(u => grid[u].Pop), zone.Attributes["pop"]);
            // Dissolved: the zone is its communes, no more, no less.
            double area = to3035.Transform(zone.Geometry).Area, sum = members.Sum(u => to3035.Transform(grid[u].Square).Area);
            Assert.True(Math.Abs(area - sum) <= 1e-6 * sum, $"{zone.Id}: {area} m² against {sum} m² of its communes");
            foreach (int u in members) Assert.True(zone.Geometry.Covers(grid[u].Square.InteriorPoint), $"{grid[u].Code} not in zone {zone.Id}");
        }

        var match = File.ReadAllLines(dir.File("derived.match.csv"));
        Assert.Equal("kind,code,zone_code,resolved_to,detail", match[0]);
        Assert.Contains(match, l => l.StartsWith("empty_zone,FAR,FAR,,", StringComparison.Ordinal));
        foreach (var (site, members) in expected)
            Assert.Contains(match, l => l.StartsWith($"derived,{site},{site},,", StringComparison.Ordinal) && l.Contains($"the {members.Count} commune(s)", StringComparison.Ordinal));
    }

    /// <summary>Vincenty's inverse formula on the WGS84 ellipsoid (km), written here apart from the code under test.</summary>
    private static double Vincenty(double lon1, double lat1, double lon2, double lat2)
    {
        const double a = 6378137, f = 1 / 298.257223563, b = a * (1 - f), rad = Math.PI / 180;
        double l = (lon2 - lon1) * rad;
        double u1 = Math.Atan((1 - f) * Math.Tan(lat1 * rad)), u2 = Math.Atan((1 - f) * Math.Tan(lat2 * rad));
        double sinU1 = Math.Sin(u1), cosU1 = Math.Cos(u1), sinU2 = Math.Sin(u2), cosU2 = Math.Cos(u2);
        double lambda = l, sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM;
        for (int i = 0; ; i++)
        {
            double sinL = Math.Sin(lambda), cosL = Math.Cos(lambda);
            sinSigma = Math.Sqrt(Math.Pow(cosU2 * sinL, 2) + Math.Pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
            cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
            sigma = Math.Atan2(sinSigma, cosSigma);
            double sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
            cos2Alpha = 1 - sinAlpha * sinAlpha;
            cos2SigmaM = cosSigma - 2 * sinU1 * sinU2 / cos2Alpha;
            double c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
            double next = l + (1 - c) * f * sinAlpha * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
            if (Math.Abs(next - lambda) < 1e-13 || i > 200) { lambda = next; break; }
            lambda = next;
        }
        double uSq = cos2Alpha * (a * a - b * b) / (b * b);
        double bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
        double bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
        double deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
            - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
        return b * bigA * (sigma - deltaSigma) / 1000;
    }

    /// <summary>Great-circle distance on the sphere of mean radius (km): what a spherical shortcut would say.</summary>
    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6371.0088, D = Math.PI / 180;
        double h = Math.Pow(Math.Sin((lat2 - lat1) * D / 2), 2) + Math.Cos(lat1 * D) * Math.Cos(lat2 * D) * Math.Pow(Math.Sin((lon2 - lon1) * D / 2), 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
