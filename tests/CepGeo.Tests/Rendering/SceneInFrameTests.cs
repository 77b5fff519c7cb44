using CepGeo.Core.Rendering;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// A fiche's frame finds its polygons in one flat array of the layer's envelopes (issue 28: the national atlas tested every
/// commune, cell and zone through its Geometry object for each of 287 fiches): the same polygons, in the same order (the
/// fiche's paths and report.html's bytes depend on it), as testing each polygon's own envelope.
/// </summary>
public sealed class SceneInFrameTests : IClassFixture<DemoMaps>
{
    private readonly DemoMaps _demo;

    public SceneInFrameTests(DemoMaps demo) => _demo = demo;

    [Fact]
    public void InFrame_KeepsWhatEachEnvelopeMeets_InLayerOrder()
    {
        var scene = _demo.Scene;
        var lists = scene.Layers.Append(scene.Units!).ToList();
        var all = scene.Extent;
        var frames = new List<Envelope>
        {
            all,
            new(all.MinX, all.Centre.X, all.MinY, all.Centre.Y),
            new(all.Centre.X, all.Centre.X, all.Centre.Y, all.Centre.Y),
            // Beyond the territory: nothing.
            new(all.MaxX + 1, all.MaxX + 100, all.MinY, all.MaxY),
        };
        // Each cell's own box: it meets at least that cell; and a frame touching a polygon's envelope on its edge only.
        frames.AddRange(scene.Layers[0].Select(g => g.EnvelopeInternal));
        var edge = scene.Layers[0][0].EnvelopeInternal;
        frames.Add(new Envelope(edge.MaxX, edge.MaxX + 10, edge.MinY, edge.MaxY));
        int kept = 0, tested = 0;
        foreach (var gs in lists)
            foreach (var frame in frames)
            {
                var expected = gs.Where(g => g.EnvelopeInternal.Intersects(frame)).ToList();
                var found = scene.InFrame(gs, frame);
                Assert.Equal(expected.Count, found.Count);
                for (int i = 0; i < expected.Count; i++) Assert.Same(expected[i], found[i]);
                kept += found.Count;
                tested += gs.Count;
            }
        // Neither everything nor nothing: the frames split the layers.
        Assert.InRange(kept, 1, tested - 1);
        Assert.Empty(scene.InFrame(scene.Layers[0], frames[3]));
        Assert.Equal(scene.Layers[0].Count, scene.InFrame(scene.Layers[0], all).Count);
    }

    [Fact]
    public void InFrame_SkipsEmptyPolygons()
    {
        var f = new GeometryFactory();
        var square = f.CreatePolygon([new(0, 0), new(1, 0), new(1, 1), new(0, 1), new(0, 0)]);
        var other = f.CreatePolygon([new(5, 5), new(6, 5), new(6, 6), new(5, 6), new(5, 5)]);
        IReadOnlyList<Geometry> gs = [f.CreatePolygon(), square, f.CreateMultiPolygon(), other];
        var found = _demo.Scene.InFrame(gs, new Envelope(-10, 10, -10, 10));
        Assert.Equal([square, other], found);
        Assert.Equal([other], _demo.Scene.InFrame(gs, new Envelope(5.5, 7, 5.5, 7)));
    }
}
