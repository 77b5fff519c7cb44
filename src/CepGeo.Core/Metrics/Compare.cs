using System.Runtime.InteropServices;
using CepGeo.Core.Common;
using CepGeo.Core.Model;
using CepGeo.Core.Overlay;

namespace CepGeo.Core.Metrics;

/// <summary>
/// One layer in the role of cells against one operator layer: every number of spec §4 as sums
/// over the faces of the mosaic.
/// </summary>
public sealed class Compare
{
    private readonly Mosaic _m;
    private readonly int[][] _cellOf;
    private readonly int[][] _zoneOf;
    private readonly LayerInfo _cells;
    private readonly LayerInfo _op;
    private readonly double[]? _pop;
    private readonly Tolerances _tol;

    private Compare(Mosaic m, int cellLayer, LayerInfo cells, int opLayer, LayerInfo op, double[]? facePop, Tolerances tol)
        : this(m, m.Labels[cellLayer], m.Labels[opLayer], cells, op, facePop, tol)
    {
    }

    private Compare(Mosaic m, int[][] cellOf, int[][] zoneOf, LayerInfo cells, LayerInfo op, double[]? facePop, Tolerances tol)
    {
        _m = m;
        _cellOf = cellOf;
        _zoneOf = zoneOf;
        _cells = cells;
        _op = op;
        _pop = facePop;
        _tol = tol;
        (_areaOf, _popOf) = (Area, Pop);
    }

    // Made once: a method group passed as a delegate is a new delegate at every call (tens of MB
    // on the national communes).
    private readonly Func<int, double> _areaOf, _popOf;

    /// <param name="facePop">Weighted count per face, or null when the study has no weights (pop figures are then null).</param>
    /// <param name="withDefects">Whether to extract defect polygons (the gap report); false for operator-vs-operator tables.</param>
    public static Comparison Run(Mosaic mosaic, int cellLayer, LayerInfo cells, int opLayer, LayerInfo op,
        double[]? facePop, Tolerances tolerances, bool withDefects = true) =>
        new Compare(mosaic, cellLayer, cells, opLayer, op, facePop, tolerances).Compute(withDefects);

    /// <summary>
    /// The rows of a few cells only against one operator (a plan's perimeters after an edit), with their
    /// pairs: the same sums over the same faces in the same order as <see cref="Run"/>, so the same numbers.
    /// </summary>
    /// <param name="cellOf">Per face, the cells containing it (every face, not only those of <paramref name="which"/>).</param>
    /// <param name="zoneFaces">The operator's faces per zone (<see cref="FaceIndex.ZoneFaces"/>), with their area and population sums.</param>
    /// <param name="which">The cells to measure; <paramref name="faces"/>[i] are the faces of <paramref name="which"/>[i], ascending.</param>
    internal static (CellMetric Row, PairMetric[] Pairs)[] RunCells(Mosaic mosaic, int[][] cellOf, LayerInfo cells, int opLayer, LayerInfo op,
        double[]? facePop, Tolerances tolerances, Csr zoneFaces, double[] zoneA, double[] zoneP, IReadOnlyList<int> which, IReadOnlyList<int[]> faces)
    {
        var cmp = new Compare(mosaic, cellOf, mosaic.Labels[opLayer], cells, op, facePop, tolerances);
        var ix = FaceIndex.ForCells(cells.Ids.Count, which, faces, mosaic.Labels[opLayer], zoneFaces);
        double[] cellA = ix.Cells.Sum(cmp._areaOf), cellP = ix.Cells.Sum(cmp._popOf);
        var pairs = cmp.PairRows(ix, cellA, zoneA, cellP, zoneP, out var significant);
        var result = new (CellMetric, PairMetric[])[which.Count];
        for (int i = 0; i < which.Count; i++)
        {
            int c = which[i];
            var row = cmp.CellRow(c, ix, cellA[c], cellP[c], zoneA, zoneP, significant).Item1;
            result[i] = (row, pairs[ix.CellPairStart[c]..ix.CellPairStart[c + 1]]);
        }
        return result;
    }

