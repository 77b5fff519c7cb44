using System.Globalization;
using CepGeo.Core.Common;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>One operator's totals over a plan's perimeters (those holding units), as the summary defines them.</summary>
public sealed record PlanTotals(
    string Operator, double Alignment, double? PopAlignment, double MisfitKm2, double? PopMisfit,
    double PartnersMean, int PartnersMax, double CoterminousPct, double AlignedPct, double GapKm2);

/// <summary>What an edit did.</summary>
/// <param name="Moved">Units that changed perimeter.</param>
/// <param name="Refused">Units left where they were because their perimeter is locked.</param>
/// <param name="Touched">Perimeters re-measured.</param>
public sealed record PlanEdit(IReadOnlyList<int> Moved, IReadOnlyList<int> Refused, IReadOnlyList<int> Touched);

/// <summary>
/// A plan being edited unit by unit, every perimeter's score kept current. What does not change is made
/// once: each unit's faces of the one overlay, each zone's faces, area and population. An edit relabels the
/// moved units' faces and re-measures only the perimeters it touches, with the very sums
/// <see cref="Compare"/> makes (<see cref="Compare.RunCells"/>), so the numbers equal <see cref="PlanScore.Score"/>
/// of the same plan. Not thread-safe: one editor at a time.
/// </summary>
public sealed class PlanScorer
{
    private static readonly int[] NoLabel = [];

    private readonly AnalysisResult _today;
    private readonly PlanUnits _units;
    private readonly Dictionary<string, int> _cellIndex;
    private readonly int[][] _labels;
    private readonly int[] _unitP;
    private readonly List<string> _ids = [], _names = [];
    private readonly List<int[]> _one = [];
    private readonly List<HashSet<int>> _members = [];
    private readonly List<bool> _locked = [];
    private readonly List<CellMetric?[]> _rows = [];
    private readonly List<PairMetric[][]> _pairs = [];
    private readonly List<PerimeterRow> _facts = [];
    private readonly (int Layer, LayerInfo Info, Csr Zones, double[] Area, double[] Pop)[] _ops;
    private readonly Stack<(int[] Units, int[] From, int To)> _undo = new(), _redo = new();

    public PlanScorer(AnalysisResult today, PlanUnits units, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(today);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(plan);
        _today = today;
        _units = units;
        _cellIndex = PlanScore.CellIndex(today);
        var m = today.Mosaic;
        _ops = new (int, LayerInfo, Csr, double[], double[])[today.Comparisons.Count];
        for (int k = 0; k < _ops.Length; k++)
        {
            var zones = FaceIndex.ZoneFaces(m.Labels[k + 1], today.Infos[k + 1].Ids.Count);
            _ops[k] = (k + 1, today.Infos[k + 1], zones, zones.Sum(f => m.AreaKm2[f]), zones.Sum(f => today.FacePop?[f] ?? 0));
        }
        _labels = new int[m.FaceCount][];
        Array.Fill(_labels, NoLabel);
        _unitP = Enumerable.Repeat(-1, units.Count).ToArray();
        for (int p = 0; p < plan.PerimeterIds.Count; p++) NewPerimeter(plan.PerimeterIds[p], plan.PerimeterNames[p]);
        for (int u = 0; u < units.Count; u++) if (plan.UnitPerimeter[u] >= 0) Put(u, plan.UnitPerimeter[u]);
        Measure(Enumerable.Range(0, _ids.Count).ToList());
    }

    public AnalysisResult Today => _today;

    public PlanUnits Units => _units;

    /// <summary>How many perimeters, empty ones included (a perimeter emptied by an edit stays, to be refilled).</summary>
    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    public IReadOnlyList<string> Names => _names;

    public bool IsLocked(int p) => _locked[p];

    public int PerimeterOf(int unit) => _unitP[unit];

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Perimeter <paramref name="p"/> against operator <paramref name="op"/> (0-based, study order); null while it holds no unit.</summary>
    public CellMetric? Row(int op, int p) => _rows[p][op];

