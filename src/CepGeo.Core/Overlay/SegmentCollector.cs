using CepGeo.Core.Common;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Collects the boundary segments of every layer once (<see cref="BoundarySegments"/>): layers
/// dissolved from the same communes share most of their edges, so dropping repeated segments before
/// noding removes most of the work (PACA, 5 layers: 135k → 41k segments).
/// </summary>
internal static class SegmentCollector
{
    public static BoundarySegments Collect(IReadOnlyList<IReadOnlyList<Geometry>> layers)
    {
        int vertices = 0;
        foreach (var layer in layers)
            foreach (var g in layer)
                vertices += g.NumPoints;
        // Rings of adjacent polygons share their vertices: about a third of them are distinct on
        // national layers, and the tables grow if there are more.
        var index = new PointIndex(vertices / 2);
        var masks = new List<ulong>(vertices / 2);
        var rings = Rings(layers).ToList();
        var ringStart = new int[rings.Count + 1];
        for (int r = 0; r < rings.Count; r++) ringStart[r + 1] = ringStart[r] + rings[r].Ring.Count;
        var ids = new int[ringStart[^1]];
        // The hash tables are tens of MB: each lookup misses the cache. Two lines of work, each in
        // ring order so the numbering is the sequential one: one thread numbers the points of the
        // rings (their table only), this one numbers the segments (theirs only) as the rings'
        // points are ready. Each lookup asks memory for its slot a few lookups ahead.
        const int ahead = 8;
        TwoLines.Run(lines =>
        {
            for (int r = 0; r < rings.Count && !lines.Stopped; r++)
            {
                var cs = rings[r].Ring;
                int n = cs.Count, o = ringStart[r];
                for (int i = 0; i < Math.Min(ahead, n); i++) index.PrefetchPoint(cs.GetX(i), cs.GetY(i));
                for (int i = 0; i < n; i++)
                {
                    if (i + ahead < n) index.PrefetchPoint(cs.GetX(i + ahead), cs.GetY(i + ahead));
                    ids[o + i] = index.Point(cs.GetX(i), cs.GetY(i));
                }
                lines.Publish(r + 1);
            }
        }, lines =>
        {
            for (int r = 0; r < rings.Count; r++)
            {
                lines.WaitFor(r);
                int o = ringStart[r], n = ringStart[r + 1] - o;
                if (n == 0) continue;
                ulong bit = BoundarySegments.Bit(rings[r].Layer);
                for (int i = 1; i < Math.Min(ahead + 1, n); i++) index.PrefetchPair(ids[o + i - 1], ids[o + i]);
                int u = ids[o];
                for (int i = 1; i < n; i++)
                {
                    if (i + ahead < n) index.PrefetchPair(ids[o + i + ahead - 1], ids[o + i + ahead]);
                    int v = ids[o + i];
                    if (u == v) continue;
                    int id = index.Pair(u, v, out bool added);
                    if (added)
                    {
                        PointIndex.Reserve(masks);
                        masks.Add(bit);
                    }
                    else masks[id] |= bit;
                    u = v;
                }
            }
        });
        return new BoundarySegments(index, masks, index.PairA.Count);
    }

    private static IEnumerable<(int Layer, CoordinateSequence Ring)> Rings(IReadOnlyList<IReadOnlyList<Geometry>> layers)
    {
        for (int l = 0; l < layers.Count; l++)
            foreach (var g in layers[l])
                for (int p = 0; p < g.NumGeometries; p++)
                {
                    if (g.GetGeometryN(p) is not Polygon poly || poly.IsEmpty) continue;
                    yield return (l, poly.ExteriorRing.CoordinateSequence);
                    foreach (var hole in poly.InteriorRings)
                        yield return (l, hole.CoordinateSequence);
                }
    }
}
