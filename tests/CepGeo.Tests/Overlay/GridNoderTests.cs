using CepGeo.Core.Common;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;
using CsCheck;
using NetTopologySuite.Geometries;
using NetTopologySuite.Noding;

namespace CepGeo.Tests.Overlay;

public class GridNoderTests
{
    [Theory]
    [InlineData(0, 0, 2, 2, 0, 2, 2, 0, true)]      // proper crossing
    [InlineData(0, 0, 2, 0, 1, 0, 1, 5, true)]      // T: endpoint on the other's interior
    [InlineData(0, 0, 2, 0, 1, 0, 3, 0, true)]      // collinear overlap
    [InlineData(0, 0, 2, 0, 0, 0, 1, 0, true)]      // collinear, one inside the other from a shared end
    [InlineData(0, 0, 2, 0, 2, 0, 3, 0, false)]     // collinear, end to end
    [InlineData(0, 0, 2, 0, 2, 0, 0, 0, false)]     // the same segment, reversed
    [InlineData(0, 0, 2, 0, 2, 0, 3, 1, false)]     // shared endpoint, corner
    [InlineData(0, 0, 2, 0, 3, 0, 4, 0, false)]     // collinear, apart
    [InlineData(0, 0, 2, 0, 0, 1, 2, 1, false)]     // parallel
    [InlineData(0, 0, 2, 2, 3, 0, 1.5, 1.4999, false)] // close, not touching
    public void Contact_is_a_meeting_inside_a_segment(double a, double b, double c, double d,
        double e, double f, double g, double h, bool expected)
    {
        Assert.Equal(expected, SegmentContact.MeetInInterior(a, b, c, d, e, f, g, h));
        Assert.Equal(expected, SegmentContact.MeetInInterior(e, f, g, h, a, b, c, d));
        Assert.Equal(expected, SegmentContact.MeetInInterior(c, d, a, b, g, h, e, f));
    }

    [Fact]
    public void A_cross_gets_its_vertex_on_both_lines()
    {
        var lines = new List<Coordinate[]>
        {
            new[] { new Coordinate(0, 0), new Coordinate(4, 4) },
            new[] { new Coordinate(0, 4), new Coordinate(2, 2.5), new Coordinate(4, 0) },
        };
        var noded = Node(lines, out bool added, out _);
        Assert.True(added);
        Assert.NotNull(noded);
        // (0,0)-(4,4) meets (2,2.5)-(4,0), on y = 5 - 1.25x, at x = y = 20/9: the first line is cut
        // in two, the second's last segment in two.
        Assert.Equal(5, noded.Count);
        var cut = noded.SelectMany(p => new[] { p.A, p.B }).Where(c => c.X > 2.2 && c.X < 2.3).Distinct().ToList();
        var node = Assert.Single(cut);
        Assert.Equal(20.0 / 9, node.X, 12);
        Assert.Equal(20.0 / 9, node.Y, 12);
        Assert.Equal(4, noded.Count(p => p.A.Equals2D(node) || p.B.Equals2D(node)));
    }

    [Fact]
    public void Segments_meeting_only_at_vertices_come_back_unchanged()
    {
        var lines = new List<Coordinate[]>
        {
            new[] { new Coordinate(0, 0), new Coordinate(1, 0), new Coordinate(1, 1) },
            new[] { new Coordinate(1, 0), new Coordinate(2, 0), new Coordinate(2, 1), new Coordinate(1, 1) },
        };
        var noded = Node(lines, out bool added, out _);
        Assert.False(added);
        Assert.Equal(5, noded!.Count);
    }

    [Fact]
    public void Collinear_overlap_keeps_the_shared_piece_once_with_both_tags()
    {
        var lines = new List<Coordinate[]>
        {
            new[] { new Coordinate(0, 0), new Coordinate(4, 0) },
            new[] { new Coordinate(2, 0), new Coordinate(6, 0) },
        };
        var noded = Node(lines, out _, out var tags)!;
        Assert.Equal(3, noded.Count);
        int shared = noded.FindIndex(p => Math.Min(p.A.X, p.B.X) == 2 && Math.Max(p.A.X, p.B.X) == 4);
        Assert.True(shared >= 0);
        Assert.Equal(0b11UL, tags[shared]);
    }

