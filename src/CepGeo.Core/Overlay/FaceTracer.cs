using System.Runtime.InteropServices;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The cycles of a half-edge graph: each walked once along <see cref="HalfEdgeGraph.Next"/> with its
/// signed area (counter-clockwise: the shell of a bounded face; clockwise: the outer boundary of a
/// connected part, a hole of some face), then its closed ring written into one array of x, y pairs
/// of the exact size.
/// </summary>
internal static class FaceTracer
{
    /// <param name="Starts">Cycle c is the pairs <c>Starts[c] .. Starts[c+1]-1</c> of <paramref name="Coords"/>.</param>
    /// <param name="Coords">x, y pairs of every cycle, each closed (first point repeated).</param>
    /// <param name="Area">Signed area of each cycle, m² (positive: counter-clockwise).</param>
    /// <param name="CycleOf">The cycle of each half-edge (-1 for dead edges).</param>
    public sealed record Cycles(int[] Starts, double[] Coords, double[] Area, int[] CycleOf)
    {
        public int Count => Area.Length;
    }

    public static Cycles Trace(HalfEdgeGraph graph)
    {
        int halfEdges = 2 * graph.EdgeCount;
        var next = graph.Next;
        var dead = graph.Dead;
        var cycleOf = new int[halfEdges];
        Array.Fill(cycleOf, -1);
        // Two walks: the cycles (their half-edges, lengths and areas), then their closed rings
        // written into one array of x, y pairs of the exact size.
        List<int> cycleStart = [0], cycleFirst = [];
        List<double> cycleArea = [];
        var x = CollectionsMarshal.AsSpan(graph.X);
        var y = CollectionsMarshal.AsSpan(graph.Y);
        var from = CollectionsMarshal.AsSpan(graph.From);
        var to = CollectionsMarshal.AsSpan(graph.To);
        for (int he0 = 0; he0 < halfEdges; he0++)
        {
            if (dead[he0 >> 1] || cycleOf[he0] >= 0) continue;
            int id = cycleArea.Count, length = 0;
            int origin = (he0 & 1) == 0 ? from[he0 >> 1] : to[he0 >> 1];
            double ox = x[origin], oy = y[origin], twice = 0;
            int he = he0;
            do
            {
                cycleOf[he] = id;
                int e = he >> 1;
                var (a, b) = (he & 1) == 0 ? (from[e], to[e]) : (to[e], from[e]);
                // Shoelace on coordinates relative to the first vertex: exact enough at 10⁶ m.
                twice += (x[a] - ox) * (y[b] - oy) - (x[b] - ox) * (y[a] - oy);
                length++;
                he = next[he];
            }
            while (he != he0);
            cycleFirst.Add(he0);
            cycleStart.Add(cycleStart[^1] + length + 1);
            cycleArea.Add(twice / 2);
        }
        var starts = cycleStart.ToArray();
        var coords = new double[2 * starts[^1]];
        var (gx, gy) = (graph.X, graph.Y);
        // Each cycle's place in the array is known: the second walk runs on every core.
        Parallel.For(0, cycleFirst.Count, c =>
        {
            int at = 2 * starts[c], he0 = cycleFirst[c], he = he0;
            do
            {
                int a = graph.Origin(he);
                coords[at++] = gx[a];
                coords[at++] = gy[a];
                he = next[he];
            }
            while (he != he0);
            coords[at++] = gx[graph.Origin(he0)];
            coords[at] = gy[graph.Origin(he0)];
        });
        // The walks are done: the next-edge table goes before the next tables of the same size are made.
        graph.ReleaseNext();
        return new Cycles(starts, coords, [.. cycleArea], cycleOf);
    }
}
