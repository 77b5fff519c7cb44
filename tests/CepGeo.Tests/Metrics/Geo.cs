using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CepGeo.Tests.Metrics;

/// <summary>Small helpers: WKT in metres, one comparison out.</summary>
internal static class Geo
{
    private static readonly WKTReader Reader = new();

    public static Geometry Wkt(string wkt) => Reader.Read(wkt);

    /// <summary>An axis-aligned rectangle in metres.</summary>
    public static Geometry Box(double x0, double y0, double x1, double y1) =>
        Wkt(FormattableString.Invariant($"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"));

    public static LayerInfo Info(string key, int n) =>
        new(key, key, Enumerable.Range(0, n).Select(i => $"{key}{i}").ToArray(),
            Enumerable.Range(0, n).Select(i => $"{key} {i}").ToArray());

    /// <summary>Cells (layer 0) against one operator (layer 1), with optional weights (layer 2).</summary>
    public static Comparison Run(IReadOnlyList<Geometry> cells, IReadOnlyList<Geometry> zones,
        Tolerances? tol = null, IReadOnlyList<Geometry>? weights = null, IReadOnlyList<double>? values = null)
    {
        var layers = new List<IReadOnlyList<Geometry>> { cells, zones };
        if (weights is not null) layers.Add(weights);
        var mosaic = Mosaic.Build(layers);
        var pop = weights is null ? null : Population.PerFace(mosaic, 2, values!);
        return Compare.Run(mosaic, 0, Info("cells", cells.Count), 1, Info("op", zones.Count), pop, tol ?? Tolerances.Default);
    }

    public static CellMetric Cell(this Comparison c, int i) => c.Cells.Single(x => x.CellId == $"cells{i}");

    public static ZoneMetric Zone(this Comparison c, int i) => c.Zones.Single(x => x.ZoneId == $"op{i}");

    public static PairMetric Pair(this Comparison c, int cell, int zone) =>
        c.Pairs.Single(x => x.CellId == $"cells{cell}" && x.ZoneId == $"op{zone}");
}
