using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace CepGeo.Core.Overlay;

/// <summary>
/// The faces of a mosaic stored flat: all traced cycles' x, y pairs in one array, and per face its
/// shell and holes as cycle numbers. A national mosaic has 150k faces; as NTS polygons they were a
/// million small objects kept alive to the end, which every garbage collection walked again.
/// Polygons are made on demand (<see cref="ToPolygon"/>), for the few faces a writer or a map needs.
/// </summary>
internal sealed class FaceRings : IReadOnlyList<Polygon>
{
    private readonly double[] _xy;
    private readonly int[] _cycleStart, _ringStart, _ringCycle;
    private readonly double[] _minX, _minY, _maxX, _maxY;
    private readonly GeometryFactory _factory;

    /// <param name="xy">x, y pairs of every cycle, each closed (first point repeated).</param>
    /// <param name="cycleStart">Cycle c is the pairs <c>cycleStart[c] .. cycleStart[c+1]-1</c>.</param>
    /// <param name="ringStart">Face f's rings are <c>ringCycle[ringStart[f] .. ringStart[f+1]-1]</c>, shell first.</param>
    /// <param name="shellBounds">Per face, the bounds of its shell (min x, min y, max x, max y), as the caller computed them.</param>
    public FaceRings(double[] xy, int[] cycleStart, int[] ringStart, int[] ringCycle,
        (double[] MinX, double[] MinY, double[] MaxX, double[] MaxY) shellBounds, GeometryFactory factory)
    {
        (_xy, _cycleStart, _ringStart, _ringCycle, _factory) = (xy, cycleStart, ringStart, ringCycle, factory);
        (_minX, _minY, _maxX, _maxY) = shellBounds;
    }

    public int Count => _ringStart.Length - 1;

    /// <summary>Face <paramref name="f"/> as a new polygon (packed rings).</summary>
    public Polygon this[int f] => ToPolygon(f);

    public Polygon ToPolygon(int f)
    {
        int r0 = _ringStart[f], r1 = _ringStart[f + 1];
        var holes = new LinearRing[r1 - r0 - 1];
        for (int r = r0 + 1; r < r1; r++) holes[r - r0 - 1] = Ring(_ringCycle[r]);
        return _factory.CreatePolygon(Ring(_ringCycle[r0]), holes);
    }

    /// <summary>
    /// Face <paramref name="f"/>'s rings, shell first, each its closed cycle's x, y pairs: views of
    /// the shared array, not copies (a writer reads them; nothing may change them).
    /// </summary>
    public ReadOnlyMemory<double>[] RingsXY(int f)
    {
        int r0 = _ringStart[f], r1 = _ringStart[f + 1];
        var rings = new ReadOnlyMemory<double>[r1 - r0];
        for (int r = r0; r < r1; r++)
        {
            int a = _cycleStart[_ringCycle[r]], b = _cycleStart[_ringCycle[r] + 1];
            rings[r - r0] = new ReadOnlyMemory<double>(_xy, 2 * a, 2 * (b - a));
        }
        return rings;
    }

    /// <summary>The envelope of face <paramref name="f"/> (of its shell).</summary>
    public Envelope Envelope(int f) => new(_minX[f], _maxX[f], _minY[f], _maxY[f]);

    /// <summary>The west end of face <paramref name="f"/> (of its shell).</summary>
    public double MinX(int f) => _minX[f];

    /// <summary>Face <paramref name="f"/>'s interior point (<see cref="FacePoint"/>), read off the shared array without making the polygon.</summary>
    public Coordinate InteriorPoint(int f)
    {
        int shell = _cycleStart[_ringCycle[_ringStart[f]]];
        return FacePoint.Interior(new Rings(this, f), _minY[f], _maxY[f]) ?? new Coordinate(_xy[2 * shell], _xy[2 * shell + 1]);
    }

    private readonly struct Rings(FaceRings faces, int face) : FacePoint.IRings
    {
        private int Start(int ring) => faces._cycleStart[faces._ringCycle[faces._ringStart[face] + ring]];

        public int Count => faces._ringStart[face + 1] - faces._ringStart[face];

        public int Length(int ring) => faces._cycleStart[faces._ringCycle[faces._ringStart[face] + ring] + 1] - Start(ring);

        public double X(int ring, int i) => faces._xy[2 * (Start(ring) + i)];

        public double Y(int ring, int i) => faces._xy[2 * (Start(ring) + i) + 1];
    }

    /// <summary>A ring over a copy of the cycle's coordinates: callers may change what they get (the gap writer reprojects in place).</summary>
    private LinearRing Ring(int cycle)
    {
        int a = _cycleStart[cycle], b = _cycleStart[cycle + 1];
        return _factory.CreateLinearRing(new PackedDoubleCoordinateSequence(_xy[(2 * a)..(2 * b)], 2, 0));
    }

    /// <summary>The envelope of one traced cycle.</summary>
    public static Envelope CycleEnvelope(double[] xy, int[] cycleStart, int cycle)
    {
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 2 * cycleStart[cycle]; i < 2 * cycleStart[cycle + 1]; i += 2)
        {
            minX = Math.Min(minX, xy[i]); maxX = Math.Max(maxX, xy[i]);
            minY = Math.Min(minY, xy[i + 1]); maxY = Math.Max(maxY, xy[i + 1]);
        }
        return new Envelope(minX, maxX, minY, maxY);
    }

    /// <summary>Where a point lies against one cycle taken as a ring (NTS's ray-crossing count, read off the flat array).</summary>
    public static Location LocateInCycle(Coordinate p, double[] xy, int[] cycleStart, int cycle)
    {
        var counter = new RayCrossingCounter(p);
        var p1 = new Coordinate();
        var p2 = new Coordinate();
        for (int i = cycleStart[cycle] + 1; i < cycleStart[cycle + 1]; i++)
        {
            (p1.X, p1.Y) = (xy[2 * i], xy[2 * i + 1]);
            (p2.X, p2.Y) = (xy[2 * i - 2], xy[2 * i - 1]);
            counter.CountSegment(p1, p2);
            if (counter.IsOnSegment) break;
        }
        return counter.Location;
    }

    public IEnumerator<Polygon> GetEnumerator()
    {
        for (int f = 0; f < Count; f++) yield return ToPolygon(f);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
