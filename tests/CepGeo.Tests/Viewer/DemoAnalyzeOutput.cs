using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;

namespace CepGeo.Tests.Viewer;

/// <summary>analyze's own output for the demo, written once per test class and removed after it:
/// what the viewer's page must agree with.</summary>
public sealed class DemoAnalyzeOutput : IDisposable
{
    private readonly TempDirectory temp = new();

    public DemoAnalyzeOutput()
    {
        var run = CliRun.Of("analyze", DemoViewer.StudyPath, "--out", Dir);
        Assert.True(run.ExitCode == 0, run.Err);
    }

    public string Dir => temp.File("out");

    public void Dispose() => temp.Dispose();
}
