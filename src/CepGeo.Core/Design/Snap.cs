using CepGeo.Core.Model;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>
/// <c>design snap --to KEY</c>: the cells redrawn as unions of whole zones of one operator, each zone
/// going to the cell that holds most of its population (most of its area without weights).
/// </summary>
/// <remarks>
/// A zone that touches the territory only by slivers (no significant pair with any cell) is left
/// where it is: snapping to it would annex a neighbour's zone. Territory no zone covers (a gap of the
/// operator) stays with its current cell. A zone is taken whole, including any part outside the
/// current territory, so that every new cell is exactly a union of zones. Where two zones overlap
/// (double coverage) the piece stays in its current cell if one of the zones goes there, else it
/// follows the zone with the smaller id.
/// </remarks>
public static class Snap
{
    public static DesignResult Run(AnalysisResult before, string operatorKey)
    {
        int k = OperatorLayer(before, operatorKey);
        var cmp = before.Comparisons[k - 1];
        var cellIds = before.Infos[0].Ids;
        var zoneIds = before.Infos[k].Ids;
        var cellIndex = cellIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var zoneIndex = zoneIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);

        // Target of each zone: the cell with the most population (area without weights), significant pairs only.
        var target = Enumerable.Repeat(-1, zoneIds.Count).ToArray();
        var best = new (double P, double A)[zoneIds.Count];
        var eligible = cmp.Pairs.Where(p => p.Significant).Select(p => zoneIndex[p.ZoneId]).ToHashSet();
        foreach (var pair in cmp.Pairs.OrderBy(p => p.CellId, StringComparer.Ordinal))
        {
            int z = zoneIndex[pair.ZoneId];
            if (!eligible.Contains(z)) continue;
            var s = (P: pair.Pop ?? 0, A: pair.AreaKm2);
            if (target[z] < 0 || s.P > best[z].P || (s.P == best[z].P && s.A > best[z].A))
            {
                target[z] = cellIndex[pair.CellId];
                best[z] = s;
            }
        }

        var m = before.Mosaic;
        var faceCell = new int[m.FaceCount];
        var faceUnit = new int[m.FaceCount];
        for (int f = 0; f < m.FaceCount; f++)
        {
            int current = m.Labels[0][f].Length > 0 ? m.Labels[0][f][0] : -1;
            var zones = m.Labels[k][f].Where(z => target[z] >= 0).ToArray();
            faceUnit[f] = zones.Length > 0 ? zones[0] : -1;
            if (zones.Length == 0) faceCell[f] = current;
            else if (zones.Any(z => target[z] == current)) { faceCell[f] = current; faceUnit[f] = zones.First(z => target[z] == current); }
            else faceCell[f] = target[zones.OrderBy(z => zoneIds[z], StringComparer.Ordinal).First()];
        }

        var label = before.Infos[k].Label;
        string method = $"Each zone of {operatorKey} ({label}) goes whole to the cell holding most of its "
            + (before.HasWeights ? "population" : "area") + "; zones touching the territory only by slivers stay out; uncovered land keeps its cell.";
        var units = new Redraw.Units(operatorKey, faceUnit, zoneIds, before.Infos[k].Names);
        return Redraw.Build(before, "snap", method, [operatorKey], faceCell, cellIds, before.Infos[0].Names,
            cellIds.ToArray(), units, reportVanished: true);
    }

    /// <summary>The mosaic layer of an operator key, or an input error listing the keys.</summary>
    public static int OperatorLayer(AnalysisResult r, string key)
    {
        for (int i = 1; i < r.Infos.Count; i++)
            if (r.Infos[i].Key == key) return i;
        string keys = string.Join(", ", r.Infos.Skip(1).Select(i => i.Key));
        throw new CepGeoInputException("--to/--operators", null, new Phrase(
            $"pas d'opérateur \"{key}\" dans l'étude (opérateurs : {keys})", $"no operator \"{key}\" in the study (operators: {keys})"));
    }
}
