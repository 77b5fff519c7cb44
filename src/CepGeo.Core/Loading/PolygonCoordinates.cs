using System.Buffers.Text;

namespace CepGeo.Core.Loading;

/// <summary>
/// Reads the "coordinates" array of a Polygon or MultiPolygon straight from the UTF-8 text, in one
/// pass: a national communes layer is millions of numbers, and tokenising them with
/// <see cref="System.Text.Json.Utf8JsonReader"/> (once to skip, once to read) and parsing each
/// through the general number parser was most of the loading time.
/// </summary>
/// <remarks>
/// Only the plain case is taken: nested arrays of two-number positions, no empty array, JSON number
/// grammar, finite values within <paramref name="maxOrdinate"/>. Anything else (Z values, nulls,
/// strings, an empty ring…) returns false and the caller reads the text the general way, which
/// notes or reports what is wrong. Values are the ones the general parser gives, bit for bit.
/// Work arrays are per thread; the result is valid until the thread's next call.
/// </remarks>
internal sealed class PolygonCoordinates
{
    /// <summary>3 for a Polygon's rings of positions, 4 for a MultiPolygon's polygons of rings.</summary>
    public int Depth { get; private set; }

    /// <summary>x, y of every position of every ring, one after the other.</summary>
    public double[] Xy { get; private set; } = new double[4096];

    /// <summary>End (in <see cref="Xy"/>, exclusive) of each ring.</summary>
    public List<int> RingEnds { get; } = [];

    /// <summary>End (in <see cref="RingEnds"/>, exclusive) of each polygon: one for a Polygon.</summary>
    public List<int> PolygonEnds { get; } = [];

    private int _count;

    [ThreadStatic]
    private static PolygonCoordinates? t_instance;

    /// <summary>
    /// Reads the array at the start of <paramref name="text"/>. On success <paramref name="length"/>
    /// is the number of bytes it takes.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> text, double maxOrdinate, out PolygonCoordinates coordinates, out int length)
    {
        coordinates = t_instance ??= new PolygonCoordinates();
        length = 0;
        coordinates._count = 0;
        coordinates.RingEnds.Clear();
        coordinates.PolygonEnds.Clear();
        int p = 0;
        int depth = 0;
        for (int q = 0; ; q++)
        {
            q = JsonStreamScanner.SkipSpace(text, q);
            if (q >= text.Length) return false;
            if (text[q] != (byte)'[') break;
            depth++;
        }
        coordinates.Depth = depth;
        bool ok = depth switch
        {
            3 => coordinates.ReadPolygon(text, ref p, maxOrdinate),
            4 => coordinates.ReadMultiPolygon(text, ref p, maxOrdinate),
            _ => false,
        };
        length = p;
        return ok;
    }

    private bool ReadMultiPolygon(ReadOnlySpan<byte> s, ref int p, double max)
    {
        if (!Expect(s, ref p, (byte)'[')) return false;
        while (true)
        {
            if (!ReadPolygon(s, ref p, max)) return false;
            if (!Next(s, ref p, out bool more)) return false;
            if (!more) return true;
        }
    }

    private bool ReadPolygon(ReadOnlySpan<byte> s, ref int p, double max)
    {
        if (!Expect(s, ref p, (byte)'[')) return false;
        while (true)
        {
            if (!ReadRing(s, ref p, max)) return false;
            if (!Next(s, ref p, out bool more)) return false;
            if (!more) break;
        }
        PolygonEnds.Add(RingEnds.Count);
        return true;
    }

    private bool ReadRing(ReadOnlySpan<byte> s, ref int p, double max)
    {
        if (!Expect(s, ref p, (byte)'[')) return false;
        while (true)
        {
            if (!Expect(s, ref p, (byte)'[')) return false;
            if (!Number(s, ref p, max, out double x)) return false;
            if (!Expect(s, ref p, (byte)',')) return false;
            if (!Number(s, ref p, max, out double y)) return false;
            if (!Expect(s, ref p, (byte)']')) return false;
            if (_count + 2 > Xy.Length)
            {
                var grown = new double[2 * Xy.Length];
                Array.Copy(Xy, grown, _count);
                Xy = grown;
            }
            Xy[_count++] = x;
            Xy[_count++] = y;
            if (!Next(s, ref p, out bool more)) return false;
            if (!more) break;
        }
        RingEnds.Add(_count);
        return true;
    }

    /// <summary>After an item: a comma (more follow) or the closing bracket of the list.</summary>
    private static bool Next(ReadOnlySpan<byte> s, ref int p, out bool more)
    {
        p = JsonStreamScanner.SkipSpace(s, p);
        more = p < s.Length && s[p] == (byte)',';
        if (more || (p < s.Length && s[p] == (byte)']'))
        {
            p++;
            return true;
        }
        return false;
    }

    private static bool Expect(ReadOnlySpan<byte> s, ref int p, byte c)
    {
        p = JsonStreamScanner.SkipSpace(s, p);
        if (p >= s.Length || s[p] != c) return false;
        p++;
        return true;
    }

    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// A JSON number. When its digits fit in 2^53 with at most 22 decimals, digits / 10^decimals is
    /// one correctly rounded division (Clinger's fast path), the value any correct parser gives;
    /// otherwise the token goes to <see cref="Utf8Parser"/>, as the JSON reader does.
    /// </summary>
    private static bool Number(ReadOnlySpan<byte> s, ref int p, double max, out double value)
    {
        value = 0;
        p = JsonStreamScanner.SkipSpace(s, p);
        int start = p;
        bool negative = p < s.Length && s[p] == (byte)'-';
        if (negative) p++;
        if (p >= s.Length) return false;
        ulong digits = 0;
        int count = 0, decimals = 0;
        if (s[p] == (byte)'0')
        {
            p++;
        }
        else if (IsDigit(s[p]))
        {
            for (; p < s.Length && IsDigit(s[p]); p++, count++)
                if (count < 19) digits = digits * 10 + (ulong)(s[p] - '0');
        }
        else
        {
            return false;
        }
        if (p < s.Length && s[p] == (byte)'.')
        {
            p++;
            int first = p;
            for (; p < s.Length && IsDigit(s[p]); p++, count++, decimals++)
                if (count < 19) digits = digits * 10 + (ulong)(s[p] - '0');
            if (p == first) return false;
        }
        bool exponent = p < s.Length && (s[p] | 0x20) == (byte)'e';
        if (exponent)
        {
            p++;
            if (p < s.Length && s[p] is (byte)'+' or (byte)'-') p++;
            int first = p;
            while (p < s.Length && IsDigit(s[p])) p++;
            if (p == first) return false;
        }
        if (!exponent && count <= 19 && digits <= (1UL << 53) && decimals < PowersOf10.Length)
        {
            value = digits / PowersOf10[decimals];
            if (negative) value = -value;
        }
        else if (!Utf8Parser.TryParse(s[start..p], out value, out int used) || used != p - start)
        {
            return false;
        }
        return double.IsFinite(value) && Math.Abs(value) <= max;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
