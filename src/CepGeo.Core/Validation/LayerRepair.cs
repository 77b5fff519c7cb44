using System.Globalization;
using CepGeo.Core.Common;
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
            var problem = outcome.Problem.Value;
            if (outcome.Geometry is null)
            {
                report.Add(new LoadIssue(layer.Source, feature.Id, LoadIssueKind.Skipped,
                    $"{problem.En}; no area left after repair", outcome.AreaBefore, 0,
                    new Phrase($"{problem.Fr} ; plus aucune surface après réparation", $"{problem.En}; no area left after repair")));
                continue;
            }
            report.Add(new LoadIssue(layer.Source, feature.Id, LoadIssueKind.Repaired,
                $"{problem.En}; repaired with GeometryFixer", outcome.AreaBefore, outcome.Geometry.Area,
                new Phrase($"{problem.Fr} ; réparée avec GeometryFixer", $"{problem.En}; repaired with GeometryFixer")));
            features.Add(feature with { Geometry = outcome.Geometry });
        }

        if (features.Count == 0)
            throw new CepGeoInputException(layer.Source, null, new Phrase("aucun polygone ne garde de surface une fois réparé", "no polygon keeps an area once repaired"));
        return layer with { Features = features, Report = report };
    }

    private readonly record struct Outcome(Phrase? Problem, Geometry? Geometry, double AreaBefore);

    private static Outcome RepairOne(Geometry geometry)
    {
        if (IsSimplePolygon(geometry) || HasDisjointRings(geometry))
            return new Outcome(null, geometry, 0);
        var check = new IsValidOp(geometry);
        if (check.IsValid)
            return new Outcome(null, geometry, 0);

        var error = check.ValidationError;
        string french = French(error.ErrorType) ?? error.Message;
        var problem = error.Coordinate is { } at
            ? new Phrase(string.Create(CultureInfo.InvariantCulture, $"{french} en ({at.X:R} {at.Y:R})"),
                string.Create(CultureInfo.InvariantCulture, $"{error.Message} at ({at.X:R} {at.Y:R})"))
            : new Phrase(french, error.Message);
        var fixedGeometry = Polygonal(GeometryFixer.Fix(geometry));
        return new Outcome(problem, fixedGeometry, geometry.Area);
    }

    /// <summary>NTS's validation errors in French (its messages are English only).</summary>
    private static string? French(TopologyValidationErrors type) => type switch
    {
        TopologyValidationErrors.HoleOutsideShell => "trou hors de son contour",
        TopologyValidationErrors.NestedHoles => "trous imbriqués",
        TopologyValidationErrors.DisconnectedInteriors => "intérieur en plusieurs morceaux",
        TopologyValidationErrors.SelfIntersection => "auto-intersection",
        TopologyValidationErrors.RingSelfIntersection => "anneau qui se recoupe",
        TopologyValidationErrors.NestedShells => "contours imbriqués",
        TopologyValidationErrors.DuplicateRings => "anneaux en double",
        TopologyValidationErrors.TooFewPoints => "trop peu de points",
        TopologyValidationErrors.InvalidCoordinate => "coordonnée non valide",
        TopologyValidationErrors.RingNotClosed => "anneau non fermé",
        _ => null,
    };

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
        int n = 0;
        return CopyRing(sequence, scratch, ref n) && !AnySegmentsMeet(scratch, [0, n]);
    }

    /// <summary>
    /// Appends a ring's points to the scratch arrays from <paramref name="n"/>, repeated points
    /// dropped; false when a coordinate is not finite or the ring is not closed with three distinct vertices.
    /// </summary>
    private static bool CopyRing(CoordinateSequence sequence, Scratch scratch, ref int n)
    {
        var (x, y) = (scratch.X, scratch.Y);
        int first = n;
        for (int i = 0; i < sequence.Count; i++)
        {
            double px = sequence.GetX(i), py = sequence.GetY(i);
            if (!double.IsFinite(px) || !double.IsFinite(py)) return false;
            if (n > first && px == x[n - 1] && py == y[n - 1]) continue;
            x[n] = px;
            y[n] = py;
            n++;
        }
        return n - first >= 4 && x[first] == x[n - 1] && y[first] == y[n - 1];
    }

    /// <summary>
    /// A cheap proof of validity for polygons with holes and multipolygons (islands, enclaves): every
    /// ring is closed with three distinct vertices and simple (as in <see cref="IsSimplePolygon"/>),
    /// no two rings share a single point, every hole lies inside its shell and outside its polygon's
    /// other holes, and no part's shell lies in another part's area. Rings that touch, and anything
    /// else, are left to <see cref="IsValidOp"/>: false means "not proved", not "invalid".
    /// </summary>
    internal static bool HasDisjointRings(Geometry geometry)
    {
        var parts = geometry switch
        {
            Polygon { NumInteriorRings: > 0 } p => [p],
            MultiPolygon m when m.NumGeometries is > 0 and <= MaxParts => Enumerable.Range(0, m.NumGeometries).Select(i => (Polygon)m.GetGeometryN(i)).ToArray(),
            _ => (Polygon[]?)null,
        };
        if (parts is null) return false;
        var scratch = t_scratch ??= new Scratch();
        var rings = new List<LineString>();
        foreach (var part in parts)
        {
            if (part.IsEmpty || part.NumInteriorRings > MaxHoles) return false;
            rings.Add(part.ExteriorRing);
            for (int h = 0; h < part.NumInteriorRings; h++) rings.Add(part.GetInteriorRingN(h));
        }
        scratch.Ensure(rings.Sum(r => r.NumPoints) + 1);
        var ringStart = new int[rings.Count + 1];
        int n = 0;
        for (int r = 0; r < rings.Count; r++)
        {
            if (!CopyRing(rings[r].CoordinateSequence, scratch, ref n)) return false;
            ringStart[r + 1] = n;
        }
        if (AnySegmentsMeet(scratch, ringStart)) return false;

        // Disjoint rings: one vertex tells on which side of another ring a whole ring lies.
        int ring = 0;
        var shells = new List<(LineString Shell, Envelope Bounds, int Holes)>(parts.Length);
        foreach (var part in parts)
        {
            int holes = part.NumInteriorRings;
            for (int h = 1; h <= holes; h++)
            {
                var at = new Coordinate(scratch.X[ringStart[ring + h]], scratch.Y[ringStart[ring + h]]);
                if (!Inside(at, part.ExteriorRing)) return false;
                for (int other = 1; other <= holes; other++)
                    if (other != h && Inside(at, part.GetInteriorRingN(other - 1))) return false;
            }
            shells.Add((part.ExteriorRing, part.ExteriorRing.EnvelopeInternal, holes));
            ring += holes + 1;
        }
        for (int a = 0; a < shells.Count; a++)
            for (int b = 0; b < shells.Count; b++)
            {
                if (a == b || !shells[b].Bounds.Intersects(shells[a].Bounds)) continue;
                // Shell a's first vertex in part b's area (inside b's shell, in none of its holes): overlap.
                var at = shells[a].Shell.GetCoordinateN(0);
                if (!Inside(at, shells[b].Shell)) continue;
                bool inHole = false;
                for (int h = 0; h < shells[b].Holes && !inHole; h++)
                    inHole = Inside(at, parts[b].GetInteriorRingN(h));
                if (!inHole) return false;
            }
        return true;

        static bool Inside(Coordinate p, LineString ring) =>
            NetTopologySuite.Algorithm.RayCrossingCounter.LocatePointInRing(p, ring.CoordinateSequence) == Location.Interior;
    }

    private const int MaxParts = 256, MaxHoles = 64;

    /// <summary>
    /// Sweep over x: whether two segments of the rings meet in an interior (see <see cref="SegmentContact"/>)
    /// or start at the same point: a ring passes twice through a vertex, or two rings share a point
    /// (the two segments' x-ranges both hold it, so the sweep meets every such pair). Ring r is the
    /// points <c>ringStart[r] .. ringStart[r+1]-1</c> of the scratch arrays, closed.
    /// </summary>
    private static bool AnySegmentsMeet(Scratch scratch, ReadOnlySpan<int> ringStart)
    {
        var (x, y) = (scratch.X, scratch.Y);
        var (order, sortedMinX, ringOf) = (scratch.Order, scratch.Sorted, scratch.Ring);
        bool oneRing = ringStart.Length == 2;
        int n = 0;
        for (int r = 0; r + 1 < ringStart.Length; r++)
            for (int k = ringStart[r]; k < ringStart[r + 1] - 1; k++)
            {
                order[n] = k;
                sortedMinX[n++] = Math.Min(x[k], x[k + 1]);
                if (!oneRing) ringOf[k] = r;
            }
        Array.Sort(sortedMinX, order, 0, n);
        for (int a = 0; a < n; a++)
        {
            int i = order[a];
            double maxX = Math.Max(x[i], x[i + 1]);
            int ri = oneRing ? 0 : ringOf[i], first = ringStart[ri], last = ringStart[ri + 1] - 2;
            for (int b = a + 1; b < n && sortedMinX[b] <= maxX; b++)
            {
                int j = order[b];
                if (x[i] == x[j] && y[i] == y[j]) return true;
                // Consecutive segments share a vertex: they can only meet by folding back along each
                // other. Segments of two rings meet at a vertex of one only on the other's interior.
                bool sameRing = oneRing || ri == ringOf[j];
                if (sameRing && (j == i + 1 || (i == last && j == first)))
                {
                    if (SegmentContact.FoldBack(x[i], y[i], x[j], y[j], x[j + 1], y[j + 1])) return true;
                }
                else if (sameRing && (i == j + 1 || (j == last && i == first)))
                {
                    if (SegmentContact.FoldBack(x[j], y[j], x[i], y[i], x[i + 1], y[i + 1])) return true;
                }
                else if (SegmentContact.MeetInInterior(x[i], y[i], x[i + 1], y[i + 1], x[j], y[j], x[j + 1], y[j + 1]))
                    return true;
            }
        }
        return false;
    }

    /// <summary>Work arrays of the validity sweep, reused by each thread: a national layer would
    /// otherwise allocate seven arrays per polygon, hundreds of MB for the collector.</summary>
    private sealed class Scratch
    {
        public double[] X = [], Y = [], Sorted = [];
        public int[] Order = [], Ring = [];

        public void Ensure(int n)
        {
            if (X.Length >= n) return;
            int size = Math.Max(n, 2 * X.Length);
            (X, Y, Sorted, Order, Ring) = (new double[size], new double[size], new double[size], new int[size], new int[size]);
        }
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

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
