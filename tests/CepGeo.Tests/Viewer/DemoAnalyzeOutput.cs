using CepGeo.Tests.Cli;
using CepGeo.Tests.Rendering;

namespace CepGeo.Tests.Viewer;

/// <summary>analyze's own output for the demo (tables, maps, report.html), written once per test run
/// (shared by the classes that take it; none writes into it) and removed when the test run ends:
/// what the viewer's page must agree with, the report the browser opens. It is <see cref="DemoMaps"/>'s
/// folder (<c>--format both</c>: the same files and SVG copies of the maps beside the PNGs), so that the
/// demo is analysed with its maps once per test run, not twice (CI time, issue 28).</summary>
public sealed class DemoAnalyzeOutput
{
    /// <summary>The date the report and maps are stamped with.</summary>
    public const string Date = DemoMaps.Date;

    private static readonly Lazy<(string Dir, CliRun Run)> Written = new(() =>
    {
        var (dir, run) = DemoMaps.Shared;
        Assert.True(run.ExitCode == 0, run.Err);
        return (dir, run);
    });

    public string Dir => Written.Value.Dir;

    /// <summary>What that analyze printed (its console, in French).</summary>
    internal CliRun Run => Written.Value.Run;
}
