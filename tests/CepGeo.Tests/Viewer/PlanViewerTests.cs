using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CepGeo.Cli.Commands;
using CepGeo.Core.Design;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Projection;
using CepGeo.Tests.Design;
using CepGeo.Viewer;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CepGeo.Tests.Viewer;

/// <summary>The demo study analysed once; each test starts its own plan-mode server from today's cells.</summary>
public sealed class DemoPlanStudy
{
    public AnalysisResult Today { get; } = Analysis.Run(StudyFiles.Read(DemoViewer.StudyPath), StudyFiles.LoadLayer, StudyFiles.LoadWeights);

    public PlanUnits Units => _units ??= PlanUnits.From(Today);

    private PlanUnits? _units;

    public async Task<(ViewerServer Server, PlanSession Session)> StartAsync()
    {
        var session = new PlanSession(new PlanScorer(Today, Units, Plans.FromCells(Today, Units)), "cells");
        var data = ViewerData.FromAnalysis(Today, "test");
        return (await ViewerServer.StartAsync(data, 0, null, session, "test"), session);
    }

    /// <summary>A point inside a commune, in lon/lat (from the projected geometry, not from the page).</summary>
    public (double Lon, double Lat) InteriorPoint(int unit)
    {
        var g = Today.Layers[^1].Features[unit].Geometry.InteriorPoint;
        var lonLat = Reprojector.Create(Today.Crs, CrsRef.Wgs84Default).Transform(g);
        return (lonLat.Coordinate.X, lonLat.Coordinate.Y);
    }
}

