using System.Text;
using SkiaSharp;

namespace CepGeo.Core.Rendering;

/// <summary>
/// Lines and rings in a map's pixels, kept as plain arrays (no Skia object): what <see cref="PixelPaths"/> builds for a fiche,
/// written straight to SVG path data, and turned into an <see cref="SKPath"/> only where a canvas draws it (the atlas).
/// Reading an SKPath back costs a native call per vertex; a national report writes 7 million of them (issue 28).
/// </summary>
internal sealed class Polylines
{
    private float[] _xy = new float[256];
    private int _count;
    private readonly List<int> _starts = [];
    private readonly List<bool> _closed = [];

    /// <summary>Vertices held.</summary>
    public int Count => _count;

    /// <summary>Rings or lines held.</summary>
    public int Parts => _starts.Count;

    public void Add(ReadOnlySpan<SKPoint> pts, bool closed)
    {
        if (pts.Length == 0) return;
        if (2 * (_count + pts.Length) > _xy.Length) Array.Resize(ref _xy, Math.Max(2 * _xy.Length, 2 * (_count + pts.Length)));
        _starts.Add(_count);
        _closed.Add(closed);
        foreach (var p in pts)
        {
            _xy[2 * _count] = p.X;
            _xy[2 * _count + 1] = p.Y;
            _count++;
        }
    }

    /// <summary>Part <paramref name="i"/>'s vertices as x, y pairs, and whether it is a closed ring.</summary>
    public (ReadOnlyMemory<float> Xy, bool Closed) Part(int i)
    {
        int from = _starts[i], to = i + 1 < _starts.Count ? _starts[i + 1] : _count;
        return (_xy.AsMemory(2 * from, 2 * (to - from)), _closed[i]);
    }

    /// <summary>The parts as a Skia path (even-odd for fills), each line cut into dashes (layout pixels) when
    /// <paramref name="dash"/> is given, as <see cref="PixelPaths"/> cuts them, the cuts rounded to <see cref="DashGrid"/>.</summary>
    public SKPath ToPath(SKPathFillType fill = SKPathFillType.Winding, float[]? dash = null)
    {
        using var builder = new SKPathBuilder { FillType = fill };
        var pts = new SKPoint[16];
        for (int i = 0; i < Parts; i++)
        {
            var (xy, closed) = Part(i);
            int n = xy.Length / 2;
            if (pts.Length < n) pts = new SKPoint[Math.Max(n, 2 * pts.Length)];
            var span = xy.Span;
            for (int k = 0; k < n; k++) pts[k] = new SKPoint(span[2 * k], span[2 * k + 1]);
            PixelPaths.Emit(builder, pts.AsSpan(0, n), dash, closed, DashGrid);
        }
        return builder.Detach();
    }

    /// <summary>Where a fiche's dashes are cut, rounded to half a unit (0.15 pt on the atlas's page; the vertices are on a
    /// one-unit grid): "467.5 582" in the PDF instead of "467.31738 582.04517", a tenth of the national atlas's content.</summary>
    internal const float DashGrid = 0.5f;

    /// <summary>The parts as SVG path data relative to the previous point, in tenths of a pixel ("M12 3l1 0 .5-2z…").</summary>
    public void SvgData(StringBuilder sb)
    {
        long cx = 0, cy = 0;
        bool first = true;
        for (int i = 0; i < Parts; i++)
        {
            var (xy, closed) = Part(i);
            var span = xy.Span;
            for (int k = 0; k < span.Length; k += 2)
            {
                long x = (long)MathF.Round(span[k] * 10), y = (long)MathF.Round(span[k + 1] * 10);
                if (k == 0)
                {
                    if (first) sb.Append('M');
                    else sb.Append('m');
                    Number(sb, first ? x : x - cx);
                    Number(sb, first ? y : y - cy);
                    // Pairs after a move are lines (relative after a relative move; the first move's next pair gets its letter).
                    if (first && span.Length > 2) sb.Append('l');
                    first = false;
                }
                else
                {
                    Number(sb, x - cx);
                    Number(sb, y - cy);
                }
                (cx, cy) = (x, y);
            }
            if (closed)
            {
                sb.Append('z');
                // After a close the current point is the ring's first vertex.
                cx = (long)MathF.Round(span[0] * 10);
                cy = (long)MathF.Round(span[1] * 10);
            }
        }
    }

    /// <summary>A value in tenths as the shortest SVG number, with a space before it unless its sign or a letter separates it.
    /// Digits written one by one: no string per number.</summary>
    internal static void Number(StringBuilder sb, long tenths)
    {
        if (tenths >= 0 && sb.Length > 0 && !char.IsAsciiLetter(sb[^1])) sb.Append(' ');
        if (tenths < 0) sb.Append('-');
        ulong a = (ulong)Math.Abs(tenths), whole = a / 10, frac = a % 10;
        if (whole > 0 || frac == 0)
        {
            Span<char> digits = stackalloc char[20];
            int n = 0;
            do
            {
                digits[n++] = (char)('0' + (int)(whole % 10));
                whole /= 10;
            }
            while (whole > 0);
            for (int k = n - 1; k >= 0; k--) sb.Append(digits[k]);
        }
        if (frac > 0) sb.Append('.').Append((char)('0' + (int)frac));
    }
}
