namespace CepGeo.Core.Model;

/// <summary>A study file (spec §1), with paths already resolved against the study's folder.</summary>
/// <param name="ShortNames">Optional short display labels: layer key (<c>cells</c> or an operator) → feature id → label,
/// used by the report, the atlas and the maps instead of the layer's own (often long, upper-case) names.</param>
public sealed record Study(
    string Name,
    string Crs,
    LayerSpec Cells,
    IReadOnlyList<LayerSpec> Operators,
    WeightsSpec? Weights,
    Tolerances Tolerances,
    string? Sources = null,
    IReadOnlyList<LayerSpec>? SitesOnly = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? ShortNames = null)
{
    /// <summary>What reading the study file itself noted (the encoding it was read in, when not UTF-8): the head of the load report.</summary>
    public IReadOnlyList<LoadIssue> Notes { get; init; } = [];

    /// <summary>Every operator with sites (spec §9), in study order: those with zones first, then those with sites only.</summary>
    public IEnumerable<LayerSpec> SiteOperators =>
        Operators.Where(o => o.Sites is not null).Concat(SitesOnly ?? []);
}

/// <summary>One layer of a study: cells (Key = "cells") or an operator network.</summary>
/// <param name="Key">Short unique key <c>[a-z0-9_]+</c>; prefixes the operator's output columns.</param>
/// <param name="Label">Human label ("Missions locales").</param>
/// <param name="Path">Absolute path of the file (resolved by the study reader).</param>
/// <param name="IdField">Property holding the feature id, or null for the GeoJSON feature id.</param>
/// <param name="NameField">Property holding the name, or null to use the id.</param>
/// <param name="Table">GeoPackage table name when the file holds several.</param>
/// <param name="Members">Set when the layer is a commune list to dissolve (then <paramref name="Path"/> is the list).</param>
/// <param name="Sites">The operator's sites (spec §9), if it lists them. An operator with sites and no
/// zones is in <see cref="Study.SitesOnly"/>, its <paramref name="Path"/> that of its sites.</param>
/// <param name="Crs">The study's <c>"crs"</c> for a file that declares none (e.g. <c>EPSG:2154</c>).</param>
public sealed record LayerSpec(
    string Key,
    string Label,
    string Path,
    string? IdField,
    string? NameField,
    string? Table = null,
    ZoneListSpec? Members = null,
    SitesSpec? Sites = null,
    PostGisSpec? PostGis = null,
    string? Crs = null);

/// <summary>
/// An operator's sites (spec §9): points (GeoJSON, GeoPackage, Shapefile), or a CSV giving each site's
/// longitude and latitude, or the code of the commune it stands in (placed at that commune's centroid,
/// the commune being the weights unit whose <paramref name="CommuneCodeField"/> holds the code).
/// </summary>
/// <param name="Path">The file, absolute.</param>
/// <param name="IdField">Property (or CSV column) holding the site's id; required for a CSV.</param>
/// <param name="NameField">Property (or column) holding its name, or null to use the id.</param>
/// <param name="LonField">CSV: column of longitudes (default <c>lon</c>).</param>
/// <param name="LatField">CSV: column of latitudes (default <c>lat</c>).</param>
/// <param name="CommuneField">CSV: column of commune codes, in place of longitude and latitude.</param>
/// <param name="CommuneCodeField">Property of the weights units holding the commune code (default <c>code</c>).</param>
public sealed record SitesSpec(
    string Path,
    string? IdField,
    string? NameField,
    string? Table = null,
    string? LonField = null,
    string? LatField = null,
    string? CommuneField = null,
    string CommuneCodeField = "code")
{
    public bool IsCsv => System.IO.Path.GetExtension(Path).Equals(".csv", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One site as read: a point in its layer's CRS, or a commune code still to place.</summary>
/// <param name="Where">Where it is in its file (<c>#3</c>, <c>line 4</c>), for messages.</param>
public sealed record Site(string Id, string Name, double X, double Y, string? Commune, string Where);

/// <summary>An operator's sites as read, with what happened while reading them.</summary>
public sealed record SiteLayer(string Source, IReadOnlyList<Site> Sites, CrsRef Crs, IReadOnlyList<LoadIssue> Report);

/// <summary>
/// A layer read from a PostGIS table rather than a file: <paramref name="Connection"/> in Npgsql keyword
/// form (<c>Host=…;Database=…;Username=…</c>) or as a <c>postgresql://</c> URI, never with a password
/// (PGPASSWORD, ~/.pgpass or the environment give it); <paramref name="Table"/> as <c>schema.name</c>.
/// </summary>
public sealed record PostGisSpec(string Connection, string Table, string GeometryColumn);

/// <summary>
/// An operator layer given as a commune list (commune code → zone), dissolved over a commune map
/// when the study is loaded (<c>cepgeo zones build</c> does the same from the command line).
/// </summary>
/// <param name="MembersPath">The list (CSV), absolute.</param>
/// <param name="CommunesPath">The commune polygons, absolute.</param>
/// <param name="CodeField">Property of the communes holding the commune code.</param>
/// <param name="MemberCode">Column of the list holding the commune code.</param>
/// <param name="ZoneCode">Column of the list holding the zone code.</param>
/// <param name="ZoneName">Column of the list holding the zone name, if any.</param>
/// <param name="CrosswalkPath">Optional crosswalk CSV between the list's and the map's vintages, absolute.</param>
/// <param name="FromField">Crosswalk column of one vintage (required with a crosswalk).</param>
/// <param name="ToField">Crosswalk column of the other vintage (required with a crosswalk).</param>
public sealed record ZoneListSpec(
    string MembersPath,
    string CommunesPath,
    string CodeField,
    string MemberCode,
    string ZoneCode,
    string? ZoneName,
    string? CrosswalkPath = null,
    string? FromField = null,
    string? ToField = null);

/// <summary>The optional weights layer: polygons carrying a count spread by area.</summary>
/// <param name="Crs">The study's <c>"crs"</c> for a file that declares none (e.g. <c>EPSG:2154</c>).</param>
public sealed record WeightsSpec(string Path, string ValueField, string Label, string? Table = null, string? Crs = null);
