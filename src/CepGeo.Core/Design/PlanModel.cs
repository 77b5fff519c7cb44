using System.Globalization;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Metrics;

namespace CepGeo.Core.Design;

/// <summary>
/// The units a plan assigns (spec §8): the features of the weights layer (communes), each with its
/// faces of the one overlay. A perimeter is the union of its units' faces, so it is measured on the
/// same mosaic as today's cells, exactly.
/// </summary>
public sealed class PlanUnits
{
    private readonly Dictionary<string, int> _index;

    private PlanUnits(string? field, string[] ids, string[] names, int[] faceUnit, int[][] faces, double[] area, double[] pop)
    {
        IdField = field;
        Ids = ids;
        Names = names;
        FaceUnit = faceUnit;
        Faces = faces;
        AreaKm2 = area;
        Pop = pop;
        _index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int u = 0; u < ids.Length; u++) _index[ids[u]] = u;
    }

    /// <summary>The weights property the ids come from, or null for the layer's own feature ids.</summary>
    public string? IdField { get; }

    public IReadOnlyList<string> Ids { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Per face of the mosaic, its unit, or -1 (a face in no unit belongs to no perimeter).</summary>
    public int[] FaceUnit { get; }

    /// <summary>Per unit, its faces, ascending.</summary>
    public int[][] Faces { get; }

    public double[] AreaKm2 { get; }

    public double[] Pop { get; }

    public int Count => Ids.Count;

    public int IndexOf(string id) => _index.TryGetValue(id, out int u) ? u : -1;

    /// <summary>
    /// The units of a study: its weights features, known by <paramref name="idField"/> (default: the
    /// property <c>code</c> when every feature has one, else the layer's own ids) and named by <c>nom</c>
    /// or <c>name</c> when they have one.
    /// </summary>
    public static PlanUnits From(AnalysisResult r, string? idField = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!r.HasWeights)
            throw new CepGeoInputException(r.Study.Name, null,
                new Phrase("l'étude n'a pas de couche de pondération : un scénario de découpage affecte ses unités (les communes de \"weights\") à des périmètres",
                    "the study has no weights layer: a plan assigns its units (the communes of \"weights\") to perimeters"));
        int layer = r.Layers.Count - 1;
        var features = r.Layers[layer].Features;
        string source = r.Layers[layer].Source;
        string? field = idField ?? (features.All(f => Text(f, "code") is { Length: > 0 }) ? "code" : null);
        var ids = new string[features.Count];
        var names = new string[features.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int u = 0; u < ids.Length; u++)
        {
            var f = features[u];
            ids[u] = field is null ? f.Id
                : Text(f, field) is { Length: > 0 } v ? v
                : throw new CepGeoInputException(source, f.Id, new Phrase($"pas de propriété \"{field}\" (l'identifiant d'unité du scénario)",
                    $"no \"{field}\" property (the plan's unit id)"));
            if (!seen.TryAdd(ids[u], u))
                throw new CepGeoInputException(source, ids[u], new Phrase(
                    $"deux unités ont l'identifiant \"{ids[u]}\" dans \"{field ?? "id"}\" : les unités d'un scénario ont besoin d'identifiants uniques",
                    $"two units have the id \"{ids[u]}\" in \"{field ?? "id"}\": plan units need unique ids"));
            names[u] = Text(f, "nom") ?? Text(f, "name") ?? f.Name;
        }

        var m = r.Mosaic;
        var of = m.Labels[layer];
        var faceUnit = new int[m.FaceCount];
        var count = new int[ids.Length];
        for (int f = 0; f < faceUnit.Length; f++)
        {
            faceUnit[f] = of[f].Length > 0 ? of[f][0] : -1;
            if (faceUnit[f] >= 0) count[faceUnit[f]]++;
        }
        var faces = count.Select(n => new int[n]).ToArray();
        var fill = new int[ids.Length];
        var area = new double[ids.Length];
        var pop = new double[ids.Length];
        for (int f = 0; f < faceUnit.Length; f++)
        {
            int u = faceUnit[f];
            if (u < 0) continue;
            faces[u][fill[u]++] = f;
            area[u] += m.AreaKm2[f];
            pop[u] += r.FacePop![f];
        }
        return new PlanUnits(field, ids, names, faceUnit, faces, area, pop);
    }

    private static string? Text(Feature f, string field) =>
        f.Attributes.TryGetValue(field, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
}

/// <summary>A plan: every unit's perimeter (or -1), and the perimeters' ids and names in the plan's order.</summary>
public sealed record Plan(IReadOnlyList<string> PerimeterIds, IReadOnlyList<string> PerimeterNames, int[] UnitPerimeter);

/// <summary>What a plan file says that the study does not match (spec §8: reported, never fatal).</summary>
/// <param name="Unmatched">Rows whose unit id matches no unit.</param>
/// <param name="ListedTwice">Units listed on more than one row (the first row is kept).</param>
/// <param name="Unassigned">Units the plan leaves out of every perimeter (not listed, or listed with no perimeter).</param>
public sealed record PlanCheck(int Rows, IReadOnlyList<PlanRow> Unmatched, IReadOnlyList<PlanRow> ListedTwice, IReadOnlyList<string> Unassigned)
{
    public bool Clean => Unmatched.Count == 0 && ListedTwice.Count == 0 && Unassigned.Count == 0;
}

