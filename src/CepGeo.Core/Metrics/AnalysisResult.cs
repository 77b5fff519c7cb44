using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace CepGeo.Core.Metrics;

/// <summary>Everything <c>analyze</c> computes, ready for the writers.</summary>
/// <param name="Layers">Projected layers in mosaic order: cells, each operator, then weights if any.</param>
/// <param name="Infos">Ids and names of the cells and operators, same order (weights excluded).</param>
/// <param name="Comparisons">Cells against each operator (with defects).</param>
/// <param name="OperatorPairs">Each pair of operators, the first in study order playing the cells.</param>
public sealed record AnalysisResult(
    Study Study,
    CrsRef Crs,
    IReadOnlyList<Layer> Layers,
    IReadOnlyList<LayerInfo> Infos,
    Mosaic Mosaic,
    double[]? FacePop,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyList<Comparison> OperatorPairs,
    IReadOnlyList<LoadIssue> Load,
    IReadOnlyList<SiteComparison>? SiteComparisons = null)
{
    /// <summary>Each operator with sites against the cells (spec §9), in study order; empty when none has sites.</summary>
    public IReadOnlyList<SiteComparison> Sites => SiteComparisons ?? [];

    /// <summary>The weights layer (projected), or null without weights.</summary>
    public Layer? WeightsLayer => HasWeights ? Layers[^1] : null;

    public Layer Cells => Layers[0];

    public bool HasWeights => FacePop is not null;

    /// <summary>Slivers set aside over every cells-vs-operator comparison.</summary>
    public SliverStats Slivers => Comparisons.Aggregate(SliverStats.Empty, (s, c) => s.Add(c.Slivers));

    /// <summary>
    /// The union of a defect's faces (they share edges exactly: a coverage union suffices). A new
    /// geometry each time (the mosaic makes faces when asked for): the caller may change it.
    /// </summary>
    public Geometry DefectGeometry(Defect d)
    {
        var faces = d.Faces.Select(f => (Geometry)Mosaic.Faces[f]).ToArray();
        if (faces.Length == 1) return faces[0];
        var factory = faces[0].Factory;
        return CoverageUnion.Union(factory.CreateGeometryCollection(faces));
    }
}
