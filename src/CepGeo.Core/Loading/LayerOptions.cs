using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>How to read one layer: what to call it in messages, and where its ids and names are.</summary>
/// <param name="Source">Display name (the file name), used in every message and in the load report.</param>
/// <param name="IdField">Property holding the feature id; null for the file's own feature id
/// (GeoJSON <c>id</c>, GeoPackage primary key). A Shapefile has none, so it needs this.</param>
/// <param name="NameField">Property holding the display name; null to use the id.</param>
/// <param name="Table">GeoPackage feature table; may be null when the file holds only one.</param>
/// <param name="IdsOptional">When no id is configured and the file has none, number the features
/// (<c>#1</c>, <c>#2</c>…) instead of failing. Meant for the weights layer, whose polygons only
/// carry a count and are never reported by id.</param>
/// <param name="KeepAttributes">Keep each feature's properties as its <see cref="Feature.Attributes"/>;
/// when false they are read (ids and names come from them) and then let go.</param>
/// <param name="Points">Read a sites layer (spec §9): points are kept and everything else is skipped
/// and counted, where a zone layer keeps polygons.</param>
/// <param name="Crs">The study's <c>"crs"</c> for a file that declares none (e.g. <c>EPSG:2154</c>).</param>
public sealed record LayerOptions(
    string Source,
    string? IdField,
    string? NameField,
    string? Table = null,
    bool IdsOptional = false,
    bool KeepAttributes = true,
    bool Points = false,
    string? Crs = null)
{
    /// <summary>
    /// Options for a cells or operator layer of a study, named after its file. A study knows these
    /// features by id and name only: their other properties are not kept (on the national communes,
    /// eleven properties a feature, they were 25 MB held through the whole analysis).
    /// </summary>
    public static LayerOptions For(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LayerOptions(Path.GetFileName(spec.Path), spec.IdField, spec.NameField, spec.Table, KeepAttributes: false, Crs: spec.Crs);
    }

    /// <summary>Options for the weights layer: ids are not needed there.</summary>
    public static LayerOptions For(WeightsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LayerOptions(Path.GetFileName(spec.Path), null, null, spec.Table, IdsOptional: true, Crs: spec.Crs);
    }

    /// <summary>Options for an operator's sites (points), named after their file.</summary>
    public static LayerOptions For(SitesSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LayerOptions(Path.GetFileName(spec.Path), spec.IdField, spec.NameField, spec.Table, KeepAttributes: false, Points: true);
    }
}
