using CepGeo.Cli.Commands;
using CepGeo.Core.Pipeline;
using CepGeo.Viewer;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer on the demo study, started in-process on a free loopback port; one per test class.</summary>
public sealed class DemoViewer : IAsyncLifetime
{
    public static string StudyPath => Path.Combine(TestPaths.RepoRoot, "data", "demo", "study.json");

    public ViewerServer Server { get; private set; } = null!;

    public ViewerData Data { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var study = StudyFiles.Read(StudyPath);
        Data = ViewerData.FromAnalysis(Analysis.Run(study, StudyFiles.LoadLayer, StudyFiles.LoadWeights), "test");
        Server = await ViewerServer.StartAsync(Data, port: 0);
        Http = new HttpClient { BaseAddress = Server.Url };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
