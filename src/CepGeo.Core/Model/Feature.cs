using NetTopologySuite.Geometries;

namespace CepGeo.Core.Model;

/// <summary>One polygonal feature of a layer: a cell, an operator zone or a weight polygon.</summary>
/// <param name="Id">Unique, non-empty identifier (configured property, else the GeoJSON feature id).</param>
/// <param name="Name">Display name (configured property, else the id).</param>
/// <param name="Geometry">A valid Polygon or MultiPolygon, in the layer's CRS.</param>
/// <param name="Attributes">The feature's other properties, as read (numbers as double, text as string).</param>
public sealed record Feature(
    string Id,
    string Name,
    Geometry Geometry,
    IReadOnlyDictionary<string, object?> Attributes);
