using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CepGeo.Viewer;

namespace CepGeo.Tests.Viewer;

public sealed class ViewerApiTests(DemoViewer viewer, DemoAnalyzeOutput analyzed) : IClassFixture<DemoViewer>, IClassFixture<DemoAnalyzeOutput>
{
    private HttpClient Http => viewer.Http;

    [Fact]
    public void Server_ListensOnLoopbackOnly()
    {
        Assert.Equal("127.0.0.1", viewer.Server.Url.Host);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(viewer.Server.Url.Host)));
    }

    [Fact]
    public async Task Study_NamesEveryLayerOfTheDemo()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("api/study"));
        var root = doc.RootElement;
        Assert.Equal("Démo — territoire synthétique", root.GetProperty("name").GetString());
        Assert.Equal(["ml", "pe", "cap"], root.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("key").GetString()!));
        var keys = root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("key").GetString()).ToList();
        Assert.Equal(["cells", "zones-ml", "zones-pe", "zones-cap", "defects-gap", "defects-double_coverage", "defects-straddle", "communes"], keys);
        // The demo's bounds are in lon/lat around 4.1–4.9°E, 44.7–45.3°N (see data/demo/cells.geojson).
        var b = root.GetProperty("bounds").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.InRange(b[0], 4.0, 4.5);
        Assert.InRange(b[3], 45.0, 45.5);
    }

    [Theory]
    [InlineData("cells", 4)]
    [InlineData("zones-ml", 3)]
    [InlineData("zones-pe", 6)]
    [InlineData("zones-cap", 3)]
    public async Task Layer_IsGeoJsonInLonLatWithOneFeaturePerSourceFeature(string key, int count)
    {
        var response = await Http.GetAsync($"api/layers/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ViewerEndpoints.GeoJsonContentType, response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(count, features.Count);
        foreach (var f in features)
            foreach (var lonLat in Positions(f.GetProperty("geometry").GetProperty("coordinates")))
            {
                Assert.InRange(lonLat[0], 3.5, 5.5);
                Assert.InRange(lonLat[1], 44.0, 46.0);
            }
    }

    [Fact]
    public async Task Layers_AreSimplifiedForDisplay_ButExportsKeepFullPrecision()
    {
        using var shown = JsonDocument.Parse(await Http.GetStringAsync("api/layers/cells"));
        using var full = JsonDocument.Parse(await Http.GetStringAsync("api/export/cells.geojson"));
        int shownCount = shown.RootElement.GetProperty("features").EnumerateArray().Sum(f => Positions(f.GetProperty("geometry").GetProperty("coordinates")).Count());
        int fullCount = full.RootElement.GetProperty("features").EnumerateArray().Sum(f => Positions(f.GetProperty("geometry").GetProperty("coordinates")).Count());
        Assert.True(shownCount <= fullCount, $"display {shownCount} positions, export {fullCount}");
    }

    [Fact]
    public async Task Gaps_IsTheGapReportThatAnalyzeWrites()
    {
        // analyze's own files for the same study (DemoAnalyzeOutput: one analyze per test run).
        string outDir = analyzed.Dir;
        var response = await Http.GetAsync("api/gaps");
        Assert.Equal(ViewerEndpoints.GeoJsonContentType, response.Content.Headers.ContentType!.MediaType);
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "gaps.geojson")));
        Assert.Equal(written.RootElement.GetProperty("features").GetArrayLength(), served.RootElement.GetProperty("features").GetArrayLength());
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "pairs.csv")), await Http.GetStringAsync("api/export/pairs.csv"));
    }

    [Fact]
    public async Task MetricsCells_HasOneRowPerCellAndOperator_WithIdsAsText()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("api/metrics/cells"));
        var rows = doc.RootElement.EnumerateArray().Where(r => r.GetProperty("cell_layer").GetString() == "cells").ToList();
        Assert.Equal(4 * 3, rows.Count);
        Assert.All(rows, r => Assert.Equal(JsonValueKind.String, r.GetProperty("cell_id").ValueKind));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("misfit").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task MetricsPairs_SharesOfEachCellCoverItsCoverageAndDoubles()
    {
        using var pairs = JsonDocument.Parse(await Http.GetStringAsync("api/metrics/pairs"));
        using var cells = JsonDocument.Parse(await Http.GetStringAsync("api/metrics/cells"));
        foreach (var c in cells.RootElement.EnumerateArray().Where(r => r.GetProperty("cell_layer").GetString() == "cells"))
        {
            string id = c.GetProperty("cell_id").GetString()!, op = c.GetProperty("operator").GetString()!;
            double sum = pairs.RootElement.EnumerateArray()
                .Where(p => p.GetProperty("cell_layer").GetString() == "cells" && p.GetProperty("cell_id").GetString() == id && p.GetProperty("operator").GetString() == op)
                .Sum(p => p.GetProperty("share_of_cell").GetDouble());
            // Σ shares = coverage + the over-count of double coverage (spec §5.1), and that over-count
            // holds at least the reported double_km2 (which leaves sliver doubles out).
            double coverage = c.GetProperty("coverage").GetDouble();
            double doubleShare = c.GetProperty("double_km2").GetDouble() / c.GetProperty("area_km2").GetDouble();
            Assert.True(sum - coverage >= doubleShare - 1e-9, $"{id}/{op}: Σ shares {sum}, coverage {coverage}, double {doubleShare}");
        }
    }

    [Theory]
    [InlineData("api/layers/nope")]
    [InlineData("api/layers/design")] // no --design given
    [InlineData("api/metrics/nope")]
    [InlineData("api/export/nope.csv")]
    [InlineData("api/nothing")]
    [InlineData("nothing.html")]
    public async Task UnknownNames_Get404ProblemJson(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, doc.RootElement.GetProperty("status").GetInt32());
    }

    public static TheoryData<string> Traversals => new()
    {
        "/../../../{secret}",
        "/api/layers/..%2F..%2F..%2F{secret}",
        "/api/layers/%2e%2e%2f%2e%2e%2f{secret}",
        "/api/export/..%2f..%2f{secret}",
        "/api/export/%2F{abs}",
        "/api/metrics/%2e%2e%5c%2e%2e%5c{secret}",
        "/%2e%2e/%2e%2e/{secret}",
        "/{abs}",
        "//{abs}",
        "/lib/..%2f..%2f..%2f{secret}",
        "/api/layers/{absEnc}",
    };

    [Theory]
    [MemberData(nameof(Traversals))]
    public async Task PathTraversal_NeverReachesAFile(string template)
    {
        // A file with a unique marker, outside anything the server knows; no URL may return it.
        string dir = Path.Combine(Path.GetTempPath(), "cepgeo-secret-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string secretPath = Path.Combine(dir, "secret.txt");
        string marker = "SECRET-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(secretPath, marker);
        try
        {
            string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), secretPath);
            string path = template.Replace("{secret}", relative.Replace("\\", "/"), StringComparison.Ordinal)
                .Replace("{absEnc}", Uri.EscapeDataString(secretPath), StringComparison.Ordinal)
                .Replace("{abs}", secretPath.TrimStart('/'), StringComparison.Ordinal);
            string body = await RawGetAsync(path);
            Assert.DoesNotContain(marker, body);
            Assert.Matches(@"^HTTP/1\.1 4\d\d ", body);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ForeignHostHeader_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/study");
        request.Headers.Host = "attacker.example";
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void Leaflet_IsEmbeddedFromNpm()
    {
        Assert.Contains("lib/leaflet.js", ViewerEndpoints.PageFileNames);
        Assert.Contains("lib/leaflet.css", ViewerEndpoints.PageFileNames);
        var lockJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "CepGeo.Viewer", "package-lock.json")));
        Assert.Equal("1.9.4", lockJson.RootElement.GetProperty("packages").GetProperty("node_modules/leaflet").GetProperty("version").GetString());
    }

    /// <summary>Sends the path exactly as written (HttpClient would normalise dots and slashes away).</summary>
    private async Task<string> RawGetAsync(string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, viewer.Server.Url.Port);
        using var stream = tcp.GetStream();
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static IEnumerable<double[]> Positions(JsonElement coordinates)
    {
        if (coordinates[0].ValueKind == JsonValueKind.Number)
        {
            yield return [coordinates[0].GetDouble(), coordinates[1].GetDouble()];
            yield break;
        }
        foreach (var child in coordinates.EnumerateArray())
            foreach (var p in Positions(child))
                yield return p;
    }
}

