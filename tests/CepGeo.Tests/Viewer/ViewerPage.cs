using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer's one screen, read through the state it publishes on &lt;body data-*&gt;.</summary>
internal sealed class ViewerPage(IPage page)
{
    public IPage Page => page;

    /// <summary>Messages the browser logged about the Content-Security-Policy (a blocked script, style or image).</summary>
    public List<string> CspViolations { get; } = [];

    /// <summary>
    /// Runs a test on a fresh page (1400 × 900): a screenshot is kept when it fails, and it fails when
    /// the browser refused anything under the page's Content-Security-Policy.
    /// </summary>
    public static async Task RunAsync(IBrowser browser, ITestOutputHelper log, Func<ViewerPage, Task> test, [CallerMemberName] string name = "")
    {
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, AcceptDownloads = true });
        var page = new ViewerPage(await context.NewPageAsync());
        page.Page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) page.CspViolations.Add(m.Text);
        };
        try
        {
            await test(page);
            Assert.True(page.CspViolations.Count == 0, string.Join("\n", page.CspViolations));
        }
        catch
        {
            string shot = Path.Combine(ChromiumBrowser.ScreenshotDir, $"FAILED-{name}.png");
            await page.Page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            log.WriteLine($"screenshot: {shot}");
            throw;
        }
    }

    public async Task<Dictionary<string, int>> LayerCounts() =>
        JsonSerializer.Deserialize<Dictionary<string, int>>((await Body("layer-counts"))!)!;

    /// <summary>[west, south, east, north] of the map view.</summary>
    public async Task<double[]> View() => JsonSerializer.Deserialize<double[]>((await Body("view"))!)!;

    public async Task OpenAsync(Uri url)
    {
        await page.GotoAsync(url.ToString());
        // A guard, not a measure (the benchmark times the page): the national page on a loaded two-core
        // machine, four test classes at a time, once took over 30 s (issue 28's CI runs).
        await page.WaitForSelectorAsync("body[data-status='ready'], body[data-status='error']", new() { Timeout = 90_000 });
        Assert.Equal("ready", await Body("status"));
    }

    public async Task<string?> Body(string name) => await page.GetAttributeAsync("body", "data-" + name);

    public async Task<string[]> LoadedLayers() => ((await Body("loaded-layers")) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    public async Task<string[]> VisibleLayers() => ((await Body("visible-layers")) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    public async Task<Dictionary<string, string>> CellFills() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>((await Body("cell-fills"))!)!;

    public Task SetLayerAsync(string key, bool visible) => page.Locator($"#layer-list input[data-layer='{key}']").SetCheckedAsync(visible);

    public Task SelectMetricAsync(string metric) => page.Locator("#metric").SelectOptionAsync(metric);

    /// <summary>Clicks the map at a lon/lat point, as a person would.</summary>
    public async Task ClickMapAsync(double lon, double lat)
    {
        var p = await page.EvaluateAsync<JsonElement>("([lon, lat]) => window.cepgeo.pointOf(lon, lat)", new[] { lon, lat });
        await page.Mouse.ClickAsync(p.GetProperty("x").GetSingle(), p.GetProperty("y").GetSingle());
    }

    /// <summary>The partner rows of the side panel for one operator: zone id → share of the cell (area).</summary>
    public async Task<Dictionary<string, double>> PartnerRows(string op)
    {
        var rows = page.Locator($"#panel tr.partner[data-operator='{op}']");
        var result = new Dictionary<string, double>();
        for (int i = 0; i < await rows.CountAsync(); i++)
            result[(await rows.Nth(i).GetAttributeAsync("data-zone-id"))!] =
                double.Parse((await rows.Nth(i).GetAttributeAsync("data-share-area"))!, System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    public async Task<byte[]> DownloadAsync(string selector)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(selector).ClickAsync());
        string path = Path.Combine(Path.GetTempPath(), "cepgeo-dl-" + Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(path);
        try { return await File.ReadAllBytesAsync(path); }
        finally { File.Delete(path); }
    }
}