    /// <summary>Its pairs with the operator's zones (rows of pairs.csv).</summary>
    public IReadOnlyList<PairMetric> Pairs(int op, int p) => _pairs[p][op];

    public PerimeterRow Facts(int p) => _facts[p];

    public int IndexOf(string perimeterId) => _ids.IndexOf(perimeterId);

    /// <summary>The plan as it stands (perimeters that hold no unit are left out).</summary>
    public Plan Current()
    {
        var keep = Enumerable.Range(0, Count).Where(p => _members[p].Count > 0).ToArray();
        var renumber = Enumerable.Repeat(-1, Count).ToArray();
        for (int i = 0; i < keep.Length; i++) renumber[keep[i]] = i;
        return new Plan(keep.Select(p => _ids[p]).ToList(), keep.Select(p => _names[p]).ToList(),
            _unitP.Select(p => p < 0 ? -1 : renumber[p]).ToArray());
    }

    /// <summary>A new, empty perimeter; its id is <paramref name="id"/> or the first free <c>P1</c>, <c>P2</c>…</summary>
    public int AddPerimeter(string? id = null, string? name = null)
    {
        if (id is not null && _ids.Contains(id)) throw new ArgumentException($"perimeter \"{id}\" exists already", nameof(id));
        for (int i = 1; id is null; i++)
        {
            string candidate = "P" + i.ToString(CultureInfo.InvariantCulture);
            if (!_ids.Contains(candidate)) id = candidate;
        }
        int p = NewPerimeter(id, name ?? id);
        Measure([p]);
        return p;
    }

    public void SetLocked(int p, bool locked) => _locked[p] = locked;

