using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Cli;
using CepGeo.Viewer;
using Microsoft.Playwright;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer in Debian Chromium, on the demo study, checked against the files analyze writes.</summary>
public sealed class ViewerBrowserTests(DemoViewer viewer, ChromiumBrowser chromium, DemoAnalyzeOutput analyzed, ITestOutputHelper log)
    : IClassFixture<DemoViewer>, IClassFixture<ChromiumBrowser>, IClassFixture<DemoAnalyzeOutput>
{
    private string AnalyzeOut => analyzed.Dir;

    [Fact]
    public Task Page_LoadsTheShownLayers_HiddenOnesWhenFirstShown_ToggleHides_AndContactsOnlyLoopback() => WithPage(async page =>
    {
        var requests = new List<string>();
        void Requested(object? sender, IRequest r) => requests.Add(r.Url);
        page.Page.Request += Requested;
        await page.OpenAsync(viewer.Server.Url);

        // The default view: cells, the first operator's zones, gaps and double coverage; nothing else fetched.
        string[] shown = ["cells", "zones-ml", "defects-gap", "defects-double_coverage"];
        Assert.Equal(shown.Order(), (await page.LoadedLayers()).Order());
        Assert.Equal(shown.Order(), (await page.VisibleLayers()).Order());
        Assert.DoesNotContain(requests, u => u.EndsWith("/api/layers/defects-straddle", StringComparison.Ordinal));
        await page.SetLayerAsync("defects-straddle", true);
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.loadedLayers.split(',').includes('defects-straddle')");
        Assert.Contains(requests, u => u.EndsWith("/api/layers/defects-straddle", StringComparison.Ordinal));
        Assert.Equal(viewer.Data.Layers["defects-straddle"].Count, (await page.LayerCounts())["defects-straddle"]);
        await page.SetLayerAsync("zones-ml", false);
        Assert.DoesNotContain("zones-ml", await page.VisibleLayers());
        await page.SetLayerAsync("defects-gap", false);
        Assert.DoesNotContain("defects-gap", await page.VisibleLayers());

        Assert.NotEmpty(requests);
        Assert.All(requests, u => Assert.StartsWith($"http://127.0.0.1:{viewer.Server.Url.Port}/", u));

        // The Content-Security-Policy is in force: a style attribute written as markup is refused
        // (and reported), which is why the page sets its computed styles through the CSSOM.
        string colour = await page.Page.EvaluateAsync<string>(
            "() => { const d = document.createElement('div'); d.innerHTML = '<span style=\"color: rgb(255, 0, 0)\">x</span>'; document.body.appendChild(d); const c = getComputedStyle(d.firstChild).color; d.remove(); return c; }");
        Assert.NotEqual("rgb(255, 0, 0)", colour);
        await page.Page.WaitForTimeoutAsync(100);
        Assert.NotEmpty(page.CspViolations);
        page.CspViolations.Clear();
        log.WriteLine($"demo first paint: {await page.Body("first-paint-ms")} ms");
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "demo.png") });
        // A page that passed goes back to ViewerPage's pool: without its handler (a failed one is closed).
        page.Page.Request -= Requested;
    });

    [Fact]
    public Task ClickingACell_OpensItsPanel_WithThePartnersAndSharesOfPairsCsv() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        foreach (var key in viewer.Data.Layers.Keys.Where(k => k != "cells"))
            await page.SetLayerAsync(key, false);

        var (cellId, lon, lat) = DemoCellInteriorPoint(1);
        await page.ClickMapAsync(lon, lat);
        await page.Page.WaitForSelectorAsync("#panel tr.partner");
        Assert.Equal(cellId, await page.Body("selected-cell"));

        var csv = ReadCsv(Path.Combine(AnalyzeOut, "pairs.csv"));
        foreach (var op in new[] { "ml", "pe", "cap" })
        {
            var expected = csv.Where(r => r["cell_layer"] == "cells" && r["cell_id"] == cellId && r["operator"] == op && r["significant"] == "true")
                .ToDictionary(r => r["zone_id"], r => double.Parse(r["share_of_cell"], CultureInfo.InvariantCulture));
            var shown = await page.PartnerRows(op);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Keys.Order(), shown.Keys.Order());
            foreach (var (zone, share) in expected)
                Assert.Equal(share, shown[zone], 1e-12);
        }
    });

    [Fact]
    public Task MetricSelector_RecoloursTheCells_FromTheirMetric() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        var csv = ReadCsv(Path.Combine(AnalyzeOut, "cells.csv"))
            .Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        double Value(Dictionary<string, string> r, string col) => double.Parse(r[col], CultureInfo.InvariantCulture);

        // Misfit: the worst cell is at least as dark as the best one, on the palette's order.
        string[] palette = [.. StaticMapPalette()];
        var misfitFills = await page.CellFills();
        var best = csv.MinBy(r => Value(r, "misfit"))!;
        var worst = csv.MaxBy(r => Value(r, "misfit"))!;
        Assert.True(Array.IndexOf(palette, misfitFills[worst["cell_id"]]) >= Array.IndexOf(palette, misfitFills[best["cell_id"]]));

        await page.SelectMetricAsync("partners");
        Assert.Equal("partners", await page.Body("metric"));
        var partnerFills = await page.CellFills();
        // Counterparts 0–1, 2, 3, 4, 5+ are the palette's classes in order.
        foreach (var r in csv)
            Assert.Equal(palette[Math.Min((int)Value(r, "partners"), 5) - 1], partnerFills[r["cell_id"]]);
    });

    [Fact]
    public Task Exports_DownloadTheGapReportAndAPng() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        byte[] gaps = await page.DownloadAsync("#export-gaps");
        using var downloaded = JsonDocument.Parse(gaps);
        using var written = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AnalyzeOut, "gaps.geojson")));
        Assert.Equal("FeatureCollection", downloaded.RootElement.GetProperty("type").GetString());
        Assert.Equal(written.RootElement.GetProperty("features").GetArrayLength(), downloaded.RootElement.GetProperty("features").GetArrayLength());

        byte[] png = await page.DownloadAsync("#export-png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        Assert.True(png.Length > 5_000, $"{png.Length} bytes: an empty map?");
    });

    [Fact]
    public Task ClickingAZone_ListsTheCellsItTouches_AsPairsCsv() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        foreach (var key in viewer.Data.Layers.Keys.Where(k => k.StartsWith("defects-", StringComparison.Ordinal)))
            await page.SetLayerAsync(key, false);
        Assert.Contains("zones-ml", await page.VisibleLayers());

        // Zones are drawn as outlines: click the middle of the longest edge of the first Mission locale,
        // on the line the page draws (its display geometry, from the API).
        using var zones = JsonDocument.Parse(await viewer.Http.GetStringAsync("api/layers/zones-ml"));
        var (lon, lat) = LongestEdgeMiddle(zones.RootElement.GetProperty("features")[0].GetProperty("geometry"));
        await page.ClickMapAsync(lon, lat);
        await page.Page.WaitForSelectorAsync("#panel tr.touched-cell");
        string selected = (await page.Body("selected-zone"))!;
        Assert.StartsWith("ml:", selected);
        string zoneId = selected["ml:".Length..];

        var expected = ReadCsv(Path.Combine(AnalyzeOut, "pairs.csv"))
            .Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml" && r["zone_id"] == zoneId && r["significant"] == "true")
            .Select(r => r["cell_id"]).Order().ToList();
        var rows = page.Page.Locator("#panel tr.touched-cell");
        var shown = new List<string>();
        for (int i = 0; i < await rows.CountAsync(); i++) shown.Add((await rows.Nth(i).GetAttributeAsync("data-cell-id"))!);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, shown.Order().ToList());
    });

    [Fact]
    public Task SearchByName_SelectsTheCell_AndZoomsOnIt() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        double zoomBefore = double.Parse((await page.Body("zoom"))!, CultureInfo.InvariantCulture);
        var (cellId, lon, lat) = DemoCellInteriorPoint(2);
        string name = DemoCellName(2);

        await page.Page.Locator("#search").FillAsync(name);
        await page.Page.Locator("#search").PressAsync("Enter");
        await page.Page.WaitForFunctionAsync("id => document.body.dataset.selectedCell === id", cellId);
        await page.Page.WaitForFunctionAsync($"() => Number(document.body.dataset.zoom) > {zoomBefore.ToString(CultureInfo.InvariantCulture)}");

        var view = await page.View();
        Assert.InRange(lon, view[0], view[2]);
        Assert.InRange(lat, view[1], view[3]);
        Assert.Contains(name, await page.Page.Locator("#panel h2").InnerTextAsync());
    });

    [Fact]
    public Task LanguageSwitch_ChangesTheLabels_AndBack() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        Assert.Equal("fr", await page.Body("lang"));
        Assert.Equal("Couches", await page.Page.Locator("h2[data-i18n='layers']").TextContentAsync());
        Assert.Equal("Désalignement", await page.Page.Locator("#metric option[value='misfit']").InnerTextAsync());

        await page.Page.Locator("#lang").ClickAsync();
        Assert.Equal("en", await page.Body("lang"));
        Assert.Equal("en", await page.Page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Layers", await page.Page.Locator("h2[data-i18n='layers']").TextContentAsync());
        Assert.Equal("Misfit", await page.Page.Locator("#metric option[value='misfit']").InnerTextAsync());
        Assert.Equal("Find an area, a zone, a commune…", await page.Page.Locator("#search").GetAttributeAsync("placeholder"));
        Assert.Contains("Gap (", await page.Page.Locator("#layer-list").InnerTextAsync());
        Assert.Equal("FR", await page.Page.Locator("#lang").InnerTextAsync());

        await page.Page.Locator("#lang").ClickAsync();
        Assert.Equal("fr", await page.Body("lang"));
        Assert.Contains("Zone blanche (", await page.Page.Locator("#layer-list").InnerTextAsync());
    });

    [Fact]
    public Task PopulationWeighting_RecoloursTheCells_FromPopMisfit() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        var rows = ReadCsv(Path.Combine(AnalyzeOut, "cells.csv")).Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        // The static maps' classes and colours (MisfitClasses draws the PNGs): the viewer must agree.
        string[] palette = [.. StaticMapPalette()];
        string Fill(string v) => palette[MisfitClasses.ClassOf(double.Parse(v, CultureInfo.InvariantCulture))];
        var byArea = rows.ToDictionary(r => r["cell_id"], r => Fill(r["misfit"]));
        var byPop = rows.ToDictionary(r => r["cell_id"], r => Fill(r["pop_misfit"]));
        // The demo has cells whose class differs between the two (else this test could not fail).
        Assert.Contains(byArea.Keys, id => byArea[id] != byPop[id]);

        // Population is the default where the study has weights (the static maps colour so).
        Assert.Equal("pop", await page.Body("weight"));
        Assert.Equal(byPop, await page.CellFills());
        // The worst-cells list follows the weighting too: first the cell with the highest pop_misfit.
        string worstByPop = rows.MaxBy(r => double.Parse(r["pop_misfit"], CultureInfo.InvariantCulture))!["cell_id"];
        string worstByArea = rows.MaxBy(r => double.Parse(r["misfit"], CultureInfo.InvariantCulture))!["cell_id"];
        Assert.Equal(worstByPop, await page.Page.Locator("#worst li").First.GetAttributeAsync("data-cell-id"));
        await page.Page.Locator("#weight").SelectOptionAsync("area");
        Assert.Equal("area", await page.Body("weight"));
        Assert.Equal(byArea, await page.CellFills());
        Assert.Equal(worstByArea, await page.Page.Locator("#worst li").First.GetAttributeAsync("data-cell-id"));
        await page.Page.Locator("#weight").SelectOptionAsync("pop");
        Assert.Equal(byPop, await page.CellFills());
        Assert.Equal(5 + 1, (await page.Body("legend"))!.Split(" | ").Length);
    });

    /// <summary>The colours the PNG maps are drawn with, as CSS <c>#rrggbb</c>.</summary>
    private static IEnumerable<string> StaticMapPalette() =>
        MisfitClasses.Colors.Select(c => $"#{c.Red:x2}{c.Green:x2}{c.Blue:x2}");

    [Fact]
    public Task ClassBounds_AreTheStaticMapsClasses_AndTheWordsTheGlossarys() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        // A value exactly at each bound, and just below it: the viewer's class is the PNG's class.
        foreach (double bound in MisfitClasses.Bounds)
            foreach (double v in new[] { bound, bound - 1e-9 })
            {
                if (v < 0) continue;
                int shown = await page.Page.EvaluateAsync<int>("v => window.cepgeo.classOf('misfit', v)", v);
                Assert.Equal(MisfitClasses.ClassOf(v), shown);
            }
        Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => window.cepgeo.classOf('misfit', 0.05)"));
        // Coverage: low is bad, so full coverage is the lightest colour and 0.8 exactly is not the darkest.
        Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => window.cepgeo.classOf('coverage', 1)"));
        Assert.Equal(3, await page.Page.EvaluateAsync<int>("() => window.cepgeo.classOf('coverage', 0.8)"));
        Assert.Equal(4, await page.Page.EvaluateAsync<int>("() => window.cepgeo.classOf('coverage', 0.79)"));
        // The legend's swatches are the static maps' palette, in order.
        var legendColours = await page.Page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('#legend .swatch')).slice(0, 5).map(s => { const m = getComputedStyle(s).backgroundColor.match(/\\d+/g); return '#' + m.slice(0, 3).map(x => (+x).toString(16).padStart(2, '0')).join(''); })");
        Assert.Equal(StaticMapPalette(), legendColours);
        // The defect layers carry the glossary's words, as the map legends do.
        string layersText = await page.Page.Locator("#layer-list").InnerTextAsync();
        Assert.Contains(MapText.Fr.Gap, layersText);
        Assert.Contains(MapText.Fr.Double, layersText);
    });

    [Fact]
    public Task CellPanel_Screenshot() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        var (cellId, _, _) = DemoCellInteriorPoint(3);
        await page.Page.EvaluateAsync("id => window.cepgeo.selectCell(id, true)", cellId);
        await page.Page.WaitForSelectorAsync("#panel tr.partner");
        // Three operators, each with its table of partners, gap / double coverage and misfit rows.
        Assert.Equal(3, await page.Page.Locator("#panel table").CountAsync());
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "cell-panel.png") });
        await page.Page.Locator("#panel").ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "cell-panel-only.png") });
    });

    [Fact]
    public async Task Paca_Opens_AndPaintsEveryLayer()
    {
        // The PACA viewer the other classes use (StudyViewer): the same analysis, made once.
        var (_, server) = await StudyViewer.Shared("paca");
        await WithPage(async page =>
        {
            await page.OpenAsync(server.Url);
            Assert.Equal((await page.VisibleLayers()).Order(), (await page.LoadedLayers()).Order());
            log.WriteLine($"PACA first paint: {await page.Body("first-paint-ms")} ms");
            await page.SetLayerAsync("defects-straddle", true);
            await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "paca.png") });
        });
    }

    [Fact]
    public Task DeselectedCell_KeepsItsBordersWithItsNeighbours_AsBeforeTheSelection() => WithPage(async page =>
    {
        // A cell's border with a neighbour is stroked once, by whichever of the two owns the edge, after
        // both fills. The selected cell is brought to the front; once deselected it must again be drawn
        // with the other cells (not alone over them, its fill over the half of the borders its neighbours own).
        await page.OpenAsync(viewer.Server.Url);
        // The longest edge two cells share in the band drawn at this zoom (the overview), from the served
        // GeoJSON, placed on the page by the map's own projection; the canvas pixels around its middle.
        const string probe = """
            async ([mode, pair]) => {
              const canvas = document.querySelector('.leaflet-cells-pane canvas'), r = canvas.getBoundingClientRect();
              function pixels(lon, lat) {
                const p = cepgeo.pointOf(lon, lat), sx = canvas.width / r.width, x = Math.round((p.x - r.left) * sx), y = Math.round((p.y - r.top) * sx);
                return { x: p.x, y: p.y, data: Array.from(canvas.getContext('2d').getImageData(x - 3, y - 3, 7, 7).data) };
              }
              if (mode === 'find') {
                const g = await (await fetch('api/layers/cells?band=overview')).json(), owner = new Map();
                let best = null;
                for (const f of g.features) {
                  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
                  for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) {
                    const a = ring[i], b = ring[i + 1], k = [a, b].map(String).sort().join('|'), o = owner.get(k);
                    if (o === undefined) { owner.set(k, f.properties.id); continue; }
                    if (o === f.properties.id) continue;
                    const pa = cepgeo.pointOf(a[0], a[1]), pb = cepgeo.pointOf(b[0], b[1]), len = Math.hypot(pa.x - pb.x, pa.y - pb.y);
                    if (!best || len > best.len) best = { len, cell: f.properties.id, other: o, lon: (a[0] + b[0]) / 2, lat: (a[1] + b[1]) / 2 };
                  }
                }
                return best;
              }
              return pixels(pair.lon, pair.lat);
            }
            """;
        var edge = await page.Page.EvaluateAsync<JsonElement>(probe, new object?[] { "find", null });
        Assert.Equal(JsonValueKind.Object, edge.ValueKind);
        Assert.True(edge.GetProperty("len").GetDouble() > 10, $"shared edge {edge}");
        string cell = edge.GetProperty("cell").GetString()!;
        log.WriteLine($"shared edge: {edge}");
        // The panel's opening and closing refit the view (it may come back a little moved or zoomed):
        // the view of the first reading is put back before the second.
        await page.Page.EvaluateAsync("() => { const m = cepgeo.map(); window.__view = [m.getCenter(), m.getZoom()]; }");
        var at = new { lon = edge.GetProperty("lon").GetDouble(), lat = edge.GetProperty("lat").GetDouble() };
        var before = await page.Page.EvaluateAsync<JsonElement>(probe, new object?[] { "pixels", at });

        await page.Page.EvaluateAsync("id => cepgeo.selectCell(id, false)", cell);
        await page.Page.WaitForFunctionAsync("id => document.body.dataset.selectedCell === id", cell);
        await page.Page.WaitForTimeoutAsync(300);
        await page.Page.Locator("#panel-close").ClickAsync();
        await page.Page.WaitForFunctionAsync("() => document.body.dataset.selectedCell === undefined");
        await page.Page.EvaluateAsync("() => { cepgeo.map().setView(window.__view[0], window.__view[1], { animate: false }); }");
        await page.Page.WaitForTimeoutAsync(300);
        var after = await page.Page.EvaluateAsync<JsonElement>(probe, new object?[] { "pixels", at });

        // The same view: the same 7 × 7 pixels around the border's middle.
        Assert.Equal(before.GetProperty("x").GetDouble(), after.GetProperty("x").GetDouble(), 3);
        Assert.Equal(before.GetProperty("y").GetDouble(), after.GetProperty("y").GetDouble(), 3);
        int[] b = before.GetProperty("data").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        int[] a = after.GetProperty("data").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        // The border is there: the darkest pixel is much darker than the lightest (the fills either side).
        int Lum(int[] d, int i) => d[4 * i] + d[4 * i + 1] + d[4 * i + 2];
        var lums = Enumerable.Range(0, 49).Select(i => Lum(b, i)).ToArray();
        Assert.True(lums.Min() < lums.Max() - 150, $"no border at the probe before the selection: {string.Join(",", lums)}");
        int worst = Enumerable.Range(0, b.Length).Max(i => Math.Abs(a[i] - b[i]));
        log.WriteLine($"largest channel difference after deselection: {worst}; before {string.Join(",", lums)}; after {string.Join(",", Enumerable.Range(0, 49).Select(i => Lum(a, i)))}");
        Assert.True(worst <= 24, $"the border around {edge} changed after selecting and deselecting {cell}: a channel moved by {worst}");
    });

    /// <summary>A fresh page per test; a screenshot is kept when the test fails; no CSP violation allowed.</summary>
    private Task WithPage(Func<ViewerPage, Task> test, [CallerMemberName] string name = "") =>
        ViewerPage.RunAsync(chromium.Browser, log, test, name);

    /// <summary>A point inside one demo cell, from the study's own file (not from the viewer).</summary>
    private static (string Id, double Lon, double Lat) DemoCellInteriorPoint(int index)
    {
        var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } };
        var cells = JsonSerializer.Deserialize<FeatureCollection>(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "data", "demo", "cells.geojson")), options)!;
        var f = cells[index];
        var p = f.Geometry.InteriorPoint;
        return (f.Attributes["code"].ToString()!, p.X, p.Y);
    }

    private static string DemoCellName(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "data", "demo", "cells.geojson")));
        return doc.RootElement.GetProperty("features")[index].GetProperty("properties").GetProperty("nom").GetString()!;
    }

    /// <summary>The middle of the longest edge of a (Multi)Polygon's first shell, in lon/lat.</summary>
    private static (double Lon, double Lat) LongestEdgeMiddle(JsonElement geometry)
    {
        var coords = geometry.GetProperty("coordinates");
        var ring = geometry.GetProperty("type").GetString() == "MultiPolygon" ? coords[0][0] : coords[0];
        var pts = ring.EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        var edge = pts.Zip(pts.Skip(1)).MaxBy(e => Math.Pow(e.First.X - e.Second.X, 2) + Math.Pow(e.First.Y - e.Second.Y, 2));
        return ((edge.First.X + edge.Second.X) / 2, (edge.First.Y + edge.Second.Y) / 2);
    }

    private static List<Dictionary<string, string>> ReadCsv(string path) => TestCsv.Read(path);
}
