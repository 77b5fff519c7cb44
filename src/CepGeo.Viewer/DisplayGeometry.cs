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
    /// <param name="decimals">Decimals of a degree kept (<see cref="Decimals"/>); negative keeps every digit.</param>
    public static Geometry[] Coverage(IReadOnlyList<Geometry> polygons, double tolerance, Reprojector toLonLat, int decimals = -1)
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
        return [.. simplified.Select(g => Quantise(ToLonLat(g, toLonLat), decimals))];
    }

    /// <summary>Simplifies pieces that are not a coverage (defects), each on its own.</summary>
    public static Geometry[] Pieces(IReadOnlyList<Geometry> polygons, double tolerance, Reprojector toLonLat, int decimals) =>
        [.. Each(polygons, tolerance).Select(g => Quantise(ToLonLat(g, toLonLat), decimals))];

    /// <summary>
    /// Decimals of a degree kept in what the page receives, for a display tolerance in metres: a quarter
    /// of the tolerance is below anything the simplification kept, and every digit less is a byte less
    /// per coordinate (a national study's layers went from 17-digit doubles to 4 decimals).
    /// </summary>
    public static int Decimals(double toleranceMetres) =>
        toleranceMetres <= 0 ? 7 : Math.Clamp((int)Math.Ceiling(-Math.Log10(toleranceMetres / 4 / MetresPerDegree)), 4, 7);

    /// <summary>About a degree of latitude, in metres: enough to choose a number of decimals.</summary>
    public const double MetresPerDegree = 111_000;

    /// <summary>A copy of a lon/lat geometry with every coordinate rounded to <paramref name="decimals"/>.</summary>
    public static Geometry Quantise(Geometry g, int decimals)
    {
        if (decimals < 0) return g;
        var copy = g.Copy();
        copy.Apply(new RoundFilter(decimals));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class RoundFilter(int decimals) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), decimals));
            seq.SetY(i, Math.Round(seq.GetY(i), decimals));
        }
    }

    private static Geometry[] Each(IReadOnlyList<Geometry> polygons, double tolerance) =>
        [.. polygons.Select(g => tolerance > 0 ? TopologyPreservingSimplifier.Simplify(g, tolerance) : g)];

    private static Geometry ToLonLat(Geometry g, Reprojector toLonLat) => toLonLat.IsIdentity ? g : toLonLat.Transform(g);
}
