using CepGeo.Core.Rendering;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// <see cref="MapRenderer.WriteRasters"/> draws a map's ground once for rasters that differ in their lettering (maps/*.png and
/// report.html's copy, issue 28): each raster must be, pixel for pixel, the map drawn whole with its own options.
/// </summary>
public sealed class MapRastersTests(DemoMaps demo) : IClassFixture<DemoMaps>
{
    private static SKColor[] Pixels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        return bitmap.Pixels;
    }

    private byte[] Whole(MapSpec spec, MapOptions options) => Whole(demo.Scene, spec, options);

    private static byte[] Whole(MapScene scene, MapSpec spec, MapOptions options)
    {
        using var s = new MemoryStream();
        MapRenderer.WritePng(s, scene, spec, options);
        return s.ToArray();
    }

    [Theory]
    [InlineData("overview")]
    [InlineData("misfit-ml")]
    [InlineData("misfit-cap")]
    [InlineData("pair-ml-pe")]
    public void SharedGround_EachRaster_IsTheMapDrawnWholeWithItsOwnLettering(string name)
    {
        var spec = MapRenderer.Plan(demo.Result).Single(s => s.Name == name);
        var screen = demo.Options;
        var report = demo.Options with { TextScale = 1.6f };
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        var keys = MapRenderer.WriteRasters(demo.Scene, spec, [new(a, screen), new(b, report)]);

        var sharedScreen = Pixels(a.ToArray());
        var sharedReport = Pixels(b.ToArray());
        Assert.Equal(Pixels(Whole(spec, screen)), sharedScreen);
        Assert.Equal(Pixels(Whole(spec, report)), sharedReport);
        // The two really are lettered differently (the report's lettering 1.6 times larger), so the comparison above can fail.
        Assert.NotEqual(sharedScreen, sharedReport);
        Assert.Equal(2, keys.Count);
        Assert.NotEmpty(keys[0].LegendLabels);
        Assert.Equal(keys[0].LegendLabels, keys[1].LegendLabels);
    }

    /// <summary>
    /// Raster maps are drawn on pixel memory the scene lends again from map to map (issue 28: a fresh A4 surface is 35 MB the
    /// system maps and zeroes anew): a map drawn on memory another map used first has exactly the pixels it has on fresh memory,
    /// nothing of the earlier map left under it, whether drawn whole or on a shared ground.
    /// </summary>
    [Fact]
    public void PixelMemoryReused_AfterAnotherMap_TheSamePixelsAsOnFreshMemory()
    {
        var plan = MapRenderer.Plan(demo.Result);
        var overview = plan.Single(s => s.Name == "overview");
        var misfit = plan.Single(s => s.Name == "misfit-cap");
        var fresh = MapScene.Build(demo.Result);
        byte[] Png(MapScene scene, MapSpec spec) => Whole(scene, spec, demo.Options);
        byte[] onFresh = Png(fresh, misfit);
        fresh.ReleasePaths();

        var reused = MapScene.Build(demo.Result);
        byte[] first = Png(reused, overview);
        byte[] whole = Png(reused, misfit);
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        MapRenderer.WriteRasters(reused, misfit, [new(a, demo.Options), new(b, demo.Options with { TextScale = 1.6f })]);
        reused.ReleasePaths();

        Assert.NotEqual(Pixels(first), Pixels(onFresh));
        Assert.Equal(Pixels(onFresh), Pixels(whole));
        Assert.Equal(Pixels(onFresh), Pixels(a.ToArray()));
    }

    /// <summary>
    /// A map's SVG is the same file each time it is drawn: Skia numbers its clips from a counter of the process, so with the
    /// maps drawn side by side in no set order, `--format both` gave other ids (other bytes) from run to run.
    /// </summary>
    [Fact]
    public void Svg_DrawnTwice_SameBytes_ItsClipsNumberedInTheMap()
    {
        var spec = MapRenderer.Plan(demo.Result).Single(s => s.Name == "overview");
        byte[] Svg()
        {
            using var s = new MemoryStream();
            MapRenderer.WriteSvg(s, demo.Scene, spec, demo.Options);
            return s.ToArray();
        }
        byte[] first = Svg(), second = Svg();
        Assert.Equal(first, second);
        Assert.Contains("<clipPath id=\"s0\">", System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }

    [Fact]
    public void SharedGround_RastersDifferingInMoreThanTheirTextScale_AreRefused()
    {
        var spec = MapRenderer.Plan(demo.Result)[1];
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        // By area instead of by population: another ground, which cannot be shared.
        Assert.Throws<ArgumentException>(() =>
            MapRenderer.WriteRasters(demo.Scene, spec, [new(a, demo.Options), new(b, demo.Options with { ByArea = true })]));
    }
}