    /// <summary>
    /// Gives the units to perimeter <paramref name="to"/> (or to none with -1). Units of a locked perimeter
    /// stay (listed as refused); nothing moves into a locked perimeter.
    /// </summary>
    public PlanEdit Assign(IEnumerable<int> units, int to)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (to >= 0 && _locked[to])
            return new PlanEdit([], units.Distinct().ToList(), []);
        List<int> moved = [], refused = [], from = [];
        foreach (int u in units.Distinct())
        {
            int p = _unitP[u];
            if (p == to) continue;
            if (p >= 0 && _locked[p]) { refused.Add(u); continue; }
            moved.Add(u);
            from.Add(p);
        }
        if (moved.Count == 0) return new PlanEdit([], refused, []);
        _undo.Push(([.. moved], [.. from], to));
        _redo.Clear();
        return new PlanEdit(moved, refused, Move(moved, from.Select(_ => to).ToList()));
    }

    /// <summary>Takes the last edit back; false when there is none, or when it would change a locked perimeter.</summary>
    public bool Undo()
    {
        if (_undo.Count == 0) return false;
        var (units, from, to) = _undo.Peek();
        if ((to >= 0 && _locked[to]) || from.Any(p => p >= 0 && _locked[p])) return false;
        _undo.Pop();
        Move(units, from);
        _redo.Push((units, from, to));
        return true;
    }

    /// <summary>Makes the last undone edit again; false when there is none, or when it would change a locked perimeter.</summary>
    public bool Redo()
    {
        if (_redo.Count == 0) return false;
        var (units, from, to) = _redo.Peek();
        if ((to >= 0 && _locked[to]) || from.Any(p => p >= 0 && _locked[p])) return false;
        _redo.Pop();
        Move(units, units.Select(_ => to).ToList());
        _undo.Push((units, from, to));
        return true;
    }

    /// <summary>Operator <paramref name="op"/>'s totals over the perimeters that hold units (in the summary's definitions).</summary>
    public PlanTotals Totals(int op)
    {
        double totalA = 0, totalP = 0, misA = 0, misP = 0, gap = 0, partners = 0;
        int n = 0, max = 0, cot = 0, ali = 0;
        for (int p = 0; p < Count; p++)
        {
            if (_rows[p][op] is not CellMetric c) continue;
            n++;
            totalA += c.AreaKm2;
            totalP += c.Pop ?? 0;
            misA += c.Misfit * c.AreaKm2;
            misP += (c.PopMisfit ?? 0) * (c.Pop ?? 0);
            gap += c.GapKm2;
            partners += c.Partners;
            max = Math.Max(max, c.Partners);
            if (c.Coterminous) cot++;
            if (c.Aligned) ali++;
        }
        bool pop = _today.HasWeights;
        return new PlanTotals(_ops[op].Info.Key, 1 - (totalA > 0 ? misA / totalA : 0),
            pop && totalP > 0 ? 1 - misP / totalP : null, misA, pop ? misP : null,
            n > 0 ? partners / n : 0, max, n > 0 ? 100.0 * cot / n : 0, n > 0 ? 100.0 * ali / n : 0, gap);
    }

    private int NewPerimeter(string id, string name)
    {
        int p = _ids.Count;
        _ids.Add(id);
        _names.Add(name);
        _one.Add([p]);
        _members.Add([]);
        _locked.Add(false);
        _rows.Add(new CellMetric?[_ops.Length]);
        _pairs.Add(_ops.Select(_ => Array.Empty<PairMetric>()).ToArray());
        _facts.Add(new PerimeterRow(id, name, 0, 0, _today.HasWeights ? 0 : null, false, 0, null, 0, _today.HasWeights ? 0 : null));
        return p;
    }

    private void Put(int u, int p)
    {
        int old = _unitP[u];
        if (old >= 0) _members[old].Remove(u);
        _unitP[u] = p;
        var label = p < 0 ? NoLabel : _one[p];
        foreach (int f in _units.Faces[u]) _labels[f] = label;
        if (p >= 0) _members[p].Add(u);
    }

    private List<int> Move(IReadOnlyList<int> units, IReadOnlyList<int> to)
    {
        var touched = new SortedSet<int>();
        for (int i = 0; i < units.Count; i++)
        {
            if (_unitP[units[i]] >= 0) touched.Add(_unitP[units[i]]);
            if (to[i] >= 0) touched.Add(to[i]);
            Put(units[i], to[i]);
        }
        var list = touched.ToList();
        Measure(list);
        return list;
    }

    /// <summary>Re-measures the given perimeters against every operator, as <c>analyze</c> measures cells.</summary>
    private void Measure(List<int> perimeters)
    {
        var live = new List<int>();
        var faces = new List<int[]>();
        foreach (int p in perimeters)
        {
            var f = _members[p].SelectMany(u => _units.Faces[u]).ToArray();
            Array.Sort(f);
            int pp = p;
            _facts[p] = PlanScore.Facts(_today, _cellIndex, _ids[p], _names[p], _members[p].Count, f, x => _labels[x] == _one[pp]);
            if (f.Length == 0)
            {
                Array.Clear(_rows[p]);
                for (int k = 0; k < _ops.Length; k++) _pairs[p][k] = [];
                continue;
            }
            live.Add(p);
            faces.Add(f);
        }
        if (live.Count == 0) return;
        var cells = new LayerInfo("cells", _today.Infos[0].Label + " — plan", _ids.ToArray(), _names.ToArray());
        for (int k = 0; k < _ops.Length; k++)
        {
            var (layer, info, zones, area, pop) = _ops[k];
            var rows = Compare.RunCells(_today.Mosaic, _labels, cells, layer, info, _today.FacePop, _today.Study.Tolerances,
                zones, area, pop, live, faces);
            for (int i = 0; i < live.Count; i++)
            {
                _rows[live[i]][k] = rows[i].Row;
                _pairs[live[i]][k] = rows[i].Pairs;
            }
        }
    }
}
