using CepGeo.Core.Model;
using CepGeo.Core.Validation;
using CsCheck;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using static CepGeo.Tests.Loading.LoadingFixtures;

namespace CepGeo.Tests.Validation;

public class LayerRepairTests
{
    private static Geometry Wkt(string wkt) => new WKTReader().Read(wkt);

    private static Layer LayerOf(params (string Id, string Wkt)[] features) =>
        new("test.geojson",
            features.Select(f => new Feature(f.Id, f.Id, Wkt(f.Wkt), new Dictionary<string, object?>())).ToList(),
            CrsRef.Wgs84Default,
            [new LoadIssue("test.geojson", null, LoadIssueKind.Note, "already there")]);

    [Fact]
    public void Repair_BowTieFixture_BecomesTwoTrianglesWithAreasListed()
    {
        var layer = LayerRepair.Repair(Read("bowtie.geojson"));
        var geometry = Assert.Single(layer.Features).Geometry;
        Assert.True(geometry.IsValid);
        Assert.IsType<MultiPolygon>(geometry);
        Assert.Equal(2, geometry.NumGeometries);
        Assert.Equal(0.02, geometry.Area, 12);

        var repair = Assert.Single(layer.Report);
        Assert.Equal(("bowtie.geojson", "bowtie", LoadIssueKind.Repaired), (repair.Layer, repair.FeatureId, repair.Kind));
        Assert.StartsWith("Self-intersection at (5.1 43.1)", repair.Reason);
        Assert.Equal(0, repair.AreaBefore!.Value, 12);
        Assert.Equal(0.02, repair.AreaAfter!.Value, 12);
    }

    [Fact]
    public void Repair_HoleOutsideShell_BecomesASecondPolygonAndIsListed()
    {
        // GeometryFixer's documented choice: a hole outside its shell was probably meant as another part.
        var layer = LayerRepair.Repair(Read("hole-outside-shell.geojson"));
        var multi = Assert.IsType<MultiPolygon>(Assert.Single(layer.Features).Geometry);
        Assert.Equal(2, multi.NumGeometries);
        Assert.Equal(0.02, multi.Area, 12);
        var repair = Assert.Single(layer.Report);
        Assert.StartsWith("Hole lies outside shell", repair.Reason);
        Assert.Equal(0, repair.AreaBefore!.Value, 12);
        Assert.Equal(0.02, repair.AreaAfter!.Value, 12);
    }

