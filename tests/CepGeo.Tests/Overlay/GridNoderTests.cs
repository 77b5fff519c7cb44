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
        var noded = Node(lines, out _, out bool added);
        Assert.True(added);
        Assert.NotNull(noded);
        // (0,0)-(4,4) meets (2,2.5)-(4,0), on y = 5 - 1.25x, at x = y = 20/9.
        Assert.Equal(3, noded[0].Length);
        Assert.Equal(20.0 / 9, noded[0][1].X, 12);
        Assert.Equal(20.0 / 9, noded[0][1].Y, 12);
        Assert.Equal(noded[0][1], noded[1][2]);
        Assert.Equal(4, noded[1].Length);
    }

    [Fact]
    public void Lines_meeting_only_at_vertices_come_back_unchanged()
    {
        var lines = new List<Coordinate[]>
        {
            new[] { new Coordinate(0, 0), new Coordinate(1, 0), new Coordinate(1, 1) },
            new[] { new Coordinate(1, 0), new Coordinate(2, 0), new Coordinate(2, 1), new Coordinate(1, 1) },
        };
        var flat = Lines.From(lines);
        ulong[] tags = [0, 1, 2, 3, 4];
        var noded = GridNoder.Node(flat, ref tags, out bool added);
        Assert.False(added);
        Assert.Same(flat, noded);
    }

    private static string Describe(FastNodingValidator validator, List<ISegmentString> pieces)
    {
        var finder = new NodingIntersectionFinder(new NetTopologySuite.Algorithm.RobustLineIntersector()) { FindAllIntersections = true };
        new MCIndexNoder(finder).ComputeNodes(pieces);
        var segs = finder.IntersectionSegments ?? [];
        return validator.GetErrorMessage() + " " + string.Join(" ", segs.Select(c => $"({c.X:R} {c.Y:R})"));
    }

    /// <summary>Nodes with each segment tagged by its index, in line order.</summary>
    private static List<Coordinate[]>? Node(List<Coordinate[]> lines, out ulong[] tags, out bool added)
    {
        tags = Enumerable.Range(0, lines.Sum(l => l.Length - 1)).Select(i => (ulong)i).ToArray();
        return GridNoder.Node(Lines.From(lines), ref tags, out added)?.ToArrays();
    }

    // Projected coordinates: a small lattice (collinear and touching cases) or any value to 1e-5,
    // near the origin or at Lambert-93 magnitudes (where rounding of computed vertices bites).
    private static readonly Gen<Coordinate[]> GenLine =
        Gen.Select(Gen.OneOf(Gen.Int[0, 20].Select(i => (double)i), Gen.Int[0, 2_000_000].Select(i => i / 1e5)).Array[4, 12],
                Gen.Int[0, 1])
            .Select((v, far) => Enumerable.Range(0, v.Length / 2)
                .Select(i => new Coordinate(v[2 * i] + far * 700_000, v[2 * i + 1] + far * 6_600_000)).ToArray());

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
            var noded = Node(lines, out var tags, out _);
            if (noded is null) { Interlocked.Increment(ref robust); return; } // the caller then nodes robustly
            var strings = noded.Select(l => (ISegmentString)new NodedSegmentString(l, null)).ToList();
            var segs = noded.SelectMany(l => l.Zip(l.Skip(1))).ToList();
            // Split at every node, then check with NTS: no interior intersection anywhere.
            var pieces = segs.Select(s => (ISegmentString)new NodedSegmentString(new[] { s.First, s.Second }, null)).ToList();
            var validator = new FastNodingValidator(pieces);
            if (!validator.IsValid) Assert.Fail(Describe(validator, pieces));
            // Each piece keeps the tag of the segment it was cut from, and lies on that segment.
            var original = lines.SelectMany(l => l.Zip(l.Skip(1))).ToArray();
            Assert.Equal(segs.Count, tags.Length);
            for (int k = 0; k < segs.Count; k++)
            {
                var (a, b) = original[tags[k]];
                var parent = new NetTopologySuite.Geometries.LineSegment(a, b);
                Assert.True(parent.Distance(segs[k].First) < 1e-6 && parent.Distance(segs[k].Second) < 1e-6,
                    $"piece {segs[k].First} {segs[k].Second} is not on its segment {a} {b}");
            }
            var vertices = new HashSet<(double, double)>(noded.SelectMany(l => l).Select(c => (c.X, c.Y)));
            Assert.All(lines.SelectMany(l => l), c => Assert.Contains((c.X, c.Y), vertices));
            Assert.Equal(lines.Count, strings.Count);
        }, iter: 2000);
        Assert.True(robust * 20 < total, $"{robust} of {total} samples left to the robust fallback");
    }
}
