using System.Globalization;
using System.Text.Json;
using CepGeo.Core.Rendering;
using CepGeo.Core.Reporting;
using CepGeo.Tests.Rendering;

namespace CepGeo.Tests.Reporting;

/// <summary>
/// The synthèse's numbers against cells.csv, pairs.csv and summary.json as analyze wrote them, recomputed here
/// from those files alone (people covered by a zone other than the one holding most of the cell's people).
/// </summary>
public sealed class SynthesisTests(DemoMaps demo) : IClassFixture<DemoMaps>
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>French thousands as the glossary writes them (57 000), rounded as said aloud, computed without MapText.</summary>
    private static string FrenchPeople(double v)
    {
        double step = v < 100 ? 1 : v < 10_000 ? 100 : 1000;
        double rounded = Math.Round(v / step, MidpointRounding.AwayFromZero) * step;
        return rounded.ToString("#,0", CultureInfo.InvariantCulture).Replace(",", "\u202F", StringComparison.Ordinal);
    }

    private (Dictionary<(string Op, string Cell), (double Others, double PopMisfit, string Name, int Partners)> Rows, SynthesisFacts Facts) Expected()
    {
        var cells = TestCsv.Read(demo.Path_("cells.csv")).Where(r => r["cell_layer"] == "cells").ToList();
        var pairs = TestCsv.Read(demo.Path_("pairs.csv")).Where(r => r["cell_layer"] == "cells").ToList();
        var rows = cells.ToDictionary(r => (r["operator"], r["cell_id"]), r =>
        {
            double pop = D(r["pop"]), covered = pop * D(r["pop_coverage"]);
            double main = pairs.Where(p => p["operator"] == r["operator"] && p["cell_id"] == r["cell_id"]).Max(p => D(p["pop"]));
            return (Math.Max(0, covered - main), D(r["pop_misfit"]), r["cell_name"], int.Parse(r["partners"], CultureInfo.InvariantCulture));
        });
        return (rows, SynthesisFacts.Build(demo.Result, new DisplayNames(demo.Result)));
    }

    [Fact]
    public void EachOperator_WorstCell_IsTheHighestPopMisfitOfCellsCsv_AndTheSentenceSaysItsNumbers()
    {
        var (rows, facts) = Expected();
        var sentences = facts.Sentences(MapText.Fr);
        foreach (var op in demo.Result.Study.Operators.Select(o => o.Key))
        {
            var worst = rows.Where(kv => kv.Key.Op == op).OrderByDescending(kv => kv.Value.PopMisfit).First();
            var found = facts.Operators.Single(o => o.Key == op);
            Assert.Equal(worst.Key.Cell, found.Worst.CellId);
            Assert.Equal(worst.Value.PopMisfit, found.Worst.PopMisfit!.Value, 12);
            Assert.Equal(worst.Value.Others, found.Worst.Others, 6);
            string label = demo.Result.Study.Operators.Single(o => o.Key == op).Label;
            string line = sentences.Single(s => s.StartsWith(label + " : le territoire le plus désaligné", StringComparison.Ordinal));
            Assert.Contains(worst.Value.Name, line, StringComparison.Ordinal);
            Assert.Contains($"({worst.Value.PopMisfit.ToString("0.000", CultureInfo.InvariantCulture).Replace('.', ',')})", line, StringComparison.Ordinal);
            Assert.Contains($"≈ {FrenchPeople(worst.Value.Others)} habitants", line, StringComparison.Ordinal);
            Assert.Contains($"{worst.Value.Partners} zones", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EachOperator_MostPeopleOutsideTheMainZone_AreTheTopThreeRecomputedFromPairsCsv()
    {
        var (rows, facts) = Expected();
        var sentences = facts.Sentences(MapText.Fr);
        foreach (var op in facts.Operators)
        {
            var expected = rows.Where(kv => kv.Key.Op == op.Key && kv.Value.Others > 0).OrderByDescending(kv => kv.Value.Others).Take(3).ToList();
            Assert.Equal(expected.Select(kv => kv.Key.Cell), op.MostOthers.Select(f => f.CellId));
            int i = sentences.ToList().FindIndex(s => s.StartsWith(op.Label + " : ", StringComparison.Ordinal));
            string list = sentences[i + 1];
            Assert.StartsWith("Le plus d'habitants hors de la zone principale : ", list, StringComparison.Ordinal);
            foreach (var kv in expected)
                Assert.Contains($"{kv.Value.Name} (≈ {FrenchPeople(kv.Value.Others)} habitants, {kv.Value.Partners} zone", list, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BestAndWorstOperator_AreThoseOfSummaryJsonPopAlignment_AndGapsAreSaidOnlyWhenThereAreAny()
    {
        var (_, facts) = Expected();
        using var summary = JsonDocument.Parse(File.ReadAllText(demo.Path_("summary.json")));
        var ops = summary.RootElement.GetProperty("operators").EnumerateObject()
            .Select(p => (Key: p.Name, Pop: p.Value.GetProperty("pop_alignment").GetDouble(), Gap: p.Value.GetProperty("gap_km2").GetDouble(),
                PopGap: p.Value.GetProperty("pop_gap").GetDouble())).ToList();
        var best = ops.MaxBy(o => o.Pop);
        var worst = ops.MinBy(o => o.Pop);
        Assert.Equal(best.Key, facts.Best!.Key);
        Assert.Equal(worst.Key, facts.Worst!.Key);
        string label(string key) => demo.Result.Study.Operators.Single(o => o.Key == key).Label;
        var sentences = facts.Sentences(MapText.Fr);
        string f3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture).Replace('.', ',');
        Assert.Contains($"Par population, le réseau le mieux aligné est {label(best.Key)} (alignement {f3(best.Pop)}) ; le moins bien aligné est {label(worst.Key)} ({f3(worst.Pop)}).", sentences);
        var gapped = ops.Where(o => o.Gap > 0).ToList();
        var gapLine = sentences.SingleOrDefault(s => s.StartsWith("Zones blanches : ", StringComparison.Ordinal));
        if (gapped.Count == 0) Assert.Null(gapLine);
        else
            foreach (var o in gapped)
                Assert.Contains($"{label(o.Key)} laisse {FrenchPeople(o.PopGap)} habitants sans zone", gapLine, StringComparison.Ordinal);
        // The demo has gaps (Cap emploi): the test above looked at a real sentence.
        Assert.NotEmpty(gapped);
    }

    [Fact]
    public void Fiche_MovedPeople_EqualPopMisfitTimesPop_WhereNoSliverIsInvolved()
    {
        // The fiche's moves follow the misfit's definition on the same overlay: what moves is the misfit's numerator.
        // Slivers count in the fiche's gaps but not in the spec's, so only cells without sliver gaps are exact.
        var fiches = TerritoryFiche.Build(demo.Result, new DisplayNames(demo.Result));
        var cells = TestCsv.Read(demo.Path_("cells.csv")).Where(r => r["cell_layer"] == "cells").ToList();
        int exact = 0;
        foreach (var f in fiches)
            foreach (var o in f.Operators)
            {
                var row = cells.Single(r => r["cell_id"] == f.CellId && r["operator"] == o.Key);
                double expected = D(row["pop_misfit"]) * D(row["pop"]);
                Assert.True(o.MovedPop >= expected * (1 - 1e-9) - 1e-6, $"{f.CellId}/{o.Key}: {o.MovedPop} moved, misfit says {expected}");
                if (Math.Abs(o.MovedPop - expected) <= 1e-6 * Math.Max(1, expected)) exact++;
                // The communes listed are the moving pieces grouped by commune (those under half a person left out).
                Assert.True(o.Moves.Sum(m => m.Pop) <= o.MovedPop * (1 + 1e-9) + 1e-9);
                if (o.MovedPop > 100) Assert.NotEmpty(o.Moves);
            }
        Assert.True(exact >= fiches.Count * fiches[0].Operators.Count / 2, $"{exact} exact");
    }

    [Fact]
    public void DisplayNames_CollapseSpaces_DropTheRepeatedCode_AndStudyShortNamesWin()
    {
        Assert.Equal("AIX GARDANNE SALON", DisplayNames.Clean("AIX  GARDANNE   SALON "));
        Assert.Equal("Cap emploi 84 (departement)", DisplayNames.Clean("Cap emploi 84 (departement) (84)", "84"));
        Assert.Equal("Cap emploi 84 (departement) (84)", DisplayNames.Clean("Cap emploi 84 (departement) (84)", "13"));
        var r = demo.Result with { Study = demo.Result.Study with { ShortNames = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["cells"] = new Dictionary<string, string> { [demo.Result.Infos[0].Ids[0]] = "  NO  court " } } } };
        var names = new DisplayNames(r);
        Assert.Equal("NO court", names.Of("cells", demo.Result.Infos[0].Ids[0]));
        Assert.Equal(DisplayNames.Clean(demo.Result.Infos[0].Names[1]), names.Of("cells", demo.Result.Infos[0].Ids[1]));
    }
}
