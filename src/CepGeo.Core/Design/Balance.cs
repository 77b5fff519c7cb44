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
/// The search is incremental: a perimeter under construction keeps the sums of its units' overlaps
/// (precomputed unit × zone areas), so a merge or a move re-sums only the two perimeters it touches; the
/// candidate merges wait in an ordered set (only those of the perimeter a merge made are re-costed); a
/// move's connectivity test walks the perimeter from the moved unit's neighbours and stops as soon as they
/// are all reached. Only the final proposal is measured exactly (<see cref="Redraw"/>, as <c>analyze</c>
/// and <c>plan score</c> measure), once per start.
/// Adjacency is a shared boundary (not a point). Units that touch nothing (islands) are linked to the
/// nearest unit so that they can join a perimeter; such a perimeter is contiguous "islands aside".
/// </remarks>
public static class Balance
{
    /// <param name="unitLayer">Mosaic layer the units come from (the weights layer for communes, or an operator's).</param>
    /// <param name="unitIds">Ids to list units by in moves.csv (null: the layer's own ids).</param>
    /// <param name="progress">Told where the search is (every few hundred merges, each repair move, each pass
    /// of boundary moves, each exact measure), on the calling thread.</param>
    /// <param name="cancellationToken">Checked at every merge, move and unit of a pass: cancelling throws
    /// <see cref="OperationCanceledException"/> within a fraction of a second, and nothing is returned.</param>
    public static DesignResult Run(AnalysisResult before, int count, double minPop, IReadOnlyList<string> operators,
        int unitLayer, string unitLayerName, IReadOnlyList<string> unitIds, IReadOnlyList<string> unitNames,
        IProgress<BalanceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (count < 1) throw new CepGeoInputException("--count", null, new Phrase("doit valoir au moins 1", "must be at least 1"));
        var ops = operators.Select(k => Snap.OperatorLayer(before, k)).Distinct().ToArray();
        var problem = new Problem(before, unitLayer, ops, cancellationToken);
        if (count > problem.UnitCount)
            throw new CepGeoInputException("--count", null, new Phrase($"{count} périmètres demandés mais seulement {problem.UnitCount} unités pour les construire",
                $"{count} perimeters asked but only {problem.UnitCount} units to build them from"));

        var fromCells = problem.CurrentCellParts();
        bool twoStarts = fromCells.Max() + 1 >= count;
        int starts = twoStarts ? 2 : 1;
        var solved = new List<(string Name, int[] Assign)>
        {
            ("units", problem.Solve(Enumerable.Range(0, problem.UnitCount).ToArray(), count, minPop,
                new Reporter(progress, BalanceStart.Units, starts, count), cancellationToken)),
        };
        if (twoStarts)
            solved.Add(("current cells", problem.Solve(fromCells, count, minPop,
                new Reporter(progress, BalanceStart.CurrentCells, starts, count), cancellationToken)));

        // Each start measured exactly on the chosen operators (Compare, as analyze); only the better is drawn.
        int best = 0;
        if (solved.Count > 1)
        {
            double bestCost = double.PositiveInfinity;
            for (int i = 0; i < solved.Count; i++)
            {
                progress?.Report(new BalanceProgress(i == 0 ? BalanceStart.Units : BalanceStart.CurrentCells, BalanceStage.Measure, count, count, 0, 0, starts));
                var (facePerimeter, ids, names) = Layout(before, problem, solved[i].Assign, unitNames);
                double cost = Redraw.MisfitKm2(before, "balance", facePerimeter, ids, names, operators, cancellationToken);
                if (cost < bestCost - 1e-9) { best = i; bestCost = cost; }
            }
        }
        progress?.Report(new BalanceProgress(best == 0 ? BalanceStart.Units : BalanceStart.CurrentCells, BalanceStage.Draw, count, count, 0, 0, starts));
        return Build(before, problem, solved[best].Assign, operators, minPop, unitLayerName, unitIds, unitNames, solved[best].Name, cancellationToken);
    }

