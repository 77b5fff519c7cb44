using System.Text.Json.Nodes;
using CepGeo.Core.Loading.Zones;

namespace CepGeo.Core.Reporting;

/// <summary>The files of <c>cepgeo zones build</c>: the zones (GeoJSON) and the match report (CSV).</summary>
public static class ZoneOutputs
{
    /// <summary>Columns of ZONES.match.csv, stable for scripts.</summary>
    public static readonly string[] MatchColumns = ["kind", "code", "zone_code", "resolved_to", "detail"];

    /// <summary>
    /// The zones as RFC 7946 features with <c>zone_code</c>, <c>zone_name</c>, <c>communes</c> (polygons
    /// dissolved), <c>codes_listed</c> (rows of the list) and, with weights, the summed weights under the
    /// weights field's own name. Geometries must already be in WGS 84 lon/lat.
    /// </summary>
    public static void WriteGeoJson(Stream stream, ZoneBuild build, string? weightsField, string version)
    {
        ArgumentNullException.ThrowIfNull(build);
        var features = build.Zones.Select(z =>
        {
            var properties = new List<KeyValuePair<string, object?>>
            {
                new("zone_code", z.Code),
                new("zone_name", z.Name),
                new("communes", z.CommuneCodes.Count),
                new("codes_listed", z.CodesListed),
            };
            if (weightsField is not null) properties.Add(new(weightsField, z.Weight));
            if (build.Derived is not null) properties.Add(new("derived", build.Derived));
            return new GeoJsonFeature(z.Geometry, properties, z.Code) { AsMultiPolygon = true };
        });
        var c = build.Counts;
        var cepgeo = new JsonObject
        {
            ["version"] = version,
            ["zones"] = build.Zones.Count,
            ["list_rows"] = c.Rows,
            ["matched_directly"] = c.Direct,
            ["through_arrondissement"] = c.ThroughArrondissement,
            ["through_crosswalk"] = c.ThroughCrosswalk,
            ["unmatched_codes"] = c.Unmatched,
            ["communes"] = c.Communes,
            ["communes_in_no_zone"] = c.Communes - c.Assigned,
            ["communes_claimed_twice"] = build.Of(MatchKinds.ClaimedTwice).Count(),
        };
        if (build.Derived is not null) cepgeo["derived"] = build.Derived;
        GeoJsonWriter.Write(stream, features, [new KeyValuePair<string, JsonNode?>("cepgeo", cepgeo)]);
    }

    /// <summary>One row per report entry, in the report's order (unmatched codes first).</summary>
    public static void WriteMatchCsv(TextWriter writer, ZoneBuild build)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(build);
        writer.Write(string.Join(',', MatchColumns));
        writer.Write('\n');
        foreach (var e in build.Report)
        {
            writer.Write(string.Join(',', new[] { e.Kind, e.Code, e.ZoneCodes, e.ResolvedTo, e.Detail }.Select(CsvTables.Cell)));
            writer.Write('\n');
        }
        writer.Flush();
    }
}
