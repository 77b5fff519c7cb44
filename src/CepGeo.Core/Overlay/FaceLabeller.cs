using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The last stage of the overlay: which features of a layer contain each face. Faces joined by
/// edges that bound none of the layer's features lie in the same features, so the faces are first
/// grouped across such edges (union-find) and one interior point per group is located: on
/// communes × cantons, 38k point locations instead of 300k.
/// </summary>
internal static class FaceLabeller
{
    private static readonly int[] None = [];

    /// <param name="points">Interior points of faces, computed on first need and shared between layers.</param>
    /// <returns>Per face, the ascending indices of the layer's features containing it.</returns>
    public static int[][] Label(PlanarFaces planar, int layer, IReadOnlyList<Geometry> features, Coordinate?[] points)
    {
        var faces = planar.Faces;
        var parent = new int[faces.Count];
        for (int f = 0; f < parent.Length; f++) parent[f] = f;
        if (planar.EdgeMask is { } masks)
            for (int e = 0; e < masks.Length; e++)
            {
                int a = planar.EdgeFaceA[e], b = planar.EdgeFaceB[e];
                if (a >= 0 && b >= 0 && !BoundarySegments.Bounds(masks[e], layer)) Union(parent, a, b);
            }
        var roots = new List<int>();
        for (int f = 0; f < parent.Length; f++)
            if (Find(parent, f) == f) roots.Add(f);

        // The features' envelopes (a pass over every coordinate, then cached) on every core first.
        Parallel.For(0, features.Count, i => _ = features[i].EnvelopeInternal);
        var tree = new STRtree<int>();
        for (int i = 0; i < features.Count; i++)
            tree.Insert(features[i].EnvelopeInternal, i);
        tree.Build();
        // Interior points first, then one locator per feature built once: both in parallel, and the
        // locators are only read afterwards, so the group loop can run in parallel too.
        Parallel.For(0, roots.Count, r => points[roots[r]] ??= faces.InteriorPoint(roots[r]));
        var locators = new IPointOnGeometryLocator[features.Count];
        Parallel.For(0, features.Count, i =>
        {
            // An index pays off on long rings (a département); a commune's few hundred vertices
            // are faster to scan than to index.
            if (features[i].NumPoints < 1000)
            {
                locators[i] = new PackedAreaLocator(features[i]);
                return;
            }
            var locator = new IndexedPointInAreaLocator(features[i]);
            locator.Locate(features[i].EnvelopeInternal.Centre); // builds its index now, not under contention
            locators[i] = locator;
        });
        var result = new int[faces.Count][];
        Parallel.For(0, roots.Count, () => new List<int>(4), (r, _, hits) =>
        {
            int f = roots[r];
            var pt = points[f]!;
            hits.Clear();
            foreach (int i in tree.Query(new Envelope(pt)))
                if (locators[i].Locate(pt) == Location.Interior)
                    hits.Add(i);
            if (hits.Count == 0) { result[f] = None; return hits; }
            hits.Sort();
            result[f] = hits.ToArray();
            return hits;
        }, _ => { });
        for (int f = 0; f < result.Length; f++)
            result[f] ??= result[Find(parent, f)];
        return result;
    }

    /// <summary>Root of a union-find tree, halving paths as it goes.</summary>
    private static int Find(int[] parent, int f)
    {
        while (parent[f] != f)
        {
            parent[f] = parent[parent[f]];
            f = parent[f];
        }
        return f;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        if (ra < rb) parent[rb] = ra;
        else parent[ra] = rb;
    }
}