    [Fact]
    public void Repair_ValidLayer_IsLeftAsIs()
    {
        var layer = LayerOf(("a", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"));
        var repaired = LayerRepair.Repair(layer);
        Assert.Same(layer.Features[0], repaired.Features[0]);
        Assert.Equal(layer.Report, repaired.Report);
    }

    [Fact]
    public void Repair_OverlappingMultiPolygon_IsUnioned()
    {
        var layer = LayerRepair.Repair(LayerOf(("m", "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((1 0, 3 0, 3 2, 1 2, 1 0)))")));
        var geometry = layer.Features[0].Geometry;
        Assert.IsType<Polygon>(geometry);
        Assert.Equal(6, geometry.Area, 12);
        var repair = layer.Report[^1];
        Assert.Equal(8, repair.AreaBefore!.Value, 12);
        Assert.Equal(6, repair.AreaAfter!.Value, 12);
    }

    [Fact]
    public void Repair_CollapsedPolygon_IsSkippedWithReason()
    {
        var layer = LayerRepair.Repair(LayerOf(
            ("ok", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"),
            ("flat", "POLYGON ((0 0, 1 0, 2 0, 1 0, 0 0))")));
        Assert.Equal(["ok"], layer.Features.Select(f => f.Id));
        var skipped = Assert.Single(layer.Report, i => i.Kind == LoadIssueKind.Skipped);
        Assert.Equal("flat", skipped.FeatureId);
        Assert.Contains("no area left after repair", skipped.Reason);
    }

    [Fact]
    public void Repair_EveryPolygonCollapses_ErrorNamesLayer()
    {
        var ex = Assert.Throws<CepGeoInputException>(() => LayerRepair.Repair(LayerOf(("flat", "POLYGON ((0 0, 1 0, 2 0, 1 0, 0 0))"))));
        Assert.Equal("test.geojson: no polygon keeps an area once repaired", ex.Message);
    }

    [Fact]
    public void Repair_KeepsFeatureOrderAndExistingReport()
    {
        var layer = LayerRepair.Repair(LayerOf(
            ("1", "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"),
            ("2", "POLYGON ((10 0, 12 0, 12 2, 10 2, 10 0))"),
            ("3", "POLYGON ((20 0, 22 2, 22 0, 20 2, 20 0))")));
        Assert.Equal(["1", "2", "3"], layer.Features.Select(f => f.Id));
        Assert.Equal([LoadIssueKind.Note, LoadIssueKind.Repaired, LoadIssueKind.Repaired], layer.Report.Select(i => i.Kind));
        Assert.Equal(["1", "3"], layer.Report.Skip(1).Select(i => i.FeatureId));
    }

    /// <summary>
    /// The quick check that spares IsValidOp says "valid" exactly when IsValidOp does, for polygons
    /// without holes: random rings on a small lattice (self-crossings, spikes, repeated vertices,
    /// collinear runs, duplicate points) and at Lambert-93 magnitudes.
    /// </summary>
    [Fact]
    public void Quick_simple_polygon_check_agrees_with_IsValidOp()
    {
        var factory = new GeometryFactory();
        int valid = 0;
        Gen.Select(Gen.Int[0, 6].Array[6, 24], Gen.Int[0, 1]).Sample((v, far) =>
        {
            var points = Enumerable.Range(0, v.Length / 2)
                .Select(i => new Coordinate(v[2 * i] + far * 712_345.25, v[2 * i + 1] + far * 6_543_210.5)).ToList();
            points.Add(points[0].Copy());
            var polygon = factory.CreatePolygon(points.ToArray());
            bool expected = polygon.IsValid;
            Assert.Equal(expected, LayerRepair.IsSimplePolygon(polygon));
            if (expected) Interlocked.Increment(ref valid);
        }, iter: 20000);
        Assert.True(valid > 500, $"only {valid} valid rings generated");
    }

    /// <summary>
    /// The proof for holes and multipolygons never calls an invalid geometry valid, and proves most
    /// valid ones: shells and holes as boxes and triangles on a small lattice (inside, outside,
    /// touching, crossing, nested) and at Lambert-93 magnitudes.
    /// </summary>
    [Fact]
    public void Disjoint_rings_proof_never_accepts_what_IsValidOp_rejects()
    {
        var factory = new GeometryFactory();
        var box = Gen.Select(Gen.Int[0, 16], Gen.Int[0, 16], Gen.Int[2, 10], Gen.Int[2, 10])
            .Select((x, y, w, h) => new[] { (x, y), (x + w, y), (x + w, y + h), (x, y + h) });
        var triangle = Gen.Select(Gen.Int[0, 20], Gen.Int[0, 20]).Array[3].Select(p => p.ToArray());
        var ring = Gen.Frequency((3, box), (1, triangle));
        // Holes placed from the shell's first corner: mostly inside, some touching, crossing or outside.
        var hole = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 7], Gen.Int[1, 2], Gen.Int[1, 2]);
        var polygon = Gen.Select(ring, hole.Array[0, 3]).Select((shell, holes) =>
            (shell, holes.Select(h => new[] { (shell[0].Item1 + h.Item1, shell[0].Item2 + h.Item2), (shell[0].Item1 + h.Item1 + h.Item3, shell[0].Item2 + h.Item2),
                (shell[0].Item1 + h.Item1 + h.Item3, shell[0].Item2 + h.Item2 + h.Item4) }).ToArray()));
        int valid = 0, proved = 0;
        // Parts shifted apart (or not): islands, overlaps, nesting.
        Gen.Select(Gen.Select(polygon, Gen.Int[0, 40]).Array[1, 3], Gen.Int[0, 1]).Sample((parts, far) =>
        {
            LinearRing Ring((int X, int Y)[] points, int shift) =>
                factory.CreateLinearRing([.. points.Append(points[0]).Select(p => new Coordinate(p.X + shift + far * 712_345.25, p.Y + far * 6_543_210.5))]);
            var polygons = parts.Select(p => factory.CreatePolygon(Ring(p.Item1.shell, p.Item2), [.. p.Item1.Item2.Select(h => Ring(h, p.Item2))])).ToArray();
            Geometry g = polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
            bool isValid = g.IsValid, fast = LayerRepair.HasDisjointRings(g);
            if (fast) Assert.True(isValid, $"proved valid but IsValidOp says no: {g.AsText()}");
            if (isValid && g is not Polygon { NumInteriorRings: 0 }) Interlocked.Increment(ref valid);
            if (fast) Interlocked.Increment(ref proved);
        }, iter: 20000);
        Assert.True(proved > 800 && proved * 2 > valid, $"{proved} proved of {valid} valid (holes or several parts)");
    }

    [Fact]
    public void Disjoint_rings_proof_takes_holes_and_islands_and_leaves_touching_rings()
    {
        Assert.True(LayerRepair.HasDisjointRings(Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2), (5 5, 6 5, 6 6, 5 5))")));
        Assert.True(LayerRepair.HasDisjointRings(Wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")));
        // An island in a lake of another part.
        Assert.True(LayerRepair.HasDisjointRings(Wkt("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2)), ((4 4, 6 4, 6 6, 4 4)))")));
        // Valid, but touching: left to IsValidOp.
        Assert.False(LayerRepair.HasDisjointRings(Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 3 2, 3 3, 0 0))")));
        Assert.False(LayerRepair.HasDisjointRings(Wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((1 1, 2 1, 2 2, 1 1)))")));
        // Invalid: a hole outside, nested holes, overlapping parts, a part inside another.
        Assert.False(LayerRepair.HasDisjointRings(Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 21 20, 21 21, 20 20))")));
        Assert.False(LayerRepair.HasDisjointRings(Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 9 1, 9 9, 1 9, 1 1), (4 4, 5 4, 5 5, 4 4))")));
        Assert.False(LayerRepair.HasDisjointRings(Wkt("MULTIPOLYGON (((0 0, 4 0, 4 4, 0 4, 0 0)), ((2 2, 6 2, 6 6, 2 6, 2 2)))")));
        Assert.False(LayerRepair.HasDisjointRings(Wkt("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((4 4, 6 4, 6 6, 4 4)))")));
    }

    [Fact]
    public void Quick_check_leaves_holes_and_multipolygons_to_IsValidOp()
    {
        Assert.False(LayerRepair.IsSimplePolygon(Wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))")));
        Assert.False(LayerRepair.IsSimplePolygon(Wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")));
        Assert.True(LayerRepair.IsSimplePolygon(Wkt("POLYGON ((0 0, 1 0, 1 0, 1 1, 0 0))")));
        Assert.False(LayerRepair.IsSimplePolygon(Wkt("POLYGON ((0 0, 2 0, 1 1, 2 2, 0 2, 1 1, 0 0))")));
    }
}
