namespace CepGeo.Core.Common;

/// <summary>Lists of ints stored flat (compressed sparse rows): list <c>i</c> is <c>Items[Start[i] .. Start[i+1]-1]</c>.</summary>
internal sealed class Csr(int[] start, int[] items)
{
    public int Count => start.Length - 1;

    public ArraySegment<int> this[int i] => new(items, start[i], start[i + 1] - start[i]);

    /// <summary>Per list, the sum of <paramref name="value"/> over its items, in order.</summary>
    public double[] Sum(Func<int, double> value)
    {
        var r = new double[Count];
        for (int i = 0; i < r.Length; i++)
            for (int k = start[i]; k < start[i + 1]; k++) r[i] += value(items[k]);
        return r;
    }

    /// <summary>Groups <c>0 .. count-1</c> by key, keeping their order within a group (a counting sort).</summary>
    public static Csr GroupBy(int groups, int count, Func<int, int> key)
    {
        var start = new int[groups + 1];
        for (int i = 0; i < count; i++) start[key(i) + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        var fill = (int[])start.Clone();
        var items = new int[count];
        for (int i = 0; i < count; i++) items[fill[key(i)]++] = i;
        return new Csr(start, items);
    }
}
