using BenchmarkDotNet.Attributes;
using CepGeo.Core.Design;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;

namespace CepGeo.Benchmarks;

/// <summary>
/// Plan mode (issue 24): the time from an edit to every perimeter's score against every operator being
/// current again, as the viewer needs it after each click. One invocation moves one border commune to the
/// neighbouring perimeter (the next invocation takes it back), so each is one real edit: two perimeters
/// re-measured against every operator. Targets: 100 ms on PACA, 300 ms on the national study (employment
/// zones as today's cells, the 35,228 communes as units) on 2 cores.
/// </summary>
[BenchmarkCategory("plan")]
public class PlanEditBenchmarks
{
    private PlanScorer _scorer = null!;
    private List<(int Unit, int To)> _moves = null!;
    private int _next;

    [Params(BenchData.Paca, BenchData.France)]
    public string Study { get; set; } = BenchData.Paca;

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(BenchData.RepoRoot, "data", Study, "study.json");
        Core.Model.Study study;
        using (var s = File.OpenRead(path)) study = StudyReader.Read(s, "study.json", Path.GetDirectoryName(path)!);
        // Sites (spec §9) play no part in a plan's scores.
        study = study with { Operators = [.. study.Operators.Select(o => o with { Sites = null })], SitesOnly = null };
        var today = Analysis.Run(study, BenchData.LoadLayer, BenchData.LoadWeights);
        var units = PlanUnits.From(today);
        var plan = Plans.FromCells(today, units);
        _scorer = new PlanScorer(today, units, plan);
        _moves = BorderMoves(today, units, plan, 40);
    }

    [Benchmark(Description = "plan edit: one border commune moved, scores current")]
    public PlanEdit Edit()
    {
        var (u, to) = _moves[_next / 2 % _moves.Count];
        // Even invocations move the commune, odd ones take it back.
        var edit = _next % 2 == 0 ? _scorer.Assign([u], to) : _scorer.Undo() ? new PlanEdit([u], [], []) : throw new InvalidOperationException("undo");
        _next++;
        return edit;
    }

    /// <summary>Communes of at least 1000 people on a perimeter's border, each with the neighbouring perimeter it can go to.</summary>
    private static List<(int, int)> BorderMoves(AnalysisResult r, PlanUnits units, Plan plan, int count)
    {
        var m = r.Mosaic;
        var moves = new List<(int, int)>();
        var used = new HashSet<int>();
        for (int f = 0; f < m.FaceCount && moves.Count < count; f++)
        {
            int u = units.FaceUnit[f];
            if (u < 0 || plan.UnitPerimeter[u] < 0 || units.Pop[u] < 1000 || used.Contains(u)) continue;
            for (int k = m.AdjacencyStart[f]; k < m.AdjacencyStart[f + 1]; k++)
            {
                int o = m.AdjacentFace[k], v = o < 0 ? -1 : units.FaceUnit[o];
                if (v < 0 || plan.UnitPerimeter[v] < 0 || plan.UnitPerimeter[v] == plan.UnitPerimeter[u]) continue;
                used.Add(u);
                moves.Add((u, plan.UnitPerimeter[v]));
                break;
            }
        }
        return moves;
    }
}
