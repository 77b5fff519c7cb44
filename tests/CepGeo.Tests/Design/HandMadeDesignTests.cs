using CepGeo.Core.Design;
using CepGeo.Core.Metrics;
using static CepGeo.Tests.Design.DesignFixture;

namespace CepGeo.Tests.Design;

/// <summary>Small territories of rectangles (km) whose designs are worked out by hand.</summary>
public class HandMadeDesignTests
{
    private const double Eps = 1e-6;

    [Fact]
    public void Nest_ChainOfOverlappingZones_FormsOneComponent_AndTheBridgeIsNamed()
    {
        // C0 [0,10] C1 [10,20] C2 [20,30] C3 [30,35]; Z0 [0,12] spills 2 km of C1 (20 % of it), Z1 [12,20], Z2 [20,35].
        var r = Analyse([Km(0, 0, 10, 10), Km(10, 0, 20, 10), Km(20, 0, 30, 10), Km(30, 0, 35, 10)],
            [("op", [Km(0, 0, 12, 10), Km(12, 0, 20, 10), Km(20, 0, 35, 10)])]);
        var d = Nest.Run(r, ["op"]);
        var n = d.Nest!;
        Assert.Equal(2, n.Components.Count);
        Assert.Equal(["cells0", "cells1"], n.Components[0].Cells.Order());
        Assert.Equal(["op:op0", "op:op1"], n.Components[0].Zones.Order());
        Assert.Equal(["cells2", "cells3"], n.Components[1].Cells.Order());
        Assert.Equal(200, n.Components[0].AreaKm2, Eps);
        Assert.Equal(150, n.Components[1].AreaKm2, Eps);
        Assert.Equal(200.0 / 350, n.LargestAreaShare, Eps);
        // Removing C1×Z0 (20 km² carried) detaches C1; removing C0×Z0 (100 km²) detaches C0: equal
        // detached area, the cheaper overlap first. C1×Z1 only detaches a zone.
        Assert.Equal(3, n.Glue.Count);
        Assert.Equal(("cells1", "op0"), (n.Glue[0].IdA, n.Glue[0].IdB));
        Assert.Equal(20, n.Glue[0].AreaKm2, Eps);
        Assert.Equal(100, n.Glue[0].DetachedAreaKm2, Eps);
        Assert.Equal(("cells0", "op0"), (n.Glue[1].IdA, n.Glue[1].IdB));
        Assert.Equal(0, n.Glue[2].DetachedCells);
        Assert.Equal(2, n.Glue[2].PartsAfter);
        // The perimeters nest every zone: misfit 0 against the operator after.
        Assert.All(d.After.Comparisons[0].Cells, c => Assert.Equal(0, c.Misfit, Eps));
        Assert.Equal(2, d.After.Cells.Features.Count);
    }

    [Fact]
    public void Snap_ZoneSplit70_30_GoesToThe70Side_ByArea()
    {
        // C0 [0,10], C1 [10,20]; Z0 [0,3], Z1 [3,13] (70 % in C0), Z2 [13,20].
        var r = Analyse([Km(0, 0, 10, 10), Km(10, 0, 20, 10)], [("op", [Km(0, 0, 3, 10), Km(3, 0, 13, 10), Km(13, 0, 20, 10)])]);
        var d = Snap.Run(r, "op");
        var after = d.After.Comparisons[0].Cells;
        Assert.Equal(130, after[0].AreaKm2, Eps);
        Assert.Equal(70, after[1].AreaKm2, Eps);
        Assert.All(after, c => { Assert.Equal(0, c.Misfit, Eps); Assert.True(c.Coterminous); });
        var moved = Assert.Single(d.Moves, m => m.Moved);
        Assert.Equal(("op1", "cells1", "cells0"), (moved.UnitId, moved.FromCell, moved.ToPerimeter));
        Assert.Equal(30, moved.AreaKm2, Eps);
        var c0 = d.Changes.Single(c => c.PerimeterId == "cells0");
        Assert.Equal(30, c0.AreaGained, Eps);
        Assert.Equal(0, c0.AreaLost, Eps);
        Assert.Equal(0.3, c0.MisfitBefore!.Value, Eps); // S1 = min(70, 30) = 30 of 100 km²
        var c1 = d.Changes.Single(c => c.PerimeterId == "cells1");
        Assert.Equal(30, c1.AreaLost, Eps);
    }