    private Comparison Compute(bool withDefects)
    {
        var ix = FaceIndex.Build(_cellOf, _zoneOf, _cells.Ids.Count, _op.Ids.Count);
        double[] cellA = ix.Cells.Sum(_areaOf), zoneA = ix.Zones.Sum(_areaOf);
        double[] cellP = ix.Cells.Sum(_popOf), zoneP = ix.Zones.Sum(_popOf);

        var pairs = PairRows(ix, cellA, zoneA, cellP, zoneP, out var significant);
        // Rows are independent: made on every core, then gathered in order (the sliver sums too,
        // so the totals are the same to the last bit).
        var cellResults = new (CellMetric Row, List<Defect> Defects, SliverStats Slivers)[_cells.Ids.Count];
        Parallel.For(0, cellResults.Length, c => cellResults[c] = CellRow(c, ix, cellA[c], cellP[c], zoneA, zoneP, significant));
        var zoneResults = new (ZoneMetric Row, List<Defect> Defects, SliverStats Slivers)[_op.Ids.Count];
        Parallel.For(0, zoneResults.Length, z => zoneResults[z] = ZoneRow(z, ix, zoneA[z], zoneP[z], cellA, significant));

        var defects = new List<Defect>();
        var slivers = SliverStats.Empty;
        var cellRows = new CellMetric[cellResults.Length];
        for (int c = 0; c < cellRows.Length; c++)
        {
            cellRows[c] = cellResults[c].Row;
            slivers = slivers.Add(cellResults[c].Slivers);
            if (withDefects) defects.AddRange(cellResults[c].Defects);
        }
        var zoneRows = new ZoneMetric[zoneResults.Length];
        for (int z = 0; z < zoneRows.Length; z++)
        {
            zoneRows[z] = zoneResults[z].Row;
            slivers = slivers.Add(zoneResults[z].Slivers);
            if (withDefects) defects.AddRange(zoneResults[z].Defects);
        }
        var summary = Summarise(cellRows, zoneRows, cellA, cellP);
        return new Comparison(_cells.Key, _op.Key, pairs, cellRows, zoneRows, summary, defects, slivers);
    }

    private double Area(int f) => _m.AreaKm2[f];

    private double Pop(int f) => _pop is null ? 0 : _pop[f];

    private double? PopOrNull(double v) => _pop is null ? null : v;

    private static double Ratio(double a, double b) => b > 0 ? a / b : 0;

    private double? PopRatio(double a, double b) => _pop is null || b <= 0 ? null : a / b;

    private static double Sum(ReadOnlySpan<int> faces, Func<int, double> value)
    {
        double r = 0;
        foreach (int f in faces) r += value(f);
        return r;
    }

    private PairMetric[] PairRows(FaceIndex ix, double[] cellA, double[] zoneA, double[] cellP, double[] zoneP, out bool[] significant)
    {
        // Each row on its own (a national study has a hundred thousand pairs): on every core.
        var sig = new bool[ix.PairCount];
        var rows = new PairMetric[ix.PairCount];
        Parallel.For(0, ix.PairCount, k =>
        {
            int c = ix.PairCell[k], z = ix.PairZone[k];
            var faces = ix.Pairs[k];
            double a = Sum(faces, _areaOf), p = Sum(faces, _popOf);
            double shareCell = Ratio(a, cellA[c]), shareZone = Ratio(a, zoneA[z]);
            sig[k] = !IsSliver(faces, a, f => _cellOf[f].Contains(c) && _zoneOf[f].Contains(z))
                     && (shareCell >= _tol.MinShare || shareZone >= _tol.MinShare);
            rows[k] = new PairMetric(_cells.Key, _cells.Ids[c], _op.Key, _op.Ids[z], a, PopOrNull(p),
                shareCell, shareZone, PopRatio(p, cellP[c]), PopRatio(p, zoneP[z]), sig[k]);
        });
        significant = sig;
        return rows;
    }

