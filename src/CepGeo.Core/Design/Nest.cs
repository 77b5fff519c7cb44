using System.Globalization;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>
/// <c>design nest</c>: the finest perimeters in which the cells and the chosen operators all nest.
/// Nodes are the cells and the zones of the chosen operators; an edge joins two of them when their
/// overlap is significant (spec §4: slivers never count), cells against zones and zones of one
/// operator against zones of another. Each connected component is one perimeter.
/// </summary>
/// <remarks>
/// A perimeter is the union of its cells plus the parts of its zones outside the territory, so every
/// zone lies wholly inside one perimeter (up to slivers). Zones whose every overlap is a sliver join no
/// perimeter and are listed as dropped. To say what glues the largest component, each of its edges is
/// removed in turn (the graph is small: tens of nodes) and the cells that then leave its largest part
/// are measured: an edge whose removal detaches many people is a boundary worth moving.
/// </remarks>
public static class Nest
{
    public static DesignResult Run(AnalysisResult before, IReadOnlyList<string> operators)
    {
        var layers = new List<int> { 0 };
        layers.AddRange(operators.Select(k => Snap.OperatorLayer(before, k)).Distinct());
        var nodes = new List<(int Layer, int Index)>();
        var nodeOf = new Dictionary<(string Key, string Id), int>();
        foreach (int l in layers)
            for (int i = 0; i < before.Infos[l].Ids.Count; i++)
            {
                nodeOf[(before.Infos[l].Key, before.Infos[l].Ids[i])] = nodes.Count;
                nodes.Add((l, i));
            }
        var chosen = layers.Select(l => before.Infos[l].Key).ToHashSet();
        var edges = before.Comparisons.Concat(before.OperatorPairs)
            .Where(c => chosen.Contains(c.CellLayer) && chosen.Contains(c.Operator))
            .SelectMany(c => c.Pairs).Where(p => p.Significant)
            .Select(p => new Edge(nodeOf[(p.CellLayer, p.CellId)], nodeOf[(p.Operator, p.ZoneId)], p.AreaKm2, p.Pop))
            .ToList();

        var comp = Components(nodes.Count, edges, skip: -1);
        var m = before.Mosaic;
        var cellNode = Enumerable.Range(0, before.Infos[0].Ids.Count).Select(c => nodeOf[(before.Infos[0].Key, before.Infos[0].Ids[c])]).ToArray();
        // Component of each face: its cell's; outside the cells, the component of one of its chosen zones that holds a cell.
        var withCell = cellNode.Select(n => comp[n]).ToHashSet();
        var faceComp = new int[m.FaceCount];
        double Pop(int f) => before.FacePop?[f] ?? 0;
        for (int f = 0; f < m.FaceCount; f++)
        {
            faceComp[f] = -1;
            if (m.Labels[0][f].Length > 0) { faceComp[f] = comp[cellNode[m.Labels[0][f][0]]]; continue; }
            foreach (int l in layers.Skip(1))
                foreach (int z in m.Labels[l][f])
                {
                    int c = comp[nodeOf[(before.Infos[l].Key, before.Infos[l].Ids[z])]];
                    if (faceComp[f] < 0 && withCell.Contains(c)) faceComp[f] = c;
                }
        }

        // Order perimeters by population (area without weights), largest first.
        int nComp = comp.Max() + 1;
        var area = new double[nComp];
        var pop = new double[nComp];
        for (int f = 0; f < m.FaceCount; f++)
            if (faceComp[f] >= 0) { area[faceComp[f]] += m.AreaKm2[f]; pop[faceComp[f]] += Pop(f); }
        var order = Enumerable.Range(0, nComp).Where(withCell.Contains)
            .OrderByDescending(c => before.HasWeights ? pop[c] : area[c]).ThenByDescending(c => area[c]).ToList();
        var rank = Enumerable.Repeat(-1, nComp).ToArray();
        for (int i = 0; i < order.Count; i++) rank[order[i]] = i;
        var facePerimeter = faceComp.Select(c => c < 0 ? -1 : rank[c]).ToArray();

        string Key(int n) => before.Infos[nodes[n].Layer].Key;
        string Id(int n) => before.Infos[nodes[n].Layer].Ids[nodes[n].Index];
        string Name(int n) => before.Infos[nodes[n].Layer].Names[nodes[n].Index];
        var ids = order.Select((_, i) => "N" + (i + 1).ToString(CultureInfo.InvariantCulture)).ToArray();
        var components = order.Select((c, i) => new NestComponent(ids[i],
            cellNode.Where(n => comp[n] == c).Select(Id).ToList(),
            Enumerable.Range(0, nodes.Count).Where(n => nodes[n].Layer != 0 && comp[n] == c).Select(n => Key(n) + ":" + Id(n)).ToList(),
            area[c], before.HasWeights ? pop[c] : null)).ToList();
        var names = order.Select((c, i) =>
        {
            var cells = cellNode.Where(n => comp[n] == c).OrderByDescending(n => CellPop(before, nodes[n].Index)).ToList();
            return cells.Count == 1 ? Name(cells[0]) : $"{Name(cells[0])} + {cells.Count - 1}";
        }).ToArray();
        var dropped = Enumerable.Range(0, nodes.Count).Where(n => !withCell.Contains(comp[n])).Select(n => Key(n) + ":" + Id(n)).ToList();

        double totalA = area.Sum(), totalP = pop.Sum();
        int giant = order.Count > 0 ? order[0] : -1;
        var glue = giant < 0 ? [] : Glue(before, nodes, edges, comp, giant, cellNode, Key, Id, Name);
        var report = new NestReport(components, glue,
            giant < 0 || totalA <= 0 ? 0 : area[giant] / totalA,
            before.HasWeights && giant >= 0 && totalP > 0 ? pop[giant] / totalP : null, dropped);

        var units = new Redraw.Units("cells", m.Labels[0].Select(l => l.Length > 0 ? l[0] : -1).ToArray(),
            before.Infos[0].Ids, before.Infos[0].Names);
        string method = "Connected components of the graph whose nodes are the cells and the zones of "
            + string.Join(", ", operators) + " and whose edges are their significant overlaps (slivers ignored).";
        return Redraw.Build(before, "nest", method, operators, facePerimeter, ids, names, null, units, nest: report);
    }

