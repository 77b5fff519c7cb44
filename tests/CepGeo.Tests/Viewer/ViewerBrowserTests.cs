using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Cli;
using CepGeo.Viewer;
using Microsoft.Playwright;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer in Debian Chromium, on the demo study, checked against the files analyze writes.</summary>
public sealed class ViewerBrowserTests(DemoViewer viewer, ChromiumBrowser chromium, ITestOutputHelper log)
    : IClassFixture<DemoViewer>, IClassFixture<ChromiumBrowser>
{
    /// <summary>analyze's own output for the demo, written once: what the page must agree with.</summary>
    private static readonly Lazy<string> AnalyzeOut = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "cepgeo-viewer-browser-" + Guid.NewGuid().ToString("N"));
        var run = CliRun.Of("analyze", DemoViewer.StudyPath, "--out", dir);
        Assert.True(run.ExitCode == 0, run.Err);
        return dir;
    });

    [Fact]
    public Task Page_LoadsEveryLayer_ToggleHides_AndContactsOnlyLoopback() => WithPage(async page =>
    {
        var requests = new List<string>();
        page.Page.Request += (_, r) => requests.Add(r.Url);
        await page.OpenAsync(viewer.Server.Url);

        Assert.Equal(viewer.Data.Layers.Keys.Order(), (await page.LoadedLayers()).Order());
        Assert.Contains("zones-ml", await page.VisibleLayers());
        await page.SetLayerAsync("zones-ml", false);
        Assert.DoesNotContain("zones-ml", await page.VisibleLayers());
        await page.SetLayerAsync("defects-gap", false);
        Assert.DoesNotContain("defects-gap", await page.VisibleLayers());

        Assert.NotEmpty(requests);
        Assert.All(requests, u => Assert.StartsWith($"http://127.0.0.1:{viewer.Server.Url.Port}/", u));
        log.WriteLine($"demo first paint: {await page.Body("first-paint-ms")} ms");
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "demo.png") });
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

        var csv = ReadCsv(Path.Combine(AnalyzeOut.Value, "pairs.csv"));
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
        var csv = ReadCsv(Path.Combine(AnalyzeOut.Value, "cells.csv"))
            .Where(r => r["cell_layer"] == "cells" && r["operator"] == "ml").ToList();
        double Value(Dictionary<string, string> r, string col) => double.Parse(r[col], CultureInfo.InvariantCulture);

        // Misfit: the worst cell is at least as dark as the best one, on the palette's order.
        string[] palette = ["#fff3e0", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
        var misfitFills = await page.CellFills();
        var best = csv.MinBy(r => Value(r, "misfit"))!;
        var worst = csv.MaxBy(r => Value(r, "misfit"))!;
        Assert.True(Array.IndexOf(palette, misfitFills[worst["cell_id"]]) >= Array.IndexOf(palette, misfitFills[best["cell_id"]]));

        await page.SelectMetricAsync("partners");
        Assert.Equal("partners", await page.Body("metric"));
        var partnerFills = await page.CellFills();
        // Partners 1, 2, 3, 4, 5+ are the palette's classes in order.
        foreach (var r in csv)
            Assert.Equal(palette[Math.Min((int)Value(r, "partners"), 5) - 1], partnerFills[r["cell_id"]]);
    });

    [Fact]
    public Task Exports_DownloadTheGapReportAndAPng() => WithPage(async page =>
    {
        await page.OpenAsync(viewer.Server.Url);
        byte[] gaps = await page.DownloadAsync("#export-gaps");
        using var downloaded = JsonDocument.Parse(gaps);
        using var written = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AnalyzeOut.Value, "gaps.geojson")));
        Assert.Equal("FeatureCollection", downloaded.RootElement.GetProperty("type").GetString());
        Assert.Equal(written.RootElement.GetProperty("features").GetArrayLength(), downloaded.RootElement.GetProperty("features").GetArrayLength());

        byte[] png = await page.DownloadAsync("#export-png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        Assert.True(png.Length > 5_000, $"{png.Length} bytes: an empty map?");
    });

    [Fact]
    public async Task Paca_Opens_AndPaintsEveryLayer()
    {
        string study = Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json");
        var data = ViewerData.FromAnalysis(Analysis.Run(StudyFiles.Read(study), StudyFiles.LoadLayer, StudyFiles.LoadWeights), "test");
        await using var server = await ViewerServer.StartAsync(data, 0);
        await WithPage(async page =>
        {
            await page.OpenAsync(server.Url);
            Assert.Equal(data.Layers.Keys.Order(), (await page.LoadedLayers()).Order());
            log.WriteLine($"PACA first paint: {await page.Body("first-paint-ms")} ms");
            await page.SetLayerAsync("defects-straddle", true);
            await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "paca.png") });
        });
    }

    /// <summary>A fresh page per test; a screenshot is kept when the test fails.</summary>
    private async Task WithPage(Func<ViewerPage, Task> test, [CallerMemberName] string name = "")
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        try
        {
            await test(new ViewerPage(page));
        }
        catch
        {
            string shot = Path.Combine(ChromiumBrowser.ScreenshotDir, $"FAILED-{name}.png");
            await page.ScreenshotAsync(new() { Path = shot });
            log.WriteLine($"screenshot: {shot}");
            throw;
        }
    }

    /// <summary>A point inside one demo cell, from the study's own file (not from the viewer).</summary>
    private static (string Id, double Lon, double Lat) DemoCellInteriorPoint(int index)
    {
        var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } };
        var cells = JsonSerializer.Deserialize<FeatureCollection>(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "data", "demo", "cells.geojson")), options)!;
        var f = cells[index];
        var p = f.Geometry.InteriorPoint;
        return (f.Attributes["code"].ToString()!, p.X, p.Y);
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        // The ids and numbers compared here hold no comma or quote.
        return [.. lines.Skip(1).Select(l => l.Split(',')).Where(v => v.Length == header.Length)
            .Select(v => header.Zip(v).ToDictionary(p => p.First, p => p.Second))];
    }
}
