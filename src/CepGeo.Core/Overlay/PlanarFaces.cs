using CepGeo.Core.Common;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The faces of a fully noded set of lines: every bounded face with its holes (stored flat, see
/// <see cref="FaceRings"/>), and which face lies across each edge. The stages: the
/// <see cref="HalfEdgeGraph"/>, its cycles (<see cref="FaceTracer"/>), the holes placed in their
/// shells (<see cref="HolePlacer"/>), then the faces' adjacency here. One pass gives what NTS's
/// Polygonizer plus a separate adjacency search gave, at a fraction of the cost on national data.
/// </summary>
internal sealed class PlanarFaces
{
    private PlanarFaces(FaceRings faces, double[] areaM2, Task<(int[] Start, int[] Face, double[] LenKm)> adjacency,
        int[] edgeFaceA, int[] edgeFaceB, ulong[]? edgeMask)
    {
        EdgeFaceA = edgeFaceA;
        EdgeFaceB = edgeFaceB;
        EdgeMask = edgeMask;
        Faces = faces;
        AreaM2 = areaM2;
        _adjacency = adjacency;
    }

    private readonly Task<(int[] Start, int[] Face, double[] LenKm)> _adjacency;

    public FaceRings Faces { get; }

    public double[] AreaM2 { get; }

    /// <summary>
    /// Each face's neighbours (<c>Face[Start[f] .. Start[f + 1]]</c>, ascending) and the length of
    /// boundary shared with each. Made in the background as the faces are returned (labelling
    /// does not need it, and much of it is one pass over every edge); waited for here.
    /// </summary>
    public (int[] Start, int[] Face, double[] LenKm) Adjacency() => _adjacency.GetAwaiter().GetResult();

    /// <summary>For each edge between two different faces (-1: outside), the faces on its sides.</summary>
    public int[] EdgeFaceA { get; }

    /// <inheritdoc cref="EdgeFaceA"/>
    public int[] EdgeFaceB { get; }

    /// <summary>The tags of those edges (OR of the tags of the segments lying on them), or null when none were given.</summary>
    public ulong[]? EdgeMask { get; }

    /// <param name="lines">Points and edges (the index's live pairs): edges meet only at their ends.</param>
    public static PlanarFaces Build(NodedLines lines, GeometryFactory factory)
    {
        var graph = new HalfEdgeGraph(lines);
        graph.PruneDangles();
        graph.SortAroundNodes();
        var cycles = FaceTracer.Trace(graph);
        var placed = HolePlacer.Place(cycles);
        var (shells, holesOf, faceOfCycle, cycleOf) = (placed.Shells, placed.HolesOf, placed.FaceOfCycle, cycles.CycleOf);

        var area = new double[shells.Count];
        var ringStart = new int[shells.Count + 1];
        var ringCycle = new List<int>(cycles.Count);
        for (int f = 0; f < shells.Count; f++)
        {
            area[f] = cycles.Area[shells[f]];
            ringCycle.Add(shells[f]);
            if (holesOf[f] is { } hl)
                foreach (int h in hl)
                {
                    area[f] += cycles.Area[h];
                    ringCycle.Add(h);
                }
            ringStart[f + 1] = ringCycle.Count;
        }
        var faces = new FaceRings(cycles.Coords, cycles.Starts, ringStart, [.. ringCycle], placed.Bounds, factory);

        // Adjacency: the faces on the two sides of every edge, one entry per neighbour (arrays
        // of the exact size: on national data these are millions of entries).
        // Edges in chunks on every core: each chunk counts its sides, then writes them at its offset.
        var (dead, x, y, from, to, tag) = (graph.Dead, graph.X, graph.Y, graph.From, graph.To, graph.Tags);
        bool Between(int e) => !dead[e] && faceOfCycle[cycleOf[2 * e]] != faceOfCycle[cycleOf[2 * e + 1]];
        int m = graph.EdgeCount, chunks = Chunks.For(m);
        var offset = new int[chunks + 1];
        Parallel.For(0, chunks, c =>
        {
            int count = 0;
            for (int e = Chunks.Start(m, c, chunks); e < Chunks.Start(m, c + 1, chunks); e++) if (Between(e)) count++;
            offset[c + 1] = count;
        });
        for (int c = 0; c < chunks; c++) offset[c + 1] += offset[c];
        int sides = offset[chunks];
        var sideA = new int[sides];
        var sideB = new int[sides];
        var sideLen = new double[sides];
        var sideTag = graph.Tagged ? new ulong[sides] : null;
        Parallel.For(0, chunks, c =>
        {
            for (int e = Chunks.Start(m, c, chunks), k = offset[c]; e < Chunks.Start(m, c + 1, chunks); e++)
            {
                if (!Between(e)) continue;
                sideA[k] = faceOfCycle[cycleOf[2 * e]];
                sideB[k] = faceOfCycle[cycleOf[2 * e + 1]];
                if (sideTag is not null) sideTag[k] = tag[e];
                sideLen[k++] = Math.Sqrt(Sq(x[to[e]] - x[from[e]]) + Sq(y[to[e]] - y[from[e]])) / 1000;
            }
        });
        var adjacency = Task.Run(() => Neighbours(shells.Count, sideA, sideB, sideLen));
        return new PlanarFaces(faces, area, adjacency, sideA, sideB, sideTag);
    }

    /// <summary>
    /// Per face, its neighbours in ascending order with the length of border shared with each
    /// (summed in edge order): a counting sort by face, then a sort of each face's few entries.
    /// </summary>
    private static (int[] Start, int[] Face, double[] LenKm) Neighbours(int faces, int[] sideA, int[] sideB, double[] sideLen)
    {
        var start = new int[faces + 1];
        foreach (int f in sideA) if (f >= 0) start[f + 1]++;
        foreach (int f in sideB) if (f >= 0) start[f + 1]++;
        for (int f = 0; f < faces; f++) start[f + 1] += start[f];
        var fill = (int[])start.Clone();
        var key = new long[start[faces]];
        for (int k = 0; k < sideA.Length; k++)
        {
            int a = sideA[k], b = sideB[k];
            // (neighbour, side): unique keys, so the sort keeps the sides' order; the side gives the length.
            if (a >= 0) key[fill[a]++] = ((long)(b + 1) << 32) | (uint)k;
            if (b >= 0) key[fill[b]++] = ((long)(a + 1) << 32) | (uint)k;
        }
        // Each face's keys sorted (mostly a few: insertion sort), its distinct neighbours counted,
        // then written at its offset: all on every core.
        var outStart = new int[faces + 1];
        Parallel.For(0, faces, f =>
        {
            var keys = key.AsSpan(start[f], start[f + 1] - start[f]);
            Chunks.SortShort(keys); // a long boundary (thousands of edges) is sorted otherwise
            int distinct = 0;
            for (int i = 0; i < keys.Length; i++)
                if (i == 0 || keys[i] >> 32 != keys[i - 1] >> 32) distinct++;
            outStart[f + 1] = distinct;
        });
        for (int f = 0; f < faces; f++) outStart[f + 1] += outStart[f];
        var other = new int[outStart[faces]];
        var lens = new double[outStart[faces]];
        Parallel.For(0, faces, f =>
        {
            int k = outStart[f] - 1;
            for (int at = start[f]; at < start[f + 1]; at++)
            {
                int o = (int)(key[at] >> 32) - 1;
                double len = sideLen[(int)(uint)key[at]];
                // A neighbour's sides are summed in edge order (the keys' low half), so the sums do not depend on threads.
                if (k >= outStart[f] && other[k] == o) lens[k] += len;
                else { other[++k] = o; lens[k] = len; }
            }
        });
        return (outStart, other, lens);
    }

    private static double Sq(double v) => v * v;
}
