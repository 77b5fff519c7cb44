using System.Text.Json.Nodes;
using CepGeo.Core.Rendering;

namespace CepGeo.Viewer;

/// <summary>
/// <see cref="PlannerStyle"/> as the page reads it from <c>/api/style</c>: the viewer keeps no copy of
/// classes, colours or words, so a value at a class bound has the class it has on the static maps.
/// </summary>
public static class StyleJson
{
    public static string Text { get; } = Build().ToJsonString();

    private static JsonObject Build()
    {
        var scales = new JsonObject();
        foreach (var (metric, s) in PlannerStyle.Scales)
            scales[metric] = new JsonObject
            {
                ["breaks"] = new JsonArray([.. s.Breaks.Select(b => (JsonNode)b)]),
                ["high_is_bad"] = s.HighIsBad,
                ["lower_bound_included"] = true,
                ["min"] = s.Min,
                ["max"] = s.Max,
            };
        var defects = new JsonObject();
        foreach (var (kind, d) in PlannerStyle.Defects)
            defects[kind] = new JsonObject { ["pattern"] = d.Pattern, ["color"] = d.Color };
        var words = new JsonObject();
        foreach (var (key, term) in PlannerStyle.Words)
            words[key] = new JsonObject { ["fr"] = term.Fr, ["en"] = term.En };
        return new JsonObject
        {
            ["palette"] = new JsonArray([.. PlannerStyle.Palette.Select(c => (JsonNode)c)]),
            ["no_data"] = PlannerStyle.NoData,
            ["scales"] = scales,
            ["operator_colors"] = new JsonArray([.. PlannerStyle.OperatorColors.Select(c => (JsonNode)c)]),
            ["operator_dashes"] = new JsonArray([.. PlannerStyle.OperatorDashes.Select(d => (JsonNode)new JsonArray([.. d.Select(v => (JsonNode)v)]))]),
            ["proposal_color"] = PlannerStyle.ProposalColor,
            ["defects"] = defects,
            ["words"] = words,
        };
    }
}
