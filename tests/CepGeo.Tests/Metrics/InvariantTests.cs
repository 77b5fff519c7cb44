using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CsCheck;
using NetTopologySuite.Algorithm.Hull;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using static CepGeo.Tests.Metrics.Geo;

namespace CepGeo.Tests.Metrics;

/// <summary>The invariants of spec §5 over random polygon layers (CsCheck).</summary>
public class InvariantTests
{
    private static readonly GeometryFactory F = new();

    /// <summary>A convex polygon (hull of 3–8 random points) or a box, within a 10 km square.</summary>
    private static readonly Gen<Geometry> GenPolygon =
        Gen.OneOf(
            Gen.Double[0, 10000].Array[6, 16].Select(xy =>
            {
                var pts = Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(Math.Round(xy[2 * i]), Math.Round(xy[2 * i + 1]))).ToArray();
                return F.CreateMultiPointFromCoords(pts).ConvexHull();
            }),
            Gen.Select(Gen.Int[0, 9], Gen.Int[0, 9], Gen.Int[1, 5], Gen.Int[1, 5],
                (x, y, w, h) => Box(x * 1000, y * 1000, (x + w) * 1000, (y + h) * 1000)))
        .Where(g => g is Polygon && g.Area > 1000);

    private static readonly Gen<Geometry[]> GenLayer = GenPolygon.Array[1, 5];

    /// <summary>A partition of a k×k km grid into m zones (zones may be in several parts).</summary>
    private static readonly Gen<(int K, int[] Owner)> GenPartition =
        Gen.Int[2, 5].SelectMany(k => Gen.Int[0, 3].Array[k * k].Select(o => (k, o)));

    private static Geometry[] PartitionLayer(int k, int[] owner, int zones)
    {
        var result = new List<Geometry>();
        for (int z = 0; z < zones; z++)
        {
            var squares = Enumerable.Range(0, k * k).Where(i => owner[i] == z)
                .Select(i => Box(i % k * 1000, i / k * 1000, (i % k + 1) * 1000, (i / k + 1) * 1000)).ToList();
            if (squares.Count > 0) result.Add(OverlayNGRobust.Union(squares));
        }
        return [.. result];
    }

    private static Comparison RunBoth(Geometry[] cells, Geometry[] zones, out Comparison reverse)
    {
        var mosaic = Mosaic.Build([cells, zones]);
        var ci = Info("cells", cells.Length);
        var zi = Info("op", zones.Length);
        reverse = Compare.Run(mosaic, 1, zi, 0, ci, null, Tolerances.Default);
        return Compare.Run(mosaic, 0, ci, 1, zi, null, Tolerances.Default);
    }

    private static double Rel(double a, double b) => Math.Abs(a - b) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    [Fact]
    public void PairAreas_AgreeWithPlainPairwiseOverlayNG_AndFromBothSides()
    {
        Gen.Select(GenLayer, GenLayer).Sample((cells, zones) =>
        {
            var r = RunBoth(cells, zones, out var back);
            for (int c = 0; c < cells.Length; c++)
                for (int z = 0; z < zones.Length; z++)
                {
                    double expected = OverlayNGRobust.Overlay(cells[c], zones[z], SpatialFunction.Intersection).Area / 1e6;
                    double got = r.Pairs.FirstOrDefault(p => p.CellId == $"cells{c}" && p.ZoneId == $"op{z}")?.AreaKm2 ?? 0;
                    double other = back.Pairs.FirstOrDefault(p => p.CellId == $"op{z}" && p.ZoneId == $"cells{c}")?.AreaKm2 ?? 0;
                    Assert.True(Math.Abs(expected - got) <= 1e-9 * Math.Max(cells[c].Area, zones[z].Area) / 1e6,
                        $"pair {c}/{z}: mosaic {got:R} vs OverlayNG {expected:R}");
                    Assert.Equal(got, other, 12);
                }
        }, iter: 150);
    }

    [Fact]
    public void CoveredPlusGapPlusSlivers_IsCellArea_AndCoverageMatchesOverlayNG()
    {
        Gen.Select(GenLayer, GenLayer).Sample((cells, zones) =>
        {
            var r = RunBoth(cells, zones, out _);
            var unionK = OverlayNGRobust.Union(zones);
            double sumCovered = 0, sumGap = 0, sumA = 0;
            for (int c = 0; c < cells.Length; c++)
            {
                var m = r.Cell(c);
                double a = cells[c].Area / 1e6;
                Assert.True(Rel(a, m.AreaKm2) < 1e-9);
                double covered = OverlayNGRobust.Overlay(cells[c], unionK, SpatialFunction.Intersection).Area / 1e6;
                Assert.True(Math.Abs(covered - m.Coverage * m.AreaKm2) <= 1e-9 * a, $"cell {c} covered");
                Assert.True(m.GapKm2 <= a - covered + 1e-9 * a);
                Assert.InRange(m.Misfit, 0, 1);
                Assert.True(double.IsFinite(m.DoubleKm2) && m.DoubleKm2 >= 0);
                sumCovered += covered; sumGap += m.GapKm2; sumA += a;
            }
            Assert.True(Math.Abs(sumCovered + sumGap + r.Slivers.GapKm2 - sumA) <= 1e-9 * sumA);
        }, iter: 150);
    }

    [Fact]
    public void PairsMinusDoubleOvercount_IsCoveredArea()
    {
        Gen.Select(GenLayer, GenLayer).Sample((cells, zones) =>
        {
            var mosaic = Mosaic.Build([cells, zones]);
            var r = Compare.Run(mosaic, 0, Info("cells", cells.Length), 1, Info("op", zones.Length), null, Tolerances.Default);
            for (int c = 0; c < cells.Length; c++)
            {
                double pairs = r.Pairs.Where(p => p.CellId == $"cells{c}").Sum(p => p.AreaKm2);
                double overcount = 0;
                for (int f = 0; f < mosaic.FaceCount; f++)
                    if (mosaic.Labels[0][f].Contains(c) && mosaic.Labels[1][f].Length > 1)
                        overcount += (mosaic.Labels[1][f].Length - 1) * mosaic.AreaKm2[f];
                var m = r.Cell(c);
                Assert.Equal(m.Coverage * m.AreaKm2, pairs - overcount, 9);
            }
        }, iter: 100);
    }

    [Fact]
    public void Population_IsConserved()
    {
        Gen.Select(GenLayer, GenLayer, GenLayer, Gen.Double[0, 100000].Array[5]).Sample((cells, zones, weights, values) =>
        {
            var layers = new List<IReadOnlyList<Geometry>> { cells, zones, weights };
            var mosaic = Mosaic.Build(layers);
            var pop = Population.PerFace(mosaic, 2, values);
            var territory = OverlayNGRobust.Union(cells);
            double expected = 0;
            for (int w = 0; w < weights.Length; w++)
                expected += values[w] * OverlayNGRobust.Overlay(weights[w], territory, SpatialFunction.Intersection).Area / weights[w].Area;
            double inT = Enumerable.Range(0, mosaic.FaceCount).Where(f => mosaic.Labels[0][f].Length > 0).Sum(f => pop[f]);
            Assert.True(Math.Abs(expected - inT) <= 1e-6 * Math.Max(1, expected), $"{expected:R} vs {inT:R}");
            double all = pop.Sum();
            Assert.True(Math.Abs(all - values.Take(weights.Length).Sum()) <= 1e-6 * Math.Max(1, all));
        }, iter: 100);
    }

    [Fact]
    public void ShuffledReversedRotated_ChangeNothing()
    {
        Gen.Select(GenLayer, GenLayer, Gen.Int[0, 1000]).Sample((cells, zones, seed) =>
        {
            var a = Run(cells, zones);
            var rng = new Random(seed);
            var cellOrder = Enumerable.Range(0, cells.Length).OrderBy(_ => rng.Next()).ToArray();
            var zoneOrder = Enumerable.Range(0, zones.Length).OrderBy(_ => rng.Next()).ToArray();
            var cells2 = cellOrder.Select(i => Scramble(cells[i], rng)).ToArray();
            var zones2 = zoneOrder.Select(i => Scramble(zones[i], rng)).ToArray();
            var mosaic = Mosaic.Build([cells2, zones2]);
            var b = Compare.Run(mosaic, 0, Rename("cells", cellOrder), 1, Rename("op", zoneOrder), null, Tolerances.Default);
            foreach (var ca in a.Cells)
            {
                var cb = b.Cells.Single(x => x.CellId == ca.CellId);
                Assert.Equal(ca.AreaKm2, cb.AreaKm2, 9);
                Assert.Equal(ca.Coverage, cb.Coverage, 9);
                Assert.Equal(ca.GapKm2, cb.GapKm2, 9);
                Assert.Equal(ca.DoubleKm2, cb.DoubleKm2, 9);
                Assert.Equal(ca.Partners, cb.Partners);
                Assert.Equal(ca.Misfit, cb.Misfit, 9);
                Assert.Equal(ca.Aligned, cb.Aligned);
            }
            foreach (var pa in a.Pairs)
                Assert.Equal(pa.AreaKm2, b.Pairs.Single(x => x.CellId == pa.CellId && x.ZoneId == pa.ZoneId).AreaKm2, 9);
            Assert.Equal(a.Defects.Select(d => (d.Id, Math.Round(d.AreaKm2, 9))).Order(), b.Defects.Select(d => (d.Id, Math.Round(d.AreaKm2, 9))).Order());
        }, iter: 100);

        static LayerInfo Rename(string key, int[] order) =>
            new(key, key, order.Select(i => $"{key}{i}").ToArray(), order.Select(i => $"{key} {i}").ToArray());
    }

    /// <summary>Reverses and rotates every ring (same point set, different start and direction).</summary>
    private static Geometry Scramble(Geometry g, Random rng)
    {
        static LinearRing Ring(LineString ring, Random rng)
        {
            var pts = ring.Coordinates.Take(ring.NumPoints - 1).ToList();
            if (rng.Next(2) == 0) pts.Reverse();
            int k = rng.Next(pts.Count);
            var rotated = pts.Skip(k).Concat(pts.Take(k)).ToList();
            rotated.Add(rotated[0]);
            return F.CreateLinearRing([.. rotated.Select(c => c.Copy())]);
        }
        var polys = Enumerable.Range(0, g.NumGeometries).Select(i => (Polygon)g.GetGeometryN(i))
            .Select(p => F.CreatePolygon(Ring(p.ExteriorRing, rng), [.. p.InteriorRings.Select(h => Ring(h, rng))])).ToArray();
        return polys.Length == 1 ? polys[0] : F.CreateMultiPolygon(polys);
    }

    [Fact]
    public void LayerAgainstItself_IsCoterminousEverywhere()
    {
        GenPartition.Sample(p =>
        {
            var layer = PartitionLayer(p.K, p.Owner, 4);
            var r = Run(layer, layer);
            foreach (var c in r.Cells)
            {
                Assert.Equal(1, c.Coverage, 9);
                Assert.Equal(1, c.Partners);
                Assert.Equal(0, c.Misfit, 9);
                Assert.True(c.Coterminous);
                Assert.Equal(c.CellId.Replace("cells", "op"), c.DominantZone);
            }
            Assert.Equal(1, r.Summary.Alignment, 9);
        }, iter: 100);
    }

    [Fact]
    public void LayerAgainstUnionsOfItsZones_IsAlignedBothWays()
    {
        Gen.Select(GenPartition, Gen.Int[0, 1].Array[4]).Sample((p, group) =>
        {
            var fine = PartitionLayer(p.K, p.Owner, 4);
            var groupOf = Enumerable.Range(0, fine.Length).Select(i => group[i]).ToArray();
            var coarse = Enumerable.Range(0, 2).Where(g => groupOf.Contains(g))
                .Select(g => OverlayNGRobust.Union(fine.Where((_, i) => groupOf[i] == g))).ToArray();
            var fineInCoarse = Run(fine, coarse);
            var coarseOverFine = Run(coarse, fine);
            foreach (var c in fineInCoarse.Cells.Concat(coarseOverFine.Cells))
            {
                Assert.Equal(0, c.Misfit, 9);
                Assert.True(c.Aligned);
            }
            Assert.All(coarseOverFine.Cells, c => Assert.True(c.Coterminous));
        }, iter: 100);
    }
}
