namespace CepGeo.Core.Common;

/// <summary>How the mosaic's loops over millions of items are cut for the cores.</summary>
internal static class Chunks
{
    /// <summary>Chunks for a loop over <paramref name="n"/> items: one when small, else four a core.</summary>
    public static int For(int n) => n < 1 << 16 ? 1 : 4 * Environment.ProcessorCount;

    /// <summary>Where chunk <paramref name="c"/> of <paramref name="chunks"/> over <paramref name="n"/> items starts (chunk <paramref name="chunks"/>: n).</summary>
    public static int Start(int n, int c, int chunks) => (int)((long)n * c / chunks);

    /// <summary>
    /// Sorts a short run (a bucket's segments, a face's edges: mostly a few, often already in
    /// order) by insertion; a long one by <see cref="MemoryExtensions.Sort{T}(Span{T})"/>.
    /// </summary>
    public static void SortShort<T>(Span<T> items) where T : IComparable<T>
    {
        if (items.Length > 24)
        {
            items.Sort();
            return;
        }
        for (int i = 1; i < items.Length; i++)
        {
            T v = items[i];
            int j = i - 1;
            for (; j >= 0 && items[j].CompareTo(v) > 0; j--) items[j + 1] = items[j];
            items[j + 1] = v;
        }
    }
}
