using CepGeo.Core.Common;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using NetTopologySuite.Geometries;

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

    /// <summary>The union of a defect's faces (see <see cref="UnionOfFaces"/>).</summary>
    public Geometry DefectGeometry(Defect d) => UnionOfFaces(d.Faces);

    /// <summary>
    /// A one-face defect's rings straight off the mosaic (x, y pairs), which writers copy without building a
    /// geometry; null when the defect has several faces and its geometry is <see cref="DefectGeometry"/>'s union.
    /// Most defects are one face.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<double>>? DefectRingsXY(Defect d) => d.Faces.Count == 1 ? Mosaic.FaceRingsXY(d.Faces[0]) : null;

    /// <summary>
    /// The union of some faces of the mosaic (<see cref="FaceUnion.UnionOfFaces"/>). A new geometry
    /// each time (the mosaic makes faces when asked for): the caller may change it.
    /// </summary>
    public Geometry UnionOfFaces(IReadOnlyList<int> faces)
    {
        var polygons = new Geometry[faces.Count];
        for (int i = 0; i < polygons.Length; i++) polygons[i] = Mosaic.Faces[faces[i]];
        return FaceUnion.UnionOfFaces(polygons);
    }
}
