using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using static CepGeo.Tests.Metrics.Geo;

namespace CepGeo.Tests.Metrics;

/// <summary>Squares of known size, every metric of spec §4 computed by hand. 1000 m = 1 km.</summary>
public class HandComputedTests
{
    private const double Eps = 1e-9;

    [Fact]
    public void ZoneAcrossCellBoundary_HalfOutside_MisfitIsHalf()
    {
        // Cell 2×2 km; zone A = left half of the cell; zone B = right half plus 2 km² outside.
        var r = Run([Box(0, 0, 2000, 2000)], [Box(0, 0, 1000, 2000), Box(1000, 0, 3000, 2000)]);
        var a = r.Pair(0, 0);
        Assert.Equal(2, a.AreaKm2, Eps);
        Assert.Equal(0.5, a.ShareOfCell, Eps);
        Assert.Equal(1, a.ShareOfZone, Eps);
        Assert.True(a.Significant);
        Assert.Null(a.Pop);
        var b = r.Pair(0, 1);
        Assert.Equal(0.5, b.ShareOfZone, Eps);

        var c = r.Cell(0);
        Assert.Equal(4, c.AreaKm2, Eps);
        Assert.Equal(1, c.Coverage, Eps);
        Assert.Equal(0, c.GapKm2, Eps);
        Assert.Equal(0, c.DoubleKm2, Eps);
        Assert.Equal(2, c.Partners);
        Assert.Equal("op0", c.DominantZone);
        Assert.Equal(0.5, c.DominantShare, Eps);
        Assert.Equal(1, c.Nested);
        Assert.Equal(1, c.Straddling);
        // S1 = 0 + min(2, 0) + min(2, 2) = 2; S2 = 4 − 2 = 2; misfit = 2/4.
        Assert.Equal(0.5, c.Misfit, Eps);
        Assert.Null(c.PopMisfit);
        Assert.False(c.Coterminous);
        Assert.False(c.Aligned);

        var zb = r.Zone(1);
        Assert.Equal(4, zb.AreaKm2, Eps);
        Assert.Equal(2, zb.OutsideKm2, Eps);
        Assert.Equal("cells0", zb.MainCell);
        Assert.Equal(0.5, zb.MainShare, Eps);
        Assert.False(zb.Nested);
        Assert.True(r.Zone(0).Nested);

        var outside = Assert.Single(r.Defects, d => d.Kind == DefectKind.Outside);
        Assert.Equal(2, outside.AreaKm2, Eps);
        Assert.Equal(["op1"], outside.ZoneIds);
        Assert.Equal(0.5, r.Summary.Alignment, Eps);
        Assert.Equal(50, r.Summary.ZonesNestedPct, Eps);
    }

    [Fact]
    public void SeveralGapsInACell_AreNumberedByArea_ThenFromWestToEast()
    {
        // Cell 10×2 km; zones leave gaps at x 0–1 km (2 km²), 3–5 km (4 km²) and 7–8 km (2 km²).
        // The zones listed east to west: the numbering must not follow the input order.
        var mosaic = CepGeo.Core.Overlay.Mosaic.Build([
            [Box(0, 0, 10_000, 2000)],
            [Box(8000, 0, 10_000, 2000), Box(5000, 0, 7000, 2000), Box(1000, 0, 3000, 2000)]]);
        var r = CepGeo.Core.Metrics.Compare.Run(mosaic, 0, Info("cells", 1), 1, Info("op", 3), null, Tolerances.Default);
        var gaps = r.Defects.Where(d => d.Kind == DefectKind.Gap).ToList();
        Assert.Equal(["op:gap:cells0:1", "op:gap:cells0:2", "op:gap:cells0:3"], gaps.Select(d => d.Id));
        Assert.Equal([4, 2, 2], gaps.Select(d => Math.Round(d.AreaKm2, 9)));
        Assert.Equal([3000.0, 0, 7000], gaps.Select(d => d.Faces.Min(f => mosaic.FaceEnvelope(f).MinX)));
    }

    [Fact]
    public void CellInsideOneBigZone_IsAlignedWithMisfitZero()
    {
        var r = Run([Box(0, 0, 1000, 1000)], [Box(-1000, -1000, 2000, 2000)]);
        var c = r.Cell(0);
        Assert.Equal(1, c.Partners);
        Assert.Equal(0, c.Nested);
        Assert.Equal(1, c.Straddling);
        Assert.Equal(1, c.DominantShare, Eps);
        Assert.Equal(0, c.Misfit, Eps);
        Assert.False(c.Coterminous);
        Assert.True(c.Aligned);
        Assert.Equal(1.0 / 9, r.Pair(0, 0).ShareOfZone, Eps);
        Assert.Equal(8, r.Zone(0).OutsideKm2, Eps);
        Assert.Equal(1, r.Summary.Alignment, Eps);
        Assert.Equal(100, r.Summary.CellsAlignedPct, Eps);
        Assert.Equal(0, r.Summary.CellsCoterminousPct, Eps);
    }

