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

    /// <summary>
    /// The union of a defect's faces (see <see cref="UnionOfFaces"/>), built once per defect and shared by all that ask: the
    /// union of a national straddle's faces was made for gaps.geojson, again for results.gpkg and again for the misfit maps
    /// (issue 28: 830 MB of the national run's allocations). Shared, so not to be changed by the caller (a one-face defect was
    /// always the mosaic's own face). Thread-safe: the writers and the maps ask from several threads.
    /// </summary>
    public Geometry DefectGeometry(Defect d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Faces.Count == 1 || _defectShapes.Of(Mosaic) is not { } shapes) return UnionOfFaces(d.Faces);
        return shapes.GetOrAdd(d, x => new Lazy<Geometry>(() => UnionOfFaces(x.Faces), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    // Readonly and never replaced: the record's equality and hash compare it by reference, the same before and after a union.
    private readonly DefectShapes _defectShapes = new();

    /// <summary>The unions of one mosaic's defects, by defect object, made on first use.</summary>
    private sealed class DefectShapes
    {
        private Mosaic? _mosaic;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Defect, Lazy<Geometry>> _union = new(ReferenceEqualityComparer.Instance);

        /// <summary>The unions of <paramref name="mosaic"/>'s defects; null when they are another mosaic's (a copy of the result
        /// made with another mosaic shares this object: its defects are other faces).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<Defect, Lazy<Geometry>>? Of(Mosaic mosaic)
        {
            var first = Interlocked.CompareExchange(ref _mosaic, mosaic, null);
            return first is null || ReferenceEquals(first, mosaic) ? _union : null;
        }
    }

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
