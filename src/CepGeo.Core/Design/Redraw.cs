using CepGeo.Core.Metrics;
using CepGeo.Core.Model;
using NetTopologySuite.Geometries;

namespace CepGeo.Core.Design;

/// <summary>
/// Turns a proposal given face by face into a measured design: the mosaic's cell labels are replaced
/// by the proposal's, and <see cref="Compare"/> runs exactly as in <c>analyze</c>. Every proposal is a
/// union of whole faces (of zones, communes or cells), so nothing is approximated.
/// </summary>
public static class Redraw
{
    /// <summary>How faces are grouped into the units that moves.csv lists (zones, communes, cells).</summary>
    /// <param name="FaceUnit">The unit of each face, or -1 (listed with an empty unit id).</param>
    public sealed record Units(string Layer, int[] FaceUnit, IReadOnlyList<string> Ids, IReadOnlyList<string> Names);

    /// <param name="before">The analysis of the current cells.</param>
    /// <param name="facePerimeter">For each face of the mosaic, the proposed perimeter it belongs to, or -1.</param>
    /// <param name="ids">Perimeter ids; perimeters that receive no face are dropped.</param>
    /// <param name="heirs">The current cell each perimeter inherits from, or null to pick the one sharing the most population.</param>
    /// <param name="reportVanished">Add a row for current cells no perimeter inherits from (snap).</param>
    public static DesignResult Build(AnalysisResult before, string kind, string method, IReadOnlyList<string> operators,
        int[] facePerimeter, IReadOnlyList<string> ids, IReadOnlyList<string> names, IReadOnlyList<string?>? heirs,
        Units units, bool reportVanished = false, NestReport? nest = null, CancellationToken cancel = default)
    {
        var (keep, faceP, newIds, newNames, mosaic, cellsInfo) = Relabel(before, kind, facePerimeter, ids, names);
        var comparisons = new List<Comparison>();
        for (int k = 1; k < before.Infos.Count; k++)
        {
            cancel.ThrowIfCancellationRequested();
            comparisons.Add(Compare.Run(mosaic, 0, cellsInfo, k, before.Infos[k], before.FacePop, before.Study.Tolerances));
        }

        var features = new Feature[keep.Length];
        var facesOf = new List<int>[keep.Length];
        for (int i = 0; i < keep.Length; i++) facesOf[i] = [];
        for (int f = 0; f < faceP.Length; f++) if (faceP[f] >= 0) facesOf[faceP[f]].Add(f);
        for (int i = 0; i < keep.Length; i++)
        {
            cancel.ThrowIfCancellationRequested();
            features[i] = new Feature(newIds[i], newNames[i], before.UnionOfFaces(facesOf[i]), new Dictionary<string, object?>());
        }
        var cellsLayer = new Layer("design " + kind, features, before.Cells.Crs, []);
        var after = before with
        {
            Layers = [cellsLayer, .. before.Layers.Skip(1)],
            Infos = [cellsInfo, .. before.Infos.Skip(1)],
            Mosaic = mosaic,
            Comparisons = comparisons,
            // Today's cells' site figures do not describe the new perimeters (SitesStep.Remeasure does).
            SiteComparisons = null,
        };

        var heirIdx = heirs is null
            ? Enumerable.Range(0, keep.Length).Select(i => Heir(before, facesOf[i])).ToArray()
            : keep.Select(p => heirs[p] is string h ? IndexOf(before.Infos[0].Ids, h) : -1).ToArray();
        var changes = Changes(before, after, faceP, heirIdx, reportVanished);
        var moves = Moves(before, faceP, heirIdx, newIds, units);
        var totals = before.Comparisons.Select((c, k) => Totals(c, after.Comparisons[k])).ToList();
        return new DesignResult(kind, method, operators, before, after,
            heirIdx.Select(h => h < 0 ? null : before.Infos[0].Ids[h]).ToList(), changes, moves, totals, nest);
    }

