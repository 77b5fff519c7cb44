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
        if (IsSimplePolygon(geometry))
            return new Outcome(null, geometry, 0);
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

    /// <summary>
    /// A cheap proof of validity for the common case, a polygon without holes: its ring is closed,
    /// has three distinct vertices, never passes twice through a vertex and no two of its segments
    /// meet but at shared endpoints. Anything else (holes, several parts, any doubt) goes to
    /// <see cref="IsValidOp"/>, which on national layers costs several times more.
    /// </summary>
    internal static bool IsSimplePolygon(Geometry geometry)
    {
        if (geometry is not Polygon { NumInteriorRings: 0 } polygon || polygon.IsEmpty) return false;
        var sequence = polygon.ExteriorRing.CoordinateSequence;
        var scratch = t_scratch ??= new Scratch();
        scratch.Ensure(sequence.Count);
        var (x, y) = (scratch.X, scratch.Y);
        int n = 0;
        for (int i = 0; i < sequence.Count; i++)
        {
            double px = sequence.GetX(i), py = sequence.GetY(i);
            if (!double.IsFinite(px) || !double.IsFinite(py)) return false;
            if (n > 0 && px == x[n - 1] && py == y[n - 1]) continue;
            x[n] = px;
            y[n] = py;
            n++;
        }
        if (n < 4 || x[0] != x[n - 1] || y[0] != y[n - 1]) return false;
        return !AnySegmentsMeet(x, y, n - 1, scratch);
    }

    /// <summary>Work arrays of the validity sweep, reused by each thread: a national layer would
    /// otherwise allocate seven arrays per polygon, hundreds of MB for the collector.</summary>
    private sealed class Scratch
    {
        public double[] X = [], Y = [], Sorted = [];
        public int[] Order = [];

        public void Ensure(int n)
        {
            if (X.Length >= n) return;
            int size = Math.Max(n, 2 * X.Length);
            (X, Y, Sorted, Order) = (new double[size], new double[size], new double[size], new int[size]);
        }
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>
    /// Sweep over x: whether two of the <paramref name="n"/> segments of the ring meet in an interior
    /// (see <see cref="SegmentContact"/>) or start at the same point (the ring passes twice through a
    /// vertex: the two segments' x-ranges both hold it, so the sweep meets every such pair).
    /// </summary>
    private static bool AnySegmentsMeet(double[] x, double[] y, int n, Scratch scratch)
    {
        var (order, sortedMinX) = (scratch.Order, scratch.Sorted);
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            sortedMinX[i] = Math.Min(x[i], x[i + 1]);
        }
        Array.Sort(sortedMinX, order, 0, n);
        for (int a = 0; a < n; a++)
        {
            int i = order[a];
            double maxX = Math.Max(x[i], x[i + 1]);
            for (int b = a + 1; b < n && sortedMinX[b] <= maxX; b++)
            {
                int j = order[b];
                if (x[i] == x[j] && y[i] == y[j]) return true;
                // Consecutive segments share a vertex: they can only meet by folding back along each other.
                if (j == i + 1 || j == i + 1 - n)
                {
                    if (SegmentContact.FoldBack(x[i], y[i], x[j], y[j], x[j + 1], y[j + 1])) return true;
                }
                else if (i == j + 1 || i == j + 1 - n)
                {
                    if (SegmentContact.FoldBack(x[j], y[j], x[i], y[i], x[i + 1], y[i + 1])) return true;
                }
                else if (SegmentContact.MeetInInterior(x[i], y[i], x[i + 1], y[i + 1], x[j], y[j], x[j + 1], y[j + 1]))
                    return true;
            }
        }
        return false;
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