    private bool IsSliver(ReadOnlySpan<int> faces, double areaKm2, Func<int, bool> inSet) =>
        Shape(faces, areaKm2, inSet).Sliver;

    /// <summary>Whether a union of faces is a sliver, and its width 2·A/perimeter in metres.</summary>
    private (bool Sliver, double WidthM) Shape(ReadOnlySpan<int> faces, double areaKm2, Func<int, bool> inSet)
    {
        double p = _m.PerimeterKm(faces, inSet);
        return (_tol.IsSliver(areaKm2, p), p > 0 ? 2 * areaKm2 / p * 1000 : 0);
    }

    private (CellMetric, List<Defect>, SliverStats) CellRow(int c, FaceIndex ix, double a, double p,
        double[] zoneA, double[] zoneP, bool[] significant)
    {
        var defects = new List<Defect>();
        var faces = ix.Cells[c];
        double covered = 0, coveredP = 0;
        foreach (int f in faces)
            if (_zoneOf[f].Length > 0) { covered += Area(f); coveredP += Pop(f); }

        bool InCell(int f) => _cellOf[f].Contains(c);
        bool Gap(int f) => _zoneOf[f].Length == 0;
        bool Double(int f) => _zoneOf[f].Length >= 2;
        var (gapA, gapP, gapSlivers, gapSliverA) = Parts(c, FacesWhere(faces, Gap),
            f => InCell(f) && Gap(f), "gap", a, defects);
        var (dblA, dblP, dblSlivers, dblSliverA) = Parts(c, FacesWhere(faces, Double),
            f => InCell(f) && Double(f), "double_coverage", a, defects);

        // Partners: significant zones; dominant: largest share of the cell.
        int partners = 0, nested = 0;
        int dominant = -1;
        double dominantA = 0, s1 = gapA, s1p = gapP, maxSigA = 0, maxSigP = 0;
        for (int k = ix.CellPairStart[c]; k < ix.CellPairStart[c + 1]; k++)
        {
            int z = ix.PairZone[k];
            var pf = ix.Pairs[k];
            double ia = Sum(pf, _areaOf), ip = Sum(pf, _popOf);
            if (Better(ia, _op.Ids[z], dominantA, dominant < 0 ? null : _op.Ids[dominant])) { dominantA = ia; dominant = z; }
            if (!significant[k]) continue;
            partners++;
            if (Ratio(ia, zoneA[z]) >= _tol.NestShare) nested++;
            s1 += Math.Min(ia, zoneA[z] - ia);
            s1p += Math.Min(ip, zoneP[z] - ip);
            maxSigA = Math.Max(maxSigA, ia);
            maxSigP = Math.Max(maxSigP, ip);
        }
        // S2: the cell inside one zone; with no significant zone, the whole cell must move.
        double s2 = a - maxSigA, s2p = p - maxSigP;
        double misfit = Math.Clamp(Ratio(Math.Min(s1, s2), a), 0, 1);
        double? popMisfit = PopRatio(Math.Min(s1p, s2p), p) is double pm ? Math.Clamp(pm, 0, 1) : null;
        double coverage = Ratio(covered, a);
        double dominantShare = Ratio(dominantA, a);
        int straddling = partners - nested;
        bool coterminous = coverage >= _tol.NestShare && straddling == 0;
        bool aligned = coterminous || dominantShare >= _tol.NestShare;
        var row = new CellMetric(_cells.Key, _cells.Ids[c], _cells.Names[c], _op.Key, a, PopOrNull(p),
            coverage, PopRatio(coveredP, p), gapA, PopOrNull(gapP), dblA, PopOrNull(dblP),
            partners, dominant >= 0 ? _op.Ids[dominant] : null, dominantShare, nested, straddling,
            misfit, popMisfit, coterminous, aligned);
        return (row, defects, new SliverStats(gapSlivers, gapSliverA, dblSlivers, dblSliverA, 0, 0));
    }