/// <summary>Making plans: from a plan file, from today's cells; and writing one back.</summary>
public static class Plans
{
    /// <summary>
    /// The plan a file's rows describe. Perimeters come in the order they first appear; a perimeter's name
    /// is the first one given, else today's cell of that id's name, else its id.
    /// </summary>
    public static (Plan Plan, PlanCheck Check) FromRows(AnalysisResult today, PlanUnits units, IReadOnlyList<PlanRow> rows)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(rows);
        var assign = Enumerable.Repeat(-1, units.Count).ToArray();
        var listed = new bool[units.Count];
        var ids = new List<string>();
        var names = new List<string?>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        List<PlanRow> unmatched = [], twice = [];
        foreach (var row in rows)
        {
            int u = units.IndexOf(row.UnitId);
            if (u < 0) { unmatched.Add(row); continue; }
            if (listed[u]) { twice.Add(row); continue; }
            listed[u] = true;
            if (row.PerimeterId.Length == 0) continue;
            if (!index.TryGetValue(row.PerimeterId, out int p))
            {
                index[row.PerimeterId] = p = ids.Count;
                ids.Add(row.PerimeterId);
                names.Add(null);
            }
            names[p] ??= row.PerimeterName;
            assign[u] = p;
        }
        var finalNames = ids.Select((id, p) => names[p] ?? CellName(today, id) ?? id).ToList();
        var unassigned = Enumerable.Range(0, units.Count).Where(u => assign[u] < 0).Select(u => units.Ids[u]).ToList();
        return (new Plan(ids, finalNames, assign), new PlanCheck(rows.Count, unmatched, twice, unassigned));
    }

    private static string? CellName(AnalysisResult today, string id)
    {
        var info = today.Infos[0];
        for (int c = 0; c < info.Ids.Count; c++) if (info.Ids[c] == id) return info.Names[c];
        return null;
    }

    /// <summary>
    /// Today's cells as a plan: each unit with at least half its area inside today's territory goes to
    /// the cell holding most of its area (ties to the smaller cell id); the others are left out.
    /// </summary>
    public static Plan FromCells(AnalysisResult today, PlanUnits units)
    {
        ArgumentNullException.ThrowIfNull(today);
        ArgumentNullException.ThrowIfNull(units);
        var m = today.Mosaic;
        var cellIds = today.Infos[0].Ids;
        var assign = new int[units.Count];
        for (int u = 0; u < units.Count; u++)
        {
            var share = new Dictionary<int, double>();
            double inside = 0;
            foreach (int f in units.Faces[u])
                foreach (int c in m.Labels[0][f])
                {
                    share[c] = share.GetValueOrDefault(c) + m.AreaKm2[f];
                    inside += m.AreaKm2[f];
                }
            int best = -1;
            foreach (var (c, a) in share)
                if (best < 0 || a > share[best] || (a == share[best] && string.CompareOrdinal(cellIds[c], cellIds[best]) < 0)) best = c;
            assign[u] = best >= 0 && inside >= 0.5 * units.AreaKm2[u] ? best : -1;
        }
        // Perimeters in today's order, those that receive no unit left out.
        var used = assign.Where(c => c >= 0).Distinct().Order().ToArray();
        var renumber = new Dictionary<int, int>();
        for (int i = 0; i < used.Length; i++) renumber[used[i]] = i;
        return new Plan(used.Select(c => cellIds[c]).ToList(), used.Select(c => today.Infos[0].Names[c]).ToList(),
            assign.Select(c => c < 0 ? -1 : renumber[c]).ToArray());
    }

    /// <summary>
    /// A plan from perimeters given as polygons (a design's proposal, in the analysis's CRS): each commune goes
    /// to the perimeter covering most of it, if that covers at least half of it; perimeters in the given order,
    /// those that receive no commune left out.
    /// </summary>
    public static Plan FromShapes(AnalysisResult today, PlanUnits units, IReadOnlyList<Feature> perimeters)
    {
        ArgumentNullException.ThrowIfNull(today);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(perimeters);
        var index = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (int p = 0; p < perimeters.Count; p++) index.Insert(perimeters[p].Geometry.EnvelopeInternal, p);
        index.Build();
        var communes = today.Layers[^1].Features;
        var assign = new int[units.Count];
        for (int u = 0; u < units.Count; u++)
        {
            var g = communes[u].Geometry;
            int best = -1;
            double bestA = 0;
            foreach (int p in index.Query(g.EnvelopeInternal).Order())
            {
                double a = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Overlay(g, perimeters[p].Geometry,
                    NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection).Area;
                if (a > bestA) { best = p; bestA = a; }
            }
            assign[u] = best >= 0 && bestA >= 0.5 * g.Area ? best : -1;
        }
        var used = assign.Where(p => p >= 0).Distinct().Order().ToArray();
        var renumber = new Dictionary<int, int>();
        for (int i = 0; i < used.Length; i++) renumber[used[i]] = i;
        return new Plan(used.Select(p => perimeters[p].Id).ToList(), used.Select(p => perimeters[p].Name).ToList(),
            assign.Select(p => p < 0 ? -1 : renumber[p]).ToArray());
    }

    /// <summary>Writes a plan as the plan CSV (comma, UTF-8 without BOM, fields quoted when needed), units in the layer's order.</summary>
    public static void WriteCsv(Stream stream, PlanUnits units, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(plan);
        using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        w.WriteLine($"{PlanReader.UnitColumn},{PlanReader.PerimeterColumn},{PlanReader.NameColumn}");
        for (int u = 0; u < units.Count; u++)
        {
            int p = plan.UnitPerimeter[u];
            if (p < 0) continue;
            w.WriteLine($"{Quote(units.Ids[u])},{Quote(plan.PerimeterIds[p])},{Quote(plan.PerimeterNames[p])}");
        }
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', ';', '"', '\n', '\r']) >= 0 || s != s.Trim() ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