    /// <summary>
    /// Σ misfit·area after (km²) over the given operators, exactly as <see cref="Build"/> would total them
    /// (<see cref="DesignTotals.MisfitKm2After"/>), without dissolving perimeters nor listing moves: to
    /// choose between proposals before drawing one.
    /// </summary>
    public static double MisfitKm2(AnalysisResult before, string kind, int[] facePerimeter, IReadOnlyList<string> ids,
        IReadOnlyList<string> names, IReadOnlyList<string> operators, CancellationToken cancel = default)
    {
        var (_, _, _, _, mosaic, cellsInfo) = Relabel(before, kind, facePerimeter, ids, names);
        double total = 0; // in study order, as the totals are summed
        for (int k = 1; k < before.Infos.Count; k++)
        {
            if (!operators.Contains(before.Infos[k].Key)) continue;
            cancel.ThrowIfCancellationRequested();
            var c = Compare.Run(mosaic, 0, cellsInfo, k, before.Infos[k], before.FacePop, before.Study.Tolerances, withDefects: false);
            total += c.Cells.Sum(x => x.Misfit * x.AreaKm2);
        }
        return total;
    }

    /// <summary>The mosaic with the proposal as its cells: empty perimeters dropped, the rest renumbered in their given order.</summary>
    private static (int[] Keep, int[] FaceP, string[] Ids, string[] Names, Overlay.Mosaic Mosaic, LayerInfo Cells) Relabel(
        AnalysisResult before, string kind, int[] facePerimeter, IReadOnlyList<string> ids, IReadOnlyList<string> names)
    {
        var faceCount = new int[ids.Count];
        foreach (int p in facePerimeter) if (p >= 0) faceCount[p]++;
        var keep = Enumerable.Range(0, ids.Count).Where(p => faceCount[p] > 0).ToArray();
        var renumber = Enumerable.Repeat(-1, ids.Count).ToArray();
        for (int i = 0; i < keep.Length; i++) renumber[keep[i]] = i;
        var faceP = facePerimeter.Select(p => p < 0 ? -1 : renumber[p]).ToArray();
        var newIds = keep.Select(p => ids[p]).ToArray();
        var newNames = keep.Select(p => names[p]).ToArray();
        var labels = faceP.Select(p => p < 0 ? Array.Empty<int>() : [p]).ToArray();
        var mosaic = before.Mosaic.WithLabels(0, labels);
        var cellsInfo = new LayerInfo("cells", before.Infos[0].Label + " — " + kind, newIds, newNames);
        return (keep, faceP, newIds, newNames, mosaic, cellsInfo);
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        return -1;
    }

    /// <summary>The current cell sharing the most population with a set of faces (area without weights; ties to the smaller id).</summary>
    private static int Heir(AnalysisResult r, List<int> faces)
    {
        var share = new Dictionary<int, (double P, double A)>();
        foreach (int f in faces)
            foreach (int c in r.Mosaic.Labels[0][f])
            {
                share.TryGetValue(c, out var s);
                share[c] = (s.P + (r.FacePop?[f] ?? 0), s.A + r.Mosaic.AreaKm2[f]);
            }
        int best = -1;
        (double P, double A) bestS = default;
        foreach (var (c, s) in share.OrderBy(kv => r.Infos[0].Ids[kv.Key], StringComparer.Ordinal))
            if (best < 0 || s.P > bestS.P || (s.P == bestS.P && s.A > bestS.A)) { best = c; bestS = s; }
        return best;
    }

