using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Design;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// Issue 22: on the small fiche maps (the atlas prints them 290–480 pt wide, lettered 2–3 times the screen size) the
/// sites legend ran over the scale bar (Cannes). Legend, scale bar and source lines must never overlap, on every PACA
/// fiche, at each size it is drawn: on screen, in report.html and in atlas.pdf.
/// </summary>
public sealed class FicheLayoutTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    [Fact]
    public void EveryPacaFiche_LegendScaleBarAndSources_DoNotOverlap_OnScreenInTheReportAndInTheAtlas()
    {
        var r = paca.Result;
        using var fonts = MapFiles.LoadFonts();
        var content = ReportContent.Build(r);
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", Names: content.Names);
        var scene = MapScene.Build(r, lambert93: true);
        using var pdf = new MemoryStream();
        var atlas = AtlasPdf.Write(pdf, scene, content, options, r.Study.Name);
        Assert.Equal(22, atlas.Fiches.Count);
        int inMap = 0;
        foreach (var fit in atlas.Fiches)
        {
            int cell = r.Infos[0].Ids.ToList().IndexOf(fit.CellId);
            var spec = new MapSpec("fiche", MapKind.Territory, Cell: cell);
            // As analyze draws them: the screen sheet, report.html's image, and the atlas's map at the width its page gave it.
            var sizes = new (int Width, MapOptions Options, string Where)[]
            {
                (MapLayout.ScreenWidth, options, "screen"),
                (MapLayout.ScreenWidth, options with { TextScale = MapFiles.FicheTextScale }, "report"),
                (MapLayout.ScreenWidth, options with { TextScale = Math.Max(1, 800f / fit.MapWidth), Pdf = true }, "atlas"),
            };
            foreach (var (width, o, where) in sizes)
            {
                var layout = new MapLayout(MapRenderer.Extent(scene, spec), width);
                using var recorder = new SKPictureRecorder();
                var canvas = recorder.BeginRecording(new SKRect(0, 0, layout.Width, layout.Height));
                var key = MapRenderer.Draw(canvas, layout, scene, spec, o);
                using var picture = recorder.EndRecording();
                string at = $"{fit.CellId} ({content.Names.Of("cells", fit.CellId)}), {where}";
                var sheet = new SKRect(0, 0, layout.Width, layout.Height);
                foreach (var (name, box) in new[] { ("legend", key.LegendBox), ("scale bar", key.ScaleBox), ("sources", key.FooterBox) })
                {
                    Assert.False(box.IsEmpty, $"{at}: no {name}");
                    Assert.True(sheet.Contains(box), $"{at}: {name} {box} leaves the sheet");
                }
                Assert.False(key.LegendBox.IntersectsWith(key.ScaleBox), $"{at}: legend {key.LegendBox} over the scale bar {key.ScaleBox}");
                Assert.False(key.LegendBox.IntersectsWith(key.FooterBox), $"{at}: legend {key.LegendBox} over the sources {key.FooterBox}");
                Assert.False(key.ScaleBox.IntersectsWith(key.FooterBox), $"{at}: scale bar {key.ScaleBox} over the sources {key.FooterBox}");
                // The legend stays in its panel, the sources under the map frame.
                Assert.True(layout.Legend.Contains(key.LegendBox), $"{at}: legend {key.LegendBox} outside its panel {layout.Legend}");
                Assert.True(key.FooterBox.Top >= layout.Map.Bottom, $"{at}: sources {key.FooterBox} over the map frame {layout.Map}");
                if (layout.Map.Contains(key.ScaleBox)) inMap++;
            }
        }
        // On screen every scale bar is in the legend panel; only the small printed maps move it into the frame.
        Assert.InRange(inMap, 1, 2 * 22);
    }

    [Fact]
    public void ScreenMap_ScaleBarStaysAtTheFootOfTheLegendPanel()
    {
        var r = paca.Result;
        using var fonts = MapFiles.LoadFonts();
        var scene = MapScene.Build(r, lambert93: true);
        var spec = new MapSpec("overview", MapKind.Overview);
        var layout = new MapLayout(scene.Extent, MapLayout.ScreenWidth);
        using var recorder = new SKPictureRecorder();
        var key = MapRenderer.Draw(recorder.BeginRecording(new SKRect(0, 0, layout.Width, layout.Height)), layout, scene, spec,
            new MapOptions(fonts, MapText.Fr, "test", "2026-01-01"));
        using var picture = recorder.EndRecording();
        Assert.True(layout.Legend.Contains(key.ScaleBox), $"{key.ScaleBox} not in {layout.Legend}");
        // Its foot where it always was: 40 units above the panel's bottom for the bar, 16 below it for the figures.
        Assert.InRange(key.ScaleBox.Bottom, layout.Legend.Bottom - 20, layout.Legend.Bottom);
    }

    [Fact]
    public void PixelPaths_NeighboursSharingAnEdge_StillShareItAfterSnapping_AndACutRingStaysInTheBox()
    {
        var reader = new WKTReader();
        // Two squares sharing a wiggly edge with vertices a tenth of a pixel apart (the layout maps 1 m to about 1.1 px).
        string At(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100 + (i % 2) * 0.05} {i * 0.1}");
        string edge = string.Join(", ", Enumerable.Range(0, 1001).Select(At));
        string back = string.Join(", ", Enumerable.Range(0, 1001).Reverse().Select(At));
        var left = reader.Read($"POLYGON ((0 0, {edge}, 0 100, 0 0))");
        var right = reader.Read($"POLYGON ((100 0, 200 0, 200 100, {back}))");
        var layout = new MapLayout(new Envelope(0, 200, 0, 100), 320);
        var clip = new SKRect(-10000, -10000, 10000, 10000);
        using var a = PixelPaths.Build(left, layout, clip);
        using var b = PixelPaths.Build(right, layout, clip);
        var onEdgeA = a.Points.Where(p => Math.Abs(p.X - layout.ToPixel(100, 0).X) < 2).ToHashSet();
        var onEdgeB = b.Points.Where(p => Math.Abs(p.X - layout.ToPixel(100, 0).X) < 2).ToHashSet();
        Assert.True(onEdgeA.SetEquals(onEdgeB), "the shared edge differs between the neighbours");
        // Vertices closer than the half-pixel grid are merged: about one per half pixel of the 109 px edge, not 1001.
        Assert.True(onEdgeA.Count < 300 && onEdgeA.Count > 150, $"{onEdgeA.Count} points on the edge");
        Assert.All(a.Points, p => Assert.Equal(0, p.X * 2 - Math.Round(p.X * 2), 4));

        // Cut: a ring twice the box, clipped to it, keeps its points inside the box (the box's own corners included).
        var box = new SKRect(layout.ToPixel(50, 0).X, layout.ToPixel(0, 75).Y, layout.ToPixel(150, 0).X, layout.ToPixel(0, 25).Y);
        using var cut = PixelPaths.Build(reader.Read("POLYGON ((0 0, 200 0, 200 100, 0 100, 0 0))"), layout, box);
        Assert.All(cut.Points, p => Assert.True(p.X >= box.Left - 1e-3 && p.X <= box.Right + 1e-3 && p.Y >= box.Top - 1e-3 && p.Y <= box.Bottom + 1e-3, $"{p}"));
        Assert.InRange(Math.Abs(Area(cut.Points)), box.Width * box.Height - 0.5, box.Width * box.Height + 0.5);
    }

    [Fact]
    public void PixelPaths_Dashes_AreOpenSubPathsWhoseOnLengthsFollowThePattern()
    {
        var layout = new MapLayout(new Envelope(0, 1000, 0, 1000), 1600);
        var square = new WKTReader().Read("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))");
        var clip = new SKRect(-10000, -10000, 10000, 10000);
        using var dashed = PixelPaths.Build(square, layout, clip, [9, 4]);
        using var plain = PixelPaths.Build(square, layout, clip);
        float perimeter = 4 * (layout.ToPixel(1000, 0).X - layout.ToPixel(0, 0).X);
        using var measure = new SKPathMeasure(dashed, false);
        float on = 0;
        int pieces = 0;
        do
        {
            on += measure.Length;
            pieces++;
        }
        while (measure.NextContour());
        // 9 on out of every 13: the drawn length is 9/13 of the perimeter, within one dash.
        Assert.InRange(on, perimeter * 9 / 13 - 9, perimeter * 9 / 13 + 9);
        Assert.InRange(pieces, (int)(perimeter / 13) - 1, (int)(perimeter / 13) + 5);
        Assert.Equal(4, plain.PointCount);
    }

    private static double Area(SKPoint[] ring)
    {
        double a = 0;
        for (int i = 0; i < ring.Length; i++)
        {
            var p = ring[i];
            var q = ring[(i + 1) % ring.Length];
            a += (double)p.X * q.Y - (double)q.X * p.Y;
        }
        return a / 2;
    }
}
