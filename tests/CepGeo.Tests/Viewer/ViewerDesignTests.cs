using System.Net;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Tests.Cli;
using CepGeo.Viewer;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>The demo study with `cepgeo design snap --to ml`'s output, as `cepgeo view STUDY --design DIR` serves it.</summary>
public sealed class DesignViewer : IAsyncLifetime
{
    public string DesignDir { get; } = Path.Combine(Path.GetTempPath(), "cepgeo-viewer-design-" + Guid.NewGuid().ToString("N"));

    public ViewerServer Server { get; private set; } = null!;

    public ViewerData Data { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var run = CliRun.Of("design", "snap", DemoViewer.StudyPath, "--to", "ml", "--out", DesignDir);
        Assert.True(run.ExitCode == 0, run.Err);
        var plain = ViewerData.FromAnalysis(Analysis.Run(StudyFiles.Read(DemoViewer.StudyPath), StudyFiles.LoadLayer, StudyFiles.LoadWeights), "test");
        Data = ViewCommand.AddDesign(new CliContext(new StringWriter(), new StringWriter(), color: false), plain, DesignDir);
        Server = await ViewerServer.StartAsync(Data, port: 0);
        Http = new HttpClient { BaseAddress = Server.Url };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(DesignDir)) Directory.Delete(DesignDir, recursive: true);
    }
}

public sealed class ViewerDesignTests(DesignViewer viewer, ChromiumBrowser chromium, ITestOutputHelper log)
    : IClassFixture<DesignViewer>, IClassFixture<ChromiumBrowser>
{
    /// <summary>design.geojson as the design command wrote it, read here independently of the viewer.</summary>
    private JsonDocument DesignFile() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(viewer.DesignDir, "design.geojson")));

    [Fact]
    public async Task DesignLayer_HasOnePerimeterPerFeatureOfDesignGeojson_WithBeforeAndAfterMisfit()
    {
        using var file = DesignFile();
        var expected = file.RootElement.GetProperty("features").EnumerateArray().ToList();
        // Snap on the demo: the 3 Missions locales go whole to 3 of the 4 cells (README).
        Assert.Equal(3, expected.Count);

        var response = await viewer.Http.GetAsync("api/layers/design");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ViewerEndpoints.GeoJsonContentType, response.Content.Headers.ContentType!.MediaType);
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var features = served.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected.Count, features.Count);
        foreach (var (want, got) in expected.Zip(features))
        {
            var w = want.GetProperty("properties");
            var g = got.GetProperty("properties");
            Assert.Equal(w.GetProperty("id").GetString(), g.GetProperty("id").GetString());
            Assert.Equal(w.GetProperty("before_cell").GetString(), g.GetProperty("before_cell").GetString());
            // Snapped to ml: every perimeter nests the Missions locales.
            Assert.Equal(0, g.GetProperty("ml_misfit").GetDouble());
            Assert.Equal(w.GetProperty("ml_misfit_before").GetDouble(), g.GetProperty("ml_misfit_before").GetDouble(), 12);
            Assert.Equal(w.GetProperty("pe_misfit").GetDouble(), g.GetProperty("pe_misfit").GetDouble(), 12);
        }
    }

    [Fact]
    public async Task Study_DescribesTheDesign_FromItsHeader()
    {
        using var study = JsonDocument.Parse(await viewer.Http.GetStringAsync("api/study"));
        var d = study.RootElement.GetProperty("design");
        using var file = DesignFile();
        var header = file.RootElement.GetProperty("cepgeo");
        Assert.Equal("snap", d.GetProperty("kind").GetString());
        Assert.Equal(3, d.GetProperty("perimeters").GetInt32());
        Assert.Equal(4, d.GetProperty("cells_before").GetInt32());
        Assert.Equal(header.GetProperty("totals").GetProperty("pe").GetProperty("misfit_km2_after").GetDouble(),
            d.GetProperty("totals").GetProperty("pe").GetProperty("misfit_km2_after").GetDouble());
        Assert.Contains("design", study.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("key").GetString()));
    }

    [Fact]
    public void View_WithAFolderThatIsNotADesign_IsAnInputError()
    {
        string empty = Path.Combine(Path.GetTempPath(), "cepgeo-not-a-design-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            var run = CliRun.Of("view", DemoViewer.StudyPath, "--design", empty, "--port", "0");
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("design.geojson", run.Err);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public Task Page_DrawsTheDesignLayer_WithItsFeatures_ToggleAndLegend() => ViewerPage.RunAsync(chromium.Browser, log, async page =>
    {
        using var file = DesignFile();
        int count = file.RootElement.GetProperty("features").GetArrayLength();
        await page.OpenAsync(viewer.Server.Url);

        Assert.Equal("snap", await page.Body("design"));
        Assert.Contains("design", await page.VisibleLayers());
        Assert.Equal(count, (await page.LayerCounts())["design"]);
        Assert.Equal(4, (await page.LayerCounts())["cells"]);

        // The legend: the design, its perimeters, and ml's misfit before → after from the file's header.
        var legend = page.Page.Locator("#design-legend");
        Assert.True(await legend.IsVisibleAsync());
        Assert.Contains($"{count} périmètres", await legend.InnerTextAsync());
        double before = file.RootElement.GetProperty("cepgeo").GetProperty("totals").GetProperty("ml").GetProperty("misfit_km2_before").GetDouble();
        Assert.Contains(before.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).Replace('.', ',') + " → 0",
            await legend.Locator("tr[data-operator='ml']").InnerTextAsync());

        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "design.png") });
        await page.SetLayerAsync("design", false);
        Assert.DoesNotContain("design", await page.VisibleLayers());
    });
}
