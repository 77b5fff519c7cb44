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
/// <param name="Kind"><c>skipped</c>, <c>repaired</c>, <c>dropped_zm</c>, <c>note</c> or <c>encoding</c> (see <see cref="ReadAs"/>).</param>
/// <param name="Reason">Plain words: "LineString is not a polygon", "self-intersection repaired"…</param>
/// <param name="AreaBefore">For repairs: area before (in the layer's CRS units, or km² once projected).</param>
/// <param name="AreaAfter">For repairs: area after.</param>
/// <param name="Words">The reason in French and English where one was written for planners (the report shows it
/// in the report's language); <see cref="Reason"/> stays the English, as summary.json writes it.</param>
public sealed record LoadIssue(
    string Layer,
    string? FeatureId,
    string Kind,
    string Reason,
    double? AreaBefore = null,
    double? AreaAfter = null,
    Phrase? Words = null)
{
    /// <summary>The kind of the note naming the encoding a text file was read in, when not UTF-8.</summary>
    public const string EncodingKind = "encoding";

    /// <summary>The encoding a text file was read in (Windows-1252, UTF-16 LE…) for an <see cref="EncodingKind"/> note; else null.</summary>
    public string? Encoding { get; init; }

    /// <summary>
    /// The note saying that <paramref name="file"/> (a file name: the study file, a .dbf, a CSV list) was
    /// read as <paramref name="encoding"/>, not UTF-8: printed by the commands, kept in the load report.
    /// </summary>
    public static LoadIssue ReadAs(string file, string encoding) =>
        new(file, null, EncodingKind, $"read as {encoding} (not UTF-8)",
            Words: new Phrase($"lu en {encoding} (pas UTF-8)", $"read as {encoding} (not UTF-8)")) { Encoding = encoding };

    /// <summary>The line a planner reads for an encoding note: "communes.csv lu en Windows-1252 (pas UTF-8)".</summary>
    public Phrase EncodingLine() => new($"{Layer} lu en {Encoding} (pas UTF-8)", $"{Layer} read as {Encoding} (not UTF-8)");
}
