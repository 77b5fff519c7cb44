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
/// <param name="Kind"><c>skipped</c>, <c>repaired</c>, <c>dropped_zm</c> or <c>note</c>.</param>
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
    Phrase? Words = null);
