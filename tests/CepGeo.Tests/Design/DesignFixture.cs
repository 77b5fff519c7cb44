using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Design;

/// <summary>Hand-made studies in EPSG:3035 metres (offset into Europe so the CRS is valid), analysed in memory.</summary>
internal static class DesignFixture
{
    private const double X0 = 4_000_000, Y0 = 2_500_000;
    private static readonly GeometryFactory Factory = new();
    private static readonly CrsRef Laea = new("EPSG:3035", null, true);

    /// <summary>A rectangle given in km from the fixture's origin.</summary>
    public static Geometry Km(double x0, double y0, double x1, double y1) => Factory.CreatePolygon(
    [
        new(X0 + x0 * 1000, Y0 + y0 * 1000), new(X0 + x1 * 1000, Y0 + y0 * 1000), new(X0 + x1 * 1000, Y0 + y1 * 1000),
        new(X0 + x0 * 1000, Y0 + y1 * 1000), new(X0 + x0 * 1000, Y0 + y0 * 1000),
    ]);

    /// <summary>Cells and operators (key → zones), features named key0, key1…; optional weights with counts.</summary>
    public static AnalysisResult Analyse(Geometry[] cells, (string Key, Geometry[] Zones)[] operators,
        Geometry[]? weights = null, double[]? values = null)
    {
        var specs = new List<LayerSpec> { new("cells", "cells", "cells", null, null) };
        specs.AddRange(operators.Select(o => new LayerSpec(o.Key, o.Key, o.Key, null, null)));
        var study = new Study("fixture", "EPSG:3035", specs[0], specs.Skip(1).ToList(),
            weights is null ? null : new WeightsSpec("weights", "pop", "pop"), Tolerances.Default);
        var geoms = new Dictionary<string, Geometry[]> { ["cells"] = cells };
        foreach (var (k, z) in operators) geoms[k] = z;
        return Analysis.Run(study, spec => Layer(spec.Key, geoms[spec.Key]),
            _ => Layer("w", weights!, values));
    }

    private static Layer Layer(string key, Geometry[] geoms, double[]? values = null) => new(key,
        geoms.Select((g, i) => new Feature($"{key}{i}", $"{key} {i}", g.Copy(), // the run's own (it projects in place)
            values is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["pop"] = values[i] })).ToList(),
        Laea, []);
}
