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
        string tiny = TinyStudy(_dir.File("tiny"));
        string oldDir = _dir.File("old");
        Assert.Equal(0, CliRun.Of("analyze", tiny, "--out", oldDir, "--no-maps").ExitCode);
        string referenceDir = _dir.File("reference");
        Assert.Equal(0, CliRun.Of("analyze", DemoStudy, "--out", referenceDir, "--no-maps").ExitCode);

        // At least 4 tries (each way with and without a delay), then as many as fit in 30 s, up to 16.
        var tally = KillDuringCommits(oldDir, referenceDir, DemoStudy, maxTries: 16, budget: TimeSpan.FromSeconds(30), minTries: 4);

        Assert.True(tally.Exchanged >= 2 && tally.Renamed >= 2);
    }

    /// <summary>
    /// The issue's own case: a national analysis killed with SIGKILL around its commit into a folder
    /// holding a PACA result (81 MB of new files over 4 MB of old). Every try leaves wholly PACA's
    /// files or wholly the national run's. A national run takes ~11 s on 2 idle cores, so CI makes as
    /// many tries as fit in about 45 s with the two reference runs (at least two: one each way);
    /// CEPGEO_SIGKILL_SECONDS raises the budget for a long series (README, fault-injection tests).
    /// </summary>
    [Fact]
    public void SigkillDuringTheCommitOfANationalAnalysis_OverAPacaResult_LeavesWhollyPacaOrWhollyNational()
    {
        var clock = Stopwatch.StartNew();
        double seconds = double.TryParse(Environment.GetEnvironmentVariable("CEPGEO_SIGKILL_SECONDS"),
            System.Globalization.CultureInfo.InvariantCulture, out double s) ? s : 45;
        string paca = Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json");
        string france = Path.Combine(TestPaths.RepoRoot, "data", "france", "study.json");
        string pacaDir = _dir.File("paca");
        string referenceDir = _dir.File("france");
        Assert.Equal(0, RunProgram(["analyze", paca, "--out", pacaDir, "--no-maps"]));
        Assert.Equal(0, RunProgram(["analyze", france, "--out", referenceDir, "--no-maps"]));
        log.WriteLine($"PACA and national reference runs: {clock.Elapsed.TotalSeconds:0.0} s");

        var tally = KillDuringCommits(pacaDir, referenceDir, france, maxTries: int.MaxValue,
            budget: TimeSpan.FromSeconds(seconds) - clock.Elapsed, minTries: 2);

        Assert.True(tally.Tries >= 2);
        Assert.True(tally.Exchanged > 0 && tally.Renamed > 0);
    }

    private static string Program => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "cepgeo.exe" : "cepgeo");

    private static int RunProgram(string[] args)
    {
        var psi = new ProcessStartInfo(Program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.Wait();
        Assert.True(p.ExitCode == 0, err);
        return p.ExitCode;
    }

    private sealed record Tally(int Tries, int Old, int New, int PutBack, int Exchanged, int Renamed);

    /// <summary>
    /// Tries until <paramref name="maxTries"/> or the budget (a try is not started when the last one
    /// says it would not end in time, unless fewer than <paramref name="minTries"/> were made): the
    /// results of <paramref name="oldDir"/> are copied to <c>out</c>, the analysis of
    /// <paramref name="newStudy"/> is run into it and killed 0–40 ms after its own staging folder gets
    /// its marker (written first thing in the commit); afterwards, and after what the next run does
    /// first (put back an old folder set aside, remove dead runs' folders), <c>out</c> must be wholly
    /// the old results or wholly those of <paramref name="referenceDir"/>. The swap alternates between
    /// the atomic exchange and the two renames (CEPGEO_SWAP=rename); the delay alternates between
    /// none (mostly the old results) and a random one (mostly the new), so short series see both.
    /// </summary>
    private Tally KillDuringCommits(string oldDir, string referenceDir, string newStudy, int maxTries, TimeSpan budget, int minTries = 0)
    {
        var old = Snapshot(oldDir);
        var reference = Snapshot(referenceDir);
        string? oldName = Name(oldDir), newName = Name(referenceDir);
        Assert.NotEqual(oldName, newName);
        string outDir = _dir.File("out");

        var random = new Random(21);
        var clock = Stopwatch.StartNew();
        TimeSpan last = TimeSpan.Zero;
        int tries = 0, oldSeen = 0, newSeen = 0, putBack = 0, exchanged = 0, renamed = 0;
        while (tries < maxTries && (tries < minTries || clock.Elapsed + last < budget))
        {
            var start = clock.Elapsed;
            CopyFolder(oldDir, outDir);
            // Ways and delays: (exchange, none), (rename, random), (rename, none), (exchange, random), …
            bool exchange = tries % 4 is 0 or 3;
            double ms = tries % 2 == 0 ? 0 : random.NextDouble() * 40;
            var psi = new ProcessStartInfo(Program, ["analyze", newStudy, "--out", outDir, "--no-maps"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (!exchange) psi.Environment["CEPGEO_SWAP"] = "rename";
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            // Wait for this run's staging folder to get its marker. (Its name holds the process id; a
            // staging folder a killed run left with its marker is not this run's, and is removed by
            // this run once it holds the lock.)
            var wait = Stopwatch.StartNew();
            while (!p.HasExited && wait.Elapsed < TimeSpan.FromSeconds(300)
                && !Directory.EnumerateDirectories(_dir.Path, $".out.tmp-{p.Id}-*").Any(d => File.Exists(Path.Combine(d, OutputFolder.Marker))))
                Thread.SpinWait(200);
            var delay = Stopwatch.StartNew();
            // The commit after the marker takes a few milliseconds (JIT of its methods included).
            while (delay.Elapsed.TotalMilliseconds < ms) Thread.SpinWait(50);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit();
            tries++;
            if (exchange) exchanged++; else renamed++;

            if (!Directory.Exists(outDir))
            {
                Assert.Single(Directory.EnumerateDirectories(_dir.Path, ".out.old-*"));
                putBack++;
            }
            // What the next run into the folder does first, under its lock.
            using (OutputFolder.Open(outDir, force: false)) { }
            Assert.Empty(Leftovers(_dir.Path));
            // Both studies write the same file names: which results are in place is told by the study
            // named in summary.json; every other file must then be that run's, byte for byte (the
            // GeoPackage, the workbook and summary.json carry the run's date and timings, so they are
            // only required to differ from the other study's).
            var now = Snapshot(outDir);
            if (Name(outDir) == oldName)
            {
                AssertSame(old, outDir);
                oldSeen++;
            }
            else
            {
                Assert.Equal(newName, Name(outDir));
                Assert.Equal(reference.Keys.ToList(), now.Keys.ToList());
                foreach (var (name, bytes) in now)
                {
                    bool dated = name is "summary.json" or "results.gpkg" or "results.xlsx";
                    Assert.True(dated ? !(old.TryGetValue(name, out var was) && bytes.AsSpan().SequenceEqual(was)) : bytes.AsSpan().SequenceEqual(reference[name]),
                        $"{name} is not the new run's");
                }
                newSeen++;
            }
            Directory.Delete(outDir, recursive: true);
            last = clock.Elapsed - start;
        }
        log.WriteLine($"{tries} kills ({exchanged} exchange, {renamed} rename) in {clock.Elapsed.TotalSeconds:0.0} s: "
            + $"{oldSeen} left the old results, {newSeen} the new, {putBack} put back by the next run");
        return new Tally(tries, oldSeen, newSeen, putBack, exchanged, renamed);

        static string? Name(string dir) =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement.GetProperty("study").GetString();
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string dest = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
    }
}

/// <summary>Tests that set <see cref="OutputFolder"/>'s test switches run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutputFolderCollection
{
    public const string Name = "OutputFolder switches";
}
