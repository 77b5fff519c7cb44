using CepGeo.Cli.Commands;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries.Prepared;

namespace CepGeo.Tests.Sites;

/// <summary>
/// The done-when check of issue 27: the national employment zones against the 959 France Travail
/// (Pôle emploi) 2019 sites, weighted by the communes' population, agree with an independent
/// computation: every commune against every site (geodesic), communes counted whole in the zone
/// their <c>ze_code</c> names (the zones are dissolved from them), sites placed by a plain point-in-polygon.
/// </summary>
public class NationalSitesTests
{
    private const double Relative = 1e-6;

    [Fact]
    public void EmploymentZones_FranceTravail2019_AgreeWithAllPairsComputation()
    {
        // data/france/study.json's analysis, shared with the national viewer and the SIGKILL series
        // (SharedAnalysis): 287 employment zones, the communes' population, the 959 sites on the BMO
        // operator. A cell's site figures do not depend on the operator's zones, only on the cells,
        // the communes and the sites.
        var r = SharedAnalysis.Of("france");
        var sitesSpec = StudyFiles.Read(SharedAnalysis.StudyPath("france")).Operators.Select(o => o.Sites).Single(s => s is not null)!;
        Assert.Equal("agences-pole-emploi-2019.geojson", Path.GetFileName(sitesSpec.Path));
        var ft = Assert.Single(r.Sites);
        Assert.Equal(959, ft.Sites.Count);

        // Independent: sites from their own lon/lat properties.
        var raw = LayerReader.Read(sitesSpec.Path, new LayerOptions("agences", "reference_pe", null, Points: true));
        var siteLon = raw.Features.Select(f => (double)f.Attributes["lon"]!).ToArray();
        var siteLat = raw.Features.Select(f => (double)f.Attributes["lat"]!).ToArray();

        // Communes: centroid in the equal-area CRS, back to lon/lat.
        var communes = r.WeightsLayer!.Features;
        int n = communes.Count;
        Assert.Equal(35228, n);
        double[] cx = new double[n], cy = new double[n];
        for (int u = 0; u < n; u++) (cx[u], cy[u]) = (communes[u].Geometry.Centroid.X, communes[u].Geometry.Centroid.Y);
        Reprojector.Create(r.Crs, CrsRef.Wgs84Default).Transform(cx, cy);

        // Every commune against every site: a spherical distance first (it differs from the
        // geodesic by less than 0.6 %), the geodesic on every site within 2 % of the spherical nearest.
        var distance = new double[n];
        Parallel.For(0, n, u =>
        {
            var sph = new double[siteLon.Length];
            double min = double.PositiveInfinity;
            for (int s = 0; s < sph.Length; s++) min = Math.Min(min, sph[s] = Spherical(cx[u], cy[u], siteLon[s], siteLat[s]));
            double best = double.PositiveInfinity;
            for (int s = 0; s < sph.Length; s++)
                if (sph[s] <= min * 1.02 + 1e-3)
                    best = Math.Min(best, Geodesic.DistanceKm(cx[u], cy[u], siteLon[s], siteLat[s]));
            distance[u] = best;
        });
        for (int u = 0; u < n; u++) Assert.Equal(distance[u], ft.UnitDistanceKm![u], 1e-9);

        // Per zone: whole communes by their ze_code.
        var zoneIds = r.Cells.Features.Select(f => f.Id).ToList();
        var byZone = zoneIds.ToDictionary(z => z, _ => new List<(double D, double Pop)>());
        int outside = 0;
        for (int u = 0; u < n; u++)
        {
            // A few communes have no employment zone: in no cell, outside the territory.
            if (communes[u].Attributes["ze_code"] is not string { Length: > 0 } ze) { outside++; continue; }
            byZone[ze].Add((distance[u], (double)communes[u].Attributes["population"]!));
        }
        Assert.InRange(outside, 1, 400);

        // Sites per zone: point in polygon, in the equal-area plane, every site against every zone.
        double[] sx = [.. siteLon], sy = [.. siteLat];
        Reprojector.Create(CrsRef.Wgs84Default, r.Crs).Transform(sx, sy);
        var factory = r.Cells.Features[0].Geometry.Factory;
        var prepared = r.Cells.Features.Select(f => PreparedGeometryFactory.Prepare(f.Geometry)).ToList();
        var sitesIn = new int[zoneIds.Count];
        for (int s = 0; s < sx.Length; s++)
        {
            if (!double.IsFinite(sx[s])) continue;
            var p = factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(sx[s], sy[s]));
            for (int z = 0; z < prepared.Count; z++)
                if (prepared[z].Covers(p)) sitesIn[z]++;
        }

        int checkedZones = 0;
        for (int z = 0; z < zoneIds.Count; z++)
        {
            var pieces = byZone[zoneIds[z]];
            double pop = pieces.Sum(p => p.Pop);
            double mean = pieces.Sum(p => p.Pop * p.D) / pop;
            double beyond = pieces.Where(p => p.D > 20).Sum(p => p.Pop);
            var sorted = pieces.OrderBy(p => p.D).ToList();
            double cumulative = 0, p90 = double.NaN;
            foreach (var (d, p) in sorted)
            {
                cumulative += p;
                if (cumulative >= 0.9 * pop) { p90 = d; break; }
            }
            var row = ft.Cells[z];
            Assert.Equal(zoneIds[z], row.CellId);
            Assert.Equal(sitesIn[z], row.Sites);
            Close(pop, row.Pop, zoneIds[z], "pop");
            Close(mean, row.DistMeanKm, zoneIds[z], "dist_mean_km");
            Close(p90, row.DistP90Km, zoneIds[z], "dist_p90_km");
            Close(beyond, row.PopBeyond, zoneIds[z], "pop_beyond");
            checkedZones++;
        }
        Assert.Equal(287, checkedZones);
        Assert.Equal(sitesIn.Sum(), ft.Territory.Sites);
    }

    private static void Close(double expected, double? actual, string zone, string what) =>
        Assert.True(actual is double a && Math.Abs(a - expected) <= Relative * Math.Max(Math.Abs(expected), 1e-9),
            $"zone {zone}: {what} expected {expected}, got {actual}");

    /// <summary>Great-circle distance on the sphere of mean radius (km).</summary>
    private static double Spherical(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6371.0088, D = Math.PI / 180;
        double dLat = (lat2 - lat1) * D, dLon = (lon2 - lon1) * D;
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1 * D) * Math.Cos(lat2 * D) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
