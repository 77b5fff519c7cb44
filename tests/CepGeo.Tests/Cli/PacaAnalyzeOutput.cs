using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Cli;

/// <summary>
/// <c>cepgeo analyze data/paca/study.json --date 2026-01-01</c> with its maps, report and atlas,
/// written once per test run (about 15 s of CPU) and removed when the run ends (<see cref="TestRun"/>):
/// the analyze tests read its tables and exports, the report's browser test prints its report.html.
/// Read it; never write into it.
/// </summary>
internal static class PacaAnalyzeOutput
{
    private static readonly Lazy<(string Dir, CliRun Run)> Written = new(() =>
    {
        var temp = new TempDirectory();
        TestRun.AtEnd(temp.Dispose);
        string dir = temp.File("out");
        return (dir, CliRun.Of("analyze", Path.Combine(TestPaths.RepoRoot, "data", "paca", "study.json"), "--out", dir, "--date", "2026-01-01"));
    });

    public static string Dir => Written.Value.Dir;

    public static CliRun Run => Written.Value.Run;
}
