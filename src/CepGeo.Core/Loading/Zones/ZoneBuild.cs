using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading.Zones;

/// <summary>One zone dissolved from its communes.</summary>
/// <param name="Code">Zone code from the list.</param>
/// <param name="Name">Zone name from the list, else its code.</param>
/// <param name="Geometry">Union of its commune polygons, in the communes' CRS.</param>
/// <param name="CommuneCodes">Codes of the commune polygons it was built from, in map order.</param>
/// <param name="CodesListed">How many rows of the list name this zone.</param>
/// <param name="Weight">Sum of the weights field over its communes, or null without weights.</param>
public sealed record BuiltZone(
    string Code,
    string Name,
    Geometry Geometry,
    IReadOnlyList<string> CommuneCodes,
    int CodesListed,
    double? Weight);

/// <summary>One line of the match report.</summary>
/// <param name="Kind">One of <see cref="MatchKinds"/>.</param>
/// <param name="Code">The list code (unmatched, crosswalk, arrondissement), the map's commune code
/// (unassigned, claimed twice, overruled) or the zone code (empty zone).</param>
/// <param name="ZoneCodes">The zone(s) concerned, space-separated; empty for an unassigned commune.</param>
/// <param name="ResolvedTo">Map codes the list code was resolved to, space-separated; empty when none.</param>
/// <param name="Detail">Plain words: why, and through what (English, as the .match.csv writes it).</param>
/// <param name="FrenchDetail">The same in French, for the console (<see cref="DetailIn"/>).</param>
public sealed record MatchEntry(string Kind, string Code, string ZoneCodes, string ResolvedTo, string Detail, string? FrenchDetail = null)
{
    public MatchEntry(string kind, string code, string zoneCodes, string resolvedTo, Phrase detail)
        : this(kind, code, zoneCodes, resolvedTo, detail.En, detail.Fr) { }

    /// <summary>The detail in the reader's language.</summary>
    public string DetailIn(bool french) => french ? FrenchDetail ?? Detail : Detail;
}

/// <summary>The kinds of <see cref="MatchEntry"/>, in the order the report lists them.</summary>
public static class MatchKinds
{
    /// <summary>A list code with no commune polygon, even through the crosswalk: its territory is missing.</summary>
    public const string Unmatched = "unmatched_code";

    /// <summary>A commune polygon two zones (or more) claim at the same level: it is in each of them.</summary>
    public const string ClaimedTwice = "claimed_twice";

    /// <summary>A commune a zone reached only through the crosswalk or an arrondissement, kept by the zone that lists it directly.</summary>
    public const string Overruled = "claim_overruled";

    /// <summary>A commune polygon no zone claims.</summary>
    public const string Unassigned = "unassigned_commune";

    /// <summary>A zone none of whose codes matched: it has no polygon and is left out of the output.</summary>
    public const string EmptyZone = "empty_zone";

    /// <summary>An arrondissement municipal resolved to its commune (or a commune to its arrondissements).</summary>
    public const string Arrondissement = "arrondissement";

    /// <summary>A list code resolved to other codes of the map through the crosswalk.</summary>
    public const string Crosswalk = "crosswalk";

    /// <summary>A zone derived from a site (<c>zones build --nearest-site</c>), not the operator's own map.</summary>
    public const string Derived = "derived";

    public static IReadOnlyList<string> Order { get; } =
        [Unmatched, ClaimedTwice, Overruled, Unassigned, EmptyZone, Arrondissement, Crosswalk, Derived];
}

/// <summary>Counts for the console and summary lines.</summary>
/// <param name="Rows">Rows of the list.</param>
/// <param name="Direct">Rows whose code is a commune of the map.</param>
/// <param name="ThroughCrosswalk">Rows that brought communes through the crosswalk (their own code may also be in the map).</param>
/// <param name="ThroughArrondissement">Rows resolved as arrondissements (or Paris/Lyon/Marseille given by arrondissements).</param>
/// <param name="Unmatched">Rows with no polygon at all.</param>
/// <param name="Communes">Commune polygons in the map.</param>
/// <param name="Assigned">Commune polygons in at least one zone.</param>
public sealed record MatchCounts(int Rows, int Direct, int ThroughCrosswalk, int ThroughArrondissement, int Unmatched,
    int Communes, int Assigned);

/// <summary>Zones built from a commune list, with the report of what matched and what did not.</summary>
public sealed record ZoneBuild(IReadOnlyList<BuiltZone> Zones, IReadOnlyList<MatchEntry> Report, MatchCounts Counts)
{
    /// <summary>How the zones were derived (<c>nearest_site</c>) when they are not the operator's own list; null otherwise.</summary>
    public string? Derived { get; init; }

    /// <summary>Property holding the summed weights in outputs.</summary>
    public const string WeightProperty = "weight";

    /// <summary>True when every code of the list found a polygon.</summary>
    public bool AllMatched => Counts.Unmatched == 0;

    public IEnumerable<MatchEntry> Of(string kind) => Report.Where(e => e.Kind == kind);

    /// <summary>
    /// The zones as a layer for the analysis (id = zone code), in the communes' CRS; the match report
    /// becomes its load report, one issue per entry, so it lands in summary.json's <c>load</c>.
    /// </summary>
    public Layer ToLayer(string source, CrsRef crs)
    {
        var features = Zones.Select(z => new Feature(z.Code, z.Name, z.Geometry, new Dictionary<string, object?>
        {
            ["zone_code"] = z.Code,
            ["zone_name"] = z.Name,
            ["communes"] = (double)z.CommuneCodes.Count,
            ["codes_listed"] = (double)z.CodesListed,
            [WeightProperty] = z.Weight,
            ["derived"] = Derived,
        })).ToList();
        var issues = Report.Select(e =>
        {
            string tail = (e.ZoneCodes.Length > 0 ? $" [zone {e.ZoneCodes}]" : "") + (e.ResolvedTo.Length > 0 ? $" [→ {e.ResolvedTo}]" : "");
            return new LoadIssue(source, e.Code, LoadIssueKind.Match, e.Detail + tail, Words: new Phrase(e.DetailIn(true) + tail, e.Detail + tail)) { MatchKind = e.Kind };
        }).ToList();
        return new Layer(source, features, crs, issues);
    }
}
