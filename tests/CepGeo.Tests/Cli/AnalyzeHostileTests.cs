using System.Globalization;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;
using CepGeo.Tests.Viewer;

namespace CepGeo.Tests.Cli;

/// <summary>Hostile studies through <c>analyze</c> as a user meets it: refused up front, repaired and counted, or cancelled cleanly.</summary>
public sealed class AnalyzeHostileTests(DemoAnalyzeOutput demo) : IClassFixture<DemoAnalyzeOutput>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string DemoStudy = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    /// <summary>A study of one cells layer and one operator layer, both GeoJSON with feature ids.</summary>
    private string Study(string cellsJson, string zonesJson)
    {
        File.WriteAllText(_dir.File("cells.geojson"), cellsJson);
        File.WriteAllText(_dir.File("zones.geojson"), zonesJson);
        string study = _dir.File("study.json");
        File.WriteAllText(study, """
            { "name": "hostile", "cells": { "path": "cells.geojson" },
              "operators": [ { "key": "op", "label": "Opérateur", "path": "zones.geojson" } ] }
            """);
        return study;
    }

    private const string BoxZone = """
        {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "box", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[5.0,43.0],[5.2,43.0],[5.2,43.2],[5.0,43.2],[5.0,43.0]]]}}
        ]}
        """;

    private static JsonElement Summary(string outDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement;

    [Fact]
    public void Analyze_BowTieCell_IsRepairedAndCountedInTheSummaryLoadReport()
    {
        string study = Study(File.ReadAllText(TestPaths.Fixture("loading", "bowtie.geojson")), BoxZone);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", study, "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("Chargement : 0 entité ignorée, 1 réparée (voir summary.json)", run.Out, StringComparison.Ordinal);
        var load = Assert.Single(Summary(outDir).GetProperty("load").EnumerateArray());
        Assert.Equal("cells.geojson", load.GetProperty("layer").GetString());
        Assert.Equal("bowtie", load.GetProperty("feature").GetString());
        Assert.Equal("repaired", load.GetProperty("kind").GetString());
        Assert.Contains("repaired with GeometryFixer", load.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // Signed area of the bow-tie is 0; repaired, it is two triangles of base 0.2° and height 0.1°.
        Assert.Equal(0, load.GetProperty("area_before").GetDouble(), 12);
        Assert.Equal(0.02, load.GetProperty("area_after").GetDouble(), 12);
        // The report's load table says what was done in the console's word (« réparée », as `inspecter` prints it).
        string report = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Matches("<tr data-kind=\"repaired\"><td>cells.geojson</td><td>bowtie</td><td>réparée</td>", report);

        // The two triangles are half the 0.2° × 0.2° box: 0.2° of longitude at 43.1°N is
        // 0.2 × 111.32 × cos 43.1° ≈ 16.26 km, 0.2° of latitude ≈ 22.22 km, so ≈ 180.6 km².
        var cell = Assert.Single(AnalyzeCommandTests.ReadCsv(Path.Combine(outDir, "cells.csv")));
        Assert.Equal("bowtie", cell["cell_id"]);
        Assert.InRange(double.Parse(cell["area_km2"], CultureInfo.InvariantCulture), 179, 182);
        Assert.Equal(1, double.Parse(cell["coverage"], CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void Analyze_CellWith100000Vertices_IsAnalysedWhole()
    {
        // Two zones splitting the round cell at 5.1°E: each holds half of it.
        const string halves = """
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "west", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[5.0,43.0],[5.1,43.0],[5.1,43.2],[5.0,43.2],[5.0,43.0]]]}},
            {"type": "Feature", "id": "east", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[5.1,43.0],[5.2,43.0],[5.2,43.2],[5.1,43.2],[5.1,43.0]]]}}
            ]}
            """;
        string study = Study(HostileFixtureTests.RegularPolygonGeoJson(100_000, 0.05, "round"), halves);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", study, "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Err);
        var pairs = AnalyzeCommandTests.ReadCsv(Path.Combine(outDir, "pairs.csv")).Where(p => p["cell_layer"] == "cells").ToList();
        Assert.Equal(["east", "west"], pairs.Select(p => p["zone_id"]).Order());
        Assert.All(pairs, p => Assert.Equal(0.5, double.Parse(p["share_of_cell"], CultureInfo.InvariantCulture), 3));
        var cell = Assert.Single(AnalyzeCommandTests.ReadCsv(Path.Combine(outDir, "cells.csv")));
        Assert.Equal(1, double.Parse(cell["coverage"], CultureInfo.InvariantCulture), 9);
    }

    /// <summary>A layer file of the given size that occupies no disk (a sparse file of zero bytes).</summary>
    private static void Sparse(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(bytes);
    }

    [Fact]
    public void Analyze_TwoGigabyteLayer_IsRefusedUpFront_NamingSizeAndLimit()
    {
        string study = Study("", BoxZone);
        Sparse(_dir.File("cells.geojson"), 2L << 30);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", "--lang", "en", study, "--out", outDir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: study.json: the layer files total 2049 MB (cells.geojson 2048 MB, zones.geojson 1 MB), over the limit of 1024 MB", run.Err, StringComparison.Ordinal);
        Assert.Contains("--max-input-mb", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Analyze_TwoGigabyteLayer_WithTheLimitRaised_FailsAtItsFirstByte_WithoutReadingIt()
    {
        string study = Study("", BoxZone);
        Sparse(_dir.File("cells.geojson"), 2L << 30);
        string outDir = _dir.File("out");

        var run = CliRun.Of("analyze", "--lang", "en", study, "--out", outDir, "--max-input-mb", "4096");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: cells.geojson: not valid JSON at line 1, byte 1", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public void Analyze_MaxInputMbNotPositive_IsAnArgumentError()
    {
        var run = CliRun.Of("analyze", DemoStudy, "--out", _dir.File("out"), "--max-input-mb", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--max-input-mb attend un nombre entier de mégaoctets plus grand que 0", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_CollectsBeforeTheBigSteps_WhichAreStepsItRuns()
    {
        // A renamed step would silently stop the collection before it: every step named for one
        // must be a step analyze reports, and each starts after a full collection.
        var steps = new List<(string Step, int FullCollections)>();
        var run = RunAnalyze(CancellationToken.None, step => steps.Add((step, GC.CollectionCount(2))), DemoStudy, "--out", _dir.File("out"));

        Assert.Equal(0, run.ExitCode);
        var names = steps.Select(s => s.Step).ToList();
        Assert.Equal(["load", "project", "mosaic", "mosaic.node", "mosaic.faces", "mosaic.label", "metrics", "write", "maps", "maps.fiches", "maps.report"], names);
        Assert.Subset(names.ToHashSet(), StepMemory.CollectBefore.ToHashSet());
        for (int i = 1; i < steps.Count; i++)
            if (StepMemory.CollectBefore.Contains(steps[i].Step))
                Assert.True(steps[i].FullCollections > steps[i - 1].FullCollections, $"no full collection before {steps[i].Step}");
    }

    [Fact]
    public void Analyze_CtrlCAsTheMapsBegin_Exit130_NoFolder_NoStaging()
    {
        string outDir = _dir.File("out");
        using var cts = new CancellationTokenSource();
        var run = RunAnalyze(cts.Token, step => { if (step == "maps") cts.Cancel(); }, DemoStudy, "--out", outDir, "--date", "2026-01-01");
        Assert.Equal(AnalyzeCommand.CancelledExitCode, run.ExitCode);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public void LoadWithoutCollections_NeverFailsTheRun()
    {
        // The largest room asked for (1 GB, whatever the input) is given or refused: neither fails.
        Assert.Null(Record.Exception(() => StepMemory.LoadWithoutCollections(long.MaxValue / 8).Dispose()));
        // Ending twice, or after the room ran out and collections resumed, is not an error.
        var region = StepMemory.LoadWithoutCollections(1 << 20);
        GC.KeepAlive(new byte[64 << 20]); // past the room asked for (3 MB + 32 MB): collections resume
        Assert.Null(Record.Exception(region.Dispose));
        Assert.Null(Record.Exception(region.Dispose));
    }

    /// <summary>Runs the real CLI with <c>analyze</c> replaced by one wired to a cancellation token and a step observer.</summary>
    private static CliRun RunAnalyze(CancellationToken cancel, Action<string> onStep, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, color: false);
        var root = CliApp.BuildRoot(context);
        root.Subcommands.Remove(root.Subcommands.Single(c => c.Name == "analyze"));
        root.Subcommands.Add(AnalyzeCommand.Create(context, cancel, onStep));
        int code = CliApp.Invoke(root, ["analyze", .. args], context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private static Dictionary<string, (byte[] Bytes, DateTime Written)> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(dir, f), f => (File.ReadAllBytes(f), File.GetLastWriteTimeUtc(f)));

    [Fact]
    public void Analyze_CancelledAtMosaic_LeavesThePreviousResultsUntouched_AndNoStagingFolder()
    {
        string outDir = _dir.File("out");
        // The previous results: a copy of analyze's demo output with its maps (DemoAnalyzeOutput, run
        // once per test run), so no second analysis with maps is made for it here.
        foreach (string file in Directory.EnumerateFiles(demo.Dir, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(outDir, Path.GetRelativePath(demo.Dir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var before = Snapshot(outDir);
        Assert.Contains(OutputFolder.Marker, before.Keys);
        using var cts = new CancellationTokenSource();
        var steps = new List<string>();

        var run = RunAnalyze(cts.Token, step =>
        {
            steps.Add(step);
            if (step == "mosaic") cts.Cancel();
        }, DemoStudy, "--out", outDir);

        Assert.Equal(AnalyzeCommand.CancelledExitCode, run.ExitCode);
        Assert.Contains("interrompu : aucun résultat écrit, le dossier de sortie est resté tel quel", run.Err, StringComparison.Ordinal);
        Assert.Equal(["load", "project", "mosaic"], steps);
        var after = Snapshot(outDir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, file) in before)
        {
            Assert.Equal(file.Bytes, after[name].Bytes);
            Assert.Equal(file.Written, after[name].Written);
        }
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public void Analyze_CancelledWhileWriting_CreatesNoOutputFolder()
    {
        string outDir = _dir.File("fresh");
        using var cts = new CancellationTokenSource();

        var run = RunAnalyze(cts.Token, step =>
        {
            if (step == "metrics") cts.Cancel();
        }, DemoStudy, "--out", outDir);

        Assert.Equal(AnalyzeCommand.CancelledExitCode, run.ExitCode);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".fresh.tmp-*"));
    }

    /// <summary>
    /// Each output is a new file of the staging folder, never an existing one truncated: two
    /// writers of one name in a run fail instead of the second silently replacing the first.
    /// </summary>
    [Fact]
    public void OutputFolder_CreatesEachFileOnce_AndCommitsWhatWasWritten()
    {
        string target = _dir.File("out");
        using var folder = OutputFolder.Open(target, force: false);
        using (var first = folder.Create("maps/a.txt")) first.Write("first"u8);
        Assert.Throws<IOException>(() => folder.Create("maps/a.txt").Dispose());
        folder.Commit();
        Assert.Equal("first", File.ReadAllText(Path.Combine(target, "maps", "a.txt")));
        Assert.False(Directory.Exists(folder.Staging));
    }
}
