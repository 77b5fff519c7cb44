using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CepGeo.Core.Design;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Projection;
using CepGeo.Core.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CepGeo.Viewer;

/// <summary>
/// The plan being edited in the viewer (issue 24): one <see cref="PlanScorer"/>, the token the page must send
/// with every write (made at launch, given only to the page through a same-origin GET), and the communes
/// as the page draws them.
/// </summary>
public sealed class PlanSession
{
    /// <summary>The largest write accepted: a national plan CSV (35 000 communes) is about 1 MB.</summary>
    public const long MaxBodyBytes = 4 << 20;

    public const string TokenHeader = "X-CepGeo-Token";

    private readonly Lazy<byte[]> _units;

    /// <param name="source">Where the plan started: <c>cells</c>, a design folder or a plan file name.</param>
    public PlanSession(PlanScorer scorer, string source)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        Scorer = scorer;
        Source = source;
        Token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _units = new Lazy<byte[]>(UnitsLayer);
    }

    public PlanScorer Scorer { get; private set; }

    public string Source { get; private set; }

    public string Token { get; }

    /// <summary>Edits come one at a time (the scorer is not thread-safe).</summary>
    internal Lock Gate { get; } = new();

    internal byte[] Units => _units.Value;

    /// <summary>Starts again from another plan (a file loaded by the page); the edit history goes with the old one.</summary>
    internal void Replace(Plan plan, string source)
    {
        Scorer = new PlanScorer(Scorer.Today, Scorer.Units, plan);
        Source = source;
    }

    private byte[] UnitsLayer()
    {
        var today = Scorer.Today;
        var layer = today.Layers[^1];
        var toLonLat = Reprojector.Create(today.Crs, CrsRef.Wgs84Default);
        double tolerance = DisplayGeometry.Tolerance(today.Cells.Features.Select(f => f.Geometry));
        var shapes = DisplayGeometry.Coverage([.. layer.Features.Select(f => f.Geometry)], tolerance / 2, toLonLat);
        var units = Scorer.Units;
        using var s = new MemoryStream();
        GeoJsonWriter.Write(s, [.. shapes.Select((g, u) => GeoJsonFeature.Create(g, units.Ids[u], ("u", u), ("id", units.Ids[u]), ("name", units.Names[u])))]);
        return s.ToArray();
    }

    /// <summary>Everything the page shows: perimeters with their facts and every operator's score, today beside them.</summary>
    internal JsonObject State(bool withToken)
    {
        var sc = Scorer;
        var today = sc.Today;
        var cellIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < today.Infos[0].Ids.Count; c++) cellIndex.TryAdd(today.Infos[0].Ids[c], c);
        var perimeters = new JsonArray();
        for (int p = 0; p < sc.Count; p++)
        {
            var f = sc.Facts(p);
            var ops = new JsonObject();
            for (int k = 0; k < today.Comparisons.Count; k++)
            {
                var row = sc.Row(k, p);
                var before = f.TodayCell is string tc && cellIndex.TryGetValue(tc, out int ci) ? today.Comparisons[k].Cells[ci] : null;
                ops[today.Comparisons[k].Operator] = new JsonObject
                {
                    ["misfit"] = row?.Misfit, ["pop_misfit"] = row?.PopMisfit, ["partners"] = row?.Partners, ["coverage"] = row?.Coverage,
                    ["zones"] = new JsonArray([.. sc.Pairs(k, p).Where(x => x.Significant).Select(x => (JsonNode)x.ZoneId)]),
                    ["today"] = before is null ? null : new JsonObject
                    {
                        ["misfit"] = before.Misfit, ["pop_misfit"] = before.PopMisfit, ["partners"] = before.Partners, ["pop"] = before.Pop,
                    },
                };
            }
            perimeters.Add(new JsonObject
            {
                ["id"] = sc.Ids[p], ["name"] = sc.Names[p], ["locked"] = sc.IsLocked(p), ["units"] = f.Units, ["pop"] = f.Pop,
                ["area_km2"] = f.AreaKm2, ["contiguous"] = f.Contiguous, ["parts"] = f.Parts, ["today_cell"] = f.TodayCell,
                ["moved_km2"] = f.MovedKm2, ["moved_pop"] = f.MovedPop, ["ops"] = ops,
            });
        }
        var totals = new JsonObject();
        for (int k = 0; k < today.Comparisons.Count; k++)
        {
            var t = sc.Totals(k);
            var b = today.Comparisons[k].Summary;
            totals[t.Operator] = new JsonObject
            {
                ["alignment"] = t.Alignment, ["pop_alignment"] = t.PopAlignment, ["partners_mean"] = t.PartnersMean,
                ["today"] = new JsonObject { ["alignment"] = b.Alignment, ["pop_alignment"] = b.PopAlignment, ["partners_mean"] = b.PartnersMean },
            };
        }
        var state = new JsonObject
        {
            ["source"] = Source,
            ["can_undo"] = sc.CanUndo,
            ["can_redo"] = sc.CanRedo,
            ["today_cells"] = today.Infos[0].Ids.Count,
            ["assign"] = new JsonArray([.. Enumerable.Range(0, sc.Units.Count).Select(u => (JsonNode)sc.PerimeterOf(u))]),
            ["perimeters"] = perimeters,
            ["totals"] = totals,
        };
        if (withToken) state["token"] = Token;
        return state;
    }
}

