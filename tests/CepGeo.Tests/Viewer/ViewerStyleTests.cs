using System.Net;
using CepGeo.Core.Model;
using CepGeo.Core.Rendering;
using CepGeo.Viewer;
using NetTopologySuite.Geometries;

namespace CepGeo.Tests.Viewer;

/// <summary>The viewer's classes, colours and names against the static maps' (no browser needed).</summary>
public sealed class ViewerStyleTests(DemoViewer viewer) : IClassFixture<DemoViewer>
{
    /// <summary>MisfitClasses' colours as CSS hex: the one palette of the static maps, the report and the viewer.</summary>
    public static string[] Palette { get; } = [.. PlannerStyle.Palette];

    [Fact]
    public void Palette_IsYlOrRd()
    {
        Assert.Equal(["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"], Palette);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/study")]
    [InlineData("api/index")]
    [InlineData("api/layers/cells")]
    [InlineData("api/metrics/cells")]
    [InlineData("app.js")]
    [InlineData("favicon.ico")]
    public async Task Head_Answers200_WithTheHeadersOfGet_AndNoBody(string url)
    {
        using var head = await viewer.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var get = await viewer.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Favicon_IsAnSvgIcon_NotA404()
    {
        using var response = await viewer.Http.GetAsync("favicon.ico");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layers_AreGzipped_WhenTheBrowserAcceptsIt_AndDecompressToTheSameGeoJson()
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var raw = new HttpClient(handler) { BaseAddress = viewer.Server.Url };
        var request = new HttpRequestMessage(HttpMethod.Get, "api/layers/zones-pe");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var response = await raw.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        byte[] gz = await response.Content.ReadAsByteArrayAsync();
        using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        unzip.CopyTo(plain);
        Assert.Equal(viewer.Data.Layers["zones-pe"].GeoJson, plain.ToArray());
        Assert.True(gz.Length * 2 < plain.Length, $"{gz.Length} gzipped bytes for {plain.Length}");
    }

    [Fact]
    public void Decimals_KeepAQuarterOfTheTolerance()
    {
        // 330 m (a national study's display tolerance): 4 decimals, 11 m; 10 m: 5 decimals, 1.1 m.
        Assert.Equal(4, DisplayGeometry.Decimals(330));
        Assert.Equal(5, DisplayGeometry.Decimals(10));
        var g = DisplayGeometry.Quantise(new GeometryFactory().CreatePoint(new Coordinate(5.123456789, 43.987654321)), 4);
        Assert.Equal(5.1235, g.Coordinate.X);
        Assert.Equal(43.9877, g.Coordinate.Y);
    }

    [Fact]
    public void DepartementCodes_AreNamed_OtherNamesKept()
    {
        var p = new GeometryFactory().CreatePoint(new Coordinate(0, 0));
        var deps = new List<Feature> { new("04", "04", p, new Dictionary<string, object?>()), new("2A", "", p, new Dictionary<string, object?>()) };
        Assert.Equal(["Alpes-de-Haute-Provence", "Corse-du-Sud"], ViewerData.DisplayNames(deps));
        var named = new List<Feature> { new("04", "Cap emploi 04", p, new Dictionary<string, object?>()) };
        Assert.Equal(["Cap emploi 04"], ViewerData.DisplayNames(named));
        // Ids that only look like codes next to ones that are not: left as they are.
        var mixed = new List<Feature> { new("04", "04", p, new Dictionary<string, object?>()), new("X1", "X1", p, new Dictionary<string, object?>()) };
        Assert.Equal(["04", "X1"], ViewerData.DisplayNames(mixed));
    }
}
