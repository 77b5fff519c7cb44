using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Viewer;

/// <summary>analyze's own output for the demo (tables, maps, report.html), written once per test run
/// (shared by the classes that take it; none writes into it) and removed when the test run ends:
/// what the viewer's page must agree with, the report the browser opens.</summary>
public sealed class DemoAnalyzeOutput
{
    /// <summary>The date the report and maps are stamped with.</summary>
    public const string Date = "2026-01-01";

    private static readonly Lazy<(string Dir, CliRun Run)> Written = new(() =>
    {
        var temp = new TempDirectory();
        TestRun.AtEnd(temp.Dispose);
        string dir = temp.File("out");
        var run = CliRun.Of("analyze", DemoViewer.StudyPath, "--out", dir, "--date", Date);
        Assert.True(run.ExitCode == 0, run.Err);
        return (dir, run);
    });

    public string Dir => Written.Value.Dir;

    /// <summary>What that analyze printed (its console, in French).</summary>
    internal CliRun Run => Written.Value.Run;
}