public sealed class ViewerResultsFolderTests(DemoAnalyzeOutput analyzed) : IClassFixture<DemoAnalyzeOutput>
{
    [Fact]
    public void ResultsFolder_ShowsTheCellsAndDefectsOfAnalyzeOutput()
    {
        // analyze's output folder for the demo (DemoAnalyzeOutput: one analyze per test run), read only.
        string dir = analyzed.Dir;
        var data = ViewerData.FromResults(name => File.Exists(Path.Combine(dir, name)) ? File.OpenRead(Path.Combine(dir, name)) : null, "demo");
        Assert.Equal(["cells", "defects-gap", "defects-double_coverage", "defects-straddle"], data.Layers.Keys);
        Assert.Equal(4, data.Layers["cells"].Count);
        using var gaps = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "gaps.geojson")));
        int defects = gaps.RootElement.GetProperty("features").EnumerateArray()
            .Count(f => f.GetProperty("properties").GetProperty("kind").GetString() is "gap" or "double_coverage" or "straddle");
        Assert.Equal(defects, data.Layers.Values.Where(l => l.Kind == "defects").Sum(l => l.Count));
        Assert.Equal(["ml", "pe", "cap"], data.Study["operators"]!.AsArray().Select(o => (string)o!["key"]!));
    }

    [Fact]
    public void ResultsFolder_WithoutAnalyzeFiles_IsAnInputError()
    {
        var e = Assert.Throws<CepGeo.Core.Model.CepGeoInputException>(() => ViewerData.FromResults(_ => null, "empty"));
        Assert.Contains("gaps.geojson", e.Message);
    }
}