    /// <summary>Perimeters numbered by population (area without weights), largest first; named after their most populous unit.</summary>
    private static (int[] FacePerimeter, string[] Ids, string[] Names) Layout(AnalysisResult before, Problem problem, int[] assign, IReadOnlyList<string> unitNames)
    {
        int n = assign.Max() + 1;
        var size = new double[n];
        for (int u = 0; u < assign.Length; u++) size[assign[u]] += before.HasWeights ? problem.UnitPop[u] : problem.UnitArea[u];
        var order = Enumerable.Range(0, n).OrderByDescending(r => size[r]).ToArray();
        var rank = new int[n];
        for (int i = 0; i < n; i++) rank[order[i]] = i;
        var ids = Enumerable.Range(1, n).Select(i => "B" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        // The first unit (in unit order) of the largest population of its perimeter.
        var top = Enumerable.Repeat(-1, n).ToArray();
        for (int u = 0; u < assign.Length; u++)
        {
            int r = assign[u];
            if (top[r] < 0 || Size(u) > Size(top[r])) top[r] = u;
        }
        var names = new string[n];
        for (int r = 0; r < n; r++) names[rank[r]] = unitNames[problem.UnitFeature[top[r]]];
        var facePerimeter = problem.FaceUnit.Select(u => u < 0 ? -1 : rank[assign[u]]).ToArray();
        return (facePerimeter, ids, names);

        double Size(int u) => before.HasWeights ? problem.UnitPop[u] : problem.UnitArea[u];
    }

    private static DesignResult Build(AnalysisResult before, Problem problem, int[] assign, IReadOnlyList<string> operators,
        double minPop, string unitLayerName, IReadOnlyList<string> unitIds, IReadOnlyList<string> unitNames, string start,
        CancellationToken cancel)
    {
        var (facePerimeter, ids, names) = Layout(before, problem, assign, unitNames);
        var faceUnitFeature = problem.FaceUnit.Select(u => u < 0 ? -1 : problem.UnitFeature[u]).ToArray();
        string method = $"Greedy merge of adjacent {unitLayerName} (least rise in total misfit against {string.Join(", ", operators)}"
            + (minPop > 0 ? $", population floor {minPop.ToString("0", CultureInfo.InvariantCulture)}" : "")
            + $"), floor repair, then boundary moves while they lower the misfit; kept start: {start}.";
        return Redraw.Build(before, "balance", method, operators, facePerimeter, ids, names, null,
            new Redraw.Units(unitLayerName, faceUnitFeature, unitIds, unitNames), cancel: cancel);
    }

    /// <summary>Turns the search's events into <see cref="BalanceProgress"/> reports for one start.</summary>
    private sealed class Reporter(IProgress<BalanceProgress>? progress, BalanceStart start, int starts, int target)
    {
        public void Report(BalanceStage stage, int perimeters, int pass = 0, int moves = 0) =>
            progress?.Report(new BalanceProgress(start, stage, perimeters, target, pass, moves, starts));
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

        public Problem(AnalysisResult r, int unitLayer, int[] ops, CancellationToken cancel)
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
            {
                FaceUnit[f] = -1; // the first of its features that is a unit
                foreach (int u in units[f]) if (unitOfFeature[u] >= 0) { FaceUnit[f] = unitOfFeature[u]; break; }
            }
            cancel.ThrowIfCancellationRequested();
            AttachOrphans(m, cellOf);
            cancel.ThrowIfCancellationRequested();

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
            cancel.ThrowIfCancellationRequested();
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
                var centre = Centres(m);
                var main = parts.OrderByDescending(p => p.Count).First();
                foreach (var part in parts.Where(p => p != main))
                {
                    // The closest pair of centres (the first such pair in part × main order).
                    int a = -1, b = -1;
                    double best = double.PositiveInfinity;
                    foreach (int u in part)
                        foreach (int v in main)
                        {
                            double d = centre[u].Distance(centre[v]);
                            if (d < best) { best = d; a = u; b = v; }
                        }
                    adj[a].Add(b);
                    adj[b].Add(a);
                }
            }
            return adj;
        }

