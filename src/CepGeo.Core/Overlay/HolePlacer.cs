using NetTopologySuite.Geometries;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Places each clockwise cycle (the outer boundary of a connected part of the lines) as a hole of
/// the smallest shell around it: a point of the cycle is located in the shells whose bounds hold it.
/// </summary>
internal static class HolePlacer
{
    /// <param name="FaceOfCycle">The face each cycle belongs to: its own for a shell, the enclosing face for a hole, -1 for a hole in no face.</param>
    /// <param name="Shells">The shell cycle of each face.</param>
    /// <param name="HolesOf">The hole cycles of each face (null: none).</param>
    /// <param name="Bounds">The bounds of each face's shell.</param>
    public sealed record Placement(int[] FaceOfCycle, List<int> Shells, List<int>?[] HolesOf,
        (double[] MinX, double[] MinY, double[] MaxX, double[] MaxY) Bounds);

    public static Placement Place(FaceTracer.Cycles cycles)
    {
        var (starts, coords, cycleArea) = (cycles.Starts, cycles.Coords, cycles.Area);
        int count = cycles.Count;
        // Counter-clockwise cycles are the shells of bounded faces; the others are the outer
        // boundaries of connected parts, to be placed in the smallest shell around them.
        var faceOfCycle = new int[count];
        var shells = new List<int>();
        for (int c = 0; c < count; c++)
        {
            faceOfCycle[c] = cycleArea[c] > 0 ? shells.Count : -1;
            if (cycleArea[c] > 0) shells.Add(c);
        }
        var bounds = (MinX: new double[shells.Count], MinY: new double[shells.Count], MaxX: new double[shells.Count], MaxY: new double[shells.Count]);
        Parallel.For(0, shells.Count, f =>
        {
            var e = FaceRings.CycleEnvelope(coords, starts, shells[f]);
            (bounds.MinX[f], bounds.MinY[f], bounds.MaxX[f], bounds.MaxY[f]) = (e.MinX, e.MinY, e.MaxX, e.MaxY);
        });
        var holesOf = new List<int>?[shells.Count];
        ShellGrid? grid = null;
        for (int c = 0; c < count; c++)
        {
            if (cycleArea[c] > 0) continue;
            grid ??= new ShellGrid(bounds);
            double px = coords[2 * starts[c]], py = coords[2 * starts[c] + 1];
            var p = new Coordinate(px, py);
            int best = -1;
            double bestArea = double.PositiveInfinity;
            foreach (int f in grid.Around(px, py))
            {
                double shellArea = cycleArea[shells[f]];
                if (px >= bounds.MinX[f] && px <= bounds.MaxX[f] && py >= bounds.MinY[f] && py <= bounds.MaxY[f]
                    && shellArea < bestArea && FaceRings.LocateInCycle(p, coords, starts, shells[f]) == Location.Interior)
                {
                    best = f;
                    bestArea = shellArea;
                }
            }
            faceOfCycle[c] = best;
            if (best >= 0) (holesOf[best] ??= []).Add(c);
        }
        return new Placement(faceOfCycle, shells, holesOf, bounds);
    }

    /// <summary>
    /// The shells bucketed by the cells of a uniform grid their bounds overlap (about one shell a
    /// cell): which shells may hold a point. NTS's STRtree over a national mosaic's shells cost
    /// more to build than all the holes it placed.
    /// </summary>
    private sealed class ShellGrid
    {
        private readonly double _minX, _minY, _cell;
        private readonly int _nx, _ny;
        private readonly int[] _start, _entries;

        public ShellGrid((double[] MinX, double[] MinY, double[] MaxX, double[] MaxY) b)
        {
            int n = b.MinX.Length;
            (_minX, _minY) = (n == 0 ? 0 : b.MinX.Min(), n == 0 ? 0 : b.MinY.Min());
            double w = n == 0 ? 0 : b.MaxX.Max() - _minX, h = n == 0 ? 0 : b.MaxY.Max() - _minY;
            _cell = Math.Sqrt(w * h / Math.Max(n, 1));
            if (!(_cell > 0) || !double.IsFinite(_cell)) _cell = Math.Max(Math.Max(w, h), 1);
            _nx = (int)Math.Min(w / _cell, 4096) + 1;
            _ny = (int)Math.Min(h / _cell, 4096) + 1;
            _cell = Math.Max(_cell, Math.Max(w / _nx, h / _ny) * (1 + 1e-12));
            _start = new int[_nx * _ny + 1];
            for (int pass = 0; pass < 2; pass++)
            {
                var fill = pass == 0 ? null : (int[])_start.Clone();
                for (int f = 0; f < n; f++)
                    for (int r = Row(b.MinY[f]), r1 = Row(b.MaxY[f]); r <= r1; r++)
                        for (int c = Col(b.MinX[f]), c1 = Col(b.MaxX[f]); c <= c1; c++)
                            if (pass == 0) _start[r * _nx + c + 1]++;
                            else _entries![fill![r * _nx + c]++] = f;
                if (pass == 0)
                {
                    for (int k = 0; k < _nx * _ny; k++) _start[k + 1] += _start[k];
                    _entries = new int[_start[^1]];
                }
            }
            _entries ??= [];
        }

        private int Col(double x) => Math.Clamp((int)((x - _minX) / _cell), 0, _nx - 1);

        private int Row(double y) => Math.Clamp((int)((y - _minY) / _cell), 0, _ny - 1);

        /// <summary>The shells whose bounds may hold (x, y): a superset, to check against the bounds.</summary>
        public ReadOnlySpan<int> Around(double x, double y)
        {
            int k = Row(y) * _nx + Col(x);
            return _entries.AsSpan(_start[k], _start[k + 1] - _start[k]);
        }
    }
}
