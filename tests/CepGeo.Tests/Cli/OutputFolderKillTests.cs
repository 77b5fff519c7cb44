using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;
using Xunit.Abstractions;

namespace CepGeo.Tests.Cli;

/// <summary>
/// The real program killed with SIGKILL around the commit of its results (issue 21). Out of the
/// "OutputFolder switches" collection (it sets none of them and runs its kills in other processes),
/// so it runs beside the other tests instead of alone at the end. CI makes the fewest tries that
/// still cover both ways of swapping with and without a delay; CEPGEO_SIGKILL_SECONDS=N gives each
/// series N seconds for a long form (README, fault-injection tests).
/// </summary>
[RunsLong]
public sealed class OutputFolderKillTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string DemoStudy = Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    /// <summary>CEPGEO_SIGKILL_SECONDS, or null for the short series.</summary>
    private static double? LongSeriesSeconds =>
        double.TryParse(Environment.GetEnvironmentVariable("CEPGEO_SIGKILL_SECONDS"), CultureInfo.InvariantCulture, out double s) ? s : null;

    /// <summary>
    /// The real program, killed with SIGKILL at random moments around the commit of a demo analysis
    /// into a folder holding another study's results: afterwards (and after the next run's recovery)
    /// the folder is wholly the old results or wholly the new, never a mix. Both ways of swapping.
    /// </summary>
    [Fact]
    public void SigkillDuringTheCommit_LeavesWhollyTheOldOrWhollyTheNewResults()
    {
        string tiny = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string oldDir = _dir.File("old");
        Assert.Equal(0, CliRun.Of("analyze", tiny, "--out", oldDir, "--no-maps").ExitCode);
        string referenceDir = _dir.File("reference");
        Assert.Equal(0, CliRun.Of("analyze", DemoStudy, "--out", referenceDir, "--no-maps").ExitCode);

        // 4 tries (each way with and without a delay); the long series: as many as fit in its seconds.
        var tally = KillDuringCommits(_dir, log, oldDir, referenceDir, DemoStudy, maxTries: int.MaxValue,
            budget: TimeSpan.FromSeconds(LongSeriesSeconds ?? 0), minTries: 4);

        Assert.True(tally.Exchanged >= 2 && tally.Renamed >= 2);
    }

    /// <summary>
    /// The issue's own case: a national analysis killed with SIGKILL around its commit into a folder
    /// holding a PACA result (53 MB of new files over 13 MB of old: the shared PACA analysis, maps and
    /// atlas included, <see cref="PacaAnalyzeOutput"/>). Every try leaves wholly PACA's files or wholly
    /// the national run's. A national run takes ~11 s on 2 idle cores, so CI makes two tries (one each
    /// way, the second after a random delay); CEPGEO_SIGKILL_SECONDS=N makes as many as fit in N seconds
    /// with the reference run (README, fault-injection tests). The national reference results are
    /// written in-process, as analyze writes them, from the national analysis the test run shares
    /// (<see cref="SharedAnalysis"/>: the viewer's and NationalSitesTests'), not analysed once more.
    /// A class of its own, so that it runs beside the demo's series instead of after it (CI time, issue 28).
    /// </summary>
    [RunsLong]
    public sealed class National(ITestOutputHelper log) : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public void Dispose() => _dir.Dispose();

        [Fact]
        public void SigkillDuringTheCommitOfANationalAnalysis_OverAPacaResult_LeavesWhollyPacaOrWhollyNational()
        {
            var clock = Stopwatch.StartNew();
            Assert.True(PacaAnalyzeOutput.Run.ExitCode == 0, PacaAnalyzeOutput.Run.Err);
            string france = SharedAnalysis.StudyPath("france");
            string referenceDir = _dir.File("france");
            WriteAsAnalyzeDoes(SharedAnalysis.Of("france"), referenceDir);
            log.WriteLine($"PACA and national reference results: {clock.Elapsed.TotalSeconds:0.0} s");

            var tally = KillDuringCommits(_dir, log, PacaAnalyzeOutput.Dir, referenceDir, france, maxTries: int.MaxValue,
                budget: TimeSpan.FromSeconds(LongSeriesSeconds ?? 0) - clock.Elapsed, minTries: 2);

            Assert.True(tally.Tries >= 2);
            Assert.True(tally.Exchanged > 0 && tally.Renamed > 0);
        }
    }

    /// <summary>
    /// What <c>analyze --no-maps</c> writes from its analysis (AnalyzeCommand: the workbook and the
    /// GeoPackage beside the tables, committed with the folder's marker). Should analyze write another file,
    /// the tries' comparison of the file lists fails and says so.
    /// </summary>
    private static void WriteAsAnalyzeDoes(CepGeo.Core.Metrics.AnalysisResult result, string outDir)
    {
        using var folder = OutputFolder.Open(outDir, force: false);
        ExportFiles.WriteBeside(result, folder, CliApp.Version, () => CepGeo.Core.Reporting.AnalysisOutputs.WriteAll(result, folder.Create, CliApp.Version));
        folder.Commit();
    }

    private static string Program => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "cepgeo.exe" : "cepgeo");

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
    private static Tally KillDuringCommits(TempDirectory dir, ITestOutputHelper log, string oldDir, string referenceDir, string newStudy,
        int maxTries, TimeSpan budget, int minTries = 0)
    {
        var old = OutputFolderTests.Snapshot(oldDir);
        var reference = OutputFolderTests.Snapshot(referenceDir);
        string? oldName = Name(oldDir), newName = Name(referenceDir);
        Assert.NotEqual(oldName, newName);
        string outDir = dir.File("out");

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
            using var marked = new MarkerWatch(dir.Path);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            // Wait for this run's staging folder to get its marker. (Its name holds the process id; a
            // staging folder a killed run left with its marker is not this run's, and is removed by
            // this run once it holds the lock.)
            marked.WaitFor(p, TimeSpan.FromSeconds(300));
            var delay = Stopwatch.StartNew();
            // The commit after the marker takes a few milliseconds (JIT of its methods included).
            while (delay.Elapsed.TotalMilliseconds < ms) Thread.SpinWait(50);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit();
            tries++;
            if (exchange) exchanged++; else renamed++;

            if (!Directory.Exists(outDir))
            {
                Assert.Single(Directory.EnumerateDirectories(dir.Path, ".out.old-*"));
                putBack++;
            }
            // What the next run into the folder does first, under its lock.
            using (OutputFolder.Open(outDir, force: false)) { }
            Assert.Empty(OutputFolderTests.Leftovers(dir.Path));
            // Both studies write the same file names: which results are in place is told by the study
            // named in summary.json; every other file must then be that run's, byte for byte (the
            // GeoPackage, the workbook and summary.json carry the run's date and timings, so they are
            // only required to differ from the other study's).
            var now = OutputFolderTests.Snapshot(outDir);
            if (Name(outDir) == oldName)
            {
                OutputFolderTests.AssertSame(old, outDir);
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

    /// <summary>
    /// Tells when a run's staging folder under <c>parent</c> gets its marker: woken by the file system's
    /// notification (inotify) within a millisecond of the marker's creation, with a look of its own every
    /// 5 ms in case a notification is lost. It used to spin on the folder listing instead, which took one
    /// of CI's two cores from the run it waited for (a national run: ~11 s each try).
    /// </summary>
    private sealed class MarkerWatch : IDisposable
    {
        private readonly string _parent;
        private readonly FileSystemWatcher? _watcher;
        private readonly ManualResetEventSlim _created = new();
        private volatile string? _prefix;

        public MarkerWatch(string parent)
        {
            _parent = parent;
            try
            {
                _watcher = new FileSystemWatcher(parent, OutputFolder.Marker) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName };
                _watcher.Created += (_, e) =>
                {
                    if (_prefix is { } prefix && Path.GetFileName(Path.GetDirectoryName(e.FullPath))!.StartsWith(prefix, StringComparison.Ordinal))
                        _created.Set();
                };
                _watcher.EnableRaisingEvents = true;
            }
            catch (IOException)
            {
                // No notification to be had here (the inotify limits reached): the looks alone.
                _watcher?.Dispose();
                _watcher = null;
            }
        }

        public void WaitFor(Process p, TimeSpan limit)
        {
            _prefix = $".out.tmp-{p.Id}-";
            var wait = Stopwatch.StartNew();
            while (!_created.Wait(5) && !p.HasExited && wait.Elapsed < limit
                && !Directory.EnumerateDirectories(_parent, _prefix + "*").Any(d => File.Exists(Path.Combine(d, OutputFolder.Marker))))
            {
            }
        }

        public void Dispose()
        {
            _watcher?.Dispose();
            _created.Dispose();
        }
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
