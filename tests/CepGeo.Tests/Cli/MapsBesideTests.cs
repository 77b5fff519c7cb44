using System.Globalization;
using System.Text.RegularExpressions;
using CepGeo.Cli.Commands;
using CepGeo.Core.Rendering;
using CepGeo.Tests.Loading;
using CepGeo.Tests.Rendering;

namespace CepGeo.Tests.Cli;

/// <summary>
/// analyze draws the study's maps while it writes its other files (issue 28, <see cref="MapFiles.DrawBeside"/>): the same maps
/// as drawn alone, nothing drawn once the run failed or was cancelled, and --timings saying which step ran beside which.
/// </summary>
public sealed class MapsBesideTests(DemoMaps demo) : IClassFixture<DemoMaps>
{
    [Fact]
    public void Analyze_TheMapsDrawnBesideTheFiles_AreTheMapsDrawnAlone()
    {
        // analyze --format both, as DemoMaps runs it; drawn here alone, one thread drawing nothing else.
        using var alone = MapFiles.Draw(demo.Result, "both", MapText.Fr, lambert93: false, print: false, CliApp.Version, DemoMaps.Date);
        Assert.Equal(alone.Plan.Count, Directory.GetFiles(demo.Path_("maps"), "*.png").Length);
        for (int i = 0; i < alone.Plan.Count; i++)
        {
            string name = alone.Plan[i].Name;
            Assert.True(alone.Images[i].Png!.AsSpan().SequenceEqual(File.ReadAllBytes(demo.Path_("maps", name + ".png"))), name + ".png");
            Assert.True(alone.Images[i].Svg!.AsSpan().SequenceEqual(File.ReadAllBytes(demo.Path_("maps", name + ".svg"))), name + ".svg");
        }
    }

    [Fact]
    public void Timings_SayTheMapsWereDrawnWhileTheFilesWereWritten_WithTheirOwnProcessorTime()
    {
        string output = demo.Run.Out;
        Assert.Matches(@"✓ cartes de l'étude, dessinées pendant l'écriture des fichiers \(\d+,\d\d s\)", output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int write = lines.FindIndex(l => l.StartsWith("  écriture des fichiers ", StringComparison.Ordinal));
        int drawn = lines.FindIndex(l => l.StartsWith("  cartes de l'étude, dessinées pendant l'écriture des fichiers ", StringComparison.Ordinal));
        int maps = lines.FindIndex(l => l.StartsWith("  cartes et rapport ", StringComparison.Ordinal));
        // In the order they began: the files, the maps beside them, then the maps' saving and the report.
        Assert.True(write >= 0 && drawn == write + 1 && maps == drawn + 1, output);
        var m = Regex.Match(lines[drawn], @"\s(\d+,\d{3}) s\s+processeur\s+(\d+,\d\d) s\s+\(en parallèle\)$");
        Assert.True(m.Success, lines[drawn]);
        // No collector pause of its own: the process's pauses are the write step's line.
        Assert.DoesNotContain("pause GC", lines[drawn], StringComparison.Ordinal);
        double cpu = double.Parse(m.Groups[2].Value, CultureInfo.GetCultureInfo("fr-FR"));
        // The demo's eight maps drawn twice (PNG, report) and once as SVG: some processor time, on Linux where it is told.
        if (OperatingSystem.IsLinux()) Assert.True(cpu > 0, lines[drawn]);
        Assert.Equal("study maps, drawn while the files were written", AnalyzeCommand.StepName(ConsoleText.En, MapFiles.StageDrawn));
    }

    [Fact]
    public void Analyze_CtrlCOnceTheFilesAreWritten_Exit130_NoFolder_NoStaging()
    {
        // Ctrl+C as the maps' step begins: the drawing (begun with the files) is stopped or done, no map is saved, the folder
        // is not made.
        using var dir = new TempDirectory();
        string outDir = dir.File("out");
        using var cts = new CancellationTokenSource();
        var run = AnalyzeHostileTests.RunAnalyze(cts.Token, step => { if (step == "maps") cts.Cancel(); },
            Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json"), "--out", outDir, "--date", DemoMaps.Date);
        Assert.Equal(AnalyzeCommand.CancelledExitCode, run.ExitCode);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".out.tmp-*"));
    }

    [Fact]
    public void Finish_GivesTheMaps_AndTheProcessorTimeOfTheThreadsThatDrewThem()
    {
        var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        using var beside = MapFiles.DrawBeside(demo.Result, "png", MapText.Fr, false, false, "test", DemoMaps.Date, false, CancellationToken.None);
        using var maps = beside.Finish();
        var spent = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
        Assert.Equal(MapRenderer.Plan(demo.Result).Select(s => s.Name), maps.Plan.Select(s => s.Name));
        Assert.All(maps.Images, i => Assert.NotEmpty(i.Png!));
        if (!OperatingSystem.IsLinux()) return;
        // Some of what the process spent meanwhile (other tests run beside this one), never more.
        Assert.InRange(beside.Cpu!.Value, 0.001, spent + 0.05);
    }

    [Fact]
    public void DisposedWithoutFinish_StopsTheDrawing_AndReturnsOnlyOnceItEnded()
    {
        using var started = new ManualResetEventSlim();
        bool ended = false;
        var beside = new MapFiles.Beside((stop, _) =>
        {
            started.Set();
            // A drawing that goes on until it is stopped.
            stop.WaitHandle.WaitOne();
            Thread.Sleep(100);
            Volatile.Write(ref ended, true);
            stop.ThrowIfCancellationRequested();
            throw new InvalidOperationException("not stopped");
        }, CancellationToken.None);
        started.Wait();
        beside.Dispose();
        Assert.True(Volatile.Read(ref ended));
    }

    [Fact]
    public void DrawingFails_FinishThrowsItsError_CtrlC_FinishThrowsTheCancellation()
    {
        using (var failing = new MapFiles.Beside((_, _) => throw new InvalidDataException("police illisible"), CancellationToken.None))
            Assert.Equal("police illisible", Assert.Throws<InvalidDataException>(() => failing.Finish()).Message);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var cancelled = MapFiles.DrawBeside(demo.Result, "png", MapText.Fr, false, false, "test", DemoMaps.Date, false, cts.Token);
        Assert.IsAssignableFrom<OperationCanceledException>(Record.Exception(() => cancelled.Finish()));
    }
}
