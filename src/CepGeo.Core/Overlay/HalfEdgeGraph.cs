using System.Runtime.InteropServices;
using CepGeo.Core.Common;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The noded lines as a half-edge graph: edge e is the half-edges 2e (from → to) and 2e + 1
/// (to → from). Dangling edges are pruned (they bound no face) and each node's half-edges sorted by
/// angle, giving for every half-edge the next one around the face on its left (<see cref="Next"/>).
/// </summary>
internal sealed class HalfEdgeGraph
{
    public HalfEdgeGraph(NodedLines lines)
    {
        var index = lines.Index;
        Tagged = lines.Masks is not null;
        (X, Y, From, To) = (index.X, index.Y, index.PairA, index.PairB);
        Tags = lines.Masks ?? [];
        Dead = new bool[From.Count];
        if (lines.Dead is { } dead)
            for (int e = 0; e < Dead.Length; e++) Dead[e] = dead[e];
    }

    public List<double> X { get; }

    public List<double> Y { get; }

    /// <summary>The ends of each edge (points of <see cref="X"/>, <see cref="Y"/>).</summary>
    public List<int> From { get; }

    /// <inheritdoc cref="From"/>
    public List<int> To { get; }

    /// <summary>Each edge's layer bits (empty when <see cref="Tagged"/> is false).</summary>
    public List<ulong> Tags { get; }

    public bool Tagged { get; }

    /// <summary>Edges left out: cut by noding, or dangling.</summary>
    public bool[] Dead { get; }

    /// <summary>For each half-edge, the next one around the face on its left (after <see cref="SortAroundNodes"/>).</summary>
    public int[] Next { get; private set; } = [];

    public int EdgeCount => From.Count;

    public int Origin(int he) => (he & 1) == 0 ? From[he >> 1] : To[he >> 1];

    public int Dest(int he) => (he & 1) == 0 ? To[he >> 1] : From[he >> 1];

    /// <summary>Frees the next-edge table once the faces are traced (national data: tens of MB).</summary>
    public void ReleaseNext() => Next = [];

    /// <summary>Removes edges ending in a node of degree 1 (they bound no face), repeatedly.</summary>
    public void PruneDangles()
    {
        int n = X.Count, m = From.Count;
        var degree = new int[n];
        var incident = new List<int>[n];
        for (int e = 0; e < m; e++)
        {
            if (Dead[e]) continue;
            degree[From[e]]++;
            degree[To[e]]++;
        }
        var stack = new Stack<int>();
        for (int v = 0; v < n; v++) if (degree[v] == 1) stack.Push(v);
        if (stack.Count == 0) return;
        for (int e = 0; e < m; e++)
        {
            if (Dead[e]) continue;
            (incident[From[e]] ??= []).Add(e);
            (incident[To[e]] ??= []).Add(e);
        }
        while (stack.Count > 0)
        {
            int v = stack.Pop();
            if (degree[v] != 1) continue;
            foreach (int e in incident[v])
            {
                if (Dead[e]) continue;
                Dead[e] = true;
                degree[From[e]]--;
                degree[To[e]]--;
                int w = From[e] == v ? To[e] : From[e];
                if (degree[w] == 1) stack.Push(w);
            }
        }
    }

    /// <summary>
    /// Sorts each node's outgoing half-edges counter-clockwise by angle and records, for every
    /// half-edge, the next one around the face on its left: the walks then follow one table.
    /// </summary>
    public void SortAroundNodes()
    {
        int n = X.Count, m = From.Count;
        var from = CollectionsMarshal.AsSpan(From);
        var to = CollectionsMarshal.AsSpan(To);
        var outStart = new int[n + 1];
        for (int e = 0; e < m; e++)
        {
            if (Dead[e]) continue;
            outStart[from[e] + 1]++;
            outStart[to[e] + 1]++;
        }
        for (int v = 0; v < n; v++) outStart[v + 1] += outStart[v];
        // Edges in order: each node's half-edges come in ascending order, as the sort expects.
        var outgoing = new int[outStart[n]];
        var fill = (int[])outStart.Clone();
        for (int e = 0; e < m; e++)
        {
            if (Dead[e]) continue;
            outgoing[fill[from[e]]++] = 2 * e;
            outgoing[fill[to[e]]++] = 2 * e + 1;
        }
        // Most nodes of a polygon mosaic join two edges, whose cyclic order is the only one:
        // only nodes of degree 3 and more are sorted by angle.
        // Each node's half-edges are its own: the nodes are sorted on every core. The face on
        // the left of a half-edge arriving at v goes on along the outgoing half-edge before
        // its twin, clockwise.
        var next = new int[2 * m];
        Parallel.For(0, n, () => new double[8], (v, _, angles) =>
        {
            var span = outgoing.AsSpan(outStart[v], outStart[v + 1] - outStart[v]);
            if (span.Length > 2)
            {
                if (angles.Length < span.Length) angles = new double[2 * span.Length];
                var keys = angles.AsSpan(0, span.Length);
                for (int i = 0; i < span.Length; i++)
                {
                    int b = Dest(span[i]);
                    keys[i] = Math.Atan2(Y[b] - Y[v], X[b] - X[v]);
                }
                keys.Sort(span);
            }
            for (int i = 0; i < span.Length; i++)
                next[span[i] ^ 1] = span[i == 0 ? span.Length - 1 : i - 1];
            return angles;
        }, _ => { });
        Next = next;
    }
}
