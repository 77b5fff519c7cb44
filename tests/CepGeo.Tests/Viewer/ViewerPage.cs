using System.Collections.Concurrent;
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

    /// <summary>The desktop viewport every test page starts at.</summary>
    private const int Width = 1400, Height = 900;

    /// <summary>
    /// Pages a test finished with, each in its own context, on about:blank at the desktop viewport, ready
    /// for the next test (CI time, issue 28): a fresh context starts a fresh renderer process, and that
    /// start-up was most of Chromium's CPU for a viewer test (demo page, 10 loads alternated at load 32:
    /// 2.2-2.5 s in a new context each, 1.0 s on a page navigated again). What a test sees stays its
    /// own: a new document (the viewer keeps no cookie or storage, and sends no cache headers, so every
    /// file is fetched again), the desktop viewport, its own screenshot on failure.
    /// </summary>
    private static readonly ConcurrentBag<(IBrowserContext Context, IPage Page)> Idle = [];

    /// <summary>
    /// Runs a test on a page of its own (1400 × 900, on about:blank): a screenshot is kept when it fails,
    /// and it fails when the browser refused anything under the page's Content-Security-Policy. The page
    /// is a pooled one that an earlier test left (see <see cref="Idle"/>) unless <paramref name="fresh"/>
    /// asks for a new context (a test that measures a first load in a new renderer: the national page).
    /// A page whose test failed is closed, never reused.
    /// </summary>
    public static async Task RunAsync(IBrowser browser, ITestOutputHelper log, Func<ViewerPage, Task> test, [CallerMemberName] string name = "", bool fresh = false)
    {
        var (context, raw) = !fresh && Idle.TryTake(out var idle) ? idle : await NewAsync(browser);
        var page = new ViewerPage(raw);
        void Csp(object? sender, IConsoleMessage m)
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) page.CspViolations.Add(m.Text);
        }
        raw.Console += Csp;
        bool passed = false;
        try
        {
            await test(page);
            Assert.True(page.CspViolations.Count == 0, string.Join("\n", page.CspViolations));
            passed = true;
        }
        catch
        {
            string shot = Path.Combine(ChromiumBrowser.ScreenshotDir, $"FAILED-{name}.png");
            await page.Page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            log.WriteLine($"screenshot: {shot}");
            throw;
        }
        finally
        {
            raw.Console -= Csp;
            if (passed && !fresh && await ResetAsync(raw)) Idle.Add((context, raw));
            else await context.CloseAsync();
        }
    }

    private static async Task<(IBrowserContext, IPage)> NewAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = Width, Height = Height }, AcceptDownloads = true });
        return (context, await context.NewPageAsync());
    }

    /// <summary>Back to an empty document at the desktop viewport; false when the page cannot be (it is closed then).</summary>
    private static async Task<bool> ResetAsync(IPage page)
    {
        try
        {
            await page.GotoAsync("about:blank");
            if (page.ViewportSize is not { Width: Width, Height: Height }) await page.SetViewportSizeAsync(Width, Height);
            return page.Url == "about:blank";
        }
        catch (PlaywrightException)
        {
            return false;
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
