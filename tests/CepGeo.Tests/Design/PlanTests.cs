using System.Text;
using CepGeo.Core.Design;
using CepGeo.Core.Loading;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using static CepGeo.Tests.Design.DesignFixture;

namespace CepGeo.Tests.Design;

/// <summary>Plans (spec §8) on rectangles worked out by hand: scores, checks, perimeter facts, edits.</summary>
public class PlanTests
{
    private const double Eps = 1e-9;

    /// <summary>
    /// Cells C0 [0,10], C1 [10,20] (10 km high); communes u0 [0,5] (100 people), u1 [5,10] (250), u2 [10,15] (300),
    /// u3 [15,20] (400); one operator with Z0 [0,8] and Z1 [8,20].
    /// </summary>
    private static AnalysisResult Strip() => Analyse([Km(0, 0, 10, 10), Km(10, 0, 20, 10)],
        [("op", [Km(0, 0, 8, 10), Km(8, 0, 20, 10)])],
        [Km(0, 0, 5, 10), Km(5, 0, 10, 10), Km(10, 0, 15, 10), Km(15, 0, 20, 10)], [100, 250, 300, 400]);

    private static (Plan, PlanCheck) Read(AnalysisResult r, PlanUnits units, string csv) =>
        Plans.FromRows(r, units, PlanReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "plan.csv"));

    [Fact]
    public void Score_ThreeCommunesAgainstOne_MisfitAndPopMisfitAsWorkedByHand()
    {
        var r = Strip();
        var units = PlanUnits.From(r);
        var (plan, check) = Read(r, units, "unit_id;perimeter_id;perimeter_name\nw0;A;Ouest\nw1;A;\nw2;A;\nw3;B;Est\n");
        Assert.True(check.Clean);
        var s = PlanScore.Score(r, units, plan);
        var a = s.After.Comparisons[0].Cells.Single(c => c.CellId == "A");
        // A = [0,15]: 80 km² in Z0 (all of Z0), 70 in Z1 (of 120). S1 = min(80, 0) + min(70, 50) = 50; S2 = 150 - 80 = 70.
        Assert.Equal("Ouest", a.CellName);
        Assert.Equal(150, a.AreaKm2, 1e-6);
        Assert.Equal(2, a.Partners);
        Assert.Equal(1, a.Nested);
        Assert.Equal(50.0 / 150, a.Misfit, 1e-9);
        // People: A 650; A∩Z0 = 100 + 0.6·250 = 250 (all of Z0); A∩Z1 = 0.4·250 + 300 = 400 of Z1's 800.
        // S1 = 0 + min(400, 400) = 400; S2 = 650 - 400 (the most populous piece) = 250: A is closer to lying in Z1.
        Assert.Equal(650, a.Pop!.Value, 1e-6);
        Assert.Equal(250.0 / 650, a.PopMisfit!.Value, 1e-9);
        var b = s.After.Comparisons[0].Cells.Single(c => c.CellId == "B");
        Assert.Equal(0, b.Misfit, 1e-9);
        Assert.True(b.Aligned);

        // A continues C0 (350 people against C1's 300): u2 (50 km², 300 people) changes cell.
        var pa = s.Perimeters.Single(p => p.PerimeterId == "A");
        Assert.Equal((3, "cells0", true, 1), (pa.Units, pa.TodayCell, pa.Contiguous, pa.Parts));
        Assert.Equal(50, pa.MovedKm2, 1e-6);
        Assert.Equal(300, pa.MovedPop!.Value, 1e-6);
        var pb = s.Perimeters.Single(p => p.PerimeterId == "B");
        Assert.Equal(("cells1", 0.0, 0.0), (pb.TodayCell, pb.MovedKm2, pb.MovedPop!.Value));
    }

    [Fact]
    public void Check_ReportsUnmatchedTwiceAndUnassigned_AndKeepsTheFirstRow()
    {
        var r = Strip();
        var units = PlanUnits.From(r);
        var (plan, check) = Read(r, units, "\uFEFFunit_id,perimeter_id\nw0,A\nw9,A\nw0,B\nw2,B\nw3,\n");
        Assert.Equal(["w9"], check.Unmatched.Select(x => x.UnitId));
        Assert.Equal(3, check.Unmatched[0].Line);
        Assert.Equal(["w0"], check.ListedTwice.Select(x => x.UnitId));
        Assert.Equal(["w1", "w3"], check.Unassigned);
        Assert.Equal(0, plan.UnitPerimeter[0]);   // A, the first row
        Assert.Equal(-1, plan.UnitPerimeter[3]);  // blank perimeter: in none
        Assert.Equal(["A", "B"], plan.PerimeterIds);
    }

    [Fact]
    public void Reader_UnreadablePlan_IsAnInputErrorNamingTheFile()
    {
        var e = Assert.Throws<CepGeoInputException>(() => PlanReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("code,zone\n1,2\n")), "mon-plan.csv"));
        Assert.Contains("mon-plan.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("unit_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contiguous_CommunesTouchingAtAPoint_AreTwoParts()
    {
        // 2×2 communes of 5 km; perimeter D holds the two on one diagonal (they touch at (5,5) only).
        var r = Analyse([Km(0, 0, 10, 10)], [("op", [Km(0, 0, 10, 10)])],
            [Km(0, 0, 5, 5), Km(5, 0, 10, 5), Km(0, 5, 5, 10), Km(5, 5, 10, 10)], [1, 2, 3, 4]);
        var units = PlanUnits.From(r);
        var (plan, _) = Read(r, units, "unit_id,perimeter_id\nw0,D\nw3,D\nw1,E\nw2,F\n");
        var s = PlanScore.Score(r, units, plan);
        var d = s.Perimeters.Single(p => p.PerimeterId == "D");
        Assert.False(d.Contiguous);
        Assert.Equal(2, d.Parts);
        Assert.True(s.Perimeters.Single(p => p.PerimeterId == "E").Contiguous);
    }

    [Fact]
    public void FromCells_EachCommuneToTheCellHoldingMostOfIt_RoundTripsThroughTheCsv()
    {
        // u1 [5,12] lies 5 km² in C0 and 2 in C1: it goes to C0.
        var r = Analyse([Km(0, 0, 10, 10), Km(10, 0, 20, 10)], [("op", [Km(0, 0, 20, 10)])],
            [Km(0, 0, 5, 10), Km(5, 0, 12, 10), Km(12, 0, 20, 10)], [1, 1, 1]);
        var units = PlanUnits.From(r);
        var plan = Plans.FromCells(r, units);
        Assert.Equal(["cells0", "cells1"], plan.PerimeterIds);
        Assert.Equal([0, 0, 1], plan.UnitPerimeter);
        var csv = new MemoryStream();
        Plans.WriteCsv(csv, units, plan);
        csv.Position = 0;
        var (back, check) = Plans.FromRows(r, units, PlanReader.Read(csv, "plan.csv"));
        Assert.True(check.Clean);
        Assert.Equal(plan.UnitPerimeter, back.UnitPerimeter);
        Assert.Equal(plan.PerimeterNames, back.PerimeterNames);
    }

    [Fact]
    public void FromShapes_EachCommuneToThePerimeterCoveringMostOfIt()
    {
        // X [0,12] holds u0, u1 and 2 of u2's 5 km; Y [12,20] the other 3 and u3; Z touches nothing.
        var r = Strip();
        var units = PlanUnits.From(r);
        Feature F(string id, NetTopologySuite.Geometries.Geometry g) => new(id, "P " + id, g, new Dictionary<string, object?>());
        var plan = Plans.FromShapes(r, units, [F("Z", Km(40, 0, 50, 10)), F("X", Km(0, 0, 12, 10)), F("Y", Km(12, 0, 20, 10))]);
        Assert.Equal(["X", "Y"], plan.PerimeterIds);
        Assert.Equal([0, 0, 1, 1], plan.UnitPerimeter);
    }

    [Fact]
    public void Scorer_MoveUndoRedoLock_EqualsTheWholePlanScoredAgain()
    {
        var r = Strip();
        var units = PlanUnits.From(r);
        var (plan, _) = Read(r, units, "unit_id,perimeter_id\nw0,A\nw1,A\nw2,A\nw3,B\n");
        var scorer = new PlanScorer(r, units, plan);
        var first = Snapshot(scorer);
        AssertSame(PlanScore.Score(r, units, scorer.Current()), scorer);

        // u2 to B: A = [0,10] has 80 km² in Z0 and 20 in Z1: S1 = 0 + min(20, 100), S2 = 100 - 80 → 0.2.
        var edit = scorer.Assign([2], scorer.IndexOf("B"));
        Assert.Equal([2], edit.Moved);
        Assert.Equal([0, 1], edit.Touched);
        Assert.Equal(0.2, scorer.Row(0, scorer.IndexOf("A"))!.Misfit, Eps);
        AssertSame(PlanScore.Score(r, units, scorer.Current()), scorer);

        Assert.True(scorer.Undo());
        Assert.Equal(first, Snapshot(scorer));
        Assert.True(scorer.Redo());
        Assert.Equal(0.2, scorer.Row(0, 0)!.Misfit, Eps);

        // B locked: nothing leaves it, nothing enters it; A can still take from elsewhere.
        scorer.SetLocked(scorer.IndexOf("B"), true);
        var refused = scorer.Assign([2, 3], scorer.IndexOf("A"));
        Assert.Empty(refused.Moved);
        Assert.Equal([2, 3], refused.Refused);
        Assert.Empty(scorer.Assign([1], scorer.IndexOf("B")).Moved);
        Assert.False(scorer.Undo()); // the last edit changed B
        Assert.Equal(1, scorer.PerimeterOf(2));

        // A new perimeter takes u1; emptied perimeters stay, unscored, and leave the saved plan.
        scorer.SetLocked(scorer.IndexOf("B"), false);
        int c = scorer.AddPerimeter();
        Assert.Equal("P1", scorer.Ids[c]);
        scorer.Assign([0, 1], c);
        Assert.Null(scorer.Row(0, scorer.IndexOf("A")));
        Assert.Equal(["B", "P1"], scorer.Current().PerimeterIds);
        AssertSame(PlanScore.Score(r, units, scorer.Current()), scorer);
    }

    private static List<CellMetric?> Snapshot(PlanScorer s) =>
        [.. Enumerable.Range(0, s.Count).SelectMany(p => Enumerable.Range(0, s.Today.Comparisons.Count).Select(k => s.Row(k, p)))];

    /// <summary>Every perimeter of the plan, against every operator: the scorer's rows equal the whole plan's, to 1e-9.</summary>
    internal static void AssertSame(PlanResult full, PlanScorer scorer)
    {
        for (int k = 0; k < full.After.Comparisons.Count; k++)
        {
            var cmp = full.After.Comparisons[k];
            foreach (var e in cmp.Cells)
            {
                int p = scorer.IndexOf(e.CellId);
                var a = scorer.Row(k, p) ?? throw new Xunit.Sdk.XunitException($"{e.CellId} not scored");
                string what = $"{e.CellId} vs {e.Operator}";
                Close(e.AreaKm2, a.AreaKm2, e.AreaKm2, what);
                Close(e.Pop ?? 0, a.Pop ?? 0, e.Pop ?? 1, what);
                Close(e.GapKm2, a.GapKm2, e.AreaKm2, what);
                Close(e.DoubleKm2, a.DoubleKm2, e.AreaKm2, what);
                Close(e.Misfit, a.Misfit, 1, what);
                Close(e.PopMisfit ?? 0, a.PopMisfit ?? 0, 1, what);
                Assert.Equal((e.Partners, e.Nested, e.DominantZone, e.Coterminous, e.Aligned), (a.Partners, a.Nested, a.DominantZone, a.Coterminous, a.Aligned));
                var pairs = cmp.Pairs.Where(x => x.CellId == e.CellId).ToList();
                var got = scorer.Pairs(k, p);
                Assert.Equal(pairs.Select(x => (x.ZoneId, x.Significant)), got.Select(x => (x.ZoneId, x.Significant)));
                for (int i = 0; i < pairs.Count; i++) Close(pairs[i].AreaKm2, got[i].AreaKm2, e.AreaKm2, what);
            }
            var t = scorer.Totals(k);
            Close(cmp.Summary.Alignment, t.Alignment, 1, "alignment " + cmp.Operator);
            Close(cmp.Summary.PartnersMean, t.PartnersMean, 1, "partners " + cmp.Operator);
        }
        foreach (var row in full.Perimeters)
        {
            var f = scorer.Facts(scorer.IndexOf(row.PerimeterId));
            Assert.Equal((row.Units, row.Parts, row.TodayCell), (f.Units, f.Parts, f.TodayCell));
            Close(row.MovedKm2, f.MovedKm2, row.AreaKm2, row.PerimeterId);
            Close(row.MovedPop ?? 0, f.MovedPop ?? 0, row.Pop ?? 1, row.PerimeterId);
        }
    }

    internal static void Close(double expected, double actual, double scale, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(Math.Abs(scale), 1e-12),
            $"{what}: expected {expected:R}, got {actual:R}");
}

