using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Cli;

namespace CepGeo.Tests.Rendering;

/// <summary>
/// A study no other test has seen (the demo generator with another seed), analysed as a user would: the first
/// screen of report.html names each operator's worst cell by population, every cell has its fiche, every misfit
/// map carries the cells' names, and atlas.pdf has a page per cell at least.
/// </summary>
public sealed partial class UnseenStudyReportTests(UnseenStudyReportTests.Analysed unseen) : IClassFixture<UnseenStudyReportTests.Analysed>
{
    private const string Seed = "20261207";

    /// <summary>
    /// The unseen study generated and analysed once for the class (both tests read the same output;
    /// neither writes into it), removed when the class is done.
    /// </summary>
    public sealed class Analysed : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "cepgeo-unseen-" + Guid.NewGuid().ToString("N"));

        public Analysed()
        {
            string study = Path.Combine(_dir, "study");
            var gen = CliRun.Of("demo", "generate", "--out", study, "--seed", Seed);
            Assert.True(gen.ExitCode == 0, gen.Err);
            Out = Path.Combine(_dir, "out");
            var run = CliRun.Of("analyze", Path.Combine(study, "study.json"), "--out", Out, "--format", "both", "--date", "2026-01-01");
            Assert.True(run.ExitCode == 0, run.Err);
            Cells = TestCsv.Read(Path.Combine(Out, "cells.csv")).Where(r => r["cell_layer"] == "cells").ToList();
        }

        public string Out { get; }

        public List<Dictionary<string, string>> Cells { get; }

        public void Dispose()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }
    }

    private (string Out, List<Dictionary<string, string>> Cells) Analyse() => (unseen.Out, unseen.Cells);

    [Fact]
    public void UnseenStudy_FirstScreenOfTheReport_NamesEachOperatorsHighestPopMisfitCell_AndEveryCellHasItsFiche()
    {
        var (output, cells) = Analyse();
        var doc = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(output, "report.html")));
        string text = Spaces().Replace(doc.Body!.TextContent, " ").Trim();
        string firstScreen = text[..Math.Min(2500, text.Length)];
        foreach (var op in cells.Select(r => r["operator"]).Distinct())
        {
            var worst = cells.Where(r => r["operator"] == op)
                .OrderByDescending(r => double.Parse(r["pop_misfit"], CultureInfo.InvariantCulture)).First();
            Assert.Contains(DisplayNames.Clean(worst["cell_name"]), firstScreen, StringComparison.Ordinal);
            string popMisfit = double.Parse(worst["pop_misfit"], CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture).Replace('.', ',');
            Assert.Contains($"{DisplayNames.Clean(worst["cell_name"])} ({popMisfit})", firstScreen, StringComparison.Ordinal);
        }
        foreach (var cell in cells.Select(r => (Id: r["cell_id"], Name: r["cell_name"])).Distinct())
        {
            var fiche = doc.QuerySelector($"section.fiche[data-cell='{cell.Id}']");
            Assert.NotNull(fiche);
            Assert.Contains(DisplayNames.Clean(cell.Name), fiche.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(fiche.QuerySelector("figure.fiche-map svg"));
        }
    }

    [Fact]
    public void UnseenStudy_EveryMisfitMapSvg_CarriesEveryCellsName_AndTheAtlasHasAPagePerCell()
    {
        var (output, cells) = Analyse();
        var names = cells.Select(r => DisplayNames.Clean(r["cell_name"])).Distinct().ToList();
        var svgs = Directory.GetFiles(Path.Combine(output, "maps"), "misfit-*.svg");
        Assert.Equal(cells.Select(r => r["operator"]).Distinct().Count(), svgs.Length);
        foreach (string svg in svgs)
        {
            string xml = System.Net.WebUtility.HtmlDecode(File.ReadAllText(svg));
            foreach (string name in names) Assert.Contains(name, xml, StringComparison.Ordinal);
        }
        byte[] pdf = File.ReadAllBytes(Path.Combine(output, "atlas.pdf"));
        Assert.True(pdf.AsSpan(0, 5).SequenceEqual("%PDF-"u8));
        int pages = PageObjects().Matches(Encoding.Latin1.GetString(pdf)).Count;
        Assert.True(pages >= 1 + names.Count, $"{pages} pages for {names.Count} cells");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial Regex PageObjects();
}
