using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Polylines as flat coordinate arrays: line <c>i</c> holds the vertices <c>Start[i] .. Start[i+1]-1</c>
/// of <see cref="X"/> and <see cref="Y"/>. The mosaic's linework is millions of vertices; arrays of
/// doubles instead of one object per vertex keep it out of the garbage collector's way.
/// </summary>
internal sealed class Lines
{
    public Lines(double[] x, double[] y, int[] start)
    {
        X = x;
        Y = y;
        Start = start;
    }

    public double[] X { get; }

    public double[] Y { get; }

    /// <summary>Where each line starts in <see cref="X"/>/<see cref="Y"/>, plus one past the last vertex.</summary>
    public int[] Start { get; }

    public int Count => Start.Length - 1;

    /// <summary>Number of vertices of line <paramref name="i"/>.</summary>
    public int Length(int i) => Start[i + 1] - Start[i];

    /// <summary>Segments over all lines, in line order (the order of per-segment tags).</summary>
    public int SegmentCount
    {
        get
        {
            int n = 0;
            for (int i = 0; i < Count; i++) n += Math.Max(0, Length(i) - 1);
            return n;
        }
    }

    public static Lines From(IEnumerable<Coordinate[]> lines)
    {
        var b = new Builder(16);
        foreach (var line in lines)
        {
            foreach (var c in line) b.Add(c.X, c.Y);
            b.EndLine(keepShort: true);
        }
        return b.ToLines();
    }

    public List<Coordinate[]> ToArrays()
    {
        var result = new List<Coordinate[]>(Count);
        for (int i = 0; i < Count; i++)
        {
            var line = new Coordinate[Length(i)];
            for (int k = 0; k < line.Length; k++) line[k] = new Coordinate(X[Start[i] + k], Y[Start[i] + k]);
            result.Add(line);
        }
        return result;
    }

    /// <summary>Appends vertices line by line.</summary>
    public sealed class Builder(int capacity)
    {
        private double[] _x = new double[Math.Max(4, capacity)], _y = new double[Math.Max(4, capacity)];
        private int _n, _lineStart;
        private readonly List<int> _starts = [0];

        /// <summary>Vertices added to the line not yet ended.</summary>
        public int Pending => _n - _lineStart;

        public double LastX => _x[_n - 1];

        public double LastY => _y[_n - 1];

        public void Add(double x, double y)
        {
            if (_n == _x.Length)
            {
                Array.Resize(ref _x, 2 * _n);
                Array.Resize(ref _y, 2 * _n);
            }
            _x[_n] = x;
            _y[_n] = y;
            _n++;
        }

        /// <summary>Ends the current line; one of fewer than two vertices is dropped unless <paramref name="keepShort"/>.</summary>
        public void EndLine(bool keepShort = false)
        {
            if (Pending < 2 && !keepShort) _n = _lineStart;
            else _starts.Add(_n);
            _lineStart = _n;
        }

        public Lines ToLines() => new(_x[.._n], _y[.._n], [.. _starts]);
    }
}
