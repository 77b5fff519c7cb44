using System.Globalization;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace CepGeo.Core.Validation;

/// <summary>
/// Makes every polygon of a layer valid with NTS <see cref="GeometryFixer"/> (spec §2), listing each
/// repair in the load report with the area before and after, in the layer's CRS units.
/// </summary>
public static class LayerRepair
{
    /// <summary>
    /// The layer with valid Polygon/MultiPolygon geometries. A feature whose repair leaves no area
    /// (a polygon folded onto a line) is dropped and reported as skipped.
    /// </summary>
    /// <exception cref="CepGeoInputException">No feature keeps an area after repair.</exception>
    public static Layer Repair(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var outcomes = new Outcome[layer.Features.Count];
        // Validity checks dominate on national layers; features are independent and the result is
        // written by index, so the order of features and of the report does not depend on threads.
        Parallel.For(0, outcomes.Length, i => outcomes[i] = RepairOne(layer.Features[i].Geometry));

        var features = new List<Feature>(layer.Features.Count);
        var report = new List<LoadIssue>(layer.Report);
        for (int i = 0; i < outcomes.Length; i++)
        {
            var feature = layer.Features[i];
            var outcome = outcomes[i];
            if (outcome.Problem is null)
            {
                features.Add(feature);
                continue;
            }
            if (outcome.Geometry is null)
            {
                report.Add(new LoadIssue(layer.Source, feature.Id, "skipped",
                    $"{outcome.Problem}; no area left after repair", outcome.AreaBefore, 0));
                continue;
            }
            report.Add(new LoadIssue(layer.Source, feature.Id, "repaired",
                $"{outcome.Problem}; repaired with GeometryFixer", outcome.AreaBefore, outcome.Geometry.Area));
            features.Add(feature with { Geometry = outcome.Geometry });
        }

        if (features.Count == 0)
            throw new CepGeoInputException(layer.Source, null, "no polygon keeps an area once repaired");
        return layer with { Features = features, Report = report };
    }

    private readonly record struct Outcome(string? Problem, Geometry? Geometry, double AreaBefore);

    private static Outcome RepairOne(Geometry geometry)
    {
        var check = new IsValidOp(geometry);
        if (check.IsValid)
            return new Outcome(null, geometry, 0);

        var error = check.ValidationError;
        string problem = error.Coordinate is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{error.Message} at ({at.X:R} {at.Y:R})")
            : error.Message;
        var fixedGeometry = Polygonal(GeometryFixer.Fix(geometry));
        return new Outcome(problem, fixedGeometry, geometry.Area);
    }

    /// <summary>Only the polygonal parts of the fixer's result: a collapsed ring may come back as a line.</summary>
    private static Geometry? Polygonal(Geometry repaired)
    {
        var polygons = PolygonExtracter.GetPolygons(repaired).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        return polygons.Length switch
        {
            0 => null,
            1 => polygons[0],
            _ => repaired.Factory.CreateMultiPolygon(polygons),
        };
    }
}