    private static double CellPop(AnalysisResult r, int c) =>
        r.Comparisons.Count > 0 ? r.Comparisons[0].Cells[c].Pop ?? r.Comparisons[0].Cells[c].AreaKm2 : 0;

    private sealed record Edge(int A, int B, double AreaKm2, double? Pop);

    /// <summary>Component index of each node (union-find), ignoring edge <paramref name="skip"/>; numbered 0.. in node order.</summary>
    private static int[] Components(int n, List<Edge> edges, int skip, Func<int, bool>? include = null)
    {
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        for (int e = 0; e < edges.Count; e++)
        {
            if (e == skip) continue;
            if (include is not null && (!include(edges[e].A) || !include(edges[e].B))) continue;
            int a = Find(edges[e].A), b = Find(edges[e].B);
            if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
        }
        var label = new Dictionary<int, int>();
        var comp = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = Find(i);
            if (!label.TryGetValue(r, out int c)) label[r] = c = label.Count;
            comp[i] = c;
        }
        return comp;
    }

    private static List<GlueEdge> Glue(AnalysisResult before, List<(int Layer, int Index)> nodes, List<Edge> edges, int[] comp,
        int giant, int[] cellNode, Func<int, string> key, Func<int, string> id, Func<int, string> name)
    {
        bool InGiant(int n) => comp[n] == giant;
        var cellA = new double[nodes.Count];
        var cellP = new double[nodes.Count];
        var isCell = new bool[nodes.Count];
        for (int c = 0; c < cellNode.Length; c++)
        {
            var row = before.Comparisons.Count > 0 ? before.Comparisons[0].Cells[c] : null;
            isCell[cellNode[c]] = true;
            cellA[cellNode[c]] = row?.AreaKm2 ?? 0;
            cellP[cellNode[c]] = row?.Pop ?? 0;
        }
        var result = new List<GlueEdge>();
        for (int e = 0; e < edges.Count; e++)
        {
            if (!InGiant(edges[e].A)) continue;
            var split = Components(nodes.Count, edges, e, InGiant);
            var parts = Enumerable.Range(0, nodes.Count).Where(InGiant).GroupBy(n => split[n]).ToList();
            // The largest part keeps the component's name; the others are detached.
            var main = parts.OrderByDescending(g => g.Sum(n => before.HasWeights ? cellP[n] : cellA[n])).ThenByDescending(g => g.Count()).First();
            var detached = parts.Where(g => g.Key != main.Key).SelectMany(g => g).Where(n => isCell[n]).ToList();
            int a = edges[e].A, b = edges[e].B;
            result.Add(new GlueEdge(key(a), id(a), name(a), key(b), id(b), name(b), edges[e].AreaKm2, edges[e].Pop,
                parts.Count, detached.Count, detached.Sum(n => cellA[n]), before.HasWeights ? detached.Sum(n => cellP[n]) : null));
        }
        return result
            .OrderByDescending(g => before.HasWeights ? g.DetachedPop : g.DetachedAreaKm2)
            .ThenBy(g => before.HasWeights ? g.Pop : g.AreaKm2)
            .ThenBy(g => g.LayerA, StringComparer.Ordinal).ThenBy(g => g.IdA, StringComparer.Ordinal).ThenBy(g => g.IdB, StringComparer.Ordinal)
            .ToList();
    }
}
