using System.Text.Json;
using AngleSharp.Html.Parser;
using CepGeo.Cli.Commands;
using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Cli;
using SkiaSharp;

namespace CepGeo.Tests.Rendering;

/// <summary>report.html as analyze writes it, parsed: self-contained, complete, and true to summary.json.</summary>
public sealed class HtmlReportTests(DemoMaps demo) : IClassFixture<DemoMaps>
{
    private AngleSharp.Html.Dom.IHtmlDocument Report() => new HtmlParser().ParseDocument(File.ReadAllText(demo.Path_("report.html")));

    [Fact]
    public void Report_ReferencesNoNetworkResource()
    {
        Assert.Equal(0, demo.Run.ExitCode);
        var doc = Report();
        foreach (var el in doc.All)
            foreach (var attr in el.Attributes.Where(a => a.Name is "src" or "href" or "srcset" or "data" or "action"))
                Assert.DoesNotMatch("^\\s*(https?:)?//", attr.Value);
        Assert.Empty(doc.QuerySelectorAll("script[src], link, iframe, object, embed"));
        foreach (var style in doc.QuerySelectorAll("style"))
        {
            Assert.DoesNotContain("@import", style.TextContent, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("url(", style.TextContent, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("http://", File.ReadAllText(demo.Path_("report.html")), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", File.ReadAllText(demo.Path_("report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EmbedsEveryStudyMapAsAPngDataUri_ThePixelsOfTheMapLetteredForPrint()
    {
        var doc = Report();
        // What MapFiles draws for the report: the study's display names, lettering 1.6 times the screen map's.
        var printed = demo.Options with { Version = CliApp.Version, Names = ReportContent.Build(demo.Result).Names, TextScale = 1.6f };
        foreach (var spec in MapRenderer.Plan(demo.Result))
        {
            var img = doc.QuerySelector($"figure[data-map='{spec.Name}'] img");
            Assert.NotNull(img);
            string src = img.GetAttribute("src")!;
            Assert.StartsWith("data:image/png;base64,", src, StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
            Assert.Equal(1600, bitmap.Width);
            // Drawn once with maps/NAME.png (their ground shared), yet the same pixels as the map drawn whole for the report.
            using var whole = new MemoryStream();
            MapRenderer.WritePng(whole, demo.Scene, spec, printed);
            using var expected = SKBitmap.Decode(whole.ToArray());
            Assert.Equal(expected.Pixels, bitmap.Pixels);
        }
    }

    [Fact]
    public void Report_SummaryNumbers_EqualSummaryJson()
    {
        var doc = Report();
        using var summary = JsonDocument.Parse(File.ReadAllText(demo.Path_("summary.json")));
        var operators = summary.RootElement.GetProperty("operators");
        int compared = 0;
        foreach (var op in operators.EnumerateObject())
        {
            var row = doc.QuerySelector($"table[data-table='operators'] tr[data-operator='{op.Name}']");
            Assert.NotNull(row);
            foreach (var cell in row.QuerySelectorAll("[data-field]"))
            {
                string field = cell.GetAttribute("data-field")!;
                var expected = op.Value.GetProperty(field);
                string value = cell.GetAttribute("data-value")!;
                if (expected.ValueKind == JsonValueKind.Null) Assert.Equal("", value);
                else Assert.Equal(expected.GetDouble(), DemoMaps.D(value));
                compared++;
            }
        }
        Assert.Equal(demo.Result.Comparisons.Count * 11, compared);
    }

    [Fact]
    public void Report_HasEveryOperator_AndItsWorstCellsOrderedByMisfitFromCellsCsv()
    {
        var doc = Report();
        var rows = demo.CellsCsv();
        foreach (var key in demo.Result.Study.Operators.Select(o => o.Key))
        {
            var section = doc.QuerySelector($"section.operator[data-operator='{key}']");
            Assert.NotNull(section);
            var expected = rows.Where(r => r["operator"] == key).Select(r => (Id: r["cell_id"], Misfit: DemoMaps.D(r["misfit"])))
                .OrderByDescending(r => r.Misfit).ThenBy(r => r.Id, StringComparer.Ordinal).Take(10).ToList();
            var listed = section.QuerySelectorAll("table.worst tr[data-cell]")
                .Select(tr => (Id: tr.GetAttribute("data-cell")!, Misfit: DemoMaps.D(tr.GetAttribute("data-misfit")!))).ToList();
            Assert.Equal(expected, listed);
            // Each listed cell names its significant partner zones with their shares.
            foreach (var tr in section.QuerySelectorAll("table.worst tr[data-cell]"))
                Assert.Matches(@"\(\d+ %\)", tr.Children[4].TextContent);
        }
    }

    [Fact]
    public void Report_ListsEveryGapAndTheMethodWithTheTolerances()
    {
        var doc = Report();
        foreach (var c in demo.Result.Comparisons)
            foreach (var d in c.Defects.Where(d => d.Kind is DefectKind.Gap or DefectKind.DoubleCoverage))
                Assert.NotNull(doc.QuerySelector($"section.operator[data-operator='{c.Operator}'] tr[data-defect='{d.Id}']"));
        var method = doc.QuerySelector("#method")!.TextContent;
        Assert.Contains("50 m", method, StringComparison.Ordinal);
        Assert.Contains("95 %", method, StringComparison.Ordinal);
        Assert.NotNull(doc.QuerySelector("#load"));
        Assert.Equal("fr", doc.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public void Analyze_WithNoMaps_WritesNoMapsAndNoReport()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cepgeo-nomaps-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("analyze", "--out", dir, "--no-maps");
            Assert.Equal(0, run.ExitCode);
            Assert.True(File.Exists(Path.Combine(dir, "summary.json")));
            Assert.False(Directory.Exists(Path.Combine(dir, "maps")));
            Assert.False(File.Exists(Path.Combine(dir, "report.html")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Render_InEnglishAsSvg_WritesSvgMapsAndAnEnglishReport()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cepgeo-render-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("render", "--out", dir, "--format", "svg", "--lang", "en", "--date", DemoMaps.Date);
            Assert.Equal(0, run.ExitCode);
            Assert.True(File.Exists(Path.Combine(dir, "misfit-cap.svg")));
            Assert.False(File.Exists(Path.Combine(dir, "misfit-cap.png")));
            var doc = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(dir, "report.html")));
            Assert.Equal("en", doc.DocumentElement.GetAttribute("lang"));
            Assert.Contains("Summary per operator", doc.Body!.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
