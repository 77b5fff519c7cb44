using CepGeo.Core.Overlay;

namespace CepGeo.Core.Metrics;

/// <summary>A site placed for the analysis: lon/lat (WGS84) and x/y in the study's equal-area CRS.</summary>
/// <param name="Cells">Indexes of the cells the site lies in (on a shared boundary: each of them).</param>
public sealed record PlacedSite(string Id, string Name, double Lon, double Lat, double X, double Y, IReadOnlyList<int> Cells);

/// <summary>
/// One cell (or the whole territory) against one operator's sites: a row of the spec §9 columns.
/// Every figure but <see cref="Sites"/> is null without weights.
/// </summary>
public sealed record SiteMetric(
    string CellId, string Operator, int Sites, double? Pop, double? SitesPer100k,
    double? DistMeanKm, double? DistP90Km, double? PopBeyond, double? PopBeyondShare);

/// <summary>One operator's sites and how far the residents live from them (spec §9).</summary>
/// <param name="Cells">One row per cell, in the cells' order.</param>
/// <param name="Territory">The same over the territory (the union of the cells).</param>
/// <param name="UnitDistanceKm">Per weights unit, the geodesic distance (km) of its centroid to the nearest site; null without weights.</param>
/// <param name="UnitNearest">Per weights unit, the index of its nearest site in <see cref="Sites"/>; null without weights.</param>
/// <param name="UnitPopInTerritory">Per weights unit, its count inside the territory (the cells); null without weights.</param>
public sealed record SiteComparison(
    string Operator, string Label, IReadOnlyList<PlacedSite> Sites,
    IReadOnlyList<SiteMetric> Cells, SiteMetric Territory,
    double[]? UnitDistanceKm, int[]? UnitNearest, double[]? UnitPopInTerritory = null);

/// <summary>
/// The spec §9 figures: residents at their unit's centroid, the part of a unit inside a cell counting
/// for that cell (areal weighting over the mosaic's faces, as for every <c>pop</c> figure).
/// </summary>
public static class SiteMetrics
{
    /// <summary>Per cell, the population of each weights unit inside it: (unit, count) pairs.</summary>
    /// <param name="values">The count of each weights unit.</param>
    public static (List<(int Unit, double Pop)>[] PerCell, double[] InTerritory) UnitShares(
        Mosaic mosaic, int cellLayer, int weightLayer, IReadOnlyList<double> values, int cellCount)
    {
        var cellOf = mosaic.Labels[cellLayer];
        var unitOf = mosaic.Labels[weightLayer];
        var unitArea = new double[values.Count];
        for (int f = 0; f < mosaic.FaceCount; f++)
            foreach (int u in unitOf[f])
                unitArea[u] += mosaic.AreaKm2[f];
        var perCell = new Dictionary<int, double>[cellCount];
        for (int c = 0; c < cellCount; c++) perCell[c] = [];
        var inTerritory = new double[values.Count];
        for (int f = 0; f < mosaic.FaceCount; f++)
        {
            if (cellOf[f].Length == 0) continue;
            foreach (int u in unitOf[f])
            {
                if (unitArea[u] <= 0) continue;
                double pop = values[u] * (mosaic.AreaKm2[f] / unitArea[u]);
                inTerritory[u] += pop;
                foreach (int c in cellOf[f])
                    perCell[c][u] = perCell[c].GetValueOrDefault(u) + pop;
            }
        }
        var lists = perCell.Select(d => d.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)).ToList()).ToArray();
        return (lists, inTerritory);
    }

    /// <summary>The row of one cell (or of the territory) from its units' counts and distances.</summary>
    /// <param name="pieces">The units' counts inside the cell, or null without weights.</param>
    public static SiteMetric Row(string cellId, string op, int sites, IReadOnlyList<(int Unit, double Pop)>? pieces,
        double[]? distanceKm, double beyondKm)
    {
        if (pieces is null || distanceKm is null)
            return new SiteMetric(cellId, op, sites, null, null, null, null, null, null);
        double pop = 0, weighted = 0, beyond = 0;
        var sorted = new List<(double D, double Pop)>(pieces.Count);
        foreach (var (u, p) in pieces)
        {
            double d = distanceKm[u];
            pop += p;
            weighted += p * d;
            if (d > beyondKm) beyond += p;
            sorted.Add((d, p));
        }
        if (!(pop > 0))
            return new SiteMetric(cellId, op, sites, pop, null, null, null, 0, null);
        return new SiteMetric(cellId, op, sites, pop, sites / pop * 100_000, weighted / pop, P90(sorted, pop), beyond, beyond / pop);
    }

    /// <summary>The smallest distance within which at least 90 % of the population lives (no interpolation).</summary>
    public static double P90(List<(double D, double Pop)> pieces, double total)
    {
        pieces.Sort((a, b) => a.D.CompareTo(b.D));
        // A part in 10^12 below 90 %: a sum that reaches 90 % exactly is not lost to rounding.
        double target = 0.9 * total * (1 - 1e-12), cumulative = 0;
        foreach (var (d, p) in pieces)
        {
            cumulative += p;
            if (cumulative >= target) return d;
        }
        return pieces[^1].D; // rounding left the sum a hair short of 90 %
    }
}
