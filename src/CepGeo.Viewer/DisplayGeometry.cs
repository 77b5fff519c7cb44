using CepGeo.Core.Projection;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;

namespace CepGeo.Viewer;

/// <summary>
/// Geometry for the browser: simplified for display (full precision stays in the exports), in lon/lat.
/// </summary>
internal static class DisplayGeometry
{
    /// <summary>
    /// Vertices closer than this fraction of the study's span are dropped: at a full-extent view about
    /// 1000 px wide that is a third of a pixel, so the first view looks exact and a national study stays light.
    /// </summary>
    public const double ToleranceOfSpan = 1.0 / 3000;

    /// <summary>The display tolerance for a set of layers, in their own units.</summary>
    public static double Tolerance(IEnumerable<Geometry> geometries)
    {
        var env = new Envelope();
        foreach (var g in geometries) env.ExpandToInclude(g.EnvelopeInternal);
        return env.IsNull ? 0 : Math.Max(env.Width, env.Height) * ToleranceOfSpan;
    }

    /// <summary>
    /// Simplifies a coverage (cells, one operator's zones) keeping shared edges shared, so that
    /// neighbours neither gap nor overlap on screen. Real layers are not always clean coverages;
    /// when NTS refuses one, each polygon is simplified on its own, keeping its topology.
    /// </summary>
    public static Geometry[] Coverage(IReadOnlyList<Geometry> polygons, double tolerance, Reprojector toLonLat)
    {
        Geometry[] simplified;
        try
        {
            simplified = tolerance > 0 ? CoverageSimplifier.Simplify([.. polygons], tolerance) : [.. polygons];
            if (simplified.Length != polygons.Count || simplified.Any(g => g is null || g.IsEmpty && !polygons[0].IsEmpty))
                simplified = Each(polygons, tolerance);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TopologyException)
        {
            simplified = Each(polygons, tolerance);
        }
        return [.. simplified.Select(g => ToLonLat(g, toLonLat))];
    }

    /// <summary>Simplifies pieces that are not a coverage (defects), each on its own.</summary>
    public static Geometry[] Pieces(IReadOnlyList<Geometry> polygons, double tolerance, Reprojector toLonLat) =>
        [.. Each(polygons, tolerance).Select(g => ToLonLat(g, toLonLat))];

    private static Geometry[] Each(IReadOnlyList<Geometry> polygons, double tolerance) =>
        [.. polygons.Select(g => tolerance > 0 ? TopologyPreservingSimplifier.Simplify(g, tolerance) : g)];

    private static Geometry ToLonLat(Geometry g, Reprojector toLonLat) => toLonLat.IsIdentity ? g : toLonLat.Transform(g);
}
