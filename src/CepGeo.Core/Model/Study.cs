namespace CepGeo.Core.Model;

/// <summary>A study file (spec §1), with paths already resolved against the study's folder.</summary>
public sealed record Study(
    string Name,
    string Crs,
    LayerSpec Cells,
    IReadOnlyList<LayerSpec> Operators,
    WeightsSpec? Weights,
    Tolerances Tolerances,
    string? Sources = null);

/// <summary>One layer of a study: cells (Key = "cells") or an operator network.</summary>
/// <param name="Key">Short unique key <c>[a-z0-9_]+</c>; prefixes the operator's output columns.</param>
/// <param name="Label">Human label ("Missions locales").</param>
/// <param name="Path">Absolute path of the file (resolved by the study reader).</param>
/// <param name="IdField">Property holding the feature id, or null for the GeoJSON feature id.</param>
/// <param name="NameField">Property holding the name, or null to use the id.</param>
/// <param name="Table">GeoPackage table name when the file holds several.</param>
public sealed record LayerSpec(
    string Key,
    string Label,
    string Path,
    string? IdField,
    string? NameField,
    string? Table = null);

/// <summary>The optional weights layer: polygons carrying a count spread by area.</summary>
public sealed record WeightsSpec(string Path, string ValueField, string Label, string? Table = null);