/// <summary>Plans on the real PACA study, border communes moved.</summary>
public class PacaPlanTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    /// <summary>Up to <paramref name="count"/> communes on a perimeter's border, each moved to the neighbouring perimeter (one per perimeter).</summary>
    internal static List<(int Unit, int To)> BorderMoves(AnalysisResult r, PlanUnits units, Plan plan, int count)
    {
        var m = r.Mosaic;
        var moves = new List<(int, int)>();
        var usedFrom = new HashSet<int>();
        for (int f = 0; f < m.FaceCount && moves.Count < count; f++)
        {
            int u = units.FaceUnit[f];
            if (u < 0 || plan.UnitPerimeter[u] < 0 || usedFrom.Contains(plan.UnitPerimeter[u]) || units.Pop[u] < 1000) continue;
            for (int k = m.AdjacencyStart[f]; k < m.AdjacencyStart[f + 1]; k++)
            {
                int o = m.AdjacentFace[k];
                int v = o < 0 ? -1 : units.FaceUnit[o];
                if (v < 0 || plan.UnitPerimeter[v] < 0 || plan.UnitPerimeter[v] == plan.UnitPerimeter[u]) continue;
                usedFrom.Add(plan.UnitPerimeter[u]);
                moves.Add((u, plan.UnitPerimeter[v]));
                break;
            }
        }
        return moves;
    }

    [Fact]
    public void BorderCommunesMoved_ScorerEqualsPlanScore_AndPlanScoreEqualsAnalyzeOfTheDissolvedPerimeters()
    {
        var r = paca.Result;
        var units = PlanUnits.From(r);
        Assert.Equal("code", units.IdField);
        var start = Plans.FromCells(r, units);
        var scorer = new PlanScorer(r, units, start);
        var moves = BorderMoves(r, units, start, 8);
        Assert.Equal(8, moves.Count);
        foreach (var (u, to) in moves) scorer.Assign([u], to);
        var plan = scorer.Current();
        var full = PlanScore.Score(r, units, plan);
        PlanTests.AssertSame(full, scorer);
        Assert.True(full.Perimeters.Sum(p => p.MovedPop ?? 0) >= moves.Sum(x => units.Pop[x.Unit]) - 1e-6);

        // An independent overlay: a new study whose cells are the dissolved perimeters, analysed from scratch.
        var dissolved = full.After.Cells;
        var study = r.Study;
        var fresh = Analysis.Run(study,
            spec => spec.Key == "cells"
                ? new Layer("perimeters", dissolved.Features.Select(f => new Feature(f.Id, f.Name, f.Geometry.Copy(), new Dictionary<string, object?>())).ToList(), dissolved.Crs, [])
                : CepGeo.Cli.Commands.StudyFiles.LoadLayer(spec),
            CepGeo.Cli.Commands.StudyFiles.LoadWeights, loadSites: CepGeo.Cli.Commands.StudyFiles.LoadSites);
        Assert.Equal(r.Crs.ToString(), fresh.Crs.ToString());
        for (int k = 0; k < fresh.Comparisons.Count; k++)
        {
            var want = fresh.Comparisons[k];
            var got = full.After.Comparisons[k];
            Assert.Equal(want.Cells.Count, got.Cells.Count);
            foreach (var e in want.Cells)
            {
                var a = got.Cells.Single(c => c.CellId == e.CellId);
                string what = $"{e.CellId} vs {e.Operator}";
                PlanTests.Close(e.AreaKm2, a.AreaKm2, e.AreaKm2, what);
                PlanTests.Close(e.Pop!.Value, a.Pop!.Value, e.Pop!.Value, what);
                PlanTests.Close(e.GapKm2, a.GapKm2, e.AreaKm2, what + " gap");
                PlanTests.Close(e.Misfit, a.Misfit, 1, what + " misfit");
                PlanTests.Close(e.PopMisfit!.Value, a.PopMisfit!.Value, 1, what + " pop_misfit");
                Assert.Equal(e.Partners, a.Partners);
                foreach (var wp in want.Pairs.Where(x => x.CellId == e.CellId && x.Significant))
                    PlanTests.Close(wp.AreaKm2, got.Pairs.Single(x => x.CellId == e.CellId && x.ZoneId == wp.ZoneId).AreaKm2, e.AreaKm2, what + " " + wp.ZoneId);
            }
        }
    }
}