    /// <summary>The faces that <paramref name="keep"/> holds for, in order; none for most cells, so nothing is made then.</summary>
    private static List<int> FacesWhere(ArraySegment<int> faces, Func<int, bool> keep)
    {
        List<int>? list = null;
        foreach (int f in faces)
            if (keep(f)) (list ??= []).Add(f);
        return list ?? NoFaces;
    }

    private static readonly List<int> NoFaces = [];

    /// <summary>
    /// Splits a set of faces of cell <paramref name="c"/> into connected parts; non-sliver parts
    /// become defects and are summed, sliver parts are only counted.
    /// </summary>
    private (double Area, double Pop, int Slivers, double SliverArea) Parts(int c, List<int> faces,
        Func<int, bool> inSet, string kind, double cellA, List<Defect> defects)
    {
        double area = 0, pop = 0, sliverA = 0;
        int slivers = 0;
        var found = new List<(List<int> Faces, double A, double P, double W)>();
        foreach (var part in _m.Components(CollectionsMarshal.AsSpan(faces), inSet))
        {
            var span = CollectionsMarshal.AsSpan(part);
            double pa = Sum(span, _areaOf), pp = Sum(span, _popOf);
            var (sliver, w) = Shape(span, pa, inSet);
            if (sliver)
            {
                slivers++;
                sliverA += pa;
                continue;
            }
            area += pa;
            pop += pp;
            found.Add((part, pa, pp, w));
        }
        AddDefects(kind, c, found, cellA, defects);
        return (area, pop, slivers, sliverA);
    }

    private void AddDefects(string kind, int? c, List<(List<int> Faces, double A, double P, double W)> parts,
        double cellA, List<Defect> defects, int? zone = null)
    {
        // Stable ids whatever the feature order: parts ranked by area, then position (most cells
        // have one part: nothing to rank).
        var ordered = parts.Count > 1 ? [.. parts.OrderByDescending(p => p.A).ThenBy(p => MinX(p.Faces))] : parts;
        for (int i = 0; i < ordered.Count; i++)
        {
            var (faces, a, p, w) = ordered[i];
            var zones = zone is int zz
                ? [_op.Ids[zz]]
                : faces.SelectMany(f => _zoneOf[f]).Distinct().Order().Select(z => _op.Ids[z]).ToList();
            string cellId = c is int ci ? _cells.Ids[ci] : "";
            string id = zone is int zi
                ? $"{_op.Key}:{kind}:{_op.Ids[zi]}:{cellId}:{i + 1}"
                : $"{_op.Key}:{kind}:{cellId}:{i + 1}";
            defects.Add(new Defect(id, kind, _op.Key, _cells.Key,
                c is int c1 ? _cells.Ids[c1] : null, c is int c2 ? _cells.Names[c2] : null,
                zones, faces, a, PopOrNull(p), c is null ? null : Ratio(a, cellA), w));
        }
    }

    /// <summary>
    /// Larger area wins; a tie goes to the smaller id, so feature order never matters. Areas equal
    /// to 1e-9 relative are a tie: the same piece summed from faces traced in another order (input
    /// shuffled, rings reversed) differs in the last bits.
    /// </summary>
    private static bool Better(double area, string id, double bestArea, string? bestId)
    {
        if (area <= 0) return false;
        if (bestId is null) return true;
        if (Math.Abs(area - bestArea) <= TieTolerance * Math.Max(area, bestArea))
            return string.CompareOrdinal(id, bestId) < 0;
        return area > bestArea;
    }

    private const double TieTolerance = 1e-9;

    private double MinX(List<int> faces)
    {
        double min = double.PositiveInfinity;
        foreach (int f in faces) min = Math.Min(min, _m.FaceMinX(f));
        return min;
    }

