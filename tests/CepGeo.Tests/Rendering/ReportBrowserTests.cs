using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Viewer;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CepGeo.Tests.Rendering;

/// <summary>The demo's report.html as a planner opens it: from disk, in Chromium, with no network at all.</summary>
public sealed partial class ReportBrowserTests(ChromiumBrowser chromium, DemoAnalyzeOutput demo, ITestOutputHelper log)
    : IClassFixture<ChromiumBrowser>, IClassFixture<DemoAnalyzeOutput>, IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "cepgeo-report-browser-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Report_OpensFromDisk_WithoutNetwork_AndEveryMapDecodes()
    {
        // analyze's demo output with its maps and report (DemoAnalyzeOutput: written once per test run).
        string report = Path.Combine(demo.Dir, "report.html");

        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 }, Offline = true });
        var attempted = new List<string>();
        // Every request that is not the file itself (or an inline data: URI) is recorded and aborted.
        await context.RouteAsync("**/*", async route =>
        {
            string url = route.Request.Url;
            if (url.StartsWith("file://", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                attempted.Add(url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith("file://", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !attempted.Contains(r.Url))
                attempted.Add(r.Url);
        };
        string shot = Path.Combine(ChromiumBrowser.ScreenshotDir, "report.png");
        try
        {
            await page.GotoAsync(new Uri(report).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            var widths = await page.EvaluateAsync<int[]>("() => Array.from(document.querySelectorAll('figure.map:not(.fiche-map) img'), i => i.complete ? i.naturalWidth : 0)");
            int figures = await page.Locator("figure.map:not(.fiche-map) img").CountAsync();
            // One zoomed map per fiche territoire (4 cells), inline SVG on the 1600-unit sheet, laid out by the browser at the
            // figure's width and with the sheet's proportions.
            var ficheBoxes = await page.EvaluateAsync<double[][]>("() => Array.from(document.querySelectorAll('figure.fiche-map > svg'), s => { const b = s.getBoundingClientRect(); return [b.width, b.height, s.viewBox.baseVal.width, s.querySelectorAll('path, use').length]; })");
            Assert.Equal(4, ficheBoxes.Length);
            Assert.All(ficheBoxes, b =>
            {
                Assert.Equal(MapLayout.ScreenWidth, b[2]);
                Assert.True(b[0] > 500, $"a fiche map {b[0]} px wide");
                Assert.InRange(b[1] / b[0], 1 / Math.Sqrt(2) - 0.01, 1 / Math.Sqrt(2) + 0.01);
                Assert.True(b[3] >= 8, $"{b[3]} paths on a fiche map");
            });
            // The overview, one misfit map per operator (3) and the operator pairs.
            Assert.True(figures >= 4, $"{figures} maps");
            Assert.Equal(figures, widths.Length);
            Assert.All(widths, w => Assert.Equal(1600, w));
            // Nothing wider than the page: tables scroll inside their box rather than overflow it.
            int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"the page is {overflow} px wider than the window");
            Assert.Empty(attempted);
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            // The same page in screen-sized parts, to be looked at.
            int height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            for (int y = 0, i = 0; y < height; y += 1500, i++)
                await page.ScreenshotAsync(new()
                {
                    Path = Path.Combine(ChromiumBrowser.ScreenshotDir, $"report-part{i}.png"), FullPage = true,
                    Clip = new() { X = 0, Y = y, Width = 1200, Height = Math.Min(1500, height - y) },
                });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "FAILED-report.png"), FullPage = true });
            log.WriteLine($"screenshot: {Path.Combine(ChromiumBrowser.ScreenshotDir, "FAILED-report.png")}");
            throw;
        }
    }

    [Fact]
    public async Task Report_InPrintAtA4PortraitWidth_NeedsNoHorizontalScroll_AndBodyTextIsAtLeast9pt()
    {
        // A4 portrait (210 mm) less the report's 12 mm margins: 186 mm = 703 CSS px.
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 703, Height = 1000 }, Offline = true });
        var page = await context.NewPageAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.GotoAsync(new Uri(Path.Combine(demo.Dir, "report.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the printed page is {overflow} px wider than A4's text width");
        // Every element holding text of its own (codes aside, a smaller style by design): 9 pt = 12 CSS px.
        var small = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.body.querySelectorAll('*'))
              .filter(e => !e.closest('code') && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
              .filter(e => parseFloat(getComputedStyle(e).fontSize) < 12)
              .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40) + ' ' + getComputedStyle(e).fontSize)
            """);
        Assert.True(small.Length == 0, string.Join("\n", small.Take(10)));
        int fiches = await page.Locator("section.fiche").CountAsync();
        Assert.Equal(4, fiches);
        var breaks = await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('section.fiche'), e => getComputedStyle(e).breakBefore)");
        // Every fiche starts a page (the part's heading is not printed: each fiche carries its own title).
        Assert.All(breaks, b => Assert.Equal("page", b));
        await page.PdfAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "report-print.pdf"), Format = "A4", PrintBackground = true });
    }

    /// <summary>
    /// Printed by Chromium to A4, PACA's report has exactly one page per fiche: the page count of
    /// the fiches printed alone is the number of cells (22), and no fiche's text is cut off at its page's foot.
    /// </summary>
    [Fact]
    public async Task PacaReport_PrintedToA4_HasOnePagePerFiche()
    {
        // PACA's analyze output with its maps and report (PacaAnalyzeOutput: written once per test run);
        // the PDFs go to this class's own folder.
        Assert.True(PacaAnalyzeOutput.Run.ExitCode == 0, PacaAnalyzeOutput.Run.Err);
        Directory.CreateDirectory(_out);
        await using var context = await chromium.Browser.NewContextAsync(new() { Offline = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Path.Combine(PacaAnalyzeOutput.Dir, "report.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        int fiches = await page.Locator("section.fiche").CountAsync();
        Assert.Equal(22, fiches);
        string withFiches = Path.Combine(_out, "print.pdf"), without = Path.Combine(_out, "print-without.pdf");
        await page.PdfAsync(new() { Path = withFiches, Format = "A4", PrintBackground = true });
        // Nothing of a fiche hidden by its one-page box: the last element of each ends inside it.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var cut = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('section.fiche')).filter(f => {
              const box = f.getBoundingClientRect();
              const last = Array.from(f.querySelectorAll('p,tr,h3')).filter(e => e.offsetParent !== null).pop();
              return last && last.getBoundingClientRect().bottom > box.bottom + 0.5;
            }).map(f => f.dataset.cell)
            """);
        Assert.True(cut.Length == 0, "fiches cut at the page's foot: " + string.Join(", ", cut));
        File.Copy(withFiches, Path.Combine(ChromiumBrowser.ScreenshotDir, "paca-report-print.pdf"), overwrite: true);
        // Still in print media (page.pdf prints the emulated media: screen would lay out another document).
        // The fiches alone (everything else hidden): as many pages as fiches, none spilling onto a second page.
        await page.AddStyleTagAsync(new() { Content = "body>*:not(#fiches){display:none !important}" });
        await page.PdfAsync(new() { Path = without, Format = "A4", PrintBackground = true });
        int Pages(string pdf) => PageObjects().Matches(System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(pdf))).Count;
        int all = Pages(withFiches), alone = Pages(without);
        log.WriteLine($"report.html printed: {all} pages, the fiches alone {alone}");
        Assert.Equal(fiches, alone);
        Assert.True(all > fiches, $"{all} pages in all");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial System.Text.RegularExpressions.Regex PageObjects();

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
