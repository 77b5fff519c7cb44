using System.Globalization;
using System.Text.Json;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>How inspect and validate show a layer: a table for people, JSON for machines.</summary>
internal static class InspectionOutput
{
    private static string N(double v, string f = "0.###") => v.ToString(f, CultureInfo.InvariantCulture);

    public static void WriteHuman(IAnsiConsole console, string title, LayerInspection r)
    {
        var grid = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns("", "");
        grid.HideHeaders();
        var b = r.LonLatBounds;
        grid.AddRow("features", $"{r.Features} ({r.Polygons} Polygon, {r.MultiPolygons} MultiPolygon)");
        grid.AddRow("CRS", Markup.Escape(r.Crs.Declared ? $"{r.Crs} (declared)" : $"{r.Crs} (none declared: RFC 7946 lon/lat)"));
        grid.AddRow("bounding box (lon/lat)", $"{N(b.MinX, "0.0000")}, {N(b.MinY, "0.0000")} – {N(b.MaxX, "0.0000")}, {N(b.MaxY, "0.0000")}");
        grid.AddRow("total area", Markup.Escape($"{N(r.AreaKm2, "0.00")} km² (equal-area, {r.AreaCrs})"));
        grid.AddRow("repaired / skipped", $"{r.Repaired} / {r.Skipped}");
        grid.AddRow("edges not matching", r.EdgesNotMatching.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("overlaps", Pieces(r.Overlaps));
        grid.AddRow("gaps (narrower than tolerance)", Pieces(r.Gaps));
        grid.AddRow("holes of the union (not defects)", Pieces(r.Holes));
        console.Write(grid);
        foreach (var issue in r.Report)
            console.MarkupLine($"  [yellow]{Markup.Escape(issue.Kind)}[/] {Markup.Escape(issue.FeatureId ?? "(layer)")}: {Markup.Escape(issue.Reason)}");
        console.MarkupLine(r.HasCoverageDefects
            ? "[yellow]coverage defects found[/]"
            : "[green]no coverage defect[/]");
    }

    private static string Pieces(IReadOnlyList<CoveragePiece> pieces)
    {
        if (pieces.Count == 0) return "none";
        var lines = pieces.Take(10).Select(p =>
            $"{N(p.AreaKm2, "0.###")} km², {N(p.WidthM, "0")} m wide, at {N(p.Lon, "0.0000")}, {N(p.Lat, "0.0000")}"
            + (p.FeatureIds.Count > 0 ? " — " + string.Join(", ", p.FeatureIds) : ""));
        string more = pieces.Count > 10 ? $"\n… and {pieces.Count - 10} more" : "";
        return Markup.Escape($"{pieces.Count}: " + string.Join("\n", lines) + more);
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