/// <summary>Plan mode in Debian Chromium: edits as a person makes them, checked against <c>plan score</c> of the saved plan.</summary>
public sealed class PlanViewerTests(DemoPlanStudy demo, ChromiumBrowser chromium, ITestOutputHelper log)
    : IClassFixture<DemoPlanStudy>, IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task MovingACommune_ScoresEqualPlanScoreOfTheSavedPlan_UndoRestores_SaveLoadRoundTrips()
    {
        var (server, _) = await demo.StartAsync();
        await using var _s = server;
        await WithPage(async page =>
        {
            await OpenPlan(page, server);
            var before = await State(page);
            var start = Plans.FromCells(demo.Today, demo.Units);
            var (unit, to) = PacaPlanTests.BorderMoves(demo.Today, demo.Units, start, 1)[0];
            string unitId = demo.Units.Ids[unit], target = start.PerimeterIds[to];

            // Click the commune on the map, pick its neighbour's perimeter, assign.
            var (lon, lat) = demo.InteriorPoint(unit);
            await page.ClickMapAsync(lon, lat);
            Assert.Equal(unitId, await page.Body("plan-selected"));
            await page.Page.Locator("#plan-target").SelectOptionAsync(target);
            await Edit(page, () => page.Page.Locator("#plan-assign").ClickAsync());
            var after = await State(page);
            Assert.Equal(to, after.GetProperty("assign")[unit].GetInt32());

            // The saved plan, scored as `plan score` scores it: every perimeter, every operator.
            byte[] csv = await page.DownloadAsync("#plan-save");
            var (saved, check) = Plans.FromRows(demo.Today, demo.Units, PlanReader.Read(new MemoryStream(csv), "plan.csv"));
            Assert.True(check.Unmatched.Count == 0 && check.ListedTwice.Count == 0);
            var full = PlanScore.Score(demo.Today, demo.Units, saved);
            AssertShows(after, full);
            // The table shows the chosen operator's misfit of the perimeter that took the commune.
            string op = full.After.Comparisons[0].Operator;
            var row = page.Page.Locator($"#plan-table tr[data-perimeter='{target}']");
            double shown = double.Parse((await row.GetAttributeAsync("data-misfit"))!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(full.After.Comparisons[0].Cells.Single(c => c.CellId == target).Misfit, shown, 1e-12);
            Assert.NotEqual(Misfit(before, target, op), Misfit(after, target, op));

            await Edit(page, () => page.Page.Locator("#plan-undo").ClickAsync());
            Assert.Equal(Scores(before), Scores(await State(page)));
            await Edit(page, () => page.Page.Locator("#plan-redo").ClickAsync());
            Assert.Equal(Scores(after), Scores(await State(page)));

            // Back to today, then the saved file loaded: the edited plan again.
            await Edit(page, () => page.Page.Locator("#plan-undo").ClickAsync());
            string file = Path.Combine(Path.GetTempPath(), "cepgeo-plan-" + Guid.NewGuid().ToString("N") + ".csv");
            await File.WriteAllBytesAsync(file, csv);
            try { await Edit(page, () => page.Page.Locator("#plan-load").SetInputFilesAsync(file)); }
            finally { File.Delete(file); }
            Assert.Equal(Scores(after), Scores(await State(page)));
            var loaded = await State(page);
            Assert.Equal(target, loaded.GetProperty("perimeters")[loaded.GetProperty("assign")[unit].GetInt32()].GetProperty("id").GetString());
            await page.Page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDir, "plan-demo.png") });
        });
    }

    [Fact]
    public async Task LockedPerimeter_KeepsItsCommunes()
    {
        var (server, _) = await demo.StartAsync();
        await using var _s = server;
        await WithPage(async page =>
        {
            await OpenPlan(page, server);
            var start = Plans.FromCells(demo.Today, demo.Units);
            var (unit, to) = PacaPlanTests.BorderMoves(demo.Today, demo.Units, start, 1)[0];
            string from = start.PerimeterIds[start.UnitPerimeter[unit]];
            await page.Page.Locator("#plan-target").SelectOptionAsync(from);
            await Edit(page, () => page.Page.Locator("#plan-lock").CheckAsync());
            var (lon, lat) = demo.InteriorPoint(unit);
            await page.ClickMapAsync(lon, lat);
            await page.Page.Locator("#plan-target").SelectOptionAsync(start.PerimeterIds[to]);
            await Edit(page, () => page.Page.Locator("#plan-assign").ClickAsync());
            Assert.Equal(start.UnitPerimeter[unit], (await State(page)).GetProperty("assign")[unit].GetInt32());
            Assert.Contains("verrouillé", await page.Page.Locator("#plan-message").TextContentAsync(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Writes_NeedTheLaunchToken_AndASmallBody_ReadsUnchanged()
    {
        var (server, session) = await demo.StartAsync();
        await using var _s = server;
        using var http = new HttpClient { BaseAddress = server.Url };
        HttpRequestMessage Post(string path, string body, string? token)
        {
            var m = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null) m.Headers.Add(PlanSession.TokenHeader, token);
            return m;
        }
        string unit = demo.Units.Ids[0];
        string move = $"{{\"units\":[\"{unit}\"],\"perimeter\":null}}";
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Post("api/plan/assign", move, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Post("api/plan/assign", move, "x" + session.Token))).StatusCode);
        Assert.NotEqual(-1, session.Scorer.PerimeterOf(0));
        // The token comes from the page's own GET (a page elsewhere cannot read it).
        string token = JsonDocument.Parse(await http.GetStringAsync("api/plan/state")).RootElement.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Post("api/plan/assign", move, token))).StatusCode);
        Assert.Equal(-1, session.Scorer.PerimeterOf(0));
        // A body over the limit is refused from its announced length, before it is read (a raw request: an
        // HTTP client would still be sending it when the server closes).
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, server.Url.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/plan/load HTTP/1.1\r\nHost: 127.0.0.1:{server.Url.Port}\r\n"
                + $"{PlanSession.TokenHeader}: {token}\r\nContent-Type: text/csv\r\nContent-Length: {PlanSession.MaxBodyBytes + 1}\r\n\r\n"));
            var buffer = new byte[64];
            int n = await stream.ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
        }
        // Outside /api/plan the viewer stays read-only.
        var other = new HttpRequestMessage(HttpMethod.Post, "api/study");
        other.Headers.Add(PlanSession.TokenHeader, token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.SendAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/study") { Content = new StringContent("x") })).StatusCode);
        Assert.True(JsonDocument.Parse(await http.GetStringAsync("api/study")).RootElement.GetProperty("plan").GetBoolean());
    }

    private static async Task OpenPlan(ViewerPage page, ViewerServer server)
    {
        await page.OpenAsync(server.Url);
        await page.Page.WaitForSelectorAsync("body[data-plan-status='ready'], body[data-plan-status='error']", new() { Timeout = 30_000 });
        Assert.Equal("ready", await page.Body("plan-status"));
    }

    /// <summary>Does something that posts an edit, and waits until the page shows the answer.</summary>
    private static async Task Edit(ViewerPage page, Func<Task> act)
    {
        string before = (await page.Body("plan-edits"))!;
        await act();
        await page.Page.WaitForFunctionAsync($"() => document.body.dataset.planEdits !== '{before}' && document.body.dataset.plan === 'ready'");
    }

    private static async Task<JsonElement> State(ViewerPage page) =>
        await page.Page.EvaluateAsync<JsonElement>("() => window.cepgeoPlan.state()");

    private static double? Misfit(JsonElement state, string perimeter, string op) =>
        state.GetProperty("perimeters").EnumerateArray().Single(p => p.GetProperty("id").GetString() == perimeter)
            .GetProperty("ops").GetProperty(op).GetProperty("misfit").GetDouble();

    /// <summary>Every perimeter's population and every operator's misfit and partners, as text, by perimeter id.</summary>
    private static List<string> Scores(JsonElement state) =>
        [.. state.GetProperty("perimeters").EnumerateArray().Where(p => p.GetProperty("units").GetInt32() > 0)
            .SelectMany(p => p.GetProperty("ops").EnumerateObject().Where(o => !o.Name.StartsWith('$')).Select(o =>
                $"{p.GetProperty("id").GetString()} {o.Name} pop={p.GetProperty("pop").GetRawText()} misfit={o.Value.GetProperty("misfit").GetRawText()} "
                + $"pop_misfit={o.Value.GetProperty("pop_misfit").GetRawText()} partners={o.Value.GetProperty("partners").GetRawText()}"))
            .Order(StringComparer.Ordinal)];

    /// <summary>What the page holds equals the whole plan scored again, perimeter by perimeter, operator by operator.</summary>
    private static void AssertShows(JsonElement state, PlanResult full)
    {
        var perimeters = state.GetProperty("perimeters").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        foreach (var cmp in full.After.Comparisons)
            foreach (var c in cmp.Cells)
            {
                var o = perimeters[c.CellId].GetProperty("ops").GetProperty(cmp.Operator);
                PlanTests.Close(c.Misfit, o.GetProperty("misfit").GetDouble(), 1, c.CellId + " " + cmp.Operator);
                PlanTests.Close(c.PopMisfit!.Value, o.GetProperty("pop_misfit").GetDouble(), 1, c.CellId + " " + cmp.Operator);
                Assert.Equal(c.Partners, o.GetProperty("partners").GetInt32());
                PlanTests.Close(c.Pop!.Value, perimeters[c.CellId].GetProperty("pop").GetDouble(), c.Pop!.Value, c.CellId + " pop");
            }
    }

    private Task WithPage(Func<ViewerPage, Task> test, [CallerMemberName] string name = "") =>
        ViewerPage.RunAsync(chromium.Browser, log, test, name);
}
