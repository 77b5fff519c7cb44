using System.Runtime.InteropServices;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CepGeo.Core.Projection;
using CepGeo.Core.Validation;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Pipeline;

/// <summary>A connected piece of a layer's own coverage: an overlap of its features, or a hole of their union.</summary>
/// <param name="FeatureIds">Features overlapping there (empty for a hole).</param>
/// <param name="Lon">A point inside the piece (lon/lat), to find it on a map.</param>
public sealed record CoveragePiece(IReadOnlyList<string> FeatureIds, double AreaKm2, double WidthM, double Lon, double Lat);

/// <summary>What <c>cepgeo inspect</c> reports about one layer.</summary>
/// <param name="AreaCrs">The equal-area CRS areas were measured in.</param>
/// <param name="EdgesNotMatching">Features whose edges do not match their neighbours' exactly (NTS CoverageValidator).</param>
/// <param name="Overlaps">Places covered by two or more features of the layer.</param>
/// <param name="Gaps">Holes of the layer's union narrower than the sliver width: digitising defects.</param>
/// <param name="Holes">Wider holes of the union (a lake, an enclave of another region): reported, not defects.</param>
public sealed record LayerInspection(
    string Source, CrsRef Crs, int Features, int Polygons, int MultiPolygons, Envelope LonLatBounds,
    CrsRef AreaCrs, double AreaKm2, int Repaired, int Skipped, IReadOnlyList<LoadIssue> Report,
    int EdgesNotMatching, IReadOnlyList<CoveragePiece> Overlaps, IReadOnlyList<CoveragePiece> Gaps, IReadOnlyList<CoveragePiece> Holes)
{
    public bool HasCoverageDefects => Overlaps.Count > 0 || Gaps.Count > 0;
}

/// <summary>Inspects one loaded layer: its shape, its area in an equal-area CRS, and its own coverage defects.</summary>
public static class LayerInspector
{
    /// <param name="layer">The layer as read; it is repaired here and the repairs reported.</param>
    public static LayerInspection Inspect(Layer layer, Tolerances tolerances, string studyCrs = "auto")
    {
        layer = LayerRepair.Repair(layer);
        var toWgs84 = Reprojector.Create(layer.Crs, CrsRef.Wgs84Default, layer.Source);
        var bounds = new Envelope();
        foreach (var f in layer.Features)
            bounds.ExpandToInclude(toWgs84.Transform(f.Geometry).EnvelopeInternal);
        var areaCrs = EqualArea.Choose(studyCrs, bounds);
        var projected = Reprojector.Project(layer, areaCrs);
        var geoms = projected.Features.Select(f => f.Geometry).ToArray();

        // The layer's own mosaic: faces covered twice are overlaps; faces covered by nothing are
        // holes of the union (the Polygonizer only returns bounded faces).
        var mosaic = Mosaic.Build([geoms]);
        var labels = mosaic.Labels[0];
        var overlaps = Pieces(mosaic, f => labels[f].Length >= 2, projected, areaCrs);
        var holes = Pieces(mosaic, f => labels[f].Length == 0, projected, areaCrs);

        // CoverageValidator finds edges that do not match their neighbour's exactly (it cannot say how
        // much area is at stake; the mosaic does). No gap width: with one it also flags two stretches
        // of coast 50 m apart across a bay (PACA: Monaco, Cassis), which are not gaps of a coverage.
        // Narrow gaps are the enclosed holes of the union narrower than the tolerance (below).
        var invalid = CoverageValidator.Validate(geoms);
        int notMatching = invalid.Count(g => g is not null && !g.IsEmpty);

        return new LayerInspection(layer.Source, layer.Crs, layer.Features.Count,
            layer.Features.Count(f => f.Geometry is Polygon), layer.Features.Count(f => f.Geometry is MultiPolygon),
            bounds, areaCrs, geoms.Sum(g => g.Area) / 1e6,
            layer.Report.Count(i => i.Kind == LoadIssueKind.Repaired), layer.Report.Count(i => i.Kind == LoadIssueKind.Skipped), layer.Report,
            notMatching, overlaps,
            [.. holes.Where(h => h.WidthM < tolerances.SliverWidthM)],
            [.. holes.Where(h => h.WidthM >= tolerances.SliverWidthM)]);
    }

    private static List<CoveragePiece> Pieces(Mosaic m, Func<int, bool> inSet, Layer projected, CrsRef crs)
    {
        var toWgs84 = Reprojector.Create(crs, CrsRef.Wgs84Default);
        var seeds = Enumerable.Range(0, m.FaceCount).Where(inSet).ToList();
        var result = new List<CoveragePiece>();
        foreach (var part in m.Components(CollectionsMarshal.AsSpan(seeds), inSet))
        {
            double a = part.Sum(f => m.AreaKm2[f]);
            double p = m.PerimeterKm(CollectionsMarshal.AsSpan(part), inSet);
            var ids = part.SelectMany(f => m.Labels[0][f]).Distinct().Order().Select(i => projected.Features[i].Id).ToList();
            var biggest = part.MaxBy(f => m.AreaKm2[f]);
            var at = toWgs84.Transform(m.Faces[biggest].InteriorPoint).Coordinate;
            result.Add(new CoveragePiece(ids, a, p > 0 ? 2 * a / p * 1000 : 0, at.X, at.Y));
        }
        return [.. result.OrderByDescending(r => r.AreaKm2)];
    }
}
