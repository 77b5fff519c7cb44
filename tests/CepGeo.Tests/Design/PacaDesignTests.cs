using System.Globalization;
using CepGeo.Cli.Commands;
using CepGeo.Core.Design;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Tests.Cli;

namespace CepGeo.Tests.Design;

/// <summary>The PACA study analysed once for the class.</summary>
public sealed class PacaFixture
{
    public AnalysisResult Result { get; } = Analysis.Run(StudyFiles.Read(Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json")),
        StudyFiles.LoadLayer, StudyFiles.LoadWeights, loadSites: StudyFiles.LoadSites);

    /// <summary>communes.csv: every PACA layer is a union of these communes.</summary>
    public static List<(string Code, string Ze, string Ml, string Bmo, double Pop)> Communes()
    {
        var lines = File.ReadAllLines(TestPaths.Shared("paca", "communes.csv"));
        var head = Split(lines[0]);
        int code = head.IndexOf("code"), ze = head.IndexOf("ze_code"), ml = head.IndexOf("ml_code"), bmo = head.IndexOf("bmo_code"), pop = head.IndexOf("population_2026");
        return lines.Skip(1).Where(l => l.Length > 0).Select(Split)
            .Select(f => (f[code], f[ze], f[ml], f[bmo], double.Parse(f[pop], CultureInfo.InvariantCulture))).ToList();
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted) { if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; } else if (c == '"') quoted = false; else cur.Append(c); }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        fields.Add(cur.ToString());
        return fields;
    }
}

public class PacaDesignTests(PacaFixture paca) : IClassFixture<PacaFixture>
{
    [Fact]
    public void Nest_MlAndBmo_ComponentsMatchTheCommuneTable_AndNestEveryZone()
    {
        // Graph from the commune table: a ZE, an ML and a BMO basin sharing a commune are joined.
        var communes = PacaFixture.Communes();
        var parent = new Dictionary<string, string>();
        string Find(string x) { parent.TryAdd(x, x); while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        void Join(string a, string b) { var (ra, rb) = (Find(a), Find(b)); if (ra != rb) parent[ra] = rb; }
        foreach (var c in communes) { Join("ze:" + c.Ze, "ml:" + c.Ml); Join("ze:" + c.Ze, "bmo:" + c.Bmo); }
        var expected = communes.Select(c => c.Ze).Distinct().GroupBy(z => Find("ze:" + z))
            .Select(g => string.Join(' ', g.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();

        var d = Nest.Run(paca.Result, ["ml", "bmo"]);
        var got = d.Nest!.Components.Select(c => string.Join(' ', c.Cells.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, got);
        // Re-analysed with the components as cells, the operators nest (slivers aside).
        foreach (var c in d.After.Comparisons.Where(c => c.Operator is "ml" or "bmo"))
            Assert.All(c.Cells, x => Assert.True(x.Misfit < 1e-6, $"{x.CellId} vs {x.Operator}: misfit {x.Misfit}"));
    }

    [Fact]
    public void Snap_ToMl_EachMlGoesToItsMostPopulousZe_AndEveryCellNestsTheMl()
    {
        var communes = PacaFixture.Communes();
        var target = communes.GroupBy(c => c.Ml).ToDictionary(g => g.Key,
            g => g.GroupBy(c => c.Ze).OrderByDescending(z => z.Sum(c => c.Pop)).First().Key);
        double expectedMoved = communes.Where(c => target[c.Ml] != c.Ze).Sum(c => c.Pop);

        var d = Snap.Run(paca.Result, "ml");
        var ml = d.After.Comparisons.Single(c => c.Operator == "ml");
        foreach (var (zone, ze) in target)
            Assert.Equal(ze, ml.Zones.Single(z => z.ZoneId == zone).MainCell);
        Assert.All(ml.Cells, c => { Assert.True(c.Misfit < 1e-9, $"{c.CellId}: {c.Misfit}"); Assert.True(c.Coterminous, c.CellId); });
        Assert.Equal(expectedMoved, d.MovedPop, expectedMoved * 1e-6);
    }

    [Fact]
    public void SnapCommand_MovedPopulationPrinted_EqualsTheSumOfMovesCsv()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cepgeo-design-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("design", "snap", Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json"), "--to", "ml", "--out", dir);
            Assert.True(run.ExitCode == 0, run.Err);
            var rows = File.ReadAllLines(Path.Combine(dir, "moves.csv"));
            var head = rows[0].Split(',');
            int pop = Array.IndexOf(head, "pop"), moved = Array.IndexOf(head, "moved");
            double sum = rows.Skip(1).Select(r => r.Split(',')).Where(f => f[moved] == "true").Sum(f => double.Parse(f[pop], CultureInfo.InvariantCulture));
            var printed = System.Text.RegularExpressions.Regex.Match(run.Out, @"Moved: (\d+) people");
            Assert.True(printed.Success, run.Out);
            Assert.Equal(Math.Round(sum), double.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture));
            var geo = File.ReadAllText(Path.Combine(dir, "design.geojson"));
            Assert.Contains("\"id\":", geo, StringComparison.Ordinal);
            Assert.Contains("\"name\":", geo, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "design.csv")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Balance_22Perimeters_RespectsFloorAndContiguity_AndFitsNoWorseThanTheZe()
    {
        const double floor = 50_000;
        var r = paca.Result;
        int layer = r.Layers.Count - 1;
        var communes = r.Layers[layer].Features;
        var d = Balance.Run(r, 22, floor, ["ml", "bmo"], layer, "communes",
            communes.Select(f => (string)f.Attributes["code"]!).ToList(), communes.Select(f => f.Name).ToList());
        Assert.Equal(22, d.After.Cells.Features.Count);
        double Total(IEnumerable<CepGeo.Core.Metrics.Comparison> cs) =>
            cs.Where(c => c.Operator is "ml" or "bmo").Sum(c => c.Cells.Sum(x => x.Misfit * x.AreaKm2));
        Assert.True(Total(d.After.Comparisons) <= Total(r.Comparisons), $"{Total(d.After.Comparisons)} > {Total(r.Comparisons)}");
        Assert.All(d.After.Comparisons[0].Cells, c => Assert.True(c.Pop >= floor, $"{c.CellId}: {c.Pop}"));

        // Contiguous, islands aside: a perimeter has no more parts than its communes bring islands.
        var islands = communes.ToDictionary(f => (string)f.Attributes["code"]!, f => f.Geometry.NumGeometries - 1);
        foreach (var p in d.After.Cells.Features)
        {
            int extra = d.Moves.Where(m => m.ToPerimeter == p.Id).Select(m => m.UnitId).Distinct().Sum(u => islands[u]);
            Assert.True(p.Geometry.NumGeometries <= 1 + extra, $"{p.Id}: {p.Geometry.NumGeometries} parts, {extra} islands");
        }
    }
}
