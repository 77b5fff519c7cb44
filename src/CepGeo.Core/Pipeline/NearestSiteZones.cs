using System.Globalization;
using CepGeo.Core.Common;
using CepGeo.Core.Loading.Zones;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Pipeline;

/// <summary>
/// Zones for an operator that publishes its sites and not its areas (<c>zones build --nearest-site</c>):
/// each commune goes to the site nearest its centroid (centroid in the equal-area CRS, geodesic
/// distance, as in spec §9), and each site's communes are dissolved. The result is marked derived in
/// every zone's properties and in the match report: it is not the operator's official map.
/// </summary>
public static class NearestSiteZones
{
    /// <summary>The value of the zones' <c>derived</c> property.</summary>
    public const string Derived = "nearest_site";

    /// <param name="communes">The commune polygons (valid), <see cref="Feature.Id"/> being the commune code.</param>
    /// <param name="sites">The sites; a site given by commune code is placed at that commune's centroid.</param>
    /// <param name="weightsField">Optional numeric property of the communes to sum per zone.</param>
    public static ZoneBuild Build(Layer communes, SiteLayer sites, string? weightsField = null)
    {
        ArgumentNullException.ThrowIfNull(communes);
        ArgumentNullException.ThrowIfNull(sites);
        var toLonLat = Reprojector.Create(communes.Crs, CrsRef.Wgs84Default, communes.Source);
        var bounds = new Envelope();
        foreach (var f in communes.Features) bounds.ExpandToInclude(f.Geometry.EnvelopeInternal);
        var crs = EqualArea.Choose("auto", toLonLat.Transform(new GeometryFactory().ToGeometry(bounds)).EnvelopeInternal);
        var toEqualArea = Reprojector.Create(communes.Crs, crs, communes.Source);

        int n = communes.Features.Count;
        double[] lon = new double[n], lat = new double[n];
        Parallel.For(0, n, u =>
        {
            var c = toEqualArea.Transform(communes.Features[u].Geometry).Centroid;
            (lon[u], lat[u]) = (c.X, c.Y);
        });
        Reprojector.Create(crs, CrsRef.Wgs84Default).Transform(lon, lat);

        var index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (int u = 0; u < n; u++) index[communes.Features[u].Id] = u;
        double[] siteLon = [.. sites.Sites.Select(s => s.X)], siteLat = [.. sites.Sites.Select(s => s.Y)];
        Reprojector.Create(sites.Crs, CrsRef.Wgs84Default, sites.Source).Transform(siteLon, siteLat);
        for (int s = 0; s < sites.Sites.Count; s++)
        {
            if (sites.Sites[s].Commune is not { } code) continue;
            if (!index.TryGetValue(code, out int u) && !(Arrondissements.CommuneOf(code) is { } city && index.TryGetValue(city, out u)))
                throw new CepGeoInputException(sites.Source, $"{sites.Sites[s].Id} ({sites.Sites[s].Where})",
                    new Phrase($"le code commune \"{code}\" ne correspond à aucune commune de {communes.Source}",
                        $"commune code \"{code}\" matches no commune of {communes.Source}"));
            (siteLon[s], siteLat[s]) = (lon[u], lat[u]);
        }

        var nearest = new NearestSite(siteLon, siteLat);
        var siteOf = new int[n];
        Parallel.For(0, n, u => siteOf[u] = nearest.Find(lon[u], lat[u]).Site);
        var members = Enumerable.Range(0, sites.Sites.Count).Select(_ => new List<int>()).ToArray();
        for (int u = 0; u < n; u++) members[siteOf[u]].Add(u);

        var geometries = new Geometry?[sites.Sites.Count];
        Parallel.For(0, geometries.Length, s =>
        {
            if (members[s].Count > 0) geometries[s] = FaceUnion.UnionOfFaces([.. members[s].Select(u => communes.Features[u].Geometry)]);
        });
        var zones = new List<BuiltZone>();
        var report = new List<MatchEntry>();
        for (int s = 0; s < geometries.Length; s++)
        {
            var site = sites.Sites[s];
            if (geometries[s] is not Geometry g)
            {
                report.Add(new MatchEntry(MatchKinds.EmptyZone, site.Id, site.Id, "",
                    new Phrase("aucune commune n'a ce site pour le plus proche : le site n'a pas de zone et est laissé de côté",
                        "no commune has this site as its nearest: the site has no zone and is left out")));
                continue;
            }
            double? weight = weightsField is null ? null : members[s].Sum(u => Weight(communes, u, weightsField));
            zones.Add(new BuiltZone(site.Id, site.Name, g, [.. members[s].Select(u => communes.Features[u].Id)], 1, weight));
            report.Add(new MatchEntry(MatchKinds.Derived, site.Id, site.Id, "",
                new Phrase(string.Create(CultureInfo.InvariantCulture,
                    $"dérivée, pas la carte de l'opérateur : {members[s].Count} commune(s) dont le centroïde est le plus proche de ce site (distance géodésique en ligne droite)"),
                    string.Create(CultureInfo.InvariantCulture,
                    $"derived, not the operator's own map: the {members[s].Count} commune(s) whose centroid is nearest to this site (straight-line geodesic distance)"))));
        }
        var counts = new MatchCounts(sites.Sites.Count, zones.Count, 0, 0, 0, n, n);
        return new ZoneBuild(zones, report, counts) { Derived = Derived };
    }

    private static double Weight(Layer communes, int u, string field)
    {
        var f = communes.Features[u];
        return f.Attributes.TryGetValue(field, out var v) && v is double d ? d
            : throw new CepGeoInputException(communes.Source, f.Id, new Phrase($"\"{field}\" (les poids à additionner) n'est pas un nombre",
                $"\"{field}\" (the weights to sum) is not a number"));
    }
}
