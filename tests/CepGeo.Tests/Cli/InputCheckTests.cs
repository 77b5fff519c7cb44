using System.Diagnostics;
using CepGeo.Cli.Commands;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// Inputs that are not files (a FIFO, a device) and inputs too large are refused by every command
/// before anything is read, with one line and exit code 2; option values are checked the same way.
/// </summary>
public sealed class InputCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>Runs with a time limit: a command that opened the FIFO would wait for a writer forever.</summary>
    private static CliRun Bounded(string? fifo, params string[] args)
    {
        var run = Task.Run(() => CliRun.Of(args));
        if (!run.Wait(TimeSpan.FromSeconds(60)))
        {
            // Let the stuck reader go (it reads an empty file) so the test run can end.
            if (fifo is not null) File.WriteAllText(fifo, "");
            Assert.Fail($"cepgeo {string.Join(' ', args)} waited on the FIFO");
        }
        return run.Result;
    }

    private static void AssertRefused(CliRun run, string what)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(what, run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("bug", run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.Trim().Split('\n'));
    }

    [Fact]
    public void FifoLayer_IsRefusedBeforeReading_ByAnalyzeRenderValidateAndInspect()
    {
        if (!OperatingSystem.IsLinux()) return;
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string zones = _dir.File(Path.Combine("tiny", "zones.geojson"));
        File.Delete(zones);
        MakeFifo(zones);

        AssertRefused(Bounded(zones, "analyze", study, "--out", _dir.File("out"), "--no-maps"), "tube nommé (FIFO)");
        AssertRefused(Bounded(zones, "render", study, "--out", _dir.File("maps")), "tube nommé (FIFO)");
        AssertRefused(Bounded(zones, "validate", study), "tube nommé (FIFO)");
        AssertRefused(Bounded(zones, "inspect", zones), "tube nommé (FIFO)");
        AssertRefused(Bounded(zones, "design", "snap", study, "--to", "op", "--out", _dir.File("d")), "tube nommé (FIFO)");
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void FifoStudyFile_IsRefusedBeforeReading()
    {
        if (!OperatingSystem.IsLinux()) return;
        string study = _dir.File("study.json");
        MakeFifo(study);

        AssertRefused(Bounded(study, "analyze", study, "--out", _dir.File("out")), "tube nommé (FIFO)");
        AssertRefused(Bounded(study, "view", study, "--port", "0"), "tube nommé (FIFO)");
    }

    [Fact]
    public void DeviceBehindALayerName_IsRefused()
    {
        if (!OperatingSystem.IsLinux()) return;
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string zones = _dir.File(Path.Combine("tiny", "zones.geojson"));
        File.Delete(zones);
        File.CreateSymbolicLink(zones, "/dev/zero");

        AssertRefused(Bounded(null, "analyze", study, "--out", _dir.File("out"), "--no-maps"), "périphérique");
        AssertRefused(Bounded(null, "inspect", zones), "périphérique");
    }

    [Fact]
    public void SparseStudyFileOverTheLimit_IsRefusedWithoutReadingIt()
    {
        string study = _dir.File("study.json");
        using (var s = new FileStream(study, FileMode.CreateNew)) s.SetLength(3L << 20); // 3 MiB of nothing

        var run = CliRun.Of("analyze", study, "--out", _dir.File("out"), "--max-input-mb", "2");

        AssertRefused(run, "le fichier fait 3 Mo, plus que la limite de 2 Mo");
    }

    /// <summary>The commands without --max-input-mb apply the default limit (the issue: render, validate, view, design and inspect read anything).</summary>
    [Fact]
    public void SparseLayerOverTheDefaultLimit_IsRefusedByEveryCommand_WithoutReadingIt()
    {
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string zones = _dir.File(Path.Combine("tiny", "zones.geojson"));
        File.Delete(zones);
        // One MiB over the limit, and no disk used: a sparse file is all holes.
        using (var s = new FileStream(zones, FileMode.CreateNew)) s.SetLength((InputLimit.DefaultMaxMb + 1L) << 20);
        string over = $"plus que la limite de {InputLimit.DefaultMaxMb} Mo";

        AssertRefused(CliRun.Of("analyze", study, "--out", _dir.File("out"), "--no-maps"), over);
        AssertRefused(CliRun.Of("render", study, "--out", _dir.File("maps")), over);
        AssertRefused(CliRun.Of("validate", study), over);
        AssertRefused(CliRun.Of("inspect", zones), over);
        AssertRefused(CliRun.Of("design", "snap", study, "--to", "op", "--out", _dir.File("d")), over);
        Assert.False(Directory.Exists(_dir.File("out")));
        Assert.False(Directory.Exists(_dir.File("maps")));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("99999999999")]
    public void MaxInputMb_NotAWholePositiveNumber_IsOneLineAndExitTwo(string value)
    {
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));

        var run = CliRun.Of("analyze", study, "--out", _dir.File("out"), "--max-input-mb", value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--max-input-mb attend un nombre entier de mégaoctets plus grand que 0 (par exemple 2048), pas « {value} »", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("bug", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void EmptyPaths_AreOneLineAndExitTwo()
    {
        AssertRefused(CliRun.Of("analyze", ""), "le chemin de l'étude est vide");
        AssertRefused(CliRun.Of("demo", "generate", "--out", ""), "le dossier de sortie est vide");
        AssertRefused(CliRun.Of("zones", "build", "--communes", "c.geojson", "--members", "m.csv", "--out", ""), "--out");
    }
}
