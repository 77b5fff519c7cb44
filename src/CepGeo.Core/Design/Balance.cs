using System.Globalization;
using CepGeo.Core.Model;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>
/// <c>design balance</c>: N contiguous perimeters built from whole units (communes, or the zones of one
/// operator), minimising the total misfit against the chosen operators under a population floor.
/// </summary>
/// <remarks>
/// The method, in order:
/// <list type="number">
/// <item>Cost of a perimeter: Σ over the chosen operators of <c>min(S1, S2)</c> of spec §4 (the km² that
/// must change side), computed from the units' overlaps with the zones. Gaps and shares are exact sums of
/// faces; the sliver test on pieces is left out (a piece counts when it reaches minAreaKm2 and minShare).</item>
/// <item>Greedy merge (agglomerative, as in Ward's method): starting from a partition, repeatedly merge
/// the two adjacent perimeters whose union raises the cost least (ties: the smaller population), merging
/// a perimeter below the floor first, until N remain.</item>
/// <item>Floor repair: a perimeter below the floor takes boundary units from neighbours that stay above it.</item>
/// <item>Local improvement: a boundary unit moves to a neighbouring perimeter when that lowers the cost,
/// the perimeter it leaves stays connected and above the floor (passes until nothing improves).</item>
/// <item>Two starts: every unit on its own, and the current cells (each unit to the cell holding most of
/// its area, split into connected parts). Both are measured exactly with <c>Compare</c>; the one with the
/// lower total misfit is kept, so the result never fits worse than a start made of the current cells.</item>
/// </list>
/// Adjacency is a shared boundary (not a point). Units that touch nothing (islands) are linked to the
/// nearest unit so that they can join a perimeter; such a perimeter is contiguous "islands aside".
/// </remarks>
public static class Balance
{
    /// <param name="unitLayer">Mosaic layer the units come from (the weights layer for communes, or an operator's).</param>
    /// <param name="unitIds">Ids to list units by in moves.csv (null: the layer's own ids).</param>
    public static DesignResult Run(AnalysisResult before, int count, double minPop, IReadOnlyList<string> operators,
        int unitLayer, string unitLayerName, IReadOnlyList<string> unitIds, IReadOnlyList<string> unitNames)
    {
        if (count < 1) throw new CepGeoInputException("--count", null, "must be at least 1");
        var ops = operators.Select(k => Snap.OperatorLayer(before, k)).Distinct().ToArray();
        var problem = new Problem(before, unitLayer, ops);
        if (count > problem.UnitCount)
            throw new CepGeoInputException("--count", null, $"{count} perimeters asked but only {problem.UnitCount} units to build them from");

        var starts = new List<(string Name, int[] Assign)>();
        starts.Add(("units", problem.Solve(Enumerable.Range(0, problem.UnitCount).ToArray(), count, minPop)));
        var fromCells = problem.CurrentCellParts();
        if (fromCells.Max() + 1 >= count)
            starts.Add(("current cells", problem.Solve(fromCells, count, minPop)));

        DesignResult? best = null;
        double bestCost = double.PositiveInfinity;
        foreach (var (name, assign) in starts)
        {
            var result = Build(before, problem, assign, operators, minPop, unitLayerName, unitIds, unitNames, name);
            double cost = result.Totals.Where(t => operators.Contains(t.Operator)).Sum(t => t.MisfitKm2After);
            if (cost < bestCost - 1e-9) { best = result; bestCost = cost; }
        }
        return best!;
    }

