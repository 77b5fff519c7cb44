namespace CepGeo.Core.Model;

/// <summary>
/// A polygon layer as loaded: features in one CRS, plus what happened while loading it.
/// </summary>
/// <param name="Source">What the user called it: the file name, used in every message about it.</param>
/// <param name="Features">Polygonal features only; skipped ones are listed in <see cref="Report"/>.</param>
/// <param name="Crs">The CRS the coordinates are in (declared or detected).</param>
/// <param name="Report">Skipped and repaired features, dropped Z/M, CRS notes.</param>
public sealed record Layer(
    string Source,
    IReadOnlyList<Feature> Features,
    CrsRef Crs,
    IReadOnlyList<LoadIssue> Report)
{
    public Layer WithFeatures(IReadOnlyList<Feature> features, CrsRef crs) =>
        this with { Features = features, Crs = crs };
}

/// <summary>A coordinate reference system by code (e.g. <c>EPSG:2154</c>) or by WKT (a Shapefile's .prj).</summary>
/// <param name="Code">Normalised code such as <c>EPSG:4326</c>, or null when only WKT is known.</param>
/// <param name="Wkt">WKT when the source gave one (a .prj, a GeoPackage srs table); else null.</param>
/// <param name="Declared">True when the file declared it; false when it was assumed (RFC 7946 default).</param>
public sealed record CrsRef(string? Code, string? Wkt, bool Declared)
{
    public static CrsRef Wgs84Default { get; } = new("EPSG:4326", null, false);

    public override string ToString() => Code ?? "custom WKT";
}

/// <summary>What the loader did to one feature (or to the whole layer when FeatureId is null).</summary>
/// <param name="Layer">Layer source (file name).</param>
/// <param name="FeatureId">Feature id, or null for a layer-wide note.</param>
/// <param name="Kind">What was done (see <see cref="LoadIssueKind"/>).</param>
/// <param name="Reason">Plain words: "LineString is not a polygon", "self-intersection repaired"…</param>
/// <param name="AreaBefore">For repairs: area before (in the layer's CRS units, or km² once projected).</param>
/// <param name="AreaAfter">For repairs: area after.</param>
/// <param name="Words">The reason in French and English where one was written for planners (the report shows it
/// in the report's language); <see cref="Reason"/> stays the English, as summary.json writes it.</param>
public sealed record LoadIssue(
    string Layer,
    string? FeatureId,
    LoadIssueKind Kind,
    string Reason,
    double? AreaBefore = null,
    double? AreaAfter = null,
    Phrase? Words = null)
{
    /// <summary>For a <see cref="LoadIssueKind.Match"/> line: the match report's kind (<c>unmatched_code</c>, <c>crosswalk</c>…).</summary>
    public string? MatchKind { get; init; }

    /// <summary>The kind as summary.json and the report write it: <c>skipped</c>, <c>repaired</c>, <c>dropped_zm</c>,
    /// <c>note</c>, <c>encoding</c>, or the match report's kind.</summary>
    public string KindName => Kind switch
    {
        LoadIssueKind.Skipped => "skipped",
        LoadIssueKind.Repaired => "repaired",
        LoadIssueKind.DroppedZm => "dropped_zm",
        LoadIssueKind.Encoding => "encoding",
        LoadIssueKind.Match => MatchKind ?? "match",
        _ => "note",
    };

    /// <summary>What was done, in the words a planner reads (one vocabulary for the console and the report):
    /// « ignorée », « réparée », « Z/M retirés », « encodage », « correspondance », « note » (an entité, as QGIS says).</summary>
    public Phrase KindWords => Kind switch
    {
        LoadIssueKind.Skipped => new("ignorée", "skipped"),
        LoadIssueKind.Repaired => new("réparée", "repaired"),
        LoadIssueKind.DroppedZm => new("Z/M retirés", "Z/M dropped"),
        LoadIssueKind.Encoding => new("encodage", "encoding"),
        LoadIssueKind.Match => new("correspondance", "match"),
        _ => new("note", "note"),
    };

    /// <summary>The encoding a text file was read in (Windows-1252, UTF-16 LE…) for an <see cref="LoadIssueKind.Encoding"/> note; else null.</summary>
    public string? Encoding { get; init; }

    /// <summary>
    /// The note saying that <paramref name="file"/> (a file name: the study file, a .dbf, a CSV list) was
    /// read as <paramref name="encoding"/>, not UTF-8: printed by the commands, kept in the load report.
    /// </summary>
    public static LoadIssue ReadAs(string file, string encoding) =>
        new(file, null, LoadIssueKind.Encoding, $"read as {encoding} (not UTF-8)",
            Words: new Phrase($"lu en {encoding} (pas UTF-8)", $"read as {encoding} (not UTF-8)")) { Encoding = encoding };

    /// <summary>The line a planner reads for an encoding note: "communes.csv lu en Windows-1252 (pas UTF-8)".</summary>
    public Phrase EncodingLine() => new($"{Layer} lu en {Encoding} (pas UTF-8)", $"{Layer} read as {Encoding} (not UTF-8)");
}

/// <summary>What the loader did to a feature or said of a layer (<see cref="LoadIssue.Kind"/>).</summary>
public enum LoadIssueKind
{
    /// <summary>A layer-wide or feature note: nothing was changed.</summary>
    Note,

    /// <summary>The feature was left out (not a polygon, empty, no id…).</summary>
    Skipped,

    /// <summary>The feature's geometry was made valid.</summary>
    Repaired,

    /// <summary>Z or M values were dropped.</summary>
    DroppedZm,

    /// <summary>The file was read in an encoding other than UTF-8 (<see cref="LoadIssue.ReadAs"/>).</summary>
    Encoding,

    /// <summary>A line of a commune-list operator's match report (<see cref="LoadIssue.MatchKind"/>).</summary>
    Match,
}
