using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Design;

namespace CepGeo.Tests.Cli;

/// <summary>
/// Ctrl+C during the maps acts at the next image, fiche or file, not after all of them (issue 25: 6 s to act
/// on a region). Nothing is created after the cancellation.
/// </summary>
public class MapCancelTests
{
    private static readonly Core.Metrics.AnalysisResult Result = DesignFixture.Analyse(
        [DesignFixture.Km(0, 0, 10, 10), DesignFixture.Km(10, 0, 20, 10)],
        [("ml", [DesignFixture.Km(0, 0, 12, 10), DesignFixture.Km(12, 0, 20, 10)])]);

    private static (List<string> Created, Exception? Thrown, List<string> Started) Render(string cancelAt)
    {
        var created = new List<string>();
        var started = new List<string>();
        using var cts = new CancellationTokenSource();
        var thrown = Record.Exception(() => MapFiles.Write(Result, name =>
            {
                lock (created) created.Add(name);
                return Stream.Null;
            }, "maps/", "both", MapText.Fr, lambert93: false, print: true, "test", "2026-01-01", cancel: cts.Token,
            onMap: name =>
            {
                started.Add(name);
                if (name == cancelAt) cts.Cancel();
            }));
        return (created, thrown, started);
    }

    [Fact]
    public void CancelledAtTheFirstMap_NoImageOfItIsWritten()
    {
        var (_, _, all) = Render("none");
        string first = all[0];
        var (created, thrown, started) = Render(first);
        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        // The study's maps are drawn side by side (issue 28): the maps other workers had already begun may have started too,
        // but none is written.
        Assert.Contains(first, started);
        Assert.InRange(started.Count, 1, Environment.ProcessorCount + 1);
        // Before: the first map's PNG, SVG and A4 PNG were all written before the next check.
        Assert.Empty(created);
    }

    [Fact]
    public void AtlasCancelled_Throws_BeforeAnyPage()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var fonts = MapFiles.LoadFonts();
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", false, Core.Reporting.ReportContent.Build(Result).Names);
        using var pdf = new MemoryStream();
        Assert.IsAssignableFrom<OperationCanceledException>(Record.Exception(() => Core.Reporting.AtlasPdf.Write(pdf,
            MapScene.Build(Result, false), Core.Reporting.ReportContent.Build(Result), options, "fixture", cancel: cts.Token)));
        Assert.True(Core.Reporting.AtlasPdf.Write(new MemoryStream(), MapScene.Build(Result, false), Core.Reporting.ReportContent.Build(Result), options, "fixture").Pages >= 1);
    }

    [Fact]
    public void CancelledAtTheFiches_NeitherReportNorAtlas()
    {
        var (all, _, allStarted) = Render("none");
        Assert.Contains("maps/overview.png", all);
        Assert.Equal(["fiches", "report.html"], allStarted.TakeLast(2));
        var (created, thrown, _) = Render("fiches");
        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.DoesNotContain("report.html", created);
        Assert.DoesNotContain("atlas.pdf", created);
        Assert.Equal(all.Where(n => n.StartsWith("maps/", StringComparison.Ordinal)).Order(), created.Order());
    }
}