    private (ZoneMetric, List<Defect>, SliverStats) ZoneRow(int z, FaceIndex ix, double a, double p, double[] cellA, bool[] significant)
    {
        var defects = new List<Defect>();
        var faces = ix.Zones[z];
        var cellsMet = ix.ZonePairs[z];
        int cells = 0, main = -1;
        double mainA = 0;
        foreach (int k in cellsMet)
        {
            int c = ix.PairCell[k];
            double ia = Sum(ix.Pairs[k], _areaOf);
            if (Better(ia, _cells.Ids[c], mainA, main < 0 ? null : _cells.Ids[main])) { mainA = ia; main = c; }
            if (significant[k]) cells++;
        }
        double mainShare = Ratio(mainA, a);
        var outsideFaces = new List<int>();
        foreach (int f in faces)
            if (_cellOf[f].Length == 0) outsideFaces.Add(f);
        double outside = Sum(CollectionsMarshal.AsSpan(outsideFaces), _areaOf);

        // Straddles: the zone's significant pieces in cells other than its main cell.
        int sliverN = 0;
        double sliverA = 0;
        foreach (int k in cellsMet)
        {
            int c = ix.PairCell[k];
            if (c == main || !significant[k]) continue;
            var pf = ix.Pairs[k];
            bool InPair(int f) => _cellOf[f].Contains(c) && _zoneOf[f].Contains(z);
            var parts = new List<(List<int>, double, double, double)>();
            foreach (var part in _m.Components(pf, InPair))
            {
                var span = CollectionsMarshal.AsSpan(part);
                double pa = Sum(span, _areaOf);
                var (sliver, w) = Shape(span, pa, InPair);
                if (sliver) { sliverN++; sliverA += pa; continue; }
                parts.Add((part, pa, Sum(span, _popOf), w));
            }
            AddDefects("straddle", c, parts, cellA[c], defects, z);
        }
        // The part outside the study territory: reported, not a defect of the cells.
        var outsideParts = new List<(List<int>, double, double, double)>();
        bool Outside(int f) => _zoneOf[f].Contains(z) && _cellOf[f].Length == 0;
        foreach (var part in _m.Components(CollectionsMarshal.AsSpan(outsideFaces), Outside))
        {
            var span = CollectionsMarshal.AsSpan(part);
            double pa = Sum(span, _areaOf);
            var (sliver, w) = Shape(span, pa, Outside);
            if (sliver) continue;
            outsideParts.Add((part, pa, Sum(span, _popOf), w));
        }
        AddDefects("outside", null, outsideParts, 0, defects, z);

        var row = new ZoneMetric(_op.Key, _op.Ids[z], _op.Names[z], _cells.Key, a, PopOrNull(p), cells,
            main >= 0 ? _cells.Ids[main] : null, mainShare, mainShare >= _tol.NestShare, outside);
        return (row, defects, new SliverStats(0, 0, 0, 0, sliverN, sliverA));
    }

    private OperatorSummary Summarise(CellMetric[] cells, ZoneMetric[] zones, double[] cellA, double[] cellP)
    {
        int n = cells.Length;
        double totalA = cellA.Sum(), totalP = cellP.Sum();
        double misfitA = 0, misfitP = 0;
        for (int c = 0; c < n; c++)
        {
            misfitA += cells[c].Misfit * cellA[c];
            misfitP += (cells[c].PopMisfit ?? 0) * cellP[c];
        }
        return new OperatorSummary(
            _cells.Key, _op.Key, zones.Length,
            Pct(zones.Count(z => z.Nested), zones.Length),
            Pct(cells.Count(c => c.Coterminous), n),
            Pct(cells.Count(c => c.Aligned), n),
            n > 0 ? cells.Average(c => c.Partners) : 0,
            n > 0 ? cells.Max(c => c.Partners) : 0,
            cells.Sum(c => c.GapKm2), _pop is null ? null : cells.Sum(c => c.PopGap ?? 0),
            cells.Sum(c => c.DoubleKm2), _pop is null ? null : cells.Sum(c => c.PopDouble ?? 0),
            1 - Ratio(misfitA, totalA),
            _pop is null || totalP <= 0 ? null : 1 - misfitP / totalP);

        static double Pct(int k, int n) => n > 0 ? 100.0 * k / n : 0;
    }
}
