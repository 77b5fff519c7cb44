using CepGeo.Core.Common;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The first stage of the overlay: the boundary segments of every layer, cut where they meet, so that
/// segments touch only at their ends. As in OverlayNG, the fast noder is tried first and a robust one
/// (snapping) takes over when the fast one cannot guarantee its result.
/// </summary>
internal interface INoder
{
    /// <summary>The segments fully noded, or null when this noder could not guarantee it (the next one is then tried).</summary>
    NodedLines? Node(BoundarySegments segments, GeometryFactory factory);
}

/// <summary>
/// Every segment of every layer's rings once, as the pairs of a point index, with the layers whose
/// boundary holds it as bits (<see cref="Bounds"/>). A noder may add pairs to the index: the first
/// <see cref="Count"/> are the rings' own segments.
/// </summary>
internal sealed record BoundarySegments(PointIndex Index, List<ulong> Masks, int Count)
{
    /// <summary>Whether an edge with these layer bits lies on a boundary of the layer (layers past 64 are not tracked: always).</summary>
    public static bool Bounds(ulong mask, int layer) => layer >= 64 || ((mask >> layer) & 1) != 0;

    /// <summary>The layer bit a segment of <paramref name="layer"/> carries (none past 64: see <see cref="Bounds"/>).</summary>
    public static ulong Bit(int layer) => layer < 64 ? 1UL << layer : 0;
}

/// <summary>
/// The noded linework: the live pairs of <see cref="Index"/> (<see cref="Dead"/> marks the pairs cut
/// into pieces), with each pair's layer bits; <see cref="Masks"/> is null when the noder did not keep
/// them (the robust fallback), and every face is then labelled on its own.
/// </summary>
internal sealed record NodedLines(PointIndex Index, List<bool>? Dead, List<ulong>? Masks);

/// <summary>
/// The fallback noder: OverlayNG's robust union of the rings' own segments (snapping, then
/// snap-rounding). Areas then move by at most the snap tolerance; which layers each edge bounds is
/// lost. Used when the grid noder's rounded vertices left contacts (rare on real data).
/// </summary>
internal sealed class RobustNoder : INoder
{
    public static readonly RobustNoder Instance = new();

    public NodedLines Node(BoundarySegments segments, GeometryFactory factory)
    {
        var index = segments.Index;
        // The rings' own segments (the first pairs), not the grid noder's rounded pieces.
        var lines = new List<Geometry>(segments.Count);
        for (int e = 0; e < segments.Count; e++)
            lines.Add(factory.CreateLineString([
                new Coordinate(index.X[index.PairA[e]], index.Y[index.PairA[e]]),
                new Coordinate(index.X[index.PairB[e]], index.Y[index.PairB[e]])]));
        var union = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Union((Geometry)factory.CreateGeometryCollection([.. lines]));
        var robust = new PointIndex(union.NumPoints);
        for (int i = 0; i < union.NumGeometries; i++)
        {
            if (union.GetGeometryN(i) is not LineString { IsEmpty: false } ls) continue;
            var line = ls.Coordinates;
            for (int k = 0; k + 1 < line.Length; k++)
            {
                int u = robust.Point(line[k].X, line[k].Y), v = robust.Point(line[k + 1].X, line[k + 1].Y);
                if (u != v) robust.Pair(u, v, out _);
            }
        }
        return new NodedLines(robust, null, null);
    }

    NodedLines? INoder.Node(BoundarySegments segments, GeometryFactory factory) => Node(segments, factory);
}