    /// <summary>
    /// Hundreds of separate crosses: the split numbers the new points on one thread and makes the
    /// pieces on another, a chunk of 256 cut segments at a time. Each of the 1,400 segments must
    /// come back as its two halves, meeting at its own cross's centre: a piece made from the points
    /// of another chunk, or before they were numbered, would join points of different crosses.
    /// </summary>
    [Fact]
    public void Many_crosses_are_each_cut_at_their_own_centre()
    {
        const int crosses = 700;
        var lines = new List<Coordinate[]>();
        for (int i = 0; i < crosses; i++)
        {
            lines.Add([new Coordinate(10 * i, 0), new Coordinate(10 * i + 4, 0)]);
            lines.Add([new Coordinate(10 * i + 2, -2), new Coordinate(10 * i + 2, 2)]);
        }
        var noded = Node(lines, out bool added, out _)!;
        Assert.True(added);
        Assert.Equal(4 * crosses, noded.Count);
        foreach (var (a, b) in noded)
        {
            Assert.Equal(2, a.Distance(b), 12);
            var centre = a.Y == 0 && b.Y == 0 ? (a.X % 10 == 2 ? a : b) : (a.Y == 0 ? a : b);
            Assert.Equal(2, centre.X % 10);
            Assert.Equal(0, centre.Y);
            // The other end is an end of the same cross.
            var other = ReferenceEquals(centre, a) ? b : a;
            Assert.Equal(Math.Floor(centre.X / 10), Math.Floor(other.X / 10));
        }
        Assert.Equal(crosses, noded.SelectMany(p => new[] { p.A, p.B }).Where(c => c.Y == 0 && c.X % 10 == 2).Distinct().Count());
    }

    /// <summary>
    /// The numbering a split gives is the one of cutting segment by segment in pair order, each
    /// segment's nodes in order along it: new points, then pieces, get the next ids in that order
    /// (later rounds and the face tracing see the same ids whatever the threads did). Two lines
    /// crossed by two others, and a tee whose end already is a point of the index.
    /// </summary>
    [Fact]
    public void A_split_numbers_new_points_and_pieces_in_segment_order()
    {
        var index = new PointIndex(16);
        var tags = new List<ulong>();
        var dead = new List<bool>();
        (double, double)[][] lines =
        [
            [(0, 0), (10, 0)], [(0, 5), (10, 5)],   // pairs 0, 1: points 0-1, 2-3
            [(2, -1), (2, 6)], [(7, -1), (7, 6)],   // pairs 2, 3: points 4-5, 6-7
            [(5, 5), (5, 8)],                       // pair 4: points 8-9, a tee on pair 1
        ];
        foreach (var line in lines)
        {
            index.Pair(index.Point(line[0].Item1, line[0].Item2), index.Point(line[1].Item1, line[1].Item2), out _);
            tags.Add(1);
        }
        Assert.True(GridNoder.Node(index, tags, dead, out bool added, out _));
        Assert.True(added);
        // New points: pair 0's nodes (2,0) then (7,0), then pair 1's (2,5) and (7,5); (5,5) is point 8.
        Assert.Equal([2.0, 7, 2, 7], index.X.Skip(10));
        Assert.Equal([0.0, 0, 5, 5], index.Y.Skip(10));
        // Pieces: pair 0 at 10, 11; pair 1 at 12, 8, 13; pair 2 at 10, 12; pair 3 at 11, 13.
        (int, int)[] pieces =
        [
            (0, 10), (10, 11), (11, 1),
            (2, 12), (12, 8), (8, 13), (13, 3),
            (4, 10), (10, 12), (12, 5),
            (6, 11), (11, 13), (13, 7),
        ];
        Assert.Equal(pieces, Enumerable.Range(5, index.PairA.Count - 5).Select(e => (index.PairA[e], index.PairB[e])));
        Assert.Equal([true, true, true, true, false], dead.Take(5));
    }

