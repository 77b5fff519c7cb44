using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>One perimeter of a plan beside the §4 metrics (a row of perimeters.csv, spec §8).</summary>
/// <param name="Units">How many units the plan gives it.</param>
/// <param name="Contiguous">One connected part (units touching only at a point are separate parts).</param>
/// <param name="Parts">How many connected parts.</param>
/// <param name="TodayCell">Today's cell it continues: the cell with its id, else the one sharing the most
/// population with it (area without weights; ties to the smaller id); null when it lies outside today's cells.</param>
/// <param name="MovedKm2">Area of the perimeter that lies outside <see cref="TodayCell"/> today: what changes cell.</param>
/// <param name="MovedPop">The same in population (null without weights).</param>
public sealed record PerimeterRow(
    string PerimeterId, string PerimeterName, int Units, double AreaKm2, double? Pop,
    bool Contiguous, int Parts, string? TodayCell, double MovedKm2, double? MovedPop);

/// <summary>A plan scored as <c>analyze</c> scores cells: <see cref="DesignResult.After"/> is the analysis with the
/// plan's perimeters as the cells (the same mosaic, faces relabelled), <see cref="Perimeters"/> the rows of perimeters.csv.</summary>
public sealed record PlanResult(Plan Plan, DesignResult Design, IReadOnlyList<PerimeterRow> Perimeters)
{
    public AnalysisResult After => Design.After;
}

/// <summary>Scoring a whole plan at once (<c>cepgeo plan score</c>); <see cref="PlanScorer"/> does the same edit by edit.</summary>
public static class PlanScore
{
    public const string UnitLayerName = "communes";

    public static PlanResult Score(AnalysisResult today, PlanUnits units, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(today);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(plan);
        int n = plan.PerimeterIds.Count;
        var facePerimeter = units.FaceUnit.Select(u => u < 0 ? -1 : plan.UnitPerimeter[u]).ToArray();
        var faces = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (int f = 0; f < facePerimeter.Length; f++) if (facePerimeter[f] >= 0) faces[facePerimeter[f]].Add(f);
        var unitCount = new int[n];
        foreach (int p in plan.UnitPerimeter) if (p >= 0) unitCount[p]++;
        var cellIndex = CellIndex(today);

        var rows = new List<PerimeterRow>();
        var heirs = new string?[n];
        for (int p = 0; p < n; p++)
        {
            if (faces[p].Count == 0) continue;
            var row = Facts(today, cellIndex, plan.PerimeterIds[p], plan.PerimeterNames[p], unitCount[p], faces[p].ToArray(), f => facePerimeter[f] == p);
            heirs[p] = row.TodayCell;
            rows.Add(row);
        }
        string method = $"Plan drawn by hand: {rows.Count} perimeters of whole {UnitLayerName}, scored on the study's own overlay.";
        var design = Redraw.Build(today, "plan", method, [], facePerimeter, plan.PerimeterIds, plan.PerimeterNames, heirs,
            new Redraw.Units(UnitLayerName, units.FaceUnit, units.Ids, units.Names));
        return new PlanResult(plan, design, rows);
    }

    internal static Dictionary<string, int> CellIndex(AnalysisResult today)
    {
        var ids = today.Infos[0].Ids;
        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int c = 0; c < ids.Count; c++) index.TryAdd(ids[c], c);
        return index;
    }

    /// <summary>A perimeter's units, area, population, parts and what changes cell (its faces ascending).</summary>
    internal static PerimeterRow Facts(AnalysisResult today, Dictionary<string, int> cellIndex, string id, string name,
        int units, int[] faces, Func<int, bool> inPerimeter)
    {
        var m = today.Mosaic;
        var cellOf = m.Labels[0];
        double area = 0, pop = 0;
        foreach (int f in faces) { area += m.AreaKm2[f]; pop += today.FacePop?[f] ?? 0; }
        int heir = TodayCell(today, cellIndex, id, faces);
        double movedA = 0, movedP = 0;
        foreach (int f in faces)
            if (heir < 0 || Array.IndexOf(cellOf[f], heir) < 0) { movedA += m.AreaKm2[f]; movedP += today.FacePop?[f] ?? 0; }
        int parts = faces.Length == 0 ? 0 : m.Components(faces, inPerimeter).Count;
        return new PerimeterRow(id, name, units, area, today.HasWeights ? pop : null, parts == 1, parts,
            heir < 0 ? null : today.Infos[0].Ids[heir], movedA, today.HasWeights ? movedP : null);
    }

    private static int TodayCell(AnalysisResult today, Dictionary<string, int> cellIndex, string id, int[] faces)
    {
        if (cellIndex.TryGetValue(id, out int same)) return same;
        var m = today.Mosaic;
        var share = new Dictionary<int, (double P, double A)>();
        foreach (int f in faces)
            foreach (int c in m.Labels[0][f])
            {
                var s = share.GetValueOrDefault(c);
                share[c] = (s.P + (today.FacePop?[f] ?? 0), s.A + m.AreaKm2[f]);
            }
        int best = -1;
        (double P, double A) bestS = default;
        foreach (var (c, s) in share.OrderBy(kv => today.Infos[0].Ids[kv.Key], StringComparer.Ordinal))
            if (best < 0 || s.P > bestS.P || (s.P == bestS.P && s.A > bestS.A)) { best = c; bestS = s; }
        return best;
    }
}
