using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace CepGeo.Core.Overlay;

/// <summary>
/// Dense ids for exact points and for unordered pairs of ids, by open addressing (linear probing on
/// tables of ids; the keys are read back from the lists). On a million-vertex mosaic this hashes
/// several times faster than <c>Dictionary</c> over tuples, in a third of the memory.
/// </summary>
internal sealed class PointIndex
{
    private int[] _pointSlots, _pairSlots;

    /// <param name="capacity">About the number of points (and of pairs) that will be added; the tables grow past it.</param>
    public PointIndex(int capacity)
    {
        _pointSlots = Slots(capacity);
        _pairSlots = Slots(capacity);
        X = new List<double>(capacity);
        Y = new List<double>(capacity);
        PairA = new List<int>(capacity);
        PairB = new List<int>(capacity);
    }

    /// <summary>
    /// Drops the hash tables (tens of MB on national data) once no point or pair will be added or
    /// looked up: the points and pairs stay readable.
    /// </summary>
    public void Freeze() => _pointSlots = _pairSlots = [];

    private static int[] Slots(long count)
    {
        var slots = new int[(int)Math.Min(1L << 30, (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(16L, 2L * count)))];
        Array.Fill(slots, -1);
        return slots;
    }

    /// <summary>The points, by id.</summary>
    public List<double> X { get; }

    /// <inheritdoc cref="X"/>
    public List<double> Y { get; }

    /// <summary>The pairs, by id, in the order first given.</summary>
    public List<int> PairA { get; }

    /// <inheritdoc cref="PairA"/>
    public List<int> PairB { get; }

    private static int Mix(ulong a, ulong b)
    {
        ulong h = (a * 0x9E3779B97F4A7C15UL) ^ ((b + 0x632BE59BD9B4E019UL) * 0xC2B2AE3D27D4EB4FUL);
        return (int)(h ^ (h >> 31));
    }

    private static int PointHash(double x, double y) =>
        Mix((ulong)BitConverter.DoubleToInt64Bits(x), (ulong)BitConverter.DoubleToInt64Bits(y));

    private static int PairHash(int u, int v) => Mix((ulong)Math.Min(u, v), (ulong)Math.Max(u, v));

    /// <summary>Asks memory for the slot where <see cref="Point"/> will look (x, y) up: a hint, nothing changes.</summary>
    public unsafe void PrefetchPoint(double x, double y)
    {
        if (!Sse.IsSupported) return;
        int slot = PointHash(x + 0.0, y + 0.0) & (_pointSlots.Length - 1);
        fixed (int* at = &_pointSlots[slot]) Sse.Prefetch0(at);
    }

    /// <summary>Asks memory for the slot where <see cref="Pair"/> will look (u, v) up: a hint, nothing changes.</summary>
    public unsafe void PrefetchPair(int u, int v)
    {
        if (!Sse.IsSupported) return;
        int slot = PairHash(u, v) & (_pairSlots.Length - 1);
        fixed (int* at = &_pairSlots[slot]) Sse.Prefetch0(at);
    }

    /// <summary>The id of the point, added if new (−0 and 0 are the same point).</summary>
    public int Point(double x, double y)
    {
        x += 0.0;
        y += 0.0;
        int mask = _pointSlots.Length - 1;
        int slot = PointHash(x, y) & mask;
        while (true)
        {
            int n = _pointSlots[slot];
            if (n < 0)
            {
                n = X.Count;
                _pointSlots[slot] = n;
                Reserve(X);
                Reserve(Y);
                X.Add(x);
                Y.Add(y);
                if (2 * X.Count > _pointSlots.Length) _pointSlots = Rehash(X.Count, i => PointHash(X[i], Y[i]));
                return n;
            }
            if (X[n] == x && Y[n] == y) return n;
            slot = (slot + 1) & mask;
        }
    }

    /// <summary>The id of the unordered pair {u, v}, added as (u, v) if new; <paramref name="added"/> says which.</summary>
    public int Pair(int u, int v, out bool added)
    {
        int a = Math.Min(u, v), b = Math.Max(u, v);
        int mask = _pairSlots.Length - 1;
        int slot = PairHash(u, v) & mask;
        while (true)
        {
            int e = _pairSlots[slot];
            if (e < 0) break;
            if ((PairA[e] == a && PairB[e] == b) || (PairA[e] == b && PairB[e] == a))
            {
                added = false;
                return e;
            }
            slot = (slot + 1) & mask;
        }
        _pairSlots[slot] = PairA.Count;
        Reserve(PairA);
        Reserve(PairB);
        PairA.Add(u);
        PairB.Add(v);
        added = true;
        if (2 * PairA.Count > _pairSlots.Length) _pairSlots = Rehash(PairA.Count, i => PairHash(PairA[i], PairB[i]));
        return PairA.Count - 1;
    }

    /// <summary>A table twice as large holding ids 0 .. count-1 (kept at most half full).</summary>
    /// <summary>
    /// Room for one more item, growing by a quarter rather than doubling: the tables are sized to
    /// the input and noding adds a tenth or so, so doubling left half of each national-size list
    /// unused (and the old one to collect).
    /// </summary>
    public static void Reserve<T>(List<T> list)
    {
        if (list.Count == list.Capacity) list.Capacity = list.Count + list.Count / 4 + 16;
    }

    /// <summary>Room for <paramref name="more"/> items beyond the current ones (when more are about to be added at once).</summary>
    public static void Reserve<T>(List<T> list, int more)
    {
        if (list.Capacity < list.Count + more) list.Capacity = list.Count + more;
    }

    /// <summary>Room for <paramref name="more"/> new points without growing the lists (the hash table grows as before).</summary>
    public void ReservePoints(int more)
    {
        Reserve(X, more);
        Reserve(Y, more);
    }

    /// <summary>Room for <paramref name="more"/> new pairs without growing the lists (the hash table grows as before).</summary>
    public void ReservePairs(int more)
    {
        Reserve(PairA, more);
        Reserve(PairB, more);
    }

    private static int[] Rehash(int count, Func<int, int> hash)
    {
        var slots = Slots(2L * count);
        int mask = slots.Length - 1;
        for (int i = 0; i < count; i++)
        {
            int slot = hash(i) & mask;
            while (slots[slot] >= 0) slot = (slot + 1) & mask;
            slots[slot] = i;
        }
        return slots;
    }
}