    [Fact]
    public void GapAndDoubleCoverage_AreMeasuredAndReported()
    {
        // Cell 3×1 km; A = [0,1], B = [0.5,2] overlap 0.5 km²; [2,3] is a 1 km² gap.
        var r = Run([Box(0, 0, 3000, 1000)], [Box(0, 0, 1000, 1000), Box(500, 0, 2000, 1000)]);
        var c = r.Cell(0);
        Assert.Equal(2.0 / 3, c.Coverage, Eps);
        Assert.Equal(1, c.GapKm2, Eps);
        Assert.Equal(0.5, c.DoubleKm2, Eps);
        Assert.Equal(2, c.Partners);
        Assert.Equal(2, c.Nested);
        Assert.Equal(0, c.Straddling);
        Assert.Equal("op1", c.DominantZone);
        Assert.Equal(0.5, c.DominantShare, Eps);
        // S1 = 1 + 0 + 0 = 1; S2 = 3 − 1.5 = 1.5; misfit = 1/3.
        Assert.Equal(1.0 / 3, c.Misfit, Eps);
        Assert.False(c.Coterminous);
        Assert.False(c.Aligned);

        var gap = Assert.Single(r.Defects, d => d.Kind == DefectKind.Gap);
        Assert.Equal(1, gap.AreaKm2, Eps);
        Assert.Equal(1.0 / 3, gap.ShareOfCell!.Value, Eps);
        Assert.Empty(gap.ZoneIds);
        // width = 2·A/P = 2·1 km² / 4 km = 500 m
        Assert.Equal(500, gap.WidthM, 1e-6);
        var dbl = Assert.Single(r.Defects, d => d.Kind == DefectKind.DoubleCoverage);
        Assert.Equal(0.5, dbl.AreaKm2, Eps);
        Assert.Equal(["op0", "op1"], dbl.ZoneIds);
    }

    [Fact]
    public void LShapedCell_PartlyCoveredZone()
    {
        var cell = Wkt("POLYGON ((0 0, 2000 0, 2000 1000, 1000 1000, 1000 2000, 0 2000, 0 0))");
        var r = Run([cell], [Box(1000, 0, 2000, 2000)]);
        var c = r.Cell(0);
        Assert.Equal(3, c.AreaKm2, Eps);
        Assert.Equal(1.0 / 3, c.Coverage, Eps);
        Assert.Equal(2, c.GapKm2, Eps);
        Assert.Equal(1, c.Partners);
        Assert.Equal(0, c.Nested);
        // S1 = 2 + min(1, 1) = 3; S2 = 3 − 1 = 2; misfit = 2/3.
        Assert.Equal(2.0 / 3, c.Misfit, Eps);
        Assert.Equal(1, r.Zone(0).OutsideKm2, Eps);
        Assert.Equal(0.5, r.Zone(0).MainShare, Eps);
    }

    [Fact]
    public void ThinStripNotCovered_IsASliverNotAGap()
    {
        // The zone stops 10 m short of the cell's top edge: 0.01 km², 10 m wide.
        var r = Run([Box(0, 0, 1000, 1000)], [Box(0, 0, 1000, 990)]);
        var c = r.Cell(0);
        Assert.Equal(0.99, c.Coverage, Eps);
        Assert.Equal(0, c.GapKm2, Eps);
        Assert.DoesNotContain(r.Defects, d => d.Kind == DefectKind.Gap);
        Assert.Equal(1, r.Slivers.GapParts);
        Assert.Equal(0.01, r.Slivers.GapKm2, Eps);
        Assert.True(c.Coterminous);
        Assert.Equal(0, c.Misfit, Eps);
    }

    [Fact]
    public void TinyCornerOverlap_IsNotAPartner()
    {
        // Zone 1 pokes 20 m into the cell: a 20 m × 1 km strip, 0.02 km² (2% of the cell), 20 m wide.
        var r = Run([Box(0, 0, 1000, 1000)], [Box(0, 0, 1000, 1000), Box(980, 0, 2000, 1000)]);
        var c = r.Cell(0);
        Assert.Equal(1, c.Partners);
        Assert.False(r.Pair(0, 1).Significant);
        Assert.Equal(0.02, r.Pair(0, 1).AreaKm2, Eps);
        Assert.Equal(0, c.DoubleKm2, Eps);
        Assert.Equal(1, r.Slivers.DoubleParts);
        Assert.True(c.Coterminous);
    }

    [Fact]
    public void Population_IsSpreadByAreaInsideEachWeightPolygon()
    {
        // One weight polygon of 4 km² with 1000 people, half inside zone 0, and a second of 1 km² with 500.
        var r = Run([Box(0, 0, 2000, 2000), Box(2000, 0, 3000, 1000)], [Box(0, 0, 1000, 2000), Box(1000, 0, 3000, 2000)],
            weights: [Box(0, 0, 2000, 2000), Box(2000, 0, 3000, 1000)], values: [1000, 500]);
        Assert.Equal(500, r.Pair(0, 0).Pop!.Value, 1e-9);
        Assert.Equal(500, r.Pair(0, 1).Pop!.Value, 1e-9);
        Assert.Equal(500, r.Pair(1, 1).Pop!.Value, 1e-9);
        Assert.Equal(1000, r.Cell(0).Pop!.Value, 1e-9);
        Assert.Equal(0.5, r.Pair(0, 1).PopShareOfZone!.Value, 1e-12);
        Assert.Equal(0.5, r.Cell(0).PopMisfit!.Value, 1e-12);
        Assert.Equal(0, r.Cell(1).PopMisfit!.Value, 1e-12);
        // pop_alignment = 1 − (0.5·1000 + 0·500)/1500
        Assert.Equal(1 - 500.0 / 1500, r.Summary.PopAlignment!.Value, 1e-12);
    }
}
