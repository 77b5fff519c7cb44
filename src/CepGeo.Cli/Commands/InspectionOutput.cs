using System.Globalization;
using System.Text.Json;
using CepGeo.Core.Model;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>How inspect and validate show a layer: a table for people, JSON for machines.</summary>
internal static class InspectionOutput
{
    public static void WriteHuman(IAnsiConsole console, ConsoleText text, string title, LayerInspection r)
    {
        string N(double v, string f = "0.###") => text.N(v, f);
        var grid = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns("", "");
        grid.HideHeaders();
        var b = r.LonLatBounds;
        // Coordinates are separated by " ; " in French, where the comma is the decimal mark.
        string sep = text.T(" ; ", ", ");
        grid.AddRow(text.T("entités", "features"), $"{text.Int(r.Features)} ({text.Int(r.Polygons)} Polygon, {text.Int(r.MultiPolygons)} MultiPolygon)");
        grid.AddRow(text.T("SCR", "CRS"), Markup.Escape(r.Crs.Declared
            ? text.T($"{r.Crs} (déclaré)", $"{r.Crs} (declared)")
            : text.T($"{r.Crs} (aucun déclaré : lon/lat RFC 7946)", $"{r.Crs} (none declared: RFC 7946 lon/lat)")));
        grid.AddRow(text.T("emprise (lon/lat)", "bounding box (lon/lat)"),
            $"{N(b.MinX, "0.0000")}{sep}{N(b.MinY, "0.0000")} – {N(b.MaxX, "0.0000")}{sep}{N(b.MaxY, "0.0000")}");
        grid.AddRow(text.T("surface totale", "total area"), Markup.Escape(text.T(
            $"{N(r.AreaKm2, "#,0.00")} km² (équivalente, {r.AreaCrs})", $"{N(r.AreaKm2, "#,0.00")} km² (equal-area, {r.AreaCrs})")));
        grid.AddRow(text.T("réparées / ignorées", "repaired / skipped"), $"{text.Int(r.Repaired)} / {text.Int(r.Skipped)}");
        grid.AddRow(text.T("limites qui ne se raccordent pas", "edges not matching"), text.Int(r.EdgesNotMatching));
        grid.AddRow(text.T("chevauchements", "overlaps"), Pieces(r.Overlaps));
        grid.AddRow(text.T("trous (plus étroits que la tolérance)", "gaps (narrower than tolerance)"), Pieces(r.Gaps));
        grid.AddRow(text.T("trous de l'union (pas des défauts)", "holes of the union (not defects)"), Pieces(r.Holes));
        console.Write(grid);
        foreach (var issue in r.Report)
            console.MarkupLine(issue.Kind == LoadIssueKind.Encoding ? $"  [yellow]{Markup.Escape(text.T(issue.EncodingLine()))}[/]" : $"  [yellow]{Markup.Escape(text.T(issue.KindWords))}[/] {Markup.Escape(issue.FeatureId ?? text.T("(couche)", "(layer)"))} : {Markup.Escape(issue.Words is { } w ? text.T(w.Fr, w.En) : issue.Reason)}");
        console.MarkupLine(r.HasCoverageDefects
            ? "[yellow]" + text.T("défauts de couverture trouvés", "coverage defects found") + "[/]"
            : "[green]" + text.T("aucun défaut de couverture", "no coverage defect") + "[/]");

        string Pieces(IReadOnlyList<CoveragePiece> pieces)
        {
            if (pieces.Count == 0) return text.T("aucun", "none");
            var lines = pieces.Take(10).Select(p => text.T(
                $"{N(p.AreaKm2, "0.###")} km², {N(p.WidthM, "0")} m de large, en {N(p.Lon, "0.0000")}{sep}{N(p.Lat, "0.0000")}",
                $"{N(p.AreaKm2, "0.###")} km², {N(p.WidthM, "0")} m wide, at {N(p.Lon, "0.0000")}{sep}{N(p.Lat, "0.0000")}")
                + (p.FeatureIds.Count > 0 ? " — " + string.Join(", ", p.FeatureIds) : ""));
            string more = pieces.Count > 10 ? "\n" + text.T($"… et {text.Int(pieces.Count - 10)} de plus", $"… and {pieces.Count - 10} more") : "";
            return Markup.Escape($"{text.Int(pieces.Count)} : " + string.Join("\n", lines) + more);
        }
    }

    public static void WriteJson(Utf8JsonWriter w, LayerInspection r)
    {
        w.WriteStartObject();
        w.WriteString("source", r.Source);
        w.WriteNumber("features", r.Features);
        w.WriteStartObject("geometry_types");
        w.WriteNumber("Polygon", r.Polygons);
        w.WriteNumber("MultiPolygon", r.MultiPolygons);
        w.WriteEndObject();
        w.WriteString("crs", r.Crs.ToString());
        w.WriteBoolean("crs_declared", r.Crs.Declared);
        w.WriteStartArray("bbox");
        foreach (var v in new[] { r.LonLatBounds.MinX, r.LonLatBounds.MinY, r.LonLatBounds.MaxX, r.LonLatBounds.MaxY }) w.WriteNumberValue(v);
        w.WriteEndArray();
        w.WriteString("area_crs", r.AreaCrs.ToString());
        w.WriteNumber("area_km2", r.AreaKm2);
        w.WriteNumber("repaired", r.Repaired);
        w.WriteNumber("skipped", r.Skipped);
        SummaryJson.WriteLoad(w, r.Report);
        w.WriteNumber("edges_not_matching", r.EdgesNotMatching);
        Write(w, "overlaps", r.Overlaps);
        Write(w, "gaps", r.Gaps);
        Write(w, "holes", r.Holes);
        w.WriteBoolean("coverage_defects", r.HasCoverageDefects);
        w.WriteEndObject();

        static void Write(Utf8JsonWriter w, string name, IReadOnlyList<CoveragePiece> pieces)
        {
            w.WriteStartArray(name);
            foreach (var p in pieces)
            {
                w.WriteStartObject();
                w.WriteNumber("area_km2", p.AreaKm2);
                w.WriteNumber("width_m", p.WidthM);
                w.WriteNumber("lon", p.Lon);
                w.WriteNumber("lat", p.Lat);
                w.WriteStartArray("feature_ids");
                foreach (var id in p.FeatureIds) w.WriteStringValue(id);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    public static Utf8JsonWriter JsonWriter(Stream s) =>
        new(s, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
