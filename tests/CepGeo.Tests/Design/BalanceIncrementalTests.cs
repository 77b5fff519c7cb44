using CepGeo.Cli.Commands;
using CepGeo.Core.Design;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Design;

/// <summary>
/// design balance (issue 28): its search costs perimeters incrementally, but what it reports is measured
/// exactly, to the last bit what <c>plan score</c> (whole plan) and the plan editor (<see cref="PlanScorer"/>,
/// edit by edit) give for the same perimeters; it reports its progress and stops when cancelled.
/// </summary>
public class BalanceIncrementalTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    private static readonly string DemoStudy = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    [Fact]
    public void Balance_Paca_EveryPerimetersScoreEqualsPlanScoreAndPlanScorer_Exactly()
    {
        var r = paca.Result;
        int layer = r.Layers.Count - 1;
        var communes = r.Layers[layer].Features;
        var d = Balance.Run(r, 22, 50_000, ["ml", "bmo"], layer, "communes",
            communes.Select(f => (string)f.Attributes["code"]!).ToList(), communes.Select(f => f.Name).ToList());

        // The same perimeters as a plan: each commune to the perimeter moves.csv sends it to.
        var units = PlanUnits.From(r, "code");
        var perimeters = d.After.Infos[0].Ids;
        var assign = Enumerable.Repeat(-1, units.Count).ToArray();
        foreach (var m in d.Moves)
        {
            int u = units.IndexOf(m.UnitId), p = perimeters.ToList().IndexOf(m.ToPerimeter);
            Assert.True(u >= 0 && p >= 0, $"{m.UnitId} → {m.ToPerimeter}");
            Assert.True(assign[u] < 0 || assign[u] == p, $"{m.UnitId} in two perimeters");
            assign[u] = p;
        }
        var plan = new Plan(perimeters, d.After.Infos[0].Names, assign);
        var scored = PlanScore.Score(r, units, plan);
        var editor = new PlanScorer(r, units, plan);

        Assert.Equal(22, perimeters.Count);
        for (int k = 0; k < d.After.Comparisons.Count; k++)
        {
            var mine = d.After.Comparisons[k];
            var theirs = scored.After.Comparisons[k];
            Assert.Equal(mine.Operator, theirs.Operator);
            Assert.Equal(mine.Cells.Count, theirs.Cells.Count);
            for (int p = 0; p < mine.Cells.Count; p++)
            {
                // Records compare every field, doubles bit for bit.
                Assert.Equal(mine.Cells[p], theirs.Cells[p]);
                Assert.Equal(mine.Cells[p], editor.Row(k, p));
            }
            Assert.Equal(mine.Summary, theirs.Summary);
        }
    }

    [Fact]
    public void BalanceCommand_ReportsMergesBoundaryMovesAndMeasures_InOrder()
    {
        using var dir = new TempDirectory();
        var reports = new List<BalanceProgress>();
        var run = Run(default, reports.Add, DemoStudy, "--count", "3", "--out", dir.File("out"));

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.NotEmpty(reports);
        // Each start: merges down to the count asked, then the floor's repair (if needed), then passes of moves.
        foreach (var start in reports.Select(p => p.Start).Distinct())
        {
            var own = reports.Where(p => p.Start == start && p.Stage is BalanceStage.Merge or BalanceStage.Repair or BalanceStage.Improve).ToList();
            var merges = own.TakeWhile(p => p.Stage == BalanceStage.Merge).ToList();
            Assert.NotEmpty(merges);
            Assert.Equal(merges.Select(p => p.Perimeters).OrderDescending(), merges.Select(p => p.Perimeters));
            Assert.Equal(3, merges[^1].Perimeters);
            var rest = own.Skip(merges.Count).ToList();
            Assert.Equal(rest.OrderBy(p => p.Stage).Select(p => p.Stage), rest.Select(p => p.Stage));
            var passes = rest.Where(p => p.Stage == BalanceStage.Improve).Select(p => p.Pass).ToList();
            Assert.Equal(Enumerable.Range(1, passes.Count), passes);
        }
        // Both starts measured, then the kept one drawn, last.
        Assert.Equal(2, reports.Count(p => p.Stage == BalanceStage.Measure));
        Assert.Equal(BalanceStage.Draw, reports[^1].Stage);
        Assert.All(reports, p => Assert.Equal(3, p.Target));
    }

    [Theory]
    [InlineData(BalanceStage.Merge)]
    [InlineData(BalanceStage.Improve)]
    public void BalanceCommand_CancelledDuringTheSearch_StopsAtOnce_AndWritesNothing(BalanceStage at)
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var reports = new List<BalanceProgress>();
        string outDir = dir.File("out");

        var run = Run(cts.Token, p =>
        {
            reports.Add(p);
            if (p.Stage == at) cts.Cancel();
        }, DemoStudy, "--count", "3", "--out", outDir);

        Assert.Equal(AnalyzeCommand.CancelledExitCode, run.ExitCode);
        Assert.Contains("interrompu : aucun résultat écrit, le dossier de sortie est resté tel quel", run.Err, StringComparison.Ordinal);
        // Nothing reported after the cancelling report: the next merge, or the next unit of the pass, saw it.
        Assert.Equal(at, reports[^1].Stage);
        Assert.Single(reports, p => p.Stage == at);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public void ProgressLine_FrenchByDefault_EnglishOnRequest()
    {
        string nb = "\u202F";
        Assert.Equal($"départ 1/2, chaque unité seule — fusions : il reste 12{nb}345 périmètres (cible 287)…",
            DesignBalanceCommand.ProgressLine(ConsoleText.Fr, new BalanceProgress(BalanceStart.Units, BalanceStage.Merge, 12_345, 287, 0, 0, 2)));
        Assert.Equal("start 1/2, every unit alone — merging: 12,345 perimeters left (target 287)…",
            DesignBalanceCommand.ProgressLine(ConsoleText.En, new BalanceProgress(BalanceStart.Units, BalanceStage.Merge, 12_345, 287, 0, 0, 2)));
        Assert.Equal("départ 2/2, les territoires actuels — déplacements en bordure : passe 3, 1 unité déplacée…",
            DesignBalanceCommand.ProgressLine(ConsoleText.Fr, new BalanceProgress(BalanceStart.CurrentCells, BalanceStage.Improve, 287, 287, 3, 1, 2)));
        Assert.Equal("plancher de population : 41 unités déplacées…",
            DesignBalanceCommand.ProgressLine(ConsoleText.Fr, new BalanceProgress(BalanceStart.Units, BalanceStage.Repair, 287, 287, 0, 41, 1)));
    }

    /// <summary>The real CLI with <c>design balance</c> wired to a cancellation token and a progress observer.</summary>
    private static CliRun Run(CancellationToken cancel, Action<BalanceProgress> onProgress, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, color: false);
        var root = CliApp.BuildRoot(context);
        var design = root.Subcommands.Single(c => c.Name == "design");
        design.Subcommands.Remove(design.Subcommands.Single(c => c.Name == "balance"));
        design.Subcommands.Add(DesignBalanceCommand.Create(context, cancel, onProgress));
        int code = CliApp.Invoke(root, ["design", "balance", .. args], context);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
