using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Sites;

/// <summary>
/// Spec §9 by hand. Everything lies on the equator, where the geodesic between two points is the
/// equator itself and measures a·Δλ (a = 6,378,137 m): 1° = 111.319491 km. Units are 0.002° squares
/// centred on the equator, so their centroids lie on it (to 1e-9°).
/// Cells: A = [10.0, 10.1], B = [10.1, 10.2] (× [−0.01, 0.01]).
/// Units (population): u1 at 10.02 (100), u2 at 10.08 (300), u3 at 10.10 across A|B (80, half in
/// each), u4 at 10.15 (200), u5 at 10.19 (50).
/// France Travail sites: one at 9.99, across the border (in no cell), one at 10.17 in B.
/// </summary>
public class SiteMetricsHandTests
{
    private const double KmPerDegree = 6378137.0 * Math.PI / 180 / 1000;
    private static readonly GeometryFactory Factory = new();
    private static readonly CrsRef Wgs84 = CrsRef.Wgs84Default;

    private static Geometry Rect(double x0, double y0, double x1, double y1) => Factory.CreatePolygon(
        [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    private static Geometry Unit(double lon) => Rect(lon - 0.001, -0.001, lon + 0.001, 0.001);

    private static AnalysisResult Run(double beyondKm = 5, bool withWeights = true, bool withMl = true)
    {
        var cells = new[] { Rect(10.0, -0.01, 10.1, 0.01), Rect(10.1, -0.01, 10.2, 0.01) };
        var zones = new[] { Rect(9.9, -0.02, 10.3, 0.02) };
        var units = new[] { Unit(10.02), Unit(10.08), Rect(10.095, -0.001, 10.105, 0.001), Unit(10.15), Unit(10.19) };
        double[] pop = [100, 300, 80, 200, 50];
        string[] codes = ["13055", "13001", "13002", "13003", "13004"];

        var ftSites = new SitesSpec("ft.geojson", null, null);
        var mlSites = new SitesSpec("ml.csv", "code", null, CommuneField: "code");
        var study = new Study("hand", "auto", new LayerSpec("cells", "cells", "cells", null, null),
            [new LayerSpec("ft", "France Travail", "ft", null, null, Sites: ftSites)],
            withWeights ? new WeightsSpec("w", "pop", "pop") : null, Tolerances.Default with { BeyondKm = beyondKm },
            SitesOnly: withMl ? [new LayerSpec("ml", "Missions locales", "ml.csv", null, null, Sites: mlSites)] : []);
        return Analysis.Run(study,
            spec => Layer(spec.Key, spec.Key == "cells" ? cells : zones),
            _ => Layer("w", units, pop, codes),
            loadSites: s => s == ftSites
                ? new SiteLayer("ft.geojson", [new("out", "across the border", 9.99, 0, null, "#1"), new("b", "in B", 10.17, 0, null, "#2")], Wgs84, [])
                // Marseille's 1st arrondissement: placed at the centroid of Marseille (13055), u1.
                : new SiteLayer("ml.csv", [new("13201", "ML Marseille", double.NaN, double.NaN, "13201", "line 2")], Wgs84, []));
    }

    private static Layer Layer(string key, Geometry[] geoms, double[]? values = null, string[]? codes = null) => new(key,
        geoms.Select((g, i) => new Feature($"{key}{i}", $"{key} {i}", g.Copy(),
            values is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["pop"] = values[i], ["code"] = codes![i] })).ToList(),
        Wgs84, []);

    private static void Near(double expected, double? actual) =>
        Assert.True(actual is double a && Math.Abs(a - expected) <= 1e-6 * Math.Abs(expected) + 1e-9, $"expected {expected}, got {actual}");

    [Fact]
    public void CellWithNoSite_ServedAcrossTheBorder_UnitSplitBetweenCells_Tie()
    {
        var ft = Run().Sites.Single(s => s.Operator == "ft");
        var a = ft.Cells[0];
        // No site in A: u1 is served by the site across the border (0.03°); u2 lies halfway between
        // both sites (0.09° from each: a tie, the same distance whichever is taken); half of u3 at 0.07°.
        Assert.Equal(0, a.Sites);
        Near(440, a.Pop);
        Assert.Equal(0, a.SitesPer100k);
        Near((100 * 0.03 + 300 * 0.09 + 40 * 0.07) / 440 * KmPerDegree, a.DistMeanKm);
        // Sorted: 0.03 (100), 0.07 (40), 0.09 (300): 90 % of 440 = 396 is reached at 0.09°.
        Near(0.09 * KmPerDegree, a.DistP90Km);
        // Beyond 5 km (0.0449°): u2 and half of u3.
        Near(340, a.PopBeyond);
        Near(340.0 / 440, a.PopBeyondShare);

        var b = ft.Cells[1];
        Assert.Equal(1, b.Sites);
        Near(290, b.Pop);
        Near(1 / 290.0 * 100_000, b.SitesPer100k);
        Near((40 * 0.07 + 200 * 0.02 + 50 * 0.02) / 290 * KmPerDegree, b.DistMeanKm);
        // Sorted: 0.02 (250), 0.07 (40): 250 < 261 = 90 %, so 0.07°.
        Near(0.07 * KmPerDegree, b.DistP90Km);
        Near(40, b.PopBeyond);

        // The territory: the site across the border is in no cell; u3 counts once, whole.
        var t = ft.Territory;
        Assert.Equal(1, t.Sites);
        Near(730, t.Pop);
        Near((100 * 0.03 + 300 * 0.09 + 80 * 0.07 + 250 * 0.02) / 730 * KmPerDegree, t.DistMeanKm);
        Near(0.09 * KmPerDegree, t.DistP90Km); // 250, 350, 430, 730 ≥ 657
        Near(380, t.PopBeyond);

        Assert.Equal(2, ft.Sites.Count);
        Assert.Empty(ft.Sites[0].Cells);
        Assert.Equal([1], ft.Sites[1].Cells);
        Assert.Equal(0, ft.UnitNearest![0]); // u1 → the site across the border
        Assert.Equal(1, ft.UnitNearest[3]);  // u4 → the site in B
    }

    [Fact]
    public void SiteByCommuneCode_ArrondissementPlacedAtItsCityCentroid_SitesOnlyOperator()
    {
        var ml = Run().Sites.Single(s => s.Operator == "ml");
        Assert.Equal(10.02, ml.Sites[0].Lon, 1e-9);
        Assert.Equal(0, ml.Sites[0].Lat, 1e-9);
        Assert.Equal([0], ml.Sites[0].Cells);
        var a = ml.Cells[0];
        Assert.Equal(1, a.Sites);
        Near((100 * 0 + 300 * 0.06 + 40 * 0.08) / 440 * KmPerDegree, a.DistMeanKm);
        Assert.Equal(0, ml.UnitDistanceKm![0], 1e-6);
    }

    [Fact]
    public void BeyondTolerance_IsStrictlyFarther()
    {
        // 0.09° = 10.0187 km: with beyondKm at exactly u2's distance, u2 is not beyond.
        var ft = Run(beyondKm: 0.09 * KmPerDegree + 1e-7).Sites.Single(s => s.Operator == "ft");
        Near(0, ft.Cells[0].PopBeyond);
        var wide = Run(beyondKm: 0.08 * KmPerDegree).Sites.Single(s => s.Operator == "ft");
        Near(300, wide.Cells[0].PopBeyond);
    }

    [Fact]
    public void WithoutWeights_DistancesAreNull_SitesCounted()
    {
        var ft = Run(withWeights: false, withMl: false).Sites.Single(s => s.Operator == "ft");
        Assert.Equal(1, ft.Cells[1].Sites);
        Assert.Null(ft.Cells[1].DistMeanKm);
        Assert.Null(ft.Cells[1].SitesPer100k);
        Assert.Null(ft.Territory.PopBeyond);
    }
}