    /// <summary>
    /// The rounded vertex where two lines cross moves the first line's piece off the line, onto
    /// the end of a third segment that touched nothing before: only the second round, testing the
    /// pieces against the segments the first round left uncut, finds that contact. Also with
    /// pairs already dead before the lines (the uncut segment is then not at its pair id's place).
    /// </summary>
    [Theory]
    [InlineData(10, 7, 0, 5, 9, 0.3, 0)]
    [InlineData(10, 3, 1, 6, 9, -1.7, 0)]
    [InlineData(7, 11, 0, 9, 6, 0.1, 0)]
    [InlineData(10, 7, 0, 5, 9, 0.3, 4)]
    [InlineData(7, 11, 0, 9, 6, 0.1, 3)]
    public void A_piece_moved_by_rounding_onto_an_uncut_segment_is_cut_in_the_second_round(double bx, double by, double cx, double cy, double dx, double dy,
        int deadFirst)
    {
        var a = new Coordinate(0, 0);
        var b = new Coordinate(bx, by);
        var crossing = Node([[a, b], [new Coordinate(cx, cy), new Coordinate(dx, dy)]], out bool cut, out _)!;
        Assert.True(cut);
        var node = crossing.SelectMany(p => new[] { p.A, p.B }).Distinct()
            .Single(c => !c.Equals2D(a) && !c.Equals2D(b) && !c.Equals2D(new Coordinate(cx, cy)) && !c.Equals2D(new Coordinate(dx, dy)));
        int side = (int)NetTopologySuite.Algorithm.Orientation.Index(a, b, node);
        Assert.True(side != 0, "the crossing must be rounded off the first line for this case");
        // Half-way to the node, exactly on the piece a → node (a is the origin) and off the first line.
        var e = new Coordinate(node.X / 2, node.Y / 2);
        Assert.Equal(0, (int)NetTopologySuite.Algorithm.Orientation.Index(a, node, e));
        Assert.Equal(side, (int)NetTopologySuite.Algorithm.Orientation.Index(a, b, e));
        // A short segment from there, away from the first line on that side.
        double len = Math.Sqrt(bx * bx + by * by);
        var f = new Coordinate(e.X - side * by / len * 0.3, e.Y + side * bx / len * 0.3);

        var noded = Node([[a, b], [new Coordinate(cx, cy), new Coordinate(dx, dy)], [e, f]], out _, out _, out int rounds, deadFirst)!;
        Assert.Equal(2, rounds);
        var pieces = noded.Select(p => (ISegmentString)new NodedSegmentString(new[] { p.A, p.B }, null)).ToList();
        var validator = new FastNodingValidator(pieces);
        Assert.True(validator.IsValid, Describe(validator, pieces));
        // The first line in three (a → e → node → b), the second in two, the third whole.
        Assert.Equal(6, noded.Count);
        Assert.Contains(noded, p => (p.A.Equals2D(a) && p.B.Equals2D(e)) || (p.A.Equals2D(e) && p.B.Equals2D(a)));
    }

    private static string Describe(FastNodingValidator validator, List<ISegmentString> pieces)
    {
        var finder = new NodingIntersectionFinder(new NetTopologySuite.Algorithm.RobustLineIntersector()) { FindAllIntersections = true };
        new MCIndexNoder(finder).ComputeNodes(pieces);
        var segs = finder.IntersectionSegments ?? [];
        return validator.GetErrorMessage() + " " + string.Join(" ", segs.Select(c => $"({c.X:R} {c.Y:R})"));
    }

    /// <summary>
    /// Nodes the segments of the lines, each tagged with the bit of its index modulo 64; returns
    /// the live segments (null when left to the robust fallback) and their tags, in the same order.
    /// </summary>
    private static List<(Coordinate A, Coordinate B)>? Node(List<Coordinate[]> lines, out bool added, out List<ulong> liveTags) =>
        Node(lines, out added, out liveTags, out _);

    /// <param name="deadFirst">Segments put in the index first, far away, already dead: the
    /// lines' segments then stand elsewhere in the live listing than at their pair ids.</param>
    private static List<(Coordinate A, Coordinate B)>? Node(List<Coordinate[]> lines, out bool added, out List<ulong> liveTags, out int rounds,
        int deadFirst = 0)
    {
        var index = new PointIndex(16);
        var tags = new List<ulong>();
        var dead = new List<bool>();
        for (int d = 0; d < deadFirst; d++)
        {
            index.Pair(index.Point(-1000 - d, -1000), index.Point(-1000 - d, -999), out _);
            tags.Add(0);
            dead.Add(true);
        }
        int k = 0;
        foreach (var line in lines)
            for (int i = 0; i + 1 < line.Length; i++, k++)
            {
                int u = index.Point(line[i].X, line[i].Y), v = index.Point(line[i + 1].X, line[i + 1].Y);
                if (u == v) continue;
                int id = index.Pair(u, v, out bool isNew);
                if (isNew) tags.Add(1UL << (k % 64));
                else tags[id] |= 1UL << (k % 64);
            }
        liveTags = [];
        if (!GridNoder.Node(index, tags, dead, out added, out rounds)) return null;
        var result = new List<(Coordinate, Coordinate)>();
        for (int e = 0; e < index.PairA.Count; e++)
        {
            if (dead[e]) continue;
            result.Add((new Coordinate(index.X[index.PairA[e]], index.Y[index.PairA[e]]),
                new Coordinate(index.X[index.PairB[e]], index.Y[index.PairB[e]])));
            liveTags.Add(tags[e]);
        }
        return result;
    }

