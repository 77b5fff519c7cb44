using System.Diagnostics;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;
using Xunit.Abstractions;

namespace CepGeo.Tests.Cli;

/// <summary>
/// Results replaced as a whole (issue 21): wholly the old or wholly the new folder after a kill, a
/// failure or a second run at once; the user's own files and the study's inputs never lost.
/// </summary>
[Collection(OutputFolderCollection.Name)]
public sealed class OutputFolderTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        OutputFolder.UseExchange = Environment.GetEnvironmentVariable("CEPGEO_SWAP") != "rename";
        OutputFolder.OnCommitStep = null;
        _dir.Dispose();
    }

    private static readonly string DemoStudy = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    /// <summary>A one-cell, one-zone study in its own folder (fast to analyse and to draw).</summary>
    internal static string TinyStudy(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cells.geojson"), """
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "c1", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[5.0,43.0],[5.2,43.0],[5.2,43.2],[5.0,43.2],[5.0,43.0]]]}}
            ]}
            """);
        File.WriteAllText(Path.Combine(folder, "zones.geojson"), """
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "z1", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[5.0,43.0],[5.1,43.0],[5.1,43.2],[5.0,43.2],[5.0,43.0]]]}}
            ]}
            """);
        string study = Path.Combine(folder, "study.json");
        File.WriteAllText(study, """
            { "name": "tiny", "cells": { "path": "cells.geojson" },
              "operators": [ { "key": "op", "label": "Opérateur", "path": "zones.geojson" } ] }
            """);
        return study;
    }

    /// <summary>Every file under a folder, by relative path, with its bytes.</summary>
    internal static SortedDictionary<string, byte[]> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);

    internal static void AssertSame(SortedDictionary<string, byte[]> expected, string folder)
    {
        var actual = Snapshot(folder);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} changed");
    }

    private static IEnumerable<string> Leftovers(string parent) =>
        Directory.EnumerateDirectories(parent).Select(Path.GetFileName).Where(n => n!.Contains(".tmp-", StringComparison.Ordinal)
            || n.Contains(".old-", StringComparison.Ordinal))!;

    [Fact]
    public void NoMapsAfterMaps_LeavesNeitherTheOldMapsNorTheOldReport()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir).ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.True(File.Exists(Path.Combine(outDir, "maps", "overview.png")));

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.False(File.Exists(Path.Combine(outDir, "report.html")), "report.html of the earlier run is still there");
        Assert.False(Directory.Exists(Path.Combine(outDir, "maps")), "maps/ of the earlier run is still there");
        Assert.True(File.Exists(Path.Combine(outDir, "cells.csv")));
        Assert.Empty(Leftovers(_dir.Path));
    }

    [Fact]
    public void UsersOwnFile_InAResultsFolder_IsKeptAcrossRuns()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "réunion du 12");
        Directory.CreateDirectory(Path.Combine(outDir, "mine"));
        File.WriteAllText(Path.Combine(outDir, "mine", "a.txt"), "a");

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("réunion du 12", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(outDir, "mine", "a.txt")));
        // The marker lists CepGeo's files only: the notes stay the user's on the next run too.
        string marker = File.ReadAllText(Path.Combine(outDir, OutputFolder.Marker));
        Assert.Contains("\ncells.csv\n", marker, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", marker, StringComparison.Ordinal);
    }

    [Fact]
    public void Force_IntoSomeoneElsesFolder_KeepsTheirFilesAndReplacesOnlyOurNames()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "budget.xlsx"), "budget");
        File.WriteAllText(Path.Combine(outDir, "cells.csv"), "an old table of theirs");

        Assert.Equal(2, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps", "--force");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("budget", File.ReadAllText(Path.Combine(outDir, "budget.xlsx")));
        Assert.StartsWith("cell_layer,cell_id", File.ReadAllText(Path.Combine(outDir, "cells.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void OutputFolderHoldingTheStudy_IsRefusedEvenWithForce_AndTheInputsAreUntouched()
    {
        string folder = _dir.File("tiny");
        string study = TinyStudy(folder);
        var before = Snapshot(folder);

        var run = CliRun.Of("analyze", study, "--out", folder, "--force", "--no-maps");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("contient une entrée de l'étude", run.Err, StringComparison.Ordinal);
        Assert.Contains(folder, run.Err, StringComparison.Ordinal);
        AssertSame(before, folder);
    }

    [Fact]
    public void SecondRunIntoAFolderBeingWritten_FailsAtOnceWithAClearLine_AndTheFirstFinishes()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        using (var first = OutputFolder.Open(outDir, force: false))
        {
            File.WriteAllText(Path.Combine(first.Staging, "x.txt"), "first");

            var second = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

            Assert.Equal(2, second.ExitCode);
            Assert.Contains("une autre exécution de CepGeo écrit déjà dans ce dossier", second.Err, StringComparison.Ordinal);
            Assert.Single(second.Err.Trim().Split('\n'));
            Assert.True(File.Exists(Path.Combine(first.Staging, "x.txt")), "the second run removed the first one's staging folder");
            first.Commit();
        }
        Assert.True(File.Exists(Path.Combine(outDir, "x.txt")));
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
    }

    [Fact]
    public void StagingFoldersOfDeadRuns_AreRemovedByTheNextRun()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        // One of this version (pid, guid), one of an earlier version (guid only), one old folder aside.
        foreach (string stale in new[] { ".out.tmp-999999-0123456789abcdef", ".out.tmp-0123456789abcdef0123456789abcdef" })
        {
            Directory.CreateDirectory(_dir.File(stale));
            File.WriteAllBytes(Path.Combine(_dir.File(stale), "cells.geojson"), new byte[1000]);
        }
        Directory.CreateDirectory(_dir.File("other.tmp-1"));

        var run = CliRun.Of("analyze", study, "--out", outDir, "--no-maps");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.DoesNotContain(Leftovers(_dir.Path), n => n.StartsWith(".out.", StringComparison.Ordinal));
        Assert.True(Directory.Exists(_dir.File("other.tmp-1")), "a folder that is not CepGeo's was removed");
    }

    [Fact]
    public void OldFolderSetAsideByADeadRun_IsPutBackBeforeAnythingElse()
    {
        string outDir = _dir.File("out");
        string aside = _dir.File(".out.old-999999-0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(aside, "maps"));
        File.WriteAllText(Path.Combine(aside, "cells.csv"), "old cells");
        File.WriteAllText(Path.Combine(aside, "maps", "overview.png"), "old map");
        File.WriteAllText(Path.Combine(aside, OutputFolder.Marker), "Written by CepGeo; it may replace its own files here.\nfiles:\ncells.csv\nmaps/overview.png\n");
        var old = Snapshot(aside);

        using (OutputFolder.Open(outDir, force: false))
        {
            AssertSame(old, outDir);
        }

        AssertSame(old, outDir);
        Assert.Empty(Leftovers(_dir.Path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FailureAtEveryStepOfTheCommit_LeavesWhollyTheOldOrWhollyTheNewFolder(bool exchange)
    {
        // In-process stand-in for a kill: the commit stops at each of its steps in turn.
        string outDir = _dir.File("out");
        Write(outDir, "old", ["cells.csv", "maps/overview.png"]);
        var old = Snapshot(outDir);
        OutputFolder.UseExchange = exchange;
        string[] steps = exchange ? ["marker", "carried", "exchanged", "done"] : ["marker", "carried", "aside", "moved", "done"];
        foreach (string stopAt in steps)
        {
            OutputFolder.OnCommitStep = (t, s) => { if (t == outDir && s == stopAt) throw new IOException("stopped at " + s); };
            Assert.Throws<IOException>(() => Write(outDir, "new", ["cells.csv", "pairs.csv"]));
            OutputFolder.OnCommitStep = null;
            using (OutputFolder.Open(outDir, force: false)) { } // what the next run does first
            var now = Snapshot(outDir);
            bool isOld = now.Keys.SequenceEqual(old.Keys) && now.All(kv => kv.Value.AsSpan().SequenceEqual(old[kv.Key]));
            bool isNew = now.Keys.SequenceEqual([OutputFolder.Marker, "cells.csv", "pairs.csv"])
                && now.Where(kv => kv.Key != OutputFolder.Marker).All(kv => System.Text.Encoding.UTF8.GetString(kv.Value) == "new");
            Assert.True(isOld || isNew, $"stopped at {stopAt}: {string.Join(", ", now.Keys)}");
            Assert.Equal(stopAt is "marker" or "carried" or "aside", isOld);
            Assert.Empty(Leftovers(_dir.Path));
            if (isNew) Write(outDir, "old", ["cells.csv", "maps/overview.png"]);
        }

        static void Write(string dir, string text, string[] names)
        {
            using var folder = OutputFolder.Open(dir, force: false);
            foreach (string name in names)
                using (var s = folder.Create(name)) s.Write(System.Text.Encoding.UTF8.GetBytes(text));
            folder.Commit();
        }
    }

    [Fact]
    public void RenderIntoTheMapsOfAnAnalysis_IsAccepted()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir).ExitCode);

        var run = CliRun.Of("render", study, "--out", Path.Combine(outDir, "maps"), "--lang", "en");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("Misfit", File.ReadAllText(Path.Combine(outDir, "maps", "report.html")), StringComparison.Ordinal);
        // The analysis around the maps is still whole.
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
    }

    [Fact]
    public void EmptyOut_IsRefusedWithALine()
    {
        string study = TinyStudy(_dir.File("tiny"));
        var run = CliRun.Of("analyze", study, "--out", "", "--no-maps");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--out", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("bug", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoGenerate_IntoAFolderWithOtherFiles_IsRefusedUnlessForce()
    {
        string outDir = _dir.File("work");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "thesis.docx"), "mine");

        var refused = CliRun.Of("demo", "generate", "--out", outDir);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("thesis.docx", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["thesis.docx"], Directory.GetFiles(outDir).Select(Path.GetFileName));

        var forced = CliRun.Of("demo", "generate", "--out", outDir, "--force");
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "thesis.docx")));
        Assert.True(File.Exists(Path.Combine(outDir, "study.json")));
        // A folder holding only the demo's own files is rewritten without --force (data/demo).
        Assert.Equal(0, CliRun.Of("demo", "generate", "--out", _dir.File("again")).ExitCode);
        Assert.Equal(0, CliRun.Of("demo", "generate", "--out", _dir.File("again")).ExitCode);
    }

    /// <summary>
    /// The real program, killed with SIGKILL at random moments around the commit of a demo analysis
    /// into a folder holding another study's results: afterwards (and after the next run's recovery)
    /// the folder is wholly the old results or wholly the new, never a mix. Both ways of swapping.
    /// </summary>
    [Fact]
    public void SigkillDuringTheCommit_LeavesWhollyTheOldOrWhollyTheNewResults()
    {
        string exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "cepgeo.exe" : "cepgeo");
        string outDir = _dir.File("out");
        string tiny = TinyStudy(_dir.File("tiny"));
        Assert.Equal(0, CliRun.Of("analyze", tiny, "--out", outDir, "--no-maps").ExitCode);
        var old = Snapshot(outDir);
        string referenceDir = _dir.File("reference");
        Assert.Equal(0, CliRun.Of("analyze", DemoStudy, "--out", referenceDir, "--no-maps").ExitCode);
        var reference = Snapshot(referenceDir);
        var newNames = reference.Keys.ToList();

        var random = new Random(21);
        var clock = Stopwatch.StartNew();
        int tries = 0, oldSeen = 0, newSeen = 0, putBack = 0;
        while (tries < 16 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            bool exchange = tries % 2 == 0;
            var psi = new ProcessStartInfo(exe, ["analyze", DemoStudy, "--out", outDir, "--no-maps"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (!exchange) psi.Environment["CEPGEO_SWAP"] = "rename";
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            // Wait for this run's staging folder to get its marker: written first thing in the commit.
            // (Its name holds the process id; a staging folder a killed run left with its marker is
            // not this run's, and is removed by this run once it holds the lock.)
            var wait = Stopwatch.StartNew();
            while (!p.HasExited && wait.Elapsed < TimeSpan.FromSeconds(30)
                && !Directory.EnumerateDirectories(_dir.Path, $".out.tmp-{p.Id}-*").Any(d => File.Exists(Path.Combine(d, OutputFolder.Marker))))
                Thread.SpinWait(200);
            var delay = Stopwatch.StartNew();
            // The commit after the marker takes a few milliseconds (JIT of its methods included).
            double ms = random.NextDouble() * 40;
            while (delay.Elapsed.TotalMilliseconds < ms) Thread.SpinWait(50);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit();
            tries++;

            if (!Directory.Exists(outDir))
            {
                Assert.Single(Directory.EnumerateDirectories(_dir.Path, ".out.old-*"));
                using (OutputFolder.Open(outDir, force: false)) { }
                putBack++;
            }
            // Both studies write the same file names, so which results are in place is told by the
            // study named in summary.json; every other file must then be that run's, byte for byte
            // (the GeoPackage and the workbook carry their date, so they are only required to differ
            // from the other study's).
            if (Name(outDir) == "tiny")
            {
                AssertSame(old, outDir);
                oldSeen++;
            }
            else
            {
                var now = Snapshot(outDir);
                Assert.Equal("Démo — territoire synthétique", Name(outDir));
                Assert.Equal(newNames, now.Keys.ToList());
                foreach (var (name, bytes) in now)
                {
                    bool dated = name is "summary.json" or "results.gpkg" or "results.xlsx";
                    Assert.True(dated ? !bytes.AsSpan().SequenceEqual(old[name]) : bytes.AsSpan().SequenceEqual(reference[name]),
                        $"{name} is not the new run's");
                }
                newSeen++;
                // Back to the old results for the next try.
                Directory.Delete(outDir, recursive: true);
                Assert.Equal(0, CliRun.Of("analyze", tiny, "--out", outDir, "--no-maps").ExitCode);
                old = Snapshot(outDir);
            }
        }
        log.WriteLine($"{tries} kills in {clock.Elapsed.TotalSeconds:0.0} s: {oldSeen} left the old results, {newSeen} the new, {putBack} put back by the next run");
        Assert.True(tries >= 4, $"only {tries} tries in the time allowed");

        static string? Name(string dir) =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement.GetProperty("study").GetString();
    }
}

/// <summary>Tests that set <see cref="OutputFolder"/>'s test switches run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutputFolderCollection
{
    public const string Name = "OutputFolder switches";
}
