using System.Text.Json;
using CepGeo.Core.Metrics;
using CepGeo.Core.Model;

namespace CepGeo.Core.Reporting;

/// <summary>summary.json (spec §6): per-operator summaries, operator pairs, load report, tolerances, slivers, timings.</summary>
public static class SummaryJson
{
    /// <param name="timings">Seconds per step, measured by the caller (Core reads no clock).</param>
    public static void Write(Stream stream, AnalysisResult r, string version, IReadOnlyDictionary<string, double>? timings = null)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("study", r.Study.Name);
        w.WriteString("cepgeo_version", version);
        w.WriteString("crs", r.Crs.ToString());
        if (r.Study.Sources is not null) w.WriteString("sources", r.Study.Sources);
        w.WriteBoolean("weights", r.HasWeights);
        if (r.Study.Weights is not null) w.WriteString("weights_label", r.Study.Weights.Label);
        WriteTolerances(w, r.Study.Tolerances);

        w.WriteStartObject("layers");
        for (int i = 0; i < r.Infos.Count; i++)
        {
            w.WriteStartObject(r.Infos[i].Key);
            w.WriteString("label", r.Infos[i].Label);
            w.WriteString("source", r.Layers[i].Source);
            w.WriteNumber("features", r.Infos[i].Ids.Count);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        WriteLoad(w, r.Load);

        w.WriteStartObject("operators");
        foreach (var c in r.Comparisons) WriteSummary(w, c.Operator, c.Summary, r.Infos.First(i => i.Key == c.Operator).Label);
        w.WriteEndObject();
        if (r.Sites.Count > 0)
        {
            // Spec §9 over the territory, per operator with sites.
            w.WriteStartObject("sites");
            foreach (var op in r.Sites)
            {
                w.WriteStartObject(op.Operator);
                w.WriteString("label", op.Label);
                w.WriteNumber("sites_listed", op.Sites.Count);
                var t = op.Territory;
                w.WriteNumber("sites", t.Sites);
                Number(w, "sites_per_100k", t.SitesPer100k);
                Number(w, "dist_mean_km", t.DistMeanKm);
                Number(w, "dist_p90_km", t.DistP90Km);
                Number(w, "pop_beyond", t.PopBeyond);
                Number(w, "pop_beyond_share", t.PopBeyondShare);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteStartObject("operator_pairs");
        foreach (var c in r.OperatorPairs) WriteSummary(w, $"{c.CellLayer}/{c.Operator}", c.Summary, null);
        w.WriteEndObject();

        var s = r.Slivers;
        w.WriteStartObject("slivers");
        w.WriteNumber("count", s.Count);
        Number(w, "area_km2", s.AreaKm2);
        w.WriteNumber("gap_parts", s.GapParts);
        Number(w, "gap_km2", s.GapKm2);
        w.WriteNumber("double_parts", s.DoubleParts);
        Number(w, "double_km2", s.DoubleKm2);
        w.WriteNumber("straddle_parts", s.StraddleParts);
        Number(w, "straddle_km2", s.StraddleKm2);
        w.WriteEndObject();

        w.WriteStartObject("timings");
        foreach (var (step, seconds) in timings ?? new Dictionary<string, double>()) Number(w, step, seconds);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The load report as a <c>load</c> array: layer, feature, kind, reason, areas before and after.</summary>
    public static void WriteLoad(Utf8JsonWriter w, IEnumerable<LoadIssue> load)
    {
        w.WriteStartArray("load");
        foreach (var issue in load)
        {
            w.WriteStartObject();
            w.WriteString("layer", issue.Layer);
            if (issue.FeatureId is null) w.WriteNull("feature"); else w.WriteString("feature", issue.FeatureId);
            w.WriteString("kind", issue.KindName);
            w.WriteString("reason", issue.Reason);
            Number(w, "area_before", issue.AreaBefore);
            Number(w, "area_after", issue.AreaAfter);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteTolerances(Utf8JsonWriter w, Tolerances t)
    {
        w.WriteStartObject("tolerances");
        foreach (var (name, value) in t.Named) w.WriteNumber(name, value);
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, string key, OperatorSummary s, string? label)
    {
        w.WriteStartObject(key);
        if (label is not null) w.WriteString("label", label);
        w.WriteNumber("zones", s.Zones);
        Number(w, "zones_nested_pct", s.ZonesNestedPct);
        Number(w, "cells_coterminous_pct", s.CellsCoterminousPct);
        Number(w, "cells_aligned_pct", s.CellsAlignedPct);
        Number(w, "partners_mean", s.PartnersMean);
        w.WriteNumber("partners_max", s.PartnersMax);
        Number(w, "gap_km2", s.GapKm2);
        Number(w, "pop_gap", s.PopGap);
        Number(w, "double_km2", s.DoubleKm2);
        Number(w, "pop_double", s.PopDouble);
        Number(w, "alignment", s.Alignment);
        Number(w, "pop_alignment", s.PopAlignment);
        w.WriteEndObject();
    }

    /// <summary>A number, or null when missing or not finite: Utf8JsonWriter throws on NaN and ±∞ (a ratio of empty areas).</summary>
    private static void Number(Utf8JsonWriter w, string name, double? v)
    {
        if (v is double d && double.IsFinite(d)) w.WriteNumber(name, d);
        else w.WriteNull(name);
    }
}