    [Fact]
    public void Snap_WithWeights_FollowsPopulationNotArea()
    {
        // Same zones; C0's land holds 100 people, C1's 900: Z1 has 70 people in C0 and 270 in C1.
        var r = Analyse([Km(0, 0, 10, 10), Km(10, 0, 20, 10)], [("op", [Km(0, 0, 3, 10), Km(3, 0, 13, 10), Km(13, 0, 20, 10)])],
            [Km(0, 0, 10, 10), Km(10, 0, 20, 10)], [100, 900]);
        var d = Snap.Run(r, "op");
        var after = d.After.Comparisons[0].Cells;
        Assert.Equal(30, after[0].AreaKm2, Eps);
        Assert.Equal(170, after[1].AreaKm2, Eps);
        Assert.Equal(100 * 0.3, after[0].Pop!.Value, Eps);
        Assert.Equal(70, d.MovedPop, Eps);
        Assert.Equal(70, d.Moves.Where(m => m.Moved).Sum(m => m.Pop!.Value), Eps);
    }

    [Fact]
    public void Balance_SixUnits_MatchesBruteForceOverEveryContiguousSplit()
    {
        // Units: 3×2 grid of 10 km squares, 100 people each. Operator a: x<20 | x>20; operator b: bottom | top row.
        var units = new[] { (0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1) }.Select(p => Km(p.Item1 * 10, p.Item2 * 10, p.Item1 * 10 + 10, p.Item2 * 10 + 10)).ToArray();
        var cells = new[] { Km(0, 0, 10, 20), Km(10, 0, 30, 20) };
        var a = new[] { Km(0, 0, 20, 20), Km(20, 0, 30, 20) };
        var b = new[] { Km(0, 0, 30, 10), Km(0, 10, 30, 20) };
        var r = Analyse(cells, [("a", a), ("b", b)], units, [100, 100, 100, 100, 100, 100]);
        var d = Balance.Run(r, 2, 150, ["a", "b"], 3, "communes", r.Layers[3].Features.Select(f => f.Id).ToList(), r.Layers[3].Features.Select(f => f.Name).ToList());
        double got = d.After.Comparisons.Sum(c => c.Cells.Sum(x => x.Misfit * x.AreaKm2));

        // Brute force: every split of the 6 units into two edge-connected groups of ≥ 2 units (floor 150 people).
        double best = double.PositiveInfinity;
        for (int mask = 1; mask < 63; mask++)
        {
            var g0 = Enumerable.Range(0, 6).Where(i => (mask >> i & 1) == 1).ToList();
            var g1 = Enumerable.Range(0, 6).Where(i => (mask >> i & 1) == 0).ToList();
            if (g0.Count < 2 || g1.Count < 2 || !Connected(g0) || !Connected(g1)) continue;
            var geoms = new[] { Union(g0, units), Union(g1, units) };
            var cand = Analyse(geoms, [("a", a), ("b", b)]);
            best = Math.Min(best, cand.Comparisons.Sum(c => c.Cells.Sum(x => x.Misfit * x.AreaKm2)));
        }
        Assert.Equal(200, best, Eps); // the two rows: b fits exactly, a costs 100 km² in each row
        Assert.Equal(best, got, Eps);
        Assert.All(d.After.Comparisons[0].Cells, c => Assert.True(c.Pop >= 150));
        Assert.Equal(2, d.After.Cells.Features.Count);
        Assert.All(d.After.Cells.Features, f => Assert.Equal(1, f.Geometry.NumGeometries));

        static bool Connected(List<int> g)
        {
            var seen = new HashSet<int> { g[0] };
            var stack = new Stack<int>([g[0]]);
            while (stack.Count > 0)
            {
                int u = stack.Pop();
                foreach (int v in g)
                    if (!seen.Contains(v) && Math.Abs(u % 3 - v % 3) + Math.Abs(u / 3 - v / 3) == 1) { seen.Add(v); stack.Push(v); }
            }
            return seen.Count == g.Count;
        }

        static NetTopologySuite.Geometries.Geometry Union(List<int> g, NetTopologySuite.Geometries.Geometry[] units) =>
            NetTopologySuite.Operation.Union.UnaryUnionOp.Union(g.Select(i => units[i]).ToList());
    }
}
