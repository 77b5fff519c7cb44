using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CepGeo.Core.Rendering;
using SkiaSharp;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>Spec §9 in the viewer, on PACA: the sites as a layer per operator, distance as a metric.</summary>
public sealed class ViewerSitesTests(PacaViewer viewer, ChromiumBrowser chromium, ITestOutputHelper log)
    : IClassFixture<PacaViewer>, IClassFixture<ChromiumBrowser>
{
    // The style's classes and palette written out here, not read from the code: km for the mean distance,
    // shares for the people beyond beyondKm; ColorBrewer YlOrRd-5, dark = far.
    private static readonly double[] KmBreaks = [5, 10, 20, 30];
    private static readonly double[] ShareBreaks = [0.05, 0.15, 0.30, 0.50];
    private static readonly string[] Palette = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

    /// <summary>Pôle emploi agencies of PACA, from the file the study names.</summary>
    private static List<(string Id, string Name, double Lon, double Lat)> Agencies()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Shared("paca", "agences-pole-emploi-2019.geojson")));
        return [.. doc.RootElement.GetProperty("features").EnumerateArray().Select(f =>
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            var p = f.GetProperty("properties");
            return (p.GetProperty("reference_pe").ToString(), p.GetProperty("agence_nom").GetString()!, c[0].GetDouble(), c[1].GetDouble());
        })];
    }

    [Fact]
    public Task SitesLayer_HasTheStudysSiteCounts_AndShowsAnAgencysNameOnHoverAndClick() => WithPage(async page =>
    {
        var agencies = Agencies();
        int missionsLocales = File.ReadAllLines(TestPaths.Shared("paca", "missions-locales-2025.csv")).Skip(1).Count(l => l.Length > 0);
        await page.OpenAsync(viewer.Server.Url);
        using var study = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.cepgeo.study().layers)"));
        var counts = study.RootElement.EnumerateArray().Where(l => l.GetProperty("kind").GetString() == "sites")
            .ToDictionary(l => l.GetProperty("key").GetString()!, l => l.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["sites-ml"] = missionsLocales, ["sites-bmo"] = agencies.Count }, counts);
        Assert.Equal(28, missionsLocales);

        // Hidden until asked for; toggled on, every agency is drawn.
        Assert.DoesNotContain("sites-bmo", await page.LoadedLayers());
        await page.SetLayerAsync("sites-bmo", true);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.loadedLayers.split(',').includes('sites-bmo')");
        Assert.Equal(agencies.Count, (await page.LayerCounts())["sites-bmo"]);

        // The agency farthest from any other, so that the pointer meets it alone: its name on hover and on click.
        var lone = agencies.MaxBy(a => agencies.Where(b => b.Id != a.Id).Min(b => Math.Pow(b.Lon - a.Lon, 2) + Math.Pow(b.Lat - a.Lat, 2)));
        var at = await page.Page.EvaluateAsync<JsonElement>("([lon, lat]) => window.cepgeo.pointOf(lon, lat)", new[] { lone.Lon, lone.Lat });
        await page.Page.Mouse.MoveAsync(at.GetProperty("x").GetSingle(), at.GetProperty("y").GetSingle());
        await page.Page.WaitForFunctionAsync("() => (document.body.dataset.hover || '').length > 0");
        Assert.StartsWith(lone.Name, await page.Body("hover"), StringComparison.Ordinal);
        await page.ClickMapAsync(lone.Lon, lone.Lat);
        Assert.Equal("bmo:" + lone.Id, await page.Body("selected-site"));
        Assert.Equal(lone.Name, await page.Body("site-name"));
        await page.SetLayerAsync("sites-bmo", false);
        Assert.DoesNotContain("sites-bmo", await page.VisibleLayers());
    });

    [Theory]
    [InlineData("dist_mean_km")]
    [InlineData("pop_beyond_share")]
    public Task DistanceMetric_RecoloursTheCells_ByTheStylesClasses_OfCellsCsv(string metric) => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        var misfitFills = await page.CellFills();
        await page.Page.Locator("#operator").SelectOptionAsync("bmo");
        await page.SelectMetricAsync(metric);
        // The chosen operator's sites come with the metric.
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.loadedLayers.split(',').includes('sites-bmo')");
        var fills = await page.CellFills();

        using var rows = JsonDocument.Parse(viewer.Data.Tables["cells"]);
        var values = rows.RootElement.EnumerateArray()
            .Where(r => r.GetProperty("cell_layer").GetString() == "cells" && r.GetProperty("operator").GetString() == "bmo")
            .ToDictionary(r => r.GetProperty("cell_id").ToString(), r => r.GetProperty(metric).GetDouble());
        Assert.Equal(22, values.Count);
        double[] breaks = metric == "dist_mean_km" ? KmBreaks : ShareBreaks;
        foreach (var (cell, v) in values)
            Assert.True(Palette[breaks.Count(b => v >= b)] == fills[cell], $"cell {cell}: {metric} {v.ToString(CultureInfo.InvariantCulture)}, fill {fills[cell]}");
        Assert.NotEqual(misfitFills, fills);
        // More than one class: the map says something.
        Assert.True(fills.Values.Distinct().Count() >= 2, string.Join(", ", fills.Values.Distinct()));
        string legend = (await page.Body("legend"))!;
        Assert.Contains(metric == "dist_mean_km" ? "≥ 30 km" : "≥ 50 %", legend);
        log.WriteLine($"{metric}: {legend}");
    });

    [Fact]
    public Task DistanceMetric_WeightingSelectorSaysPopulation_AndGivesTheAreaChoiceBack() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        var weight = page.Page.Locator("#weight");
        async Task<(string Text, bool Disabled)> Selector() =>
            (await weight.EvaluateAsync<string>("s => s.options[s.selectedIndex].textContent"), await weight.IsDisabledAsync());
        string Subtitle(JsonDocument d) => d.RootElement.GetProperty("title").GetProperty("subtitle").GetString()!;
        async Task<JsonDocument> Layout() => JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.cepgeo.exportLayout())"));

        // Population by default (the study has weights); the planner chooses area, which the distances then override.
        Assert.Equal(("Population", false), await Selector());
        await weight.SelectOptionAsync("area");
        Assert.Equal(("Surface", false), await Selector());
        foreach (var metric in new[] { "dist_mean_km", "pop_beyond_share" })
        {
            await page.SelectMetricAsync(metric);
            // Counted in people by definition: the greyed-out selector says so, and so does the exported map.
            Assert.Equal(("Population", true), await Selector());
            using var layout = await Layout();
            Assert.EndsWith("Pondération : Population", Subtitle(layout));
        }
        // The planner's own choice (area) is kept for the metrics that have one.
        Assert.Equal("area", await page.Body("weight"));
        await page.Page.Locator("#lang").ClickAsync();
        Assert.Equal(("Population", true), await Selector());
        using (var english = await Layout()) Assert.EndsWith("Weighting : Population", Subtitle(english));
        await page.SelectMetricAsync("misfit");
        Assert.Equal(("Area", false), await Selector());
        using (var misfit = await Layout()) Assert.EndsWith("Weighting : Area", Subtitle(misfit));
    });

    [Fact]
    public Task ExportPng_DrawsTheSitesShown_WithTheirLegendEntry() => WithPage(async page =>
    {
        var agencies = Agencies();
        // The agency farthest from any other: its dot is drawn alone.
        var lone = agencies.MaxBy(a => agencies.Where(b => b.Id != a.Id).Min(b => Math.Pow(b.Lon - a.Lon, 2) + Math.Pow(b.Lat - a.Lat, 2)));
        await page.OpenAsync(viewer.Server.Url);
        // BMO is the study's second operator: the second colour of the style, on the map and in the export.
        string colour = PlannerStyle.OperatorColors[1];
        Assert.Equal("bmo", await page.Page.EvaluateAsync<string>("() => window.cepgeo.study().operators[1].key"));

        async Task<(SKColor AtSite, JsonDocument Layout, byte[] Png)> Export()
        {
            byte[] png = await page.DownloadAsync("#export-png");
            var layout = JsonDocument.Parse((await page.Body("export-layout"))!);
            var m = layout.RootElement.GetProperty("map");
            double scale = layout.RootElement.GetProperty("pixelRatio").GetDouble();
            var p = await page.Page.EvaluateAsync<JsonElement>("([lon, lat]) => window.cepgeo.map().latLngToContainerPoint([lat, lon])", new[] { lone.Lon, lone.Lat });
            using var bitmap = SKBitmap.Decode(png);
            var at = bitmap.GetPixel((int)((m.GetProperty("x").GetDouble() + p.GetProperty("x").GetDouble()) * scale),
                (int)((m.GetProperty("y").GetDouble() + p.GetProperty("y").GetDouble()) * scale));
            return (at, layout, png);
        }
        static string Hex(SKColor c) => $"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}";

        // Sites hidden: no dot there, no legend entry.
        var (hiddenPixel, hiddenLayout, _) = await Export();
        Assert.NotEqual(colour, Hex(hiddenPixel));
        Assert.Equal(0, hiddenLayout.RootElement.GetProperty("legend").GetProperty("sites").GetArrayLength());
        hiddenLayout.Dispose();

        await page.SetLayerAsync("sites-bmo", true);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.loadedLayers.split(',').includes('sites-bmo')");
        var (sitePixel, layout, png) = await Export();
        using (layout)
        {
            Assert.Equal(colour, Hex(sitePixel));
            var legend = layout.RootElement.GetProperty("legend");
            var entry = Assert.Single(legend.GetProperty("sites").EnumerateArray());
            Assert.Equal(PlannerStyle.Word("sites", "fr") + " : Bassins France Travail (BMO)", entry.GetProperty("text").GetString());
            Assert.Equal(colour, entry.GetProperty("colour").GetString());
            double scale = layout.RootElement.GetProperty("pixelRatio").GetDouble(), y = entry.GetProperty("y").GetDouble();
            Assert.InRange(y, legend.GetProperty("y").GetDouble(), legend.GetProperty("y").GetDouble() + legend.GetProperty("h").GetDouble());
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(colour, Hex(bitmap.GetPixel((int)(entry.GetProperty("x").GetDouble() * scale), (int)(y * scale))));
        }
        await File.WriteAllBytesAsync(Path.Combine(ChromiumBrowser.ScreenshotDir, "export-paca-sites.png"), png);
    });

    [Fact]
    public async Task Screenshots_DistanceMetricWithSites_DesktopAndPhone()
    {
        foreach (var (width, height, name) in new[] { (1400, 900, "paca-distance-1400.png"), (390, 844, "paca-distance-390.png") })
        {
            await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, DeviceScaleFactor = 1 });
            var page = await context.NewPageAsync();
            await page.GotoAsync(viewer.Server.Url.ToString());
            await page.WaitForSelectorAsync("body[data-status='ready']", new() { Timeout = 30_000 });
            await page.EvaluateAsync("() => { window.cepgeo.setOperator('bmo'); window.cepgeo.setMetric('pop_beyond_share'); }");
            await page.WaitForFunctionAsync("() => document.body.dataset.loadedLayers.split(',').includes('sites-bmo')");
            await page.WaitForTimeoutAsync(300);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, name) });
            Assert.Equal("pop_beyond_share", await page.GetAttributeAsync("body", "data-metric"));
        }
    }

    private Task WithPage(Func<ViewerPage, Task> test, [CallerMemberName] string name = "") =>
        ViewerPage.RunAsync(chromium.Browser, log, test, name);
}
