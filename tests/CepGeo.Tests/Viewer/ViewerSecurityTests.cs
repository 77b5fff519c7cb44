using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CepGeo.Viewer;

namespace CepGeo.Tests.Viewer;

/// <summary>
/// Issue 5's viewer safety, over raw HTTP on a socket (HttpClient would normalise or refuse what is sent):
/// headers on every response, no directory listing, and oversized or unexpected requests answered 4xx, never 500.
/// </summary>
public sealed partial class ViewerSecurityTests(DemoViewer viewer) : IClassFixture<DemoViewer>
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /app.js HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /lib/leaflet.css HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /api/study HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /api/layers/cells HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /api/export/pairs.csv HTTP/1.1\r\nHost: 127.0.0.1", 200)]
    [InlineData("GET /api/layers/nope HTTP/1.1\r\nHost: 127.0.0.1", 404)]
    [InlineData("GET /api/study HTTP/1.1\r\nHost: attacker.example", 400)]
    [InlineData("DELETE /api/study HTTP/1.1\r\nHost: 127.0.0.1", 405)]
    [InlineData("POST /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello", 413)]
    public async Task EveryResponse_HasNosniffAndASelfOnlyContentSecurityPolicy(string request, int status)
    {
        var response = await SendAsync(request.Contains("\r\n\r\n", StringComparison.Ordinal) ? request : request + "\r\n\r\n");
        Assert.Equal(status, response.Status);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        string csp = response.Header("Content-Security-Policy") ?? "";
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'none'"], directives["default-src"]);
        foreach (var name in new[] { "script-src", "style-src", "img-src", "connect-src" })
            Assert.Equal(["'self'"], directives[name]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentSecurityPolicy_WithTiles_AddsOnlyTheTileServerToImages()
    {
        var img = Directive(ViewerSecurity.ContentSecurityPolicy("https://{s}.tile.example.org/{z}/{x}/{y}.png"), "img-src");
        Assert.Equal(["'self'", "https://*.tile.example.org"], img);
        img = Directive(ViewerSecurity.ContentSecurityPolicy("http://tiles.local:8080/{z}/{x}/{y}.png"), "img-src");
        Assert.Equal(["'self'", "http://tiles.local:8080"], img);
        Assert.Equal(["'self'"], Directive(ViewerSecurity.ContentSecurityPolicy("http://tiles.local:8080/{z}/{x}/{y}.png"), "script-src"));
    }

    [Theory]
    [InlineData("/lib/")]
    [InlineData("/lib")]
    [InlineData("/wwwroot/")]
    [InlineData("/api/")]
    [InlineData("/api/layers/")]
    [InlineData("/api/export/")]
    [InlineData("/./")]
    public async Task Folders_AreNeverListed(string path)
    {
        var response = await SendAsync($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        if (path == "/./")
        {
            // Kestrel normalises "/./" to "/": the page itself, not a listing.
            Assert.Equal(200, response.Status);
            Assert.Contains("<title>CepGeo</title>", response.Body, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(404, response.Status);
        // A listing would name the files it holds.
        Assert.DoesNotContain("leaflet.js", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("app.js", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cells.geojson", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneMegabyteUrl_IsRefusedAs414()
    {
        string path = "/api/layers/" + new string('a', 1024 * 1024);
        var response = await SendAsync($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Assert.Equal(414, response.Status);
    }

    [Fact]
    public async Task OneMegabyteBody_IsRefusedAs413()
    {
        string body = new('x', 1024 * 1024);
        var response = await SendAsync($"POST /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task OneMegabyteChunkedBody_IsRefusedAs413()
    {
        var sb = new StringBuilder("POST /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 16; i++) sb.Append("10000\r\n").Append('y', 0x10000).Append("\r\n");
        sb.Append("0\r\n\r\n");
        var response = await SendAsync(sb.ToString());
        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task BodyOnAGet_IsRefusedAs413()
    {
        var response = await SendAsync("GET /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task ManyHeaders_AreRefusedAs431()
    {
        var sb = new StringBuilder("GET /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 500; i++) sb.Append($"X-Filler-{i}: {i}\r\n");
        var response = await SendAsync(sb.Append("\r\n").ToString());
        Assert.Equal(431, response.Status);
    }

    [Fact]
    public async Task OneMegabyteHeader_IsRefusedAs431()
    {
        var response = await SendAsync($"GET /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {new string('h', 1024 * 1024)}\r\n\r\n");
        Assert.Equal(431, response.Status);
    }

    [Fact]
    public async Task AfterHostileRequests_TheServerStillAnswers()
    {
        await SendAsync($"GET /{new string('a', 1024 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        await SendAsync("GARBAGE\r\n\r\n");
        var response = await SendAsync("GET /api/study HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task MalformedRequestLine_Is400()
    {
        var response = await SendAsync("GARBAGE\r\n\r\n");
        Assert.Equal(400, response.Status);
    }

    private static string[] Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).Select(d => d.Split(' ')).First(d => d[0] == name)[1..];

    private sealed record RawResponse(int Status, string Head, string Body)
    {
        public string? Header(string name)
        {
            var m = Regex.Match(Head, $@"^{Regex.Escape(name)}:\s*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            return m.Success ? m.Groups[1].Value : null;
        }
    }

    /// <summary>
    /// Sends the bytes exactly as written while reading the answer: Kestrel answers an oversized
    /// request before the client has finished sending it, then closes the connection.
    /// </summary>
    private async Task<RawResponse> SendAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, viewer.Server.Url.Port);
        using var stream = tcp.GetStream();
        // Connection: close after every Host line (a refused host's 400 too), or the read below waits for
        // the viewer's 30 s keep-alive timeout before it sees the end of the answer.
        byte[] bytes = Encoding.ASCII.GetBytes(HostLine().Replace(request, "$0\r\nConnection: close", 1));
        var send = Task.Run(async () =>
        {
            try { await stream.WriteAsync(bytes); }
            catch (IOException) { } // the server closed early: its answer is what the test reads
        });
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) when (received.Length > 0) { } // reset after the answer
        await send;
        string text = Encoding.UTF8.GetString(received.ToArray());
        var status = Regex.Match(text, @"^HTTP/1\.1 (\d{3}) ");
        Assert.True(status.Success, $"no HTTP status line in: {text[..Math.Min(200, text.Length)]}");
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new RawResponse(int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            split < 0 ? text : text[..split], split < 0 ? "" : text[(split + 4)..]);
    }

    [GeneratedRegex(@"\r\nHost: [^\r]*")]
    private static partial Regex HostLine();
}
