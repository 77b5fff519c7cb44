using System.Text.Json;
using Microsoft.Playwright;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer's one screen, read through the state it publishes on &lt;body data-*&gt;.</summary>
internal sealed class ViewerPage(IPage page)
{
    public IPage Page => page;

    public async Task OpenAsync(Uri url)
    {
        await page.GotoAsync(url.ToString());
        await page.WaitForSelectorAsync("body[data-status='ready'], body[data-status='error']", new() { Timeout = 30_000 });
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