        /// <summary>Each unit's centre: its faces' envelope centres weighted by area, in one pass over the faces.</summary>
        private NetTopologySuite.Geometries.Coordinate[] Centres(Overlay.Mosaic m)
        {
            var x = new double[UnitCount];
            var y = new double[UnitCount];
            var a = new double[UnitCount];
            for (int f = 0; f < m.FaceCount; f++)
            {
                int u = FaceUnit[f];
                if (u < 0) continue;
                var c = m.FaceEnvelope(f).Centre;
                x[u] += c.X * m.AreaKm2[f]; y[u] += c.Y * m.AreaKm2[f]; a[u] += m.AreaKm2[f];
            }
            return Enumerable.Range(0, UnitCount).Select(u => a[u] > 0 ? new NetTopologySuite.Geometries.Coordinate(x[u] / a[u], y[u] / a[u]) : new(0, 0)).ToArray();
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

        /// <summary>
        /// A candidate merge, in the order the greedy takes them: least rise in cost, then the smaller
        /// population, the smaller area, the lower pair of region numbers.
        /// </summary>
        private readonly record struct Pair(double Delta, double Pop, double Area, int A, int B) : IComparable<Pair>
        {
            public int CompareTo(Pair other)
            {
                int c = Delta.CompareTo(other.Delta);
                if (c == 0) c = Pop.CompareTo(other.Pop);
                if (c == 0) c = Area.CompareTo(other.Area);
                if (c == 0) c = A.CompareTo(other.A);
                return c != 0 ? c : B.CompareTo(other.B);
            }
        }

        /// <summary>One search from one start: the regions, every unit's region, and a scratch mark for walks.</summary>
        private sealed class Search(Problem p, int regions, int[] assign, Reporter report, CancellationToken cancel)
        {
            public readonly List<Region> Regions = Enumerable.Range(0, regions).Select(_ => new Region(p._ops.Length)).ToList();
            public readonly int[] Assign = assign;
            public readonly Reporter Report = report;
            public readonly CancellationToken Cancel = cancel;
            private readonly int[] _mark = new int[p.UnitCount];
            private readonly Stack<int> _stack = new();
            private int _stamp;

            /// <summary>
            /// Whether region <paramref name="region"/> stays in one part without unit <paramref name="u"/>.
            /// Every region is connected (a start's parts are, a merge joins neighbours, a move goes to a
            /// neighbour and keeps the region it leaves connected), so it does exactly when <paramref name="u"/>'s
            /// neighbours in the region are still joined: a walk from one of them stops as soon as it has met them all.
            /// </summary>
            public bool StaysConnected(int region, int u)
            {
                if (Regions[region].Units.Count <= 1) return false;
                int first = -1, need = 0;
                if (++_stamp == int.MaxValue) { Array.Clear(_mark); _stamp = 1; }
                int seek = _stamp;
                // Neighbours still to meet carry -seek; met units carry seek; u is never entered.
                foreach (int v in p._adj[u])
                    if (Assign[v] == region) { _mark[v] = -seek; need++; if (first < 0) first = v; }
                if (need == 0) return false;
                if (need == 1) return true;
                _mark[u] = seek;
                _mark[first] = seek;
                need--;
                _stack.Clear();
                _stack.Push(first);
                while (_stack.Count > 0)
                {
                    int x = _stack.Pop();
                    foreach (int v in p._adj[x])
                    {
                        if (Assign[v] != region || _mark[v] == seek) continue;
                        if (_mark[v] == -seek && --need == 0) return true;
                        _mark[v] = seek;
                        _stack.Push(v);
                    }
                }
                return false;
            }
        }

        public int[] Solve(int[] start, int count, double minPop, Reporter report, CancellationToken cancel)
        {
            int n = start.Max() + 1;
            var s = new Search(this, n, (int[])start.Clone(), report, cancel);
            var assign = s.Assign;
            for (int u = 0; u < UnitCount; u++) Add(s.Regions[assign[u]], u);
            var alive = Merge(s, n, count, minPop);
            var renumber = Enumerable.Repeat(-1, n).ToArray();
            var compact = new List<Region>();
            for (int r = 0; r < n; r++)
                if (alive[r]) { renumber[r] = compact.Count; compact.Add(s.Regions[r]); }
            s.Regions.Clear();
            s.Regions.AddRange(compact);
            for (int u = 0; u < UnitCount; u++) assign[u] = renumber[assign[u]];
            Repair(s, minPop);
            Improve(s, minPop);
            return assign;
        }

        /// <summary>
        /// Merges the cheapest adjacent pair until <paramref name="count"/> regions remain (a region below the
        /// floor takes part in every merge while one exists). Only the merged region's pairs are re-costed; the
        /// others wait in ordered sets (all pairs, and pairs with a region below the floor).
        /// </summary>
        private bool[] Merge(Search s, int n, int count, double minPop)
        {
            var regions = s.Regions;
            var assign = s.Assign;
            var nb = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
            for (int u = 0; u < UnitCount; u++)
                foreach (int v in _adj[u]) if (assign[v] != assign[u]) nb[assign[u]].Add(assign[v]);
            var all = new SortedSet<Pair>();
            var low = new SortedSet<Pair>();
            var at = new Dictionary<(int, int), Pair>();
            bool Below(int r) => regions[r].Pop < minPop;
            void Put(int a, int b)
            {
                double d = Cost(regions[a], regions[b]) - Cost(regions[a]) - Cost(regions[b]);
                int x = Math.Min(a, b), y = Math.Max(a, b);
                var pair = new Pair(d, regions[x].Pop + regions[y].Pop, regions[x].Area + regions[y].Area, x, y);
                at[(x, y)] = pair;
                all.Add(pair);
                if (Below(x) || Below(y)) low.Add(pair);
            }
            void Drop(int a, int b)
            {
                if (!at.Remove((Math.Min(a, b), Math.Max(a, b)), out var pair)) return;
                all.Remove(pair);
                low.Remove(pair);
            }
            // Costed from the higher-numbered region of each pair, as every pair was first costed.
            for (int a = 0; a < n; a++)
                foreach (int b in nb[a]) if (b < a) Put(a, b);
            int below = Enumerable.Range(0, n).Count(Below);
            int alive = n;
            var live = Enumerable.Repeat(true, n).ToArray();
            s.Report.Report(BalanceStage.Merge, alive);
            while (alive > count && at.Count > 0)
            {
                s.Cancel.ThrowIfCancellationRequested();
                var from = below > 0 ? low : all;
                if (from.Count == 0) throw new InvalidOperationException("a region below the floor has no neighbour to merge with");
                var pick = from.Min;
                int keep = pick.A, gone = pick.B;
                if (Below(keep)) below--;
                if (Below(gone)) below--;
                foreach (int u in regions[gone].Units.ToList()) { Add(regions[keep], u); assign[u] = keep; }
                live[gone] = false;
                alive--;
                foreach (int x in nb[keep]) Drop(keep, x);
                foreach (int x in nb[gone]) Drop(gone, x);
                foreach (int x in nb[gone])
                {
                    nb[x].Remove(gone);
                    if (x == keep) continue;
                    nb[x].Add(keep);
                    nb[keep].Add(x);
                }
                nb[keep].Remove(gone);
                nb[gone].Clear();
                if (Below(keep)) below++;
                foreach (int b in nb[keep]) Put(keep, b);
                if (alive % 256 == 0) s.Report.Report(BalanceStage.Merge, alive);
            }
            s.Report.Report(BalanceStage.Merge, alive);
            return live;
        }

        /// <summary>Perimeters below the floor take the cheapest boundary unit from a neighbour that stays above it.</summary>
        private void Repair(Search s, double minPop)
        {
            if (minPop <= 0) return;
            var regions = s.Regions;
            var assign = s.Assign;
            for (int guard = 0; guard < 10 * UnitCount; guard++)
            {
                s.Cancel.ThrowIfCancellationRequested();
                int low = Enumerable.Range(0, regions.Count).Where(i => regions[i].Pop < minPop).DefaultIfEmpty(-1).MinBy(i => i < 0 ? 0 : regions[i].Pop);
                if (low < 0) return;
                s.Report.Report(BalanceStage.Repair, regions.Count, moves: guard);
                var options = regions[low].Units.SelectMany(u => _adj[u]).Where(v => assign[v] != low).Distinct()
                    .Where(v => regions[assign[v]].Pop - UnitPop[v] >= minPop && s.StaysConnected(assign[v], v))
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

        /// <summary>A boundary unit moves to the first neighbouring region (lowest number) where the cost falls; passes until one moves nothing (at most 30).</summary>
        private void Improve(Search s, double minPop)
        {
            var regions = s.Regions;
            var assign = s.Assign;
            var targets = new List<int>();
            int moves = 0;
            for (int pass = 0; pass < 30; pass++)
            {
                s.Report.Report(BalanceStage.Improve, regions.Count, pass + 1, moves);
                bool improved = false;
                for (int u = 0; u < UnitCount; u++)
                {
                    if ((u & 255) == 0) s.Cancel.ThrowIfCancellationRequested();
                    int from = assign[u];
                    targets.Clear();
                    foreach (int v in _adj[u]) if (assign[v] != from && !targets.Contains(assign[v])) targets.Add(assign[v]);
                    if (targets.Count == 0) continue;
                    targets.Sort();
                    var r = regions[from];
                    // Never below the floor, nor further below it: a perimeter the repair could not
                    // lift must not be emptied by the moves (demo, 8 perimeters: one fell to 6 128 people).
                    if (r.Pop - UnitPop[u] < minPop) continue;
                    if (!s.StaysConnected(from, u)) continue;
                    foreach (int to in targets)
                    {
                        if (MoveDelta(regions, assign, u, to) < -1e-9)
                        {
                            Move(regions, assign, u, to);
                            improved = true;
                            moves++;
                            break;
                        }
                    }
                }
                if (!improved) break;
            }
        }
    }
}

/// <summary>Which start of <c>design balance</c> is being searched.</summary>
public enum BalanceStart
{
    /// <summary>Every unit alone.</summary>
    Units,

    /// <summary>The current cells (each unit to the cell holding most of it, split into connected parts).</summary>
    CurrentCells,
}

/// <summary>The stages of one <c>design balance</c> run, in order.</summary>
public enum BalanceStage
{
    /// <summary>Greedy merge of adjacent perimeters.</summary>
    Merge,

    /// <summary>Perimeters below the floor take units from their neighbours.</summary>
    Repair,

    /// <summary>Passes of boundary moves.</summary>
    Improve,

    /// <summary>A start's result measured exactly (to choose between the two starts).</summary>
    Measure,

    /// <summary>The kept result measured and drawn (perimeters dissolved, moves listed).</summary>
    Draw,
}

/// <summary>Where a <c>design balance</c> run is (for a progress line; no wording here, the console words it).</summary>
/// <param name="Perimeters">Perimeters left (during the merge: it falls to <paramref name="Target"/>).</param>
/// <param name="Target">The count asked.</param>
/// <param name="Pass">The pass of boundary moves (from 1), else 0.</param>
/// <param name="Moves">Units moved so far in this stage (repair, boundary moves).</param>
/// <param name="Starts">How many starts the run searches (1 or 2).</param>
public sealed record BalanceProgress(BalanceStart Start, BalanceStage Stage, int Perimeters, int Target, int Pass, int Moves, int Starts);
