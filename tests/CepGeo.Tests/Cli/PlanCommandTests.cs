using System.Globalization;

namespace CepGeo.Tests.Cli;

/// <summary><c>cepgeo plan from-cells</c> and <c>plan score</c> as a user runs them, on the demo study.</summary>
public sealed class PlanCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cepgeo-plan-test-" + Guid.NewGuid().ToString("N"));
    private static readonly string Demo = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    public PlanCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FromCellsThenScore_TodayAsAPlan_ScoresAsAnalyzeScoresTheCells()
    {
        string plan = Path.Combine(_dir, "plan.csv");
        var made = CliRun.Of("plan", "from-cells", Demo, "--out", plan);
        Assert.True(made.ExitCode == 0, made.Err);
        Assert.Contains("communes dans", made.Out, StringComparison.Ordinal);
        // Not replaced without --force.
        var again = CliRun.Of("plan", "from-cells", Demo, "--out", plan);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("existe déjà", again.Err, StringComparison.Ordinal);

        string scored = Path.Combine(_dir, "score"), analysed = Path.Combine(_dir, "analyze");
        var run = CliRun.Of("plan", "score", Demo, "--plan", plan, "--out", scored);
        Assert.True(run.ExitCode == 0, run.Err);
        foreach (var f in new[] { "cells.csv", "pairs.csv", "zones.csv", "summary.json", "cells.geojson", "gaps.geojson", "perimeters.csv" })
            Assert.True(File.Exists(Path.Combine(scored, f)), f);
        Assert.Equal(0, CliRun.Of("analyze", Demo, "--out", analysed, "--no-maps").ExitCode);

        // Perimeters of whole communes against cells drawn on their own: same ids, areas within the
        // communes' slivers; population (spread by commune) the same to the person.
        var want = Rows(Path.Combine(analysed, "cells.csv"));
        var got = Rows(Path.Combine(scored, "cells.csv"));
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (var (key, w) in want)
            Assert.True(Math.Abs(w.Pop - got[key].Pop) < 0.5 + 1e-3 * w.Pop, $"{key}: {w.Pop} against {got[key].Pop}");
        var perimeters = File.ReadAllLines(Path.Combine(scored, "perimeters.csv"));
        Assert.Equal("perimeter_id,perimeter_name,units,area_km2,pop,contiguous,parts,today_cell,moved_km2,moved_pop", perimeters[0]);
        Assert.Equal(want.Keys.Select(k => k.Cell).Distinct().Count(), perimeters.Length - 1);
    }

    [Fact]
    public void Score_PlanWithUnknownAndRepeatedCommunes_ReportsThem_AndStillScores()
    {
        string plan = Path.Combine(_dir, "plan.csv");
        File.WriteAllText(plan, "unit_id;perimeter_id;perimeter_name\n99001;N;Nord\n99002;N;\n99001;S;\n00000;S;Sud\n99003;S;Sud\n");
        var run = CliRun.Of("plan", "score", Demo, "--plan", plan, "--out", Path.Combine(_dir, "out"));
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("1 codes ne correspondent à aucune commune", run.Out, StringComparison.Ordinal);
        Assert.Contains("00000 (ligne 5)", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 communes listées deux fois", run.Out, StringComparison.Ordinal);
        Assert.Contains("communes hors de tout périmètre", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_UnreadablePlan_OneLineNamingTheFile_Exit2_NothingWritten()
    {
        string plan = Path.Combine(_dir, "plan.csv"), outDir = Path.Combine(_dir, "out");
        File.WriteAllText(plan, "commune,zone\n99001,N\n");
        var run = CliRun.Of("plan", "score", Demo, "--plan", plan, "--out", outDir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("plan.csv", run.Err, StringComparison.Ordinal);
        Assert.Contains("unit_id", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    private static Dictionary<(string Cell, string Op), (double Area, double Pop)> Rows(string path)
    {
        var lines = File.ReadAllLines(path);
        var head = lines[0].Split(',');
        int id = Array.IndexOf(head, "cell_id"), op = Array.IndexOf(head, "operator"), area = Array.IndexOf(head, "area_km2"),
            pop = Array.IndexOf(head, "pop"), layer = Array.IndexOf(head, "cell_layer");
        return lines.Skip(1).Select(l => l.Split(',')).Where(f => f[layer] == "cells")
            .ToDictionary(f => (f[id], f[op]), f => (double.Parse(f[area], CultureInfo.InvariantCulture), double.Parse(f[pop], CultureInfo.InvariantCulture)));
    }
}
