using NetTopologySuite.Geometries;

namespace CepGeo.Core.Loading;

/// <summary>
/// One feature as a reader found it, before the rules of spec §2 are applied by
/// <see cref="LayerAssembler"/>: every format reduces to this.
/// </summary>
/// <param name="Where">Where the feature is in the file, for messages: <c>#13</c> for the 13th feature (or Shapefile record, or GeoPackage row).</param>
/// <param name="FileId">The file's own feature id (GeoJSON <c>id</c>, GeoPackage primary key), normalised.</param>
/// <param name="Properties">Attributes, normalised to double, string, bool or null.</param>
/// <param name="Geometry">2D geometry as read (maybe invalid, maybe not polygonal), or null.</param>
/// <param name="Notes">What the reader noticed while building the geometry.</param>
internal sealed record RawFeature(
    string Where,
    string? FileId,
    IReadOnlyDictionary<string, object?> Properties,
    Geometry? Geometry,
    GeometryNotes Notes);

/// <summary>What a reader noticed while decoding one geometry.</summary>
/// <param name="HadZ">A third ordinate was present and dropped.</param>
/// <param name="HadM">A fourth (measure) ordinate was present and dropped.</param>
/// <param name="BadNumber">The first coordinate that is not a finite, plausible number, as written; else null.</param>
/// <param name="ClosedRings">Rings whose last point did not repeat the first, closed by the reader.</param>
/// <param name="DroppedRings">Rings with fewer than 3 distinct points, which cannot bound an area.</param>
/// <param name="TypeName">Geometry type as written in the file (kept for an unknown type the reader cannot build).</param>
internal sealed record GeometryNotes(
    bool HadZ = false,
    bool HadM = false,
    string? BadNumber = null,
    int ClosedRings = 0,
    int DroppedRings = 0,
    string? TypeName = null)
{
    public static GeometryNotes None { get; } = new();
}
