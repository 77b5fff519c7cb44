using System.Text;
using System.Text.RegularExpressions;
using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Design;

namespace CepGeo.Tests.Reporting;

/// <summary>
/// atlas.pdf on PACA (22 cells, three networks, up to 8 partner zones a cell): the synthèse, then exactly one A4 page per
/// territory, each at full size (no fiche shrunk to fit: its text stays at 9 pt or more).
/// </summary>
public sealed partial class AtlasPageTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    [Fact]
    public void PacaAtlas_HasTheSynthesePagesThenOnePagePerCell_NoneShrunk()
    {
        var r = paca.Result;
        using var fonts = MapFiles.LoadFonts();
        var content = ReportContent.Build(r);
        var options = new MapOptions(fonts, MapText.Fr, "test", "2026-01-01", Names: content.Names);
        var scene = MapScene.Build(r, lambert93: true);
        using var pdf = new MemoryStream();
        var layout = AtlasPdf.Write(pdf, scene, content, options, r.Study.Name);

        int cells = r.Infos[0].Ids.Count;
        Assert.Equal(22, cells);
        // Page objects counted in the file itself, not taken from the writer's word.
        int pages = PageObjects().Matches(Encoding.Latin1.GetString(pdf.ToArray())).Count;
        Assert.Equal(layout.Pages, pages);
        // 22 rows of the heat table and the sentences hold on one page.
        Assert.Equal(1, layout.SynthesePages);
        Assert.Equal(1 + cells, pages);
        // A size a planner can e-mail: dashes written as plain strokes and paths snapped to the half pixel (issue 28) took
        // the PACA atlas from 8.1 MB (dashes turned into filled outlines by Skia's PDF backend) to 3.8 MB; lines at print
        // resolution (each shared edge once, simplified to 0.2 pt: PrintPathTests) to 2.1 MB, 0.75 MB of it the fonts.
        Assert.InRange(pdf.Length, 1 << 20, 11 << 18);
        Assert.Equal(cells, layout.Fiches.Count);
        Assert.All(layout.Fiches, f => Assert.True(f.Scale == 1, $"{f.CellId} shrunk to {f.Scale:0.00}"));
        // The map gets the room the text leaves: at least 55 % of the text width, never more than 90 %.
        float text = AtlasPdf.PageWidth - 72;
        Assert.All(layout.Fiches, f => Assert.InRange(f.MapWidth, text * 0.55f - 0.01f, text * 0.9f + 0.01f));
        // A cell with more partner zones than its table lists closes it with "autres : n zones".
        var many = content.Fiches.SelectMany(f => f.Operators).First(o => o.Partners.Count > 5);
        var (listed, others, amount, share) = many.TopPartners(3);
        Assert.Equal(3, listed.Count);
        Assert.Contains(listed, p => p.Main);
        Assert.Equal(many.Partners.Count - 3, others);
        Assert.Equal(many.Partners.Sum(p => p.Amount), listed.Sum(p => p.Amount) + amount, 6);
        Assert.Equal(many.Partners.Sum(p => p.Share), listed.Sum(p => p.Share) + share, 9);
    }

    [GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial Regex PageObjects();
}
