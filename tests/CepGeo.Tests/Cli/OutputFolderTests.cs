using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// Results replaced as a whole (issue 21): wholly the old or wholly the new folder after a kill, a
/// failure or a second run at once; the user's own files and the study's inputs never lost. The
/// kills of the real program are in <see cref="OutputFolderKillTests"/>, the failures at each step of
/// the commit (which set the process-wide switches) in <see cref="OutputFolderSwitchTests"/>. These set
/// no switch, so they run beside the other classes (issue 28: the switches' collection runs alone).
/// </summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
    }

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

    internal static IEnumerable<string> Leftovers(string parent) =>
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
    public void LockFile_IsHeldForTheWholeRun_AndRemovedWhenItEnds()
    {
        string study = TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        string lockFile = _dir.File(".out.lock");
        using (var first = OutputFolder.Open(outDir, force: false))
        {
            Assert.True(File.Exists(lockFile));
            var second = Assert.Throws<CepGeo.Core.Model.CepGeoInputException>(() => OutputFolder.Open(outDir, force: false));
            Assert.Contains("another run of CepGeo is writing to this folder", second.Message, StringComparison.Ordinal);
            first.Commit();
        }
        if (!OperatingSystem.IsLinux()) return; // elsewhere the lock file stays (OutputFolder)
        Assert.False(File.Exists(lockFile), "the lock file outlived its run");
        // Done or refused, a run leaves nothing beside its results.
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
        Assert.Equal(2, CliRun.Of("analyze", study, "--out", _dir.File("tiny"), "--no-maps").ExitCode);
        // Refused after taking the lock: a folder of someone else's files, without --force.
        Directory.CreateDirectory(_dir.File("mine"));
        File.WriteAllText(Path.Combine(_dir.File("mine"), "notes.txt"), "à garder");
        var refused = CliRun.Of("analyze", study, "--out", _dir.File("mine"), "--no-maps");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("le dossier n'est pas vide", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["mine", "out", "tiny"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(_dir.File("mine")).Select(Path.GetFileName));
        // And the next run still takes the lock at once.
        using (OutputFolder.Open(outDir, force: false)) Assert.True(File.Exists(lockFile));
    }

    [Fact]
    public void IsUnlinked_TellsALockOnAFileRemovedSinceItWasOpened()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/fd
        string path = _dir.File(".x.lock");
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.False(OutputFolder.IsUnlinked(stream));
        File.Delete(path);
        Assert.True(OutputFolder.IsUnlinked(stream));
        // A new file at the same path is another file: the open one is still the removed one.
        File.WriteAllText(path, "next run");
        Assert.True(OutputFolder.IsUnlinked(stream));
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
}

/// <summary>
/// The commit stopped at each of its steps in turn, in-process (a stand-in for a kill), by the
/// process-wide <see cref="OutputFolder.OnCommitStep"/> and <see cref="OutputFolder.UseExchange"/>
/// switches: in the collection that runs alone, so no other test's commit meets them.
/// </summary>
[Collection(OutputFolderCollection.Name)]
public sealed class OutputFolderSwitchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        OutputFolder.UseExchange = Environment.GetEnvironmentVariable("CEPGEO_SWAP") != "rename";
        OutputFolder.OnCommitStep = null;
        _dir.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FailureAtEveryStepOfTheCommit_LeavesWhollyTheOldOrWhollyTheNewFolder(bool exchange)
    {
        // In-process stand-in for a kill: the commit stops at each of its steps in turn.
        string outDir = _dir.File("out");
        Write(outDir, "old", ["cells.csv", "maps/overview.png"]);
        var old = OutputFolderTests.Snapshot(outDir);
        OutputFolder.UseExchange = exchange;
        string[] steps = exchange ? ["marker", "carried", "exchanged", "done"] : ["marker", "carried", "aside", "moved", "done"];
        foreach (string stopAt in steps)
        {
            OutputFolder.OnCommitStep = (t, s) => { if (t == outDir && s == stopAt) throw new IOException("stopped at " + s); };
            Assert.Throws<IOException>(() => Write(outDir, "new", ["cells.csv", "pairs.csv"]));
            OutputFolder.OnCommitStep = null;
            using (OutputFolder.Open(outDir, force: false)) { } // what the next run does first
            var now = OutputFolderTests.Snapshot(outDir);
            bool isOld = now.Keys.SequenceEqual(old.Keys) && now.All(kv => kv.Value.AsSpan().SequenceEqual(old[kv.Key]));
            bool isNew = now.Keys.SequenceEqual([OutputFolder.Marker, "cells.csv", "pairs.csv"])
                && now.Where(kv => kv.Key != OutputFolder.Marker).All(kv => System.Text.Encoding.UTF8.GetString(kv.Value) == "new");
            Assert.True(isOld || isNew, $"stopped at {stopAt}: {string.Join(", ", now.Keys)}");
            Assert.Equal(stopAt is "marker" or "carried" or "aside", isOld);
            Assert.Empty(OutputFolderTests.Leftovers(_dir.Path));
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
}

/// <summary>Tests that set <see cref="OutputFolder"/>'s test switches run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutputFolderCollection
{
    public const string Name = "OutputFolder switches";
}