    private static List<PerimeterChange> Changes(AnalysisResult before, AnalysisResult after, int[] faceP, int[] heir, bool reportVanished)
    {
        var m = before.Mosaic;
        var cellOf = m.Labels[0];
        double Pop(int f) => before.FacePop?[f] ?? 0;
        double? OrNull(double v) => before.HasWeights ? v : null;
        int n = heir.Length;
        var gainA = new double[n]; var gainP = new double[n]; var lostA = new double[n]; var lostP = new double[n];
        // The perimeters inheriting from each current cell (a face's cells name whose loss it can be).
        var heirsOf = new Dictionary<int, List<int>>();
        for (int q = 0; q < n; q++)
            if (heir[q] >= 0)
            {
                if (!heirsOf.TryGetValue(heir[q], out var list)) heirsOf[heir[q]] = list = [];
                list.Add(q);
            }
        var losers = new List<int>();
        for (int f = 0; f < faceP.Length; f++)
        {
            int p = faceP[f];
            if (p >= 0 && (heir[p] < 0 || !cellOf[f].Contains(heir[p]))) { gainA[p] += m.AreaKm2[f]; gainP[p] += Pop(f); }
            losers.Clear();
            foreach (int c in cellOf[f])
                if (heirsOf.TryGetValue(c, out var qs)) foreach (int q in qs) if (q != p && !losers.Contains(q)) losers.Add(q);
            foreach (int q in losers) { lostA[q] += m.AreaKm2[f]; lostP[q] += Pop(f); }
        }
        var rows = new List<PerimeterChange>();
        for (int p = 0; p < n; p++)
        {
            for (int k = 0; k < after.Comparisons.Count; k++)
            {
                var a = after.Comparisons[k].Cells[p];
                var b = heir[p] >= 0 ? before.Comparisons[k].Cells[heir[p]] : null;
                var newPartners = SignificantZones(after.Comparisons[k], a.CellId)
                    .Except(b is null ? [] : SignificantZones(before.Comparisons[k], b.CellId)).Order(StringComparer.Ordinal).ToList();
                rows.Add(new PerimeterChange(a.CellId, a.CellName, b?.CellId, a.Operator,
                    b?.AreaKm2, a.AreaKm2, b?.Pop, a.Pop, gainA[p], lostA[p], OrNull(gainP[p]), OrNull(lostP[p]),
                    b?.Partners, a.Partners, newPartners, b?.Misfit, a.Misfit, b?.PopMisfit, a.PopMisfit,
                    b?.Coterminous, a.Coterminous));
            }
        }
        if (reportVanished)
        {
            var inherited = heir.Where(h => h >= 0).ToHashSet();
            for (int c = 0; c < before.Infos[0].Ids.Count; c++)
            {
                if (inherited.Contains(c)) continue;
                foreach (var cmp in before.Comparisons)
                {
                    var b = cmp.Cells[c];
                    rows.Add(new PerimeterChange("", "", b.CellId, b.Operator, b.AreaKm2, null, b.Pop, null,
                        0, b.AreaKm2, OrNull(0), b.Pop, b.Partners, null, [], b.Misfit, null, b.PopMisfit, null, b.Coterminous, null));
                }
            }
        }
        return rows;
    }

    private static IEnumerable<string> SignificantZones(Comparison c, string cellId) =>
        c.Pairs.Where(p => p.Significant && p.CellId == cellId).Select(p => p.ZoneId);

    private static List<DesignMove> Moves(AnalysisResult before, int[] faceP, int[] heir, string[] ids, Units units)
    {
        var m = before.Mosaic;
        var agg = new SortedDictionary<(int U, int From, int To), (double A, double P)>();
        for (int f = 0; f < faceP.Length; f++)
        {
            if (faceP[f] < 0) continue;
            int from = m.Labels[0][f].Length > 0 ? m.Labels[0][f][0] : -1;
            var key = (units.FaceUnit[f], from, faceP[f]);
            agg.TryGetValue(key, out var v);
            agg[key] = (v.A + m.AreaKm2[f], v.P + (before.FacePop?[f] ?? 0));
        }
        var cellIds = before.Infos[0].Ids;
        return agg.Select(kv =>
        {
            var (u, from, to) = kv.Key;
            return new DesignMove(units.Layer, u < 0 ? "" : units.Ids[u], u < 0 ? "" : units.Names[u],
                from < 0 ? null : cellIds[from], ids[to], kv.Value.A, before.HasWeights ? kv.Value.P : null, from != heir[to]);
        }).ToList();
    }

    private static DesignTotals Totals(Comparison b, Comparison a)
    {
        static double Km2(Comparison c) => c.Cells.Sum(x => x.Misfit * x.AreaKm2);
        static double? People(Comparison c) => c.Summary.PopAlignment is null ? null : c.Cells.Sum(x => (x.PopMisfit ?? 0) * (x.Pop ?? 0));
        return new DesignTotals(b.Operator, Km2(b), Km2(a), People(b), People(a),
            b.Summary.Alignment, a.Summary.Alignment, b.Summary.PopAlignment, a.Summary.PopAlignment,
            b.Summary.PartnersMean, a.Summary.PartnersMean, b.Summary.CellsCoterminousPct, a.Summary.CellsCoterminousPct);
    }
}