    // Projected coordinates: a small lattice (collinear and touching cases) or any value to 1e-5,
    // near the origin or at Lambert-93 magnitudes (where rounding of computed vertices bites).
    private static readonly Gen<Coordinate[]> GenLine =
        Gen.Select(Gen.OneOf(Gen.Int[0, 20].Select(i => (double)i), Gen.Int[0, 2_000_000].Select(i => i / 1e5)).Array[4, 12],
                Gen.Int[0, 1])
            .Select((v, far) => Enumerable.Range(0, v.Length / 2)
                .Select(i => new Coordinate(v[2 * i] + far * 700_000, v[2 * i + 1] + far * 6_600_000)).ToArray());

    /// <summary>
    /// Three to six lines crossing within a nanometre of one point, at Lambert-93 magnitudes: the
    /// rounded vertex of one crossing often lands so that it meets a third line, which only a later
    /// round finds (a third of the samples). The output is still fully noded (or left to the robust
    /// fallback).
    /// </summary>
    [Fact]
    public void Lines_crossing_near_one_point_are_fully_noded_by_the_later_rounds()
    {
        int robust = 0, total = 0, moreRounds = 0;
        var gen = Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Select(Gen.Double[0, Math.PI], Gen.Double[-1e-9, 1e-9], Gen.Double[10, 500]).Array[3, 6]);
        gen.Sample((u, v, spokes) =>
        {
            Interlocked.Increment(ref total);
            double cx = 700_000 + u, cy = 6_600_000 + v;
            var lines = spokes.Select(t =>
            {
                var (angle, shift, r) = t;
                double dx = Math.Cos(angle) * r, dy = Math.Sin(angle) * r;
                return new[] { new Coordinate(cx + shift + dx, cy + dy), new Coordinate(cx - dx, cy - shift - dy) };
            }).ToList();
            var noded = Node(lines, out _, out _, out int rounds);
            if (rounds > 1) Interlocked.Increment(ref moreRounds);
            if (noded is null) { Interlocked.Increment(ref robust); return; }
            var pieces = noded.Select(s => (ISegmentString)new NodedSegmentString(new[] { s.A, s.B }, null)).ToList();
            var validator = new FastNodingValidator(pieces);
            if (!validator.IsValid) Assert.Fail(Describe(validator, pieces));
        }, iter: 3000);
        Assert.True(moreRounds * 10 > total, $"only {moreRounds} of {total} samples needed a later round");
        Assert.True(robust * 10 < total, $"{robust} of {total} samples left to the robust fallback");
    }

    /// <summary>
    /// Pairs already dead when noding starts are left out of every round: dead decoys crossing
    /// lines that meet within a nanometre of one point (so that later rounds have work) are never
    /// cut, and the live output passes NTS's noding validator.
    /// </summary>
    [Fact]
    public void Pairs_dead_from_the_start_stay_out_and_the_later_rounds_still_node_fully()
    {
        int total = 0, moreRounds = 0, robust = 0;
        const ulong decoyBit = 1UL << 63;
        var gen = Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Select(Gen.Double[0, Math.PI], Gen.Double[-1e-9, 1e-9], Gen.Double[10, 500]).Array[3, 6], Gen.Int[1, 8]);
        gen.Sample((u, v, spokes, decoys) =>
        {
            Interlocked.Increment(ref total);
            double cx = 700_000 + u, cy = 6_600_000 + v;
            var index = new PointIndex(16);
            var tags = new List<ulong>();
            var dead = new List<bool>();
            void Add(Coordinate a, Coordinate b, ulong tag, bool isDead)
            {
                // CsCheck favours the ends of ranges: two spokes may be the same segment.
                int id = index.Pair(index.Point(a.X, a.Y), index.Point(b.X, b.Y), out bool added);
                if (!added) { tags[id] |= tag; return; }
                tags.Add(tag);
                dead.Add(isDead);
            }
            for (int d = 0; d < decoys; d++)
                Add(new Coordinate(cx - 300 + d, cy - 300), new Coordinate(cx + 300 - d, cy + 300 + d), decoyBit, isDead: true);
            for (int k = 0; k < spokes.Length; k++)
            {
                var (angle, shift, r) = spokes[k];
                double dx = Math.Cos(angle) * r, dy = Math.Sin(angle) * r;
                Add(new Coordinate(cx + shift + dx, cy + dy), new Coordinate(cx - dx, cy - shift - dy), 1UL << k, isDead: false);
            }
            if (!GridNoder.Node(index, tags, dead, out _, out int rounds)) { Interlocked.Increment(ref robust); return; }
            if (rounds > 1) Interlocked.Increment(ref moreRounds);
            for (int d = 0; d < decoys; d++) Assert.True(dead[d], "a decoy came back to life");
            var live = Enumerable.Range(0, index.PairA.Count).Where(e => !dead[e]).ToList();
            Assert.All(live, e => Assert.Equal(0UL, tags[e] & decoyBit));
            var pieces = live.Select(e => (ISegmentString)new NodedSegmentString(new[]
            {
                new Coordinate(index.X[index.PairA[e]], index.Y[index.PairA[e]]),
                new Coordinate(index.X[index.PairB[e]], index.Y[index.PairB[e]]),
            }, null)).ToList();
            var validator = new FastNodingValidator(pieces);
            if (!validator.IsValid) Assert.Fail(Describe(validator, pieces));
        }, iter: 2000);
        Assert.True(moreRounds * 10 > total, $"only {moreRounds} of {total} samples needed a later round");
        Assert.True(robust * 10 < total, $"{robust} of {total} samples left to the robust fallback");
    }

    /// <summary>
    /// Whatever the grid noder returns is fully noded by NTS's own validator, and it keeps every
    /// input vertex: random lines on a small integer lattice (many collinear and touching cases)
    /// mixed with arbitrary doubles.
    /// </summary>
    [Fact]
    public void Output_passes_the_NTS_noding_validator_and_keeps_input_vertices()
    {
        int robust = 0, total = 0;
        GenLine.Array[2, 12].Sample(input =>
        {
            Interlocked.Increment(ref total);
            var lines = input.Select(l => l.Where((c, i) => i == 0 || !c.Equals2D(l[i - 1])).ToArray())
                .Where(l => l.Length > 1).ToList();
            var noded = Node(lines, out _, out var tags);
            if (noded is null) { Interlocked.Increment(ref robust); return; } // the caller then nodes robustly
            // No interior intersection anywhere between the pieces, by NTS's validator.
            var pieces = noded.Select(s => (ISegmentString)new NodedSegmentString(new[] { s.A, s.B }, null)).ToList();
            var validator = new FastNodingValidator(pieces);
            if (!validator.IsValid) Assert.Fail(Describe(validator, pieces));
            // Each piece carries the tag bit of a segment it was cut from, and lies on it.
            var original = lines.SelectMany(l => l.Zip(l.Skip(1))).ToArray();
            for (int k = 0; k < noded.Count; k++)
            {
                var (a, b) = noded[k];
                bool onAParent = Enumerable.Range(0, original.Length).Any(i =>
                {
                    if ((tags[k] & (1UL << (i % 64))) == 0) return false;
                    var parent = new NetTopologySuite.Geometries.LineSegment(original[i].First, original[i].Second);
                    return parent.Distance(a) < 1e-6 && parent.Distance(b) < 1e-6;
                });
                Assert.True(onAParent, $"piece {a} {b} lies on none of the segments its tag {tags[k]:x} names");
            }
            var vertices = new HashSet<(double, double)>(noded.SelectMany(s => new[] { s.A, s.B }).Select(c => (c.X, c.Y)));
            Assert.All(lines.SelectMany(l => l), c => Assert.Contains((c.X, c.Y), vertices));
        }, iter: 2000);
        Assert.True(robust * 20 < total, $"{robust} of {total} samples left to the robust fallback");
    }
}
