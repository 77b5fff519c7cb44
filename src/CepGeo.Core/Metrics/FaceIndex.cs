using CepGeo.Core.Common;

namespace CepGeo.Core.Metrics;

/// <summary>
/// Which faces make each cell, each zone and each (cell, zone) pair that meets, in flat arrays: on
/// communes × cantons that is 35k + 2k + 70k lists, which as dictionaries of lists kept the
/// garbage collector busy for longer than the sums took.
/// </summary>
internal sealed class FaceIndex
{
    private FaceIndex(Csr cells, Csr zones, int[] pairCell, int[] pairZone, Csr pairs, int[] cellPairStart, Csr zonePairs)
    {
        Cells = cells;
        Zones = zones;
        PairCell = pairCell;
        PairZone = pairZone;
        Pairs = pairs;
        CellPairStart = cellPairStart;
        ZonePairs = zonePairs;
    }

    /// <summary>Faces of each cell, ascending.</summary>
    public Csr Cells { get; }

    /// <summary>Faces of each zone, ascending.</summary>
    public Csr Zones { get; }

    /// <summary>The pairs that share a face, ordered by cell then zone.</summary>
    public int[] PairCell { get; }

    /// <inheritdoc cref="PairCell"/>
    public int[] PairZone { get; }

    public int PairCount => PairCell.Length;

    /// <summary>Faces of each pair, ascending.</summary>
    public Csr Pairs { get; }

    /// <summary>The pairs of cell <c>c</c> are <c>CellPairStart[c] .. CellPairStart[c+1]-1</c> (zones ascending).</summary>
    public int[] CellPairStart { get; }

    /// <summary>The pairs of each zone, cells ascending.</summary>
    public Csr ZonePairs { get; }

    /// <param name="cellOf">Per face, the cells containing it.</param>
    /// <param name="zoneOf">Per face, the zones containing it.</param>
    public static FaceIndex Build(int[][] cellOf, int[][] zoneOf, int cellCount, int zoneCount) =>
        From(Group(cellOf, cellCount), Group(zoneOf, zoneCount), zoneOf, cellCount, zoneCount);

    /// <summary>
    /// The index of a few cells only (a plan's edited perimeters): <paramref name="faces"/>[i] are the faces
    /// of cell <paramref name="cells"/>[i], ascending; every other cell has none. The zones' faces are
    /// given (they do not change between edits).
    /// </summary>
    public static FaceIndex ForCells(int cellCount, IReadOnlyList<int> cells, IReadOnlyList<int[]> faces, int[][] zoneOf, Csr zones)
    {
        var facesOf = new int[cellCount][];
        for (int i = 0; i < cells.Count; i++) facesOf[cells[i]] = faces[i];
        var start = new int[cellCount + 1];
        for (int c = 0; c < cellCount; c++) start[c + 1] = start[c] + (facesOf[c]?.Length ?? 0);
        var items = new int[start[cellCount]];
        for (int c = 0; c < cellCount; c++) facesOf[c]?.CopyTo(items, start[c]);
        return From(new Csr(start, items), zones, zoneOf, cellCount, zones.Count);
    }

    /// <summary>The faces of each zone, ascending.</summary>
    public static Csr ZoneFaces(int[][] zoneOf, int zoneCount) => Group(zoneOf, zoneCount);

    private static FaceIndex From(Csr cells, Csr zones, int[][] zoneOf, int cellCount, int zoneCount)
    {

        // Per cell, its faces' (zone, face) keys sorted: runs of one zone are the pairs, faces ascending.
        List<int> pairCell = [], pairZone = [], pairStart = [0], pairFace = [];
        var cellPairStart = new int[cellCount + 1];
        var keys = new List<long>();
        for (int c = 0; c < cellCount; c++)
        {
            keys.Clear();
            foreach (int f in cells[c])
                foreach (int z in zoneOf[f])
                    keys.Add(((long)z << 32) | (uint)f);
            keys.Sort();
            for (int i = 0; i < keys.Count; i++)
            {
                int z = (int)(keys[i] >> 32);
                if (i == 0 || z != (int)(keys[i - 1] >> 32))
                {
                    if (i > 0) pairStart.Add(pairFace.Count);
                    pairCell.Add(c);
                    pairZone.Add(z);
                }
                pairFace.Add((int)keys[i]);
            }
            if (keys.Count > 0) pairStart.Add(pairFace.Count);
            cellPairStart[c + 1] = pairCell.Count;
        }
        var zoneArr = pairZone.ToArray();
        return new FaceIndex(cells, zones, [.. pairCell], zoneArr, new Csr([.. pairStart], [.. pairFace]), cellPairStart,
            Csr.GroupBy(zoneCount, zoneArr.Length, k => zoneArr[k]));
    }

    private static Csr Group(int[][] of, int count)
    {
        var start = new int[count + 1];
        foreach (var list in of)
            foreach (int i in list) start[i + 1]++;
        for (int i = 0; i < count; i++) start[i + 1] += start[i];
        var fill = (int[])start.Clone();
        var items = new int[start[count]];
        for (int f = 0; f < of.Length; f++)
            foreach (int i in of[f]) items[fill[i]++] = f;
        return new Csr(start, items);
    }
}