/// <summary>
/// The plan mode's HTTP surface, under <c>/api/plan</c>: reads (state, communes, exports) by GET; edits by POST,
/// which <see cref="ViewerSecurity"/> lets through only with the session's token and a small body.
/// </summary>
public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlanEndpoints(this IEndpointRouteBuilder app, PlanSession session, string version)
    {
        ArgumentNullException.ThrowIfNull(session);
        var api = app.MapGroup("/api/plan");
        api.MapGet("/state", () => Json(session, session.State(withToken: true)));
        api.MapGet("/units", () => Results.Bytes(session.Units, ViewerEndpoints.GeoJsonContentType));
        api.MapGet("/export/plan.csv", () =>
        {
            using var s = new MemoryStream();
            lock (session.Gate) Plans.WriteCsv(s, session.Scorer.Units, session.Scorer.Current());
            return Results.File(s.ToArray(), "text/csv; charset=utf-8", "plan.csv");
        });
        api.MapGet("/export/perimeters.geojson", () =>
        {
            PlanResult scored;
            lock (session.Gate) scored = PlanScore.Score(session.Scorer.Today, session.Scorer.Units, session.Scorer.Current());
            using var s = new MemoryStream();
            AnalysisOutputs.WriteCells(s, scored.After, version);
            return Results.File(s.ToArray(), ViewerEndpoints.GeoJsonContentType, "perimeters.geojson");
        });
        api.MapGet("/export/study.json", () => Results.File(Encoding.UTF8.GetBytes(StudyJson(session).ToJsonString(new JsonSerializerOptions { WriteIndented = true })),
            "application/json", "study.json"));

        api.MapPost("/assign", async (HttpRequest request) =>
        {
            var body = await Body(request).ConfigureAwait(false);
            if (body is null) return Bad("the body must be a JSON object");
            var ids = body["units"] as JsonArray;
            if (ids is null) return Bad("\"units\": a list of commune codes is needed");
            lock (session.Gate)
            {
                var sc = session.Scorer;
                var units = new List<int>();
                foreach (var n in ids)
                {
                    int u = n is null ? -1 : sc.Units.IndexOf(n.ToString());
                    if (u < 0) return Bad($"no commune \"{n}\" in this study");
                    units.Add(u);
                }
                int to;
                if (body["new"]?.GetValue<bool>() == true)
                {
                    string? name = body["name"]?.ToString();
                    to = sc.AddPerimeter(null, string.IsNullOrWhiteSpace(name) ? null : name.Trim());
                }
                else if (body["perimeter"] is null) to = -1;
                else
                {
                    to = sc.IndexOf(body["perimeter"]!.ToString());
                    if (to < 0) return Bad($"no perimeter \"{body["perimeter"]}\" in this plan");
                }
                var edit = sc.Assign(units, to);
                var state = session.State(withToken: false);
                state["edit"] = new JsonObject
                {
                    ["moved"] = edit.Moved.Count,
                    ["refused"] = new JsonArray([.. edit.Refused.Select(u => (JsonNode)sc.Units.Ids[u])]),
                    ["perimeter"] = to < 0 ? null : sc.Ids[to],
                };
                return Json(session, state);
            }
        });
        api.MapPost("/lock", async (HttpRequest request) =>
        {
            var body = await Body(request).ConfigureAwait(false);
            string? id = body?["perimeter"]?.ToString();
            lock (session.Gate)
            {
                int p = id is null ? -1 : session.Scorer.IndexOf(id);
                if (p < 0) return Bad($"no perimeter \"{id}\" in this plan");
                session.Scorer.SetLocked(p, body!["locked"]?.GetValue<bool>() ?? true);
                return Json(session, session.State(withToken: false));
            }
        });
        api.MapPost("/undo", () => Step(session, s => s.Undo()));
        api.MapPost("/redo", () => Step(session, s => s.Redo()));
        api.MapPost("/load", async (HttpRequest request) =>
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy).ConfigureAwait(false);
            copy.Position = 0;
            string name = request.Query["name"].ToString() is { Length: > 0 } n ? Path.GetFileName(n) : "plan.csv";
            try
            {
                lock (session.Gate)
                {
                    var rows = PlanReader.Read(copy, name);
                    var (plan, check) = Plans.FromRows(session.Scorer.Today, session.Scorer.Units, rows);
                    if (plan.PerimeterIds.Count == 0) return Bad($"{name}: no row assigns a commune of the study to a perimeter");
                    session.Replace(plan, name);
                    var state = session.State(withToken: false);
                    state["check"] = new JsonObject
                    {
                        ["rows"] = check.Rows,
                        ["unmatched"] = new JsonArray([.. check.Unmatched.Select(r => (JsonNode)r.UnitId)]),
                        ["listed_twice"] = new JsonArray([.. check.ListedTwice.Select(r => (JsonNode)r.UnitId)]),
                        ["unassigned"] = check.Unassigned.Count,
                    };
                    return Json(session, state);
                }
            }
            catch (CepGeoInputException e)
            {
                return Bad(e.Message);
            }
        });
        return app;
    }

    private static IResult Step(PlanSession session, Func<PlanScorer, bool> step)
    {
        lock (session.Gate)
        {
            bool done = step(session.Scorer);
            var state = session.State(withToken: false);
            state["done"] = done;
            return Json(session, state);
        }
    }

    private static async Task<JsonObject?> Body(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(PlanSession session, JsonObject state) =>
        Results.Text(state.ToJsonString(), "application/json; charset=utf-8");

    private static IResult Bad(string title) => Results.Problem(title: title, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A study whose cells are the plan's perimeters: perimeters.geojson saved beside it, the other layers where they are.</summary>
    private static JsonObject StudyJson(PlanSession session)
    {
        var study = session.Scorer.Today.Study;
        JsonObject Layer(LayerSpec s) => new()
        {
            ["key"] = s.Key, ["label"] = s.Label, ["path"] = s.Path, ["id"] = s.IdField, ["name"] = s.NameField, ["table"] = s.Table,
        };
        var json = new JsonObject
        {
            ["name"] = study.Name + " — scénario de découpage",
            ["crs"] = study.Crs,
            ["sources"] = study.Sources,
            ["cells"] = new JsonObject { ["path"] = "perimeters.geojson", ["id"] = "id", ["name"] = "name", ["label"] = "Scénario de découpage" },
            ["operators"] = new JsonArray([.. study.Operators.Select(o => (JsonNode)Layer(o))]),
            ["tolerances"] = new JsonObject
            {
                ["sliverWidthM"] = study.Tolerances.SliverWidthM, ["minAreaKm2"] = study.Tolerances.MinAreaKm2,
                ["minShare"] = study.Tolerances.MinShare, ["nestShare"] = study.Tolerances.NestShare,
            },
        };
        if (study.Weights is { } w)
            json["weights"] = new JsonObject { ["path"] = w.Path, ["value"] = w.ValueField, ["label"] = w.Label, ["table"] = w.Table };
        // Null members (no table, no name field) are left out, as a person would write the file.
        foreach (var o in ((JsonArray)json["operators"]!).OfType<JsonObject>())
            foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) o.Remove(key);
        if (json["weights"] is JsonObject wo)
            foreach (var key in wo.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) wo.Remove(key);
        return json;
    }
}
