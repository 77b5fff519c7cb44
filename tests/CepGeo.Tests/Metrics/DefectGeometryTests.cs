using CepGeo.Cli.Commands;
using CepGeo.Core.Common;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Rendering;
using SkiaSharp;

namespace CepGeo.Tests.Metrics;

/// <summary>
/// A defect's geometry (the union of its faces) is built once and shared by gaps.geojson, results.gpkg and the misfit maps
/// (issue 28: the write step built each union twice, the maps a third time).
/// </summary>
public sealed class DefectGeometryTests
{
    private static AnalysisResult Demo() =>
        Analysis.Run(StudyFiles.Read(Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json")), StudyFiles.LoadLayer, StudyFiles.LoadWeights);

    private static List<Defect> ManyFaced(AnalysisResult r) => [.. r.Comparisons.SelectMany(c => c.Defects).Where(d => d.Faces.Count > 1)];

    [Fact]
    public void DefectGeometry_ManyFaces_BuiltOnceAndTheUnionOfItsFaces()
    {
        var r = Demo();
        var defects = ManyFaced(r);
        Assert.NotEmpty(defects);
        foreach (var d in defects)
        {
            var shared = r.DefectGeometry(d);
            Assert.Same(shared, r.DefectGeometry(d));
            // The union made afresh from the faces, as every caller made it before: the same polygon, vertex for vertex.
            var fresh = FaceUnion.UnionOfFaces([.. d.Faces.Select(f => r.Mosaic.Faces[f])]);
            Assert.NotSame(fresh, shared);
            Assert.True(fresh.EqualsExact(shared), d.Id);
            Assert.Equal(d.AreaKm2 * 1e6, shared.Area, 1e-6 * shared.Area);
        }
    }

    [Fact]
    public void DefectGeometry_AskedFromManyThreads_OneUnionPerDefect()
    {
        var r = Demo();
        var defects = ManyFaced(r);
        var seen = new System.Collections.Concurrent.ConcurrentBag<(int, NetTopologySuite.Geometries.Geometry)>();
        Parallel.For(0, 8 * defects.Count, i => seen.Add((i % defects.Count, r.DefectGeometry(defects[i % defects.Count]))));
        foreach (var group in seen.GroupBy(s => s.Item1))
            Assert.Single(group.Select(s => s.Item2).Distinct(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void DefectGeometry_CopyWithAnotherMosaic_UnitesItsOwnFaces()
    {
        var r = Demo();
        var other = Demo();
        var d = ManyFaced(r)[0];
        var shared = r.DefectGeometry(d);
        // The copy shares the record's fields but not the mosaic: the union is of its own mosaic's faces, not the cached one.
        var copy = r with { Mosaic = other.Mosaic };
        var fromCopy = copy.DefectGeometry(d);
        Assert.NotSame(shared, fromCopy);
        Assert.True(shared.EqualsExact(fromCopy));
        Assert.Same(shared, r.DefectGeometry(d));
    }

    /// <summary>The misfit maps drawn after gaps.geojson and results.gpkg built the unions (as analyze draws them) have the
    /// pixels of the maps drawn on an analysis whose maps build every union themselves.</summary>
    [Fact]
    public void MisfitMaps_AfterTheWritersBuiltTheUnions_PixelIdentical()
    {
        var cold = Demo();
        var warm = Demo();
        using (var s = new MemoryStream()) AnalysisOutputs.WriteGaps(s, warm, "test");
        // results.gpkg's gaps layer hands out the very unions gaps.geojson had built.
        var table = ResultTables.GapsLayer(warm);
        var all = warm.Comparisons.SelectMany(c => c.Defects).ToList();
        Assert.Equal(all.Count, table.Count);
        for (int i = 0; i < table.Count; i++)
            if (all[i].Faces.Count > 1) Assert.Same(warm.DefectGeometry(all[i]), table.Geometry(i));

        using var fonts = MapFiles.LoadFonts();
        var options = new MapOptions(fonts, MapText.Fr, "test", DemoMaps.Date);
        var maps = MapRenderer.Plan(cold).Where(m => m.Kind == MapKind.Misfit).ToList();
        Assert.NotEmpty(maps);
        foreach (var spec in maps)
        {
            Assert.Equal(Pixels(cold, spec, options), Pixels(warm, spec, options));
        }
    }

    private static SKColor[] Pixels(AnalysisResult r, MapSpec spec, MapOptions options)
    {
        using var s = new MemoryStream();
        MapRenderer.WritePng(s, MapScene.Build(r), spec, options);
        using var bitmap = SKBitmap.Decode(s.ToArray());
        return bitmap.Pixels;
    }
}
