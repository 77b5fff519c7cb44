using NetTopologySuite.Operation.Overlay;
using OverlayNG = NetTopologySuite.Operation.OverlayNG.OverlayNG;
using CoverageUnion = NetTopologySuite.Coverage.CoverageUnion;
using NetTopologySuite.Densify;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Precision;
using NetTopologySuite.Triangulate;
using NetTopologySuite.Utilities;

namespace CepGeo.Core.Demo;

/// <summary>One feature of a demo layer, in WGS84 lon/lat (coordinates on the 1e-6° grid).</summary>
/// <param name="Code">Identifier (<c>code</c> property).</param>
/// <param name="Name">Display name (<c>nom</c> property).</param>
/// <param name="Geometry">Polygon or MultiPolygon.</param>
/// <param name="Population">Communes only: synthetic population; null elsewhere.</param>
public sealed record DemoZone(string Code, string Name, Geometry Geometry, int? Population = null);

/// <summary>
/// A fictional territory of about 60 × 50 km around 45°N 4.5°E, with communes, coordination cells and
/// three operator networks that are misaligned with the cells in known ways. Pure: seed in, layers out.
/// </summary>
/// <remarks>
/// <para>How it is made (the README in <c>data/demo</c> says the same for users):</para>
/// <list type="number">
/// <item>An irregular outline (an ellipse of 31 × 26 km semi-axes with a few random harmonics).</item>
/// <item>150 commune seats scattered in it with a minimum spacing; their Voronoi diagram
///   (<see cref="VoronoiDiagramBuilder"/>) is noded with the outline in one snap-rounding overlay on the
///   1e-6° grid and polygonised, so neighbouring communes share exactly the same vertices.</item>
/// <item>Cells (4), Missions locales (3) and agencies (6) are unions (<see cref="CoverageUnion"/>) of
///   whole communes, each commune going to the nearest of a few centres; the centres of each layer are
///   placed differently, so zones straddle cells.</item>
/// <item>Cap emploi (3 zones) is drawn the same way, then "digitised from another source": one zone's
///   boundary is pushed about 1 km into its neighbour along ~5 km (a double coverage), another is pulled
///   back ~1 km (a gap), and every vertex is jittered by up to 40 m after densifying to 250 m, which leaves
///   thin slivers along all boundaries. 40 m (not more) keeps those slivers below the default sliver width
///   (50 m), so the only real defects are the two made on purpose.</item>
/// </list>
/// <para>Randomness comes from <see cref="SplitMix64"/> only, so a seed fixes the territory. The
/// trigonometric and exponential functions (outline, centres, ellipses, populations) come from the
/// platform's maths library: identical run to run on one platform, and since every coordinate is then
/// rounded to 1e-6° a last-bit difference elsewhere would rarely change a byte. The test that
/// regenerates <c>data/demo</c> and compares bytes is what tells.</para>
/// </remarks>
public sealed record DemoTerritory(
    ulong Seed,
    Geometry Outline,
    IReadOnlyList<DemoZone> Communes,
    IReadOnlyList<DemoZone> Cells,
    IReadOnlyList<DemoZone> MissionsLocales,
    IReadOnlyList<DemoZone> Agences,
    IReadOnlyList<DemoZone> CapEmploi)
{
    /// <summary>The seed of the committed demo data (Céreq Bref n°383, 2019).</summary>
    public const ulong DefaultSeed = 3832019;

    public const int CommuneCount = 150;

    /// <summary>Builds the territory for a seed. Same seed, same territory, coordinate for coordinate.</summary>
    public static DemoTerritory Generate(ulong seed = DefaultSeed) => new Generator(seed).Build();

    private sealed class Generator(ulong seed)
    {
        /// <summary>All output coordinates lie on this grid (1e-6°), the precision GeoJSON is written at.</summary>
        private static readonly PrecisionModel Grid = new(1e6);

        private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

        private readonly SplitMix64 _random = new(seed);

        public DemoTerritory Build()
        {
            var outlineKm = DrawOutline();
            var seatsKm = ScatterSeats(outlineKm);
            var communeShapes = BuildCommunes(outlineKm, seatsKm);
            var communes = NameCommunes(communeShapes);
            var outline = CoverageUnion.Union([.. communes.Select(c => c.Geometry)]);

            var cells = Partition(communes, CellCentres(), (i, members) =>
                new DemoZone(CellCodes[i], "Cellule " + CellNames[i], Union(members)));
            var missions = Partition(communes, RingCentres(3, 13, withCentre: false), (i, members) =>
                new DemoZone($"ML{i + 1:00}", "Mission locale de " + Largest(members).Name, Union(members)));
            var agences = Partition(communes, RingCentres(5, 17, withCentre: true), (i, members) =>
                new DemoZone($"FT{i + 1:00}", "Agence France Travail " + Largest(members).Name, Union(members)));
            var capBase = Partition(communes, RingCentres(3, 15, withCentre: false), (i, members) =>
                new DemoZone($"CAP{i + 1}", "Cap emploi " + Largest(members).Name, Union(members)));
            var cap = Redigitise(capBase, outline);

            return new DemoTerritory(seed, outline, communes, cells, missions, agences, cap);
        }

        // ---- outline and communes -------------------------------------------------------------

        private Polygon DrawOutline()
        {
            const int vertices = 36;
            double p2 = _random.Range(0, 2 * Math.PI), p3 = _random.Range(0, 2 * Math.PI), p5 = _random.Range(0, 2 * Math.PI);
            var ring = new Coordinate[vertices + 1];
            for (int i = 0; i < vertices; i++)
            {
                double t = 2 * Math.PI * (i + _random.Range(-0.3, 0.3)) / vertices;
                double wobble = 1 + 0.08 * Math.Sin(2 * t + p2) + 0.06 * Math.Sin(3 * t + p3) + 0.04 * Math.Sin(5 * t + p5);
                ring[i] = new Coordinate(31 * Math.Cos(t) * wobble, 26 * Math.Sin(t) * wobble);
            }
            ring[vertices] = ring[0].Copy();
            return Factory.CreatePolygon(ring);
        }

        /// <summary>Dart throwing with a minimum spacing: seats spread like real village centres, no clumps.</summary>
        private List<Coordinate> ScatterSeats(Polygon outline)
        {
            var env = outline.EnvelopeInternal;
            double minSpacing = 0.62 * Math.Sqrt(outline.Area / CommuneCount);
            var seats = new List<Coordinate>();
            var locator = new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(outline);
            int attempts = 0;
            while (seats.Count < CommuneCount)
            {
                if (++attempts > 1_000_000) throw new InvalidOperationException("Could not place the commune seats.");
                var c = new Coordinate(_random.Range(env.MinX, env.MaxX), _random.Range(env.MinY, env.MaxY));
                if (locator.Locate(c) != Location.Interior) continue;
                if (outline.ExteriorRing.Distance(Factory.CreatePoint(c)) < minSpacing / 3) continue;
                if (seats.Exists(s => s.Distance(c) < minSpacing)) continue;
                seats.Add(c);
            }
            return seats;
        }

        /// <summary>One polygon per seat: its Voronoi cell inside the outline, on the 1e-6° grid.</summary>
        private static List<(Coordinate SeatKm, Geometry Shape)> BuildCommunes(Polygon outlineKm, List<Coordinate> seatsKm)
        {
            var voronoi = new VoronoiDiagramBuilder();
            voronoi.SetSites(seatsKm);
            var clip = new Envelope(outlineKm.EnvelopeInternal);
            clip.ExpandBy(10);
            voronoi.ClipEnvelope = clip;
            var diagram = voronoi.GetDiagram(Factory);

            // All the linework in one snap-rounding union: every edge is noded once, so the two
            // communes on either side of it get the very same vertices (an exact coverage).
            var edges = new List<Geometry>();
            for (int i = 0; i < diagram.NumGeometries; i++)
                edges.Add(((Polygon)diagram.GetGeometryN(i)).ExteriorRing);
            var noded = OverlayNG.Overlay(
                DemoFrame.ToLonLat(Factory.BuildGeometry(edges)),
                DemoFrame.ToLonLat(outlineKm.ExteriorRing),
                SpatialFunction.Union,
                Grid);

            var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
            polygonizer.Add(noded);
            var outlineLonLat = DemoFrame.ToLonLat(outlineKm);

            var facesBySeat = new List<Geometry>[seatsKm.Count];
            foreach (var face in polygonizer.GetPolygons())
            {
                var inside = face.InteriorPoint;
                if (!outlineLonLat.Contains(inside)) continue;
                int seat = Nearest(seatsKm, DemoFrame.ToKm(inside.Coordinate));
                (facesBySeat[seat] ??= []).Add(face);
            }

            var communes = new List<(Coordinate, Geometry)>();
            for (int i = 0; i < seatsKm.Count; i++)
            {
                if (facesBySeat[i] is null) continue;
                var shape = facesBySeat[i].Count == 1 ? facesBySeat[i][0] : CoverageUnion.Union([.. facesBySeat[i]]);
                communes.Add((seatsKm[i], Normalize(shape)));
            }
            return communes;
        }

        /// <summary>Codes in reading order (north to south by 6 km bands, then west to east), names and populations.</summary>
        private List<DemoZone> NameCommunes(List<(Coordinate SeatKm, Geometry Shape)> shapes)
        {
            var ordered = shapes
                .OrderByDescending(s => Math.Floor(s.SeatKm.Y / 6))
                .ThenBy(s => s.SeatKm.X)
                .ToList();

            var towns = PickTowns(ordered.Select(s => s.SeatKm).ToList(), count: 5);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var communes = new List<DemoZone>(ordered.Count);
            for (int i = 0; i < ordered.Count; i++)
            {
                string name = VillageNames.Next(_random, taken);
                int population = Population(ordered[i].SeatKm, i, towns, ordered);
                communes.Add(new DemoZone($"99{i + 1:000}", name, ordered[i].Shape, population));
            }
            return communes;
        }

        /// <summary>Towns far apart from each other: farthest-point sampling from a random start.</summary>
        private List<int> PickTowns(List<Coordinate> seats, int count)
        {
            var towns = new List<int> { _random.Index(seats.Count) };
            while (towns.Count < count)
            {
                int best = -1;
                double bestDistance = -1;
                for (int i = 0; i < seats.Count; i++)
                {
                    // Not on the edge of the territory: a real town is the centre of its area.
                    double d = towns.Min(t => seats[t].Distance(seats[i])) - 0.5 * seats[i].Distance(new Coordinate(0, 0));
                    if (d > bestDistance) (best, bestDistance) = (i, d);
                }
                towns.Add(best);
            }
            return towns;
        }

        private int Population(Coordinate seat, int index, List<int> towns, List<(Coordinate SeatKm, Geometry Shape)> all)
        {
            if (towns.Contains(index))
                return (int)Math.Round(_random.Range(1_000, 6_000)) * 10;
            bool suburb = towns.Exists(t => all[t].SeatKm.Distance(seat) < 7);
            // Villages: log-uniform between 100 and 2000; communes next to a town are larger bourgs.
            double low = suburb ? 1200 : 100, high = suburb ? 6000 : 2000;
            return (int)Math.Round(low * Math.Exp(_random.NextDouble() * Math.Log(high / low)));
        }

        // ---- zone layers made of whole communes -----------------------------------------------

        private static readonly string[] CellCodes = ["SPRO-NO", "SPRO-NE", "SPRO-SO", "SPRO-SE"];
        private static readonly string[] CellNames = ["Nord-Ouest", "Nord-Est", "Sud-Ouest", "Sud-Est"];

        private List<Coordinate> CellCentres() =>
        [
            Jitter(new Coordinate(-14, 11), 3), Jitter(new Coordinate(14, 11), 3),
            Jitter(new Coordinate(-14, -11), 3), Jitter(new Coordinate(14, -11), 3),
        ];

        /// <summary>Centres on a ring at a random rotation (plus one in the middle), so no layer lines up with another.</summary>
        private List<Coordinate> RingCentres(int onRing, double radiusKm, bool withCentre)
        {
            var centres = new List<Coordinate>();
            // A random unit vector rotated step by step: one angle draw, then exact rotations.
            var (ux, uy) = _random.InUnitDisc();
            double norm = Math.Sqrt(ux * ux + uy * uy);
            (ux, uy) = (ux / norm, uy / norm);
            double step = 2 * Math.PI / onRing;
            for (int k = 0; k < onRing; k++)
            {
                double c = Math.Cos(k * step), s = Math.Sin(k * step);
                centres.Add(Jitter(new Coordinate(radiusKm * (ux * c - uy * s), radiusKm * 0.85 * (ux * s + uy * c)), 2));
            }
            if (withCentre) centres.Add(Jitter(new Coordinate(0, 0), 2));
            return centres;
        }

        private Coordinate Jitter(Coordinate c, double km)
        {
            var (dx, dy) = _random.InUnitDisc();
            return new Coordinate(c.X + km * dx, c.Y + km * dy);
        }

        /// <summary>Each commune goes to the nearest centre (by its seat); one zone per centre.</summary>
        private static List<DemoZone> Partition(List<DemoZone> communes, List<Coordinate> centres, Func<int, List<DemoZone>, DemoZone> makeZone)
        {
            var members = centres.Select(_ => new List<DemoZone>()).ToArray();
            foreach (var commune in communes)
                members[Nearest(centres, DemoFrame.ToKm(commune.Geometry.InteriorPoint.Coordinate))].Add(commune);
            return [.. members.Where(m => m.Count > 0).Select((m, i) => makeZone(i, m))];
        }

        private static Geometry Union(List<DemoZone> communes) =>
            Normalize(CoverageUnion.Union([.. communes.Select(c => c.Geometry)]));

        private static DemoZone Largest(List<DemoZone> communes) =>
            communes.OrderByDescending(c => c.Population).ThenBy(c => c.Code, StringComparer.Ordinal).First();

        // ---- Cap emploi: the same kind of zones, "digitised from a different source" ----------

        private List<DemoZone> Redigitise(List<DemoZone> zones, Geometry territory)
        {
            var km = zones.Select(z => DemoFrame.ToKm(z.Geometry)).ToArray();
            var boundaryKm = DemoFrame.ToKm(territory).Boundary;

            // Zone 0 pushed into zone 1 (double coverage); zone 2 pulled back from zone 1 (gap).
            var push = Bulge(km[0], km[1], boundaryKm, avoid: null);
            km[0] = OverlayNGRobust.Overlay(km[0], OverlayNGRobust.Overlay(push, km[1], SpatialFunction.Intersection), SpatialFunction.Union);
            var pull = Bulge(km[2], km[1], boundaryKm, avoid: push.Centroid.Coordinate);
            km[2] = OverlayNGRobust.Overlay(km[2], pull, SpatialFunction.Difference);

            var result = new List<DemoZone>(zones.Count);
            for (int i = 0; i < zones.Count; i++)
            {
                var jittered = GeometryFixer.Fix(JitterVertices(Densifier.Densify(km[i], 0.25), maxKm: 0.040, minKm: 0.005));
                var lonLat = GeometryPrecisionReducer.Reduce(DemoFrame.ToLonLat(jittered), Grid);
                result.Add(zones[i] with { Geometry = Normalize(lonLat) });
            }
            return result;
        }

        /// <summary>
        /// An ellipse (5 km along the boundary, 2 km across) centred on the boundary between two zones,
        /// at the point of that boundary farthest from the territory's edge (and from <paramref name="avoid"/>).
        /// </summary>
        private static Geometry Bulge(Geometry a, Geometry b, Geometry territoryBoundary, Coordinate? avoid)
        {
            var shared = OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection);
            var samples = new List<Coordinate>();
            for (int i = 0; i < shared.NumGeometries; i++)
            {
                if (shared.GetGeometryN(i) is not LineString line) continue;
                var dense = Densifier.Densify(line, 0.2);
                samples.AddRange(dense.Coordinates);
            }
            if (samples.Count < 3)
                throw new InvalidOperationException("Demo: the two Cap emploi zones do not share a boundary; try another seed.");

            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int i = 1; i < samples.Count - 1; i++)
            {
                var point = Factory.CreatePoint(samples[i]);
                double score = territoryBoundary.Distance(point);
                if (avoid is not null) score = Math.Min(score, samples[i].Distance(avoid) / 2);
                if (score > bestScore) (best, bestScore) = (i, score);
            }
            best = Math.Clamp(best, 1, samples.Count - 2);
            var before = samples[best - 1];
            var after = samples[best + 1];

            var shape = new GeometricShapeFactory(Factory)
            {
                Centre = samples[best],
                Width = 5.0,
                Height = 2.0,
                NumPoints = 64,
                Rotation = Math.Atan2(after.Y - before.Y, after.X - before.X),
            };
            return shape.CreateEllipse();
        }

        /// <summary>Moves every vertex by a random vector of length in [min, max] km; closed rings stay closed.</summary>
        private Geometry JitterVertices(Geometry geometry, double maxKm, double minKm)
        {
            var copy = geometry.Copy();
            copy.Apply(new JitterFilter(this, minKm, maxKm));
            copy.GeometryChanged();
            return copy;
        }

        private (double Dx, double Dy) RandomShift(double minKm, double maxKm)
        {
            var (x, y) = _random.InUnitDisc();
            double r = Math.Sqrt(x * x + y * y);
            double length = minKm + (maxKm - minKm) * _random.NextDouble();
            return (x / r * length, y / r * length);
        }

        private sealed class JitterFilter(Generator owner, double minKm, double maxKm) : IEntireCoordinateSequenceFilter
        {
            public bool Done => false;

            public bool GeometryChanged => true;

            public void Filter(CoordinateSequence seq)
            {
                int n = seq.Count;
                bool closed = n > 1 && seq.GetCoordinate(0).Equals2D(seq.GetCoordinate(n - 1));
                int last = closed ? n - 1 : n;
                for (int i = 0; i < last; i++)
                {
                    var (dx, dy) = owner.RandomShift(minKm, maxKm);
                    seq.SetX(i, seq.GetX(i) + dx);
                    seq.SetY(i, seq.GetY(i) + dy);
                }
                if (closed)
                {
                    seq.SetX(n - 1, seq.GetX(0));
                    seq.SetY(n - 1, seq.GetY(0));
                }
            }
        }

        // ---- helpers ---------------------------------------------------------------------------

        private static int Nearest(List<Coordinate> points, Coordinate c)
        {
            int best = 0;
            for (int i = 1; i < points.Count; i++)
                if (points[i].Distance(c) < points[best].Distance(c)) best = i;
            return best;
        }

        /// <summary>A canonical form (NTS normalisation: rings start at their lowest vertex), as Polygon or MultiPolygon.</summary>
        private static Geometry Normalize(Geometry geometry)
        {
            var polygons = new List<Polygon>();
            for (int i = 0; i < geometry.NumGeometries; i++)
                if (geometry.GetGeometryN(i) is Polygon { IsEmpty: false } p) polygons.Add(p);
            Geometry result = polygons.Count == 1 ? polygons[0].Copy() : Factory.CreateMultiPolygon([.. polygons]);
            result.Normalize();
            return result;
        }
    }
}
