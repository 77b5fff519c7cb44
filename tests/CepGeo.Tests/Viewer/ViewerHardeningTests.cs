using System.Net;
using System.Net.Sockets;
using CepGeo.Cli.Commands;
using CepGeo.Core.Model;
using CepGeo.Tests.Cli;
using CepGeo.Tests.Loading;
using CepGeo.Viewer;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>
/// Issue 21's viewer findings: held connections beyond a limit are closed instead of exhausting the
/// process; design and results files with values of the wrong type are answered with the file's name.
/// </summary>
public sealed class ViewerHardeningTests(DemoViewer viewer, ITestOutputHelper log) : IClassFixture<DemoViewer>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CliContext Quiet() => new(new StringWriter(), new StringWriter(), color: false);

    [Fact]
    public async Task ThousandsOfHeldConnections_AreClosedBeyondTheLimit_AndTheViewerAnswersAfterwards()
    {
        const int count = 800;
        var clients = new List<TcpClient>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, viewer.Server.Url.Port);
                clients.Add(c);
            }
            // Connections over the limit are closed by the server at once: reading them ends (0 bytes or a
            // reset) well before the request-headers timeout would close them all.
            Assert.True(ViewerSecurity.HeadersTimeout > TimeSpan.FromSeconds(8));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            var closed = await Task.WhenAll(clients.Select(async c =>
            {
                try
                {
                    return await c.GetStream().ReadAsync(new byte[16], timeout.Token) == 0;
                }
                catch (IOException)
                {
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }));
            int refused = closed.Count(x => x);
            log.WriteLine($"{count} connections held: {refused} closed by the server");
            Assert.InRange(refused, count - ViewerSecurity.MaxConnections, count);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }

        var response = await viewer.Http.GetAsync(new Uri("api/study", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string DesignFile(string header, string metric = "\"abc\"")
    {
        string folder = _dir.File("design-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ViewerData.DesignFileName), $$$"""
            {"type": "FeatureCollection", "cepgeo": {{{header}}}, "features": [
            {"type": "Feature", "id": "p1", "properties": {"id": "p1", "name": "P1", "before_cell": "c1", "ml_misfit": {{{metric}}}},
             "geometry": {"type": "Polygon", "coordinates": [[[5.0,43.0],[5.2,43.0],[5.2,43.2],[5.0,43.2],[5.0,43.0]]]}}
            ]}
            """);
        return folder;
    }

    [Fact]
    public void WellFormedDesignFile_IsAccepted_SoTheCasesBelowAreRefusedForTheirHeader()
    {
        string folder = DesignFile("""{"design": "snap", "cells_before": 4, "totals": {"ml": {"misfit_km2_before": 1.5}}}""", "0.5");

        ViewCommand.AddDesign(Quiet(), viewer.Data, folder);
    }

    // Each header with a well-formed feature (metric 0.5), so that the header alone is what is refused
    // (with the metric "abc" of the last case in every file, a header read unchecked went unseen).
    [Theory]
    [InlineData("""{"design": 42}""", "0.5")]
    [InlineData("""{"design": "snap", "cells_before": "<img src=x onerror=alert(1)>"}""", "0.5")]
    [InlineData("""{"design": "snap", "totals": {"ml": {"misfit_km2_before": "<b>x</b>"}}}""", "0.5")]
    [InlineData("""{"design": "snap", "study": {"a": 1}}""", "0.5")]
    [InlineData("""{"design": "snap"}""", "\"abc\"")] // the feature's metric "abc"
    public void MalformedDesignFile_IsAnInputErrorNamingTheFile(string header, string metric)
    {
        string folder = DesignFile(header, metric);

        var e = Assert.Throws<CepGeoInputException>(() => ViewCommand.AddDesign(Quiet(), viewer.Data, folder));

        Assert.Contains(Path.GetFileName(folder), e.Message, StringComparison.Ordinal);
        Assert.Contains(ViewerData.DesignFileName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsFolderWithABrokenCsv_IsAnInputErrorNamingTheFile()
    {
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
        File.AppendAllText(Path.Combine(outDir, "cells.csv"), "c2,\"never closed\n");

        var e = Assert.Throws<CepGeoInputException>(() => ViewCommand.Load(Quiet(), outDir));

        Assert.Contains(Path.Combine("out", "cells.csv"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsFolderWithASummaryOfTheWrongShape_IsAnInputErrorNamingTheFile()
    {
        string study = OutputFolderTests.TinyStudy(_dir.File("tiny"));
        string outDir = _dir.File("out");
        Assert.Equal(0, CliRun.Of("analyze", study, "--out", outDir, "--no-maps").ExitCode);
        File.WriteAllText(Path.Combine(outDir, "summary.json"), """{"study": 42}""");

        var e = Assert.Throws<CepGeoInputException>(() => ViewCommand.Load(Quiet(), outDir));

        Assert.Contains(Path.Combine("out", "summary.json"), e.Message, StringComparison.Ordinal);
    }
}