    private static DesignResult Build(AnalysisResult before, Problem problem, int[] assign, IReadOnlyList<string> operators,
        double minPop, string unitLayerName, IReadOnlyList<string> unitIds, IReadOnlyList<string> unitNames, string start)
    {
        // Perimeters numbered by population (area without weights), largest first; named after their most populous unit.
        int n = assign.Max() + 1;
        var size = new double[n];
        for (int u = 0; u < assign.Length; u++) size[assign[u]] += before.HasWeights ? problem.UnitPop[u] : problem.UnitArea[u];
        var order = Enumerable.Range(0, n).OrderByDescending(r => size[r]).ToArray();
        var rank = new int[n];
        for (int i = 0; i < n; i++) rank[order[i]] = i;
        var ids = Enumerable.Range(1, n).Select(i => "B" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var names = new string[n];
        for (int r = 0; r < n; r++)
        {
            int top = Enumerable.Range(0, assign.Length).Where(u => assign[u] == r)
                .OrderByDescending(u => before.HasWeights ? problem.UnitPop[u] : problem.UnitArea[u]).First();
            names[rank[r]] = unitNames[problem.UnitFeature[top]];
        }
        var facePerimeter = problem.FaceUnit.Select(u => u < 0 ? -1 : rank[assign[u]]).ToArray();
        var faceUnitFeature = problem.FaceUnit.Select(u => u < 0 ? -1 : problem.UnitFeature[u]).ToArray();
        string method = $"Greedy merge of adjacent {unitLayerName} (least rise in total misfit against {string.Join(", ", operators)}"
            + (minPop > 0 ? $", population floor {minPop.ToString("0", CultureInfo.InvariantCulture)}" : "")
            + $"), floor repair, then boundary moves while they lower the misfit; kept start: {start}.";
        return Redraw.Build(before, "balance", method, operators, facePerimeter, ids, names, null,
            new Redraw.Units(unitLayerName, faceUnitFeature, unitIds, unitNames));
    }

    /// <summary>The units, their overlaps with the chosen operators' zones, and the search.</summary>
    private sealed class Problem
    {
        private readonly AnalysisResult _r;
        private readonly int[] _ops;
        private readonly Tolerances _tol;
        private readonly Dictionary<int, double>[][] _unitZone; // [op][unit] zone → km²
        private readonly double[][] _unitGap;                   // [op][unit] km² in no zone
        private readonly double[][] _zoneArea;                  // [op][zone]
        private readonly HashSet<int>[] _adj;

        public Problem(AnalysisResult r, int unitLayer, int[] ops)
        {
            _r = r;
            _ops = ops;
            _tol = r.Study.Tolerances;
            var m = r.Mosaic;
            var cellOf = m.Labels[0];
            var units = m.Labels[unitLayer];
            int features = r.Layers[unitLayer].Features.Count;

            // Units: features with at least half their area inside the current territory.
            var inT = new double[features];
            var all = new double[features];
            for (int f = 0; f < m.FaceCount; f++)
                foreach (int u in units[f]) { all[u] += m.AreaKm2[f]; if (cellOf[f].Length > 0) inT[u] += m.AreaKm2[f]; }
            var keep = Enumerable.Range(0, features).Where(u => all[u] > 0 && inT[u] >= 0.5 * all[u]).ToArray();
            var unitOfFeature = Enumerable.Repeat(-1, features).ToArray();
            for (int i = 0; i < keep.Length; i++) unitOfFeature[keep[i]] = i;
            UnitFeature = keep;
            FaceUnit = new int[m.FaceCount];
            for (int f = 0; f < m.FaceCount; f++)
                FaceUnit[f] = units[f].Select(u => unitOfFeature[u]).Where(u => u >= 0).DefaultIfEmpty(-1).First();
            AttachOrphans(m, cellOf);

            UnitArea = new double[keep.Length];
            UnitPop = new double[keep.Length];
            _unitZone = ops.Select(_ => Enumerable.Range(0, keep.Length).Select(_ => new Dictionary<int, double>()).ToArray()).ToArray();
            _unitGap = ops.Select(_ => new double[keep.Length]).ToArray();
            _zoneArea = ops.Select(k => new double[r.Infos[k].Ids.Count]).ToArray();
            for (int f = 0; f < m.FaceCount; f++)
            {
                double a = m.AreaKm2[f];
                for (int o = 0; o < ops.Length; o++) foreach (int z in m.Labels[ops[o]][f]) _zoneArea[o][z] += a;
                int u = FaceUnit[f];
                if (u < 0) continue;
                UnitArea[u] += a;
                UnitPop[u] += r.FacePop?[f] ?? 0;
                for (int o = 0; o < ops.Length; o++)
                {
                    var zs = m.Labels[ops[o]][f];
                    if (zs.Length == 0) _unitGap[o][u] += a;
                    foreach (int z in zs) { _unitZone[o][u].TryGetValue(z, out var v); _unitZone[o][u][z] = v + a; }
                }
            }
            _adj = Adjacency(m);
        }

        public int UnitCount => UnitFeature.Length;

        public int[] UnitFeature { get; }

        public int[] FaceUnit { get; }

        public double[] UnitArea { get; }

        public double[] UnitPop { get; }

        /// <summary>Faces of the territory in no unit join the unit across their longest shared edge.</summary>
        private void AttachOrphans(Overlay.Mosaic m, int[][] cellOf)
        {
            for (int pass = 0; pass < 50; pass++)
            {
                bool changed = false;
                for (int f = 0; f < m.FaceCount; f++)
                {
                    if (FaceUnit[f] >= 0 || cellOf[f].Length == 0) continue;
                    int best = -1;
                    double bestLen = 0;
                    for (int k = m.AdjacencyStart[f]; k < m.AdjacencyStart[f + 1]; k++)
                    {
                        int o = m.AdjacentFace[k];
                        if (o >= 0 && FaceUnit[o] >= 0 && m.AdjacentLengthKm[k] > bestLen) { best = FaceUnit[o]; bestLen = m.AdjacentLengthKm[k]; }
                    }
                    if (best >= 0) { FaceUnit[f] = best; changed = true; }
                }
                if (!changed) break;
            }
        }

        private HashSet<int>[] Adjacency(Overlay.Mosaic m)
        {
            var adj = Enumerable.Range(0, UnitCount).Select(_ => new HashSet<int>()).ToArray();
            for (int f = 0; f < m.FaceCount; f++)
            {
                int u = FaceUnit[f];
                if (u < 0) continue;
                for (int k = m.AdjacencyStart[f]; k < m.AdjacencyStart[f + 1]; k++)
                {
                    int o = m.AdjacentFace[k];
                    if (o >= 0 && FaceUnit[o] >= 0 && FaceUnit[o] != u) { adj[u].Add(FaceUnit[o]); adj[FaceUnit[o]].Add(u); }
                }
            }
            // Islands: link every part of the unit graph to the nearest unit of the largest part.
            var parts = Parts(Enumerable.Range(0, UnitCount), adj);
            if (parts.Count > 1)
            {
                var centre = Enumerable.Range(0, UnitCount).Select(u => Centre(m, u)).ToArray();
                var main = parts.OrderByDescending(p => p.Count).First();
                foreach (var part in parts.Where(p => p != main))
                {
                    var (a, b) = part.SelectMany(u => main.Select(v => (u, v)))
                        .MinBy(x => centre[x.u].Distance(centre[x.v]));
                    adj[a].Add(b);
                    adj[b].Add(a);
                }
            }
            return adj;
        }

        private NetTopologySuite.Geometries.Coordinate Centre(Overlay.Mosaic m, int u)
        {
            double x = 0, y = 0, a = 0;
            for (int f = 0; f < m.FaceCount; f++)
                if (FaceUnit[f] == u)
                {
                    var c = m.FaceEnvelope(f).Centre;
                    x += c.X * m.AreaKm2[f]; y += c.Y * m.AreaKm2[f]; a += m.AreaKm2[f];
                }
            return a > 0 ? new(x / a, y / a) : new(0, 0);
        }

        private static List<List<int>> Parts(IEnumerable<int> members, HashSet<int>[] adj)
        {
            var set = members.ToHashSet();
            var seen = new HashSet<int>();
            var parts = new List<List<int>>();
            foreach (int s in set.Order())
            {
                if (!seen.Add(s)) continue;
                var part = new List<int>();
                var stack = new Stack<int>([s]);
                while (stack.Count > 0)
                {
                    int u = stack.Pop();
                    part.Add(u);
                    foreach (int v in adj[u]) if (set.Contains(v) && seen.Add(v)) stack.Push(v);
                }
                parts.Add(part);
            }
            return parts;
        }

        /// <summary>Each unit to the current cell holding most of its area, each cell split into connected parts.</summary>
        public int[] CurrentCellParts()
        {
            var m = _r.Mosaic;
            var share = Enumerable.Range(0, UnitCount).Select(_ => new Dictionary<int, double>()).ToArray();
            for (int f = 0; f < m.FaceCount; f++)
                if (FaceUnit[f] >= 0 && m.Labels[0][f].Length > 0)
                {
                    var d = share[FaceUnit[f]];
                    int c = m.Labels[0][f][0];
                    d.TryGetValue(c, out var v);
                    d[c] = v + m.AreaKm2[f];
                }
            var cell = share.Select(d => d.Count == 0 ? -1 : d.MaxBy(kv => kv.Value).Key).ToArray();
            var assign = new int[UnitCount];
            int next = 0;
            foreach (var group in Enumerable.Range(0, UnitCount).GroupBy(u => cell[u]).OrderBy(g => g.Key))
                foreach (var part in Parts(group, _adj))
                {
                    foreach (int u in part) assign[u] = next;
                    next++;
                }
            return assign;
        }

        /// <summary>A perimeter under construction: its units and their sums.</summary>
        private sealed class Region(int ops)
        {
            public HashSet<int> Units { get; } = [];
            public double Area;
            public double Pop;
            public readonly Dictionary<int, double>[] Zone = Enumerable.Range(0, ops).Select(_ => new Dictionary<int, double>()).ToArray();
            public readonly double[] Gap = new double[ops];
        }

        private void Add(Region r, int u, int sign = 1)
        {
            if (sign > 0) r.Units.Add(u); else r.Units.Remove(u);
            r.Area += sign * UnitArea[u];
            r.Pop += sign * UnitPop[u];
            for (int o = 0; o < _ops.Length; o++)
            {
                r.Gap[o] += sign * _unitGap[o][u];
                foreach (var (z, a) in _unitZone[o][u])
                {
                    r.Zone[o].TryGetValue(z, out var v);
                    double w = v + sign * a;
                    if (Math.Abs(w) < 1e-12) r.Zone[o].Remove(z); else r.Zone[o][z] = w;
                }
            }
        }

        /// <summary>Σ over operators of min(S1, S2) in km² (spec §4), for a region or the union of two.</summary>
        private double Cost(Region r, Region? s = null)
        {
            double area = r.Area + (s?.Area ?? 0), total = 0;
            for (int o = 0; o < _ops.Length; o++)
            {
                double s1 = r.Gap[o] + (s?.Gap[o] ?? 0), max = 0;
                foreach (var (z, a0) in r.Zone[o]) Piece(z, a0 + (s is not null && s.Zone[o].TryGetValue(z, out var b) ? b : 0));
                if (s is not null)
                    foreach (var (z, b) in s.Zone[o]) if (!r.Zone[o].ContainsKey(z)) Piece(z, b);
                total += Math.Max(0, Math.Min(s1, area - max));

                void Piece(int z, double a)
                {
                    double za = _zoneArea[o][z];
                    bool sig = a >= _tol.MinAreaKm2 && (a >= _tol.MinShare * area || a >= _tol.MinShare * za);
                    if (!sig) return;
                    s1 += Math.Min(a, za - a);
                    max = Math.Max(max, a);
                }
            }
            return total;
        }

        public int[] Solve(int[] start, int count, double minPop)
        {
            int n = start.Max() + 1;
            var regions = Enumerable.Range(0, n).Select(_ => new Region(_ops.Length)).ToList();
            var assign = (int[])start.Clone();
            for (int u = 0; u < UnitCount; u++) Add(regions[assign[u]], u);
            var alive = Enumerable.Range(0, n).ToHashSet();
            Merge(regions, assign, alive, count, minPop);
            var ids = alive.Order().ToList();
            var compact = regions.Where((_, i) => alive.Contains(i)).ToList();
            for (int u = 0; u < UnitCount; u++) assign[u] = ids.IndexOf(assign[u]);
            Repair(compact, assign, minPop);
            Improve(compact, assign, minPop);
            return assign;
        }

        private HashSet<int> RegionNeighbours(Region r, int[] assign, int self) =>
            r.Units.SelectMany(u => _adj[u]).Select(v => assign[v]).Where(x => x != self).ToHashSet();

        private void Merge(List<Region> regions, int[] assign, HashSet<int> alive, int count, double minPop)
        {
            var delta = new Dictionary<(int, int), double>();
            double Delta(int a, int b) => Cost(regions[a], regions[b]) - Cost(regions[a]) - Cost(regions[b]);
            void Refresh(int a)
            {
                foreach (int b in RegionNeighbours(regions[a], assign, a))
                    delta[(Math.Min(a, b), Math.Max(a, b))] = Delta(a, b);
            }
            foreach (int a in alive) Refresh(a);
            while (alive.Count > count && delta.Count > 0)
            {
                bool anyBelow = alive.Any(a => regions[a].Pop < minPop);
                var pick = delta
                    .Where(kv => !anyBelow || regions[kv.Key.Item1].Pop < minPop || regions[kv.Key.Item2].Pop < minPop)
                    .OrderBy(kv => kv.Value).ThenBy(kv => regions[kv.Key.Item1].Pop + regions[kv.Key.Item2].Pop)
                    .ThenBy(kv => regions[kv.Key.Item1].Area + regions[kv.Key.Item2].Area).ThenBy(kv => kv.Key)
                    .First().Key;
                var (keep, gone) = pick;
                foreach (int u in regions[gone].Units.ToList()) { Add(regions[keep], u); assign[u] = keep; }
                alive.Remove(gone);
                foreach (var key in delta.Keys.Where(k => k.Item1 == gone || k.Item2 == gone || k.Item1 == keep || k.Item2 == keep).ToList())
                    delta.Remove(key);
                Refresh(keep);
            }
        }

        private bool StaysConnected(Region r, int u)
        {
            if (r.Units.Count <= 1) return false;
            var rest = r.Units.Where(v => v != u);
            return Parts(rest, _adj).Count == 1;
        }

        /// <summary>Perimeters below the floor take the cheapest boundary unit from a neighbour that stays above it.</summary>
        private void Repair(List<Region> regions, int[] assign, double minPop)
        {
            if (minPop <= 0) return;
            for (int guard = 0; guard < 10 * UnitCount; guard++)
            {
                int low = Enumerable.Range(0, regions.Count).Where(i => regions[i].Pop < minPop).DefaultIfEmpty(-1).MinBy(i => i < 0 ? 0 : regions[i].Pop);
                if (low < 0) return;
                var options = regions[low].Units.SelectMany(u => _adj[u]).Where(v => assign[v] != low).Distinct()
                    .Where(v => regions[assign[v]].Pop - UnitPop[v] >= minPop && StaysConnected(regions[assign[v]], v))
                    .ToList() // MoveDelta adds and removes units of the regions being enumerated
                    .Select(v => (v, d: MoveDelta(regions, assign, v, low))).ToList();
                if (options.Count == 0) return;
                var (best, _) = options.OrderBy(o => o.d).ThenByDescending(o => UnitPop[o.v]).First();
                Move(regions, assign, best, low);
            }
        }

        private double MoveDelta(List<Region> regions, int[] assign, int u, int to)
        {
            var from = regions[assign[u]];
            var dest = regions[to];
            double before = Cost(from) + Cost(dest);
            Add(from, u, -1); Add(dest, u);
            double after = Cost(from) + Cost(dest);
            Add(dest, u, -1); Add(from, u);
            return after - before;
        }

        private void Move(List<Region> regions, int[] assign, int u, int to)
        {
            Add(regions[assign[u]], u, -1);
            Add(regions[to], u);
            assign[u] = to;
        }

        private void Improve(List<Region> regions, int[] assign, double minPop)
        {
            for (int pass = 0; pass < 30; pass++)
            {
                bool improved = false;
                for (int u = 0; u < UnitCount; u++)
                {
                    int from = assign[u];
                    foreach (int to in _adj[u].Select(v => assign[v]).Where(t => t != from).Distinct().Order().ToList())
                    {
                        var r = regions[from];
                        // Never below the floor, nor further below it: a perimeter the repair could not
                        // lift must not be emptied by the moves (demo, 8 perimeters: one fell to 6 128 people).
                        if (r.Pop - UnitPop[u] < minPop) continue;
                        if (!StaysConnected(r, u)) continue;
                        if (MoveDelta(regions, assign, u, to) < -1e-9)
                        {
                            Move(regions, assign, u, to);
                            improved = true;
                            break;
                        }
                    }
                }
                if (!improved) break;
            }
        }
    }
}
