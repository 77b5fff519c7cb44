using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;

namespace CepGeo.Core.Reporting;

/// <summary>One zone working in a cell: who, how many people (km² without weights), what share of the cell.</summary>
public sealed record FichePartner(string ZoneId, string Name, double Amount, double Share, double AreaKm2, bool Main);

/// <summary>A commune (a unit of the weights layer) of which some part would have to move for the cell to nest.</summary>
/// <param name="Into">True when the part lies outside the cell and would join it; false when it would leave the cell or change zone.</param>
public sealed record FicheMove(string CommuneId, string Name, double Pop, double AreaKm2, string ZoneName, bool Into);

/// <summary>A cell against one operator, for its fiche territoire.</summary>
/// <param name="IntoOneZone">The cheaper nesting is the cell inside its main zone (else: every zone wholly in or out).</param>
/// <param name="Moves">Communes whose parts would move, most people first; <see cref="MovedPop"/> and
/// <see cref="MovedKm2"/> are their totals (every moving piece, with or without a commune).</param>
public sealed record FicheOperator(
    string Key, string Label, CellFinding Finding, IReadOnlyList<FichePartner> Partners,
    bool IntoOneZone, IReadOnlyList<FicheMove> Moves, double MovedPop, double MovedKm2)
{
    /// <summary>
    /// The partners a fiche lists when it must fit a page: the first <paramref name="n"/> by amount, the main zone
    /// always among them, and the others summed (how many zones, how many people or km², what share of the cell).
    /// </summary>
    public (IReadOnlyList<FichePartner> Listed, int Others, double OthersAmount, double OthersShare) TopPartners(int n)
    {
        n = Math.Max(1, n);
        if (Partners.Count <= n) return (Partners, 0, 0, 0);
        var listed = Partners.Take(n).ToList();
        if (!listed.Any(p => p.Main) && Partners.FirstOrDefault(p => p.Main) is { } main) listed[^1] = main;
        var rest = Partners.Where(p => !listed.Contains(p)).ToList();
        return (listed, rest.Count, rest.Sum(p => p.Amount), rest.Sum(p => p.Share));
    }

    /// <summary>The communes a fiche lists (most people first), and how many more there are and their people.</summary>
    public (IReadOnlyList<FicheMove> Listed, int Others, double OthersPop) TopMoves(int n)
    {
        var listed = Moves.Take(Math.Max(0, n)).ToList();
        return (listed, Moves.Count - listed.Count, Moves.Skip(listed.Count).Sum(m => m.Pop));
    }

    /// <summary>"autres : n zones, p hab." — the row that closes a capped partner table.</summary>
    public static string OthersLabel(MapText t, int zones) => t.T($"autres : {t.ZoneCount(zones)}", $"others: {t.ZoneCount(zones)}");
}

/// <summary>Everything the fiche of one cell says: its partners per operator and what would have to move.</summary>
public sealed record TerritoryFiche(int CellIndex, string CellId, string CellName, double AreaKm2, double? Pop, IReadOnlyList<FicheOperator> Operators)
{
    /// <summary>
    /// The fiches of every cell, from the mosaic the metrics were computed on (no new overlay). The moves follow
    /// the misfit's definition (spec §4): if putting the cell inside its main zone moves fewer people than making
    /// every significant zone wholly inside or wholly outside the cell, those are the pieces outside the main zone;
    /// otherwise, for each zone, its smaller side (in people; km² without weights), and the gaps.
    /// </summary>
    public static IReadOnlyList<TerritoryFiche> Build(AnalysisResult r, DisplayNames names)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(names);
        var mosaic = r.Mosaic;
        int cells = r.Infos[0].Ids.Count, faces = mosaic.FaceCount;
        int weightLayer = r.HasWeights ? r.Layers.Count - 1 : -1;
        double Amount(int f) => r.FacePop is { } p ? p[f] : mosaic.AreaKm2[f];
        var cellLabels = mosaic.Labels[0];
        var facesOfCell = Group(cells, faces, f => cellLabels[f]);
        var communeNames = weightLayer < 0 ? null : CommuneNames(r.Layers[weightLayer]);

        var perOperator = r.Comparisons.Select(c =>
        {
            int k = r.Infos.ToList().FindIndex(i => i.Key == c.Operator);
            var zoneLabels = mosaic.Labels[k];
            var info = r.Infos[k];
            var zoneIndex = Enumerable.Range(0, info.Ids.Count).ToDictionary(i => info.Ids[i], StringComparer.Ordinal);
            var facesOfZone = Group(info.Ids.Count, faces, f => zoneLabels[f]);
            var findings = SynthesisFacts.Findings(r, c, names);
            var pairs = c.Pairs.GroupBy(p => p.CellId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            return (c, k, zoneLabels, zoneIndex, facesOfZone, findings, pairs);
        }).ToList();

        var fiches = new TerritoryFiche[cells];
        Parallel.For(0, cells, ci =>
        {
            var ops = new List<FicheOperator>();
            foreach (var (c, k, zoneLabels, zoneIndex, facesOfZone, findings, pairs) in perOperator)
            {
                var m = c.Cells[ci];
                var f = findings[ci];
                pairs.TryGetValue(m.CellId, out var ps);
                ps ??= [];
                double total = f.Total;
                var partners = ps.Where(p => p.Significant)
                    .Select(p => new FichePartner(p.ZoneId, names.Of(c.Operator, p.ZoneId), r.HasWeights ? p.Pop ?? 0 : p.AreaKm2,
                        r.HasWeights ? p.PopShareOfCell ?? 0 : p.ShareOfCell, p.AreaKm2, p.ZoneId == f.MainZone))
                    .OrderByDescending(p => p.Amount).ThenBy(p => p.ZoneId, StringComparer.Ordinal).ToList();

                // The two nestings of the misfit, in the fiche's unit.
                var significant = ps.Where(p => p.Significant).Select(p => zoneIndex[p.ZoneId]).ToHashSet();
                int main = f.MainZone is null ? -1 : zoneIndex[f.MainZone];
                double s2 = total - (main >= 0 && significant.Contains(main) ? f.MainAmount : 0);
                var inside = new Dictionary<int, double>();
                double gap = 0;
                foreach (int face in facesOfCell[ci])
                {
                    var zs = zoneLabels[face];
                    if (zs.Length == 0) gap += Amount(face);
                    foreach (int z in zs)
                        if (significant.Contains(z)) inside[z] = inside.GetValueOrDefault(z) + Amount(face);
                }
                var zoneTotal = significant.ToDictionary(z => z, z => facesOfZone[z].Sum(Amount));
                double s1 = gap + significant.Sum(z => Math.Min(inside.GetValueOrDefault(z), zoneTotal[z] - inside.GetValueOrDefault(z)));
                bool intoOne = main >= 0 && s2 <= s1;

                var moving = new List<(int Face, int Zone, bool Into)>();
                if (intoOne)
                {
                    foreach (int face in facesOfCell[ci])
                        if (Array.IndexOf(zoneLabels[face], main) < 0) moving.Add((face, zoneLabels[face].Length == 0 ? -1 : zoneLabels[face][0], false));
                }
                else
                {
                    foreach (int z in significant.Order())
                    {
                        double inZ = inside.GetValueOrDefault(z);
                        bool pullIn = zoneTotal[z] - inZ < inZ;
                        foreach (int face in facesOfZone[z])
                            if (Array.IndexOf(cellLabels[face], ci) >= 0 != pullIn) moving.Add((face, z, pullIn));
                    }
                    foreach (int face in facesOfCell[ci])
                        if (zoneLabels[face].Length == 0) moving.Add((face, -1, false));
                }
                double movedPop = 0, movedKm2 = 0;
                var byCommune = new Dictionary<(int, int, bool), (double Pop, double Km2)>();
                foreach (var (face, z, into) in moving)
                {
                    double pop = r.FacePop?[face] ?? 0, km2 = mosaic.AreaKm2[face];
                    movedPop += pop;
                    movedKm2 += km2;
                    if (weightLayer < 0) continue;
                    foreach (int u in mosaic.Labels[weightLayer][face])
                    {
                        var key = (u, z, into);
                        var v = byCommune.GetValueOrDefault(key);
                        byCommune[key] = (v.Pop + pop, v.Km2 + km2);
                    }
                }
                var info = r.Infos[k];
                var moves = byCommune.Where(kv => kv.Value.Pop >= 0.5)
                    .Select(kv => new FicheMove(r.Layers[weightLayer].Features[kv.Key.Item1].Id, communeNames![kv.Key.Item1], kv.Value.Pop, kv.Value.Km2,
                        kv.Key.Item2 < 0 ? "—" : names.Of(c.Operator, info.Ids[kv.Key.Item2]), kv.Key.Item3))
                    .OrderByDescending(mv => mv.Pop).ThenBy(mv => mv.CommuneId, StringComparer.Ordinal).ToList();
                ops.Add(new FicheOperator(c.Operator, info.Label, f, partners, intoOne, moves, movedPop, movedKm2));
            }
            var first = r.Comparisons.Count > 0 ? r.Comparisons[0].Cells[ci] : null;
            fiches[ci] = new TerritoryFiche(ci, r.Infos[0].Ids[ci], names.Of("cells", r.Infos[0].Ids[ci]), first?.AreaKm2 ?? 0, first?.Pop, ops);
        });
        return fiches;
    }

    /// <summary>The fiche's sentence for one operator: who the people depend on, how many zones, the misfit.</summary>
    public static string Sentence(MapText t, FicheOperator o, bool byPop)
    {
        var f = o.Finding;
        string misfit = byPop ? t.T($"désalignement en population {t.N(f.Ranked, "0.000")}", $"misfit by population {t.N(f.Ranked, "0.000")}")
            : t.T($"désalignement {t.N(f.Ranked, "0.000")}", $"misfit {t.N(f.Ranked, "0.000")}");
        string amount = byPop ? t.T($"≈ {t.People(f.Others)} habitants", $"≈ {t.People(f.Others)} people") : $"{t.N(f.Others, "#,0.#")} km²";
        return f.MainZone is null
            ? t.T($"Aucune zone de ce réseau ne couvre ce territoire ({misfit}).", $"No zone of this network covers this area ({misfit}).")
            : t.T($"{t.Pct(f.Share * 100, "0")} {(byPop ? "des habitants" : "de la surface")} ({amount}) relèvent d'une autre zone que la principale ({f.MainZoneName}) ; {t.ZoneCount(f.Partners)} {(f.Partners > 1 ? "interviennent" : "intervient")} sur ce territoire ; {misfit}.",
                  $"{t.Pct(f.Share * 100, "0")} of the {(byPop ? "people" : "area")} ({amount}) depend on a zone other than the main one ({f.MainZoneName}); {t.ZoneCount(f.Partners)} work in this area; {misfit}.");
    }

    /// <summary>What would have to move for the cell to nest (the list of communes follows it).</summary>
    public static string MovesSentence(MapText t, FicheOperator o, bool byPop)
    {
        if (o.Finding.Ranked <= 0 || o.MovedKm2 <= 0) return t.T("Les limites s'emboîtent : rien à déplacer.", "The limits nest: nothing to move.");
        string amount = byPop ? t.T($"≈ {t.People(o.MovedPop)} habitants ({t.N(o.MovedKm2, "#,0.#")} km²)", $"≈ {t.People(o.MovedPop)} people ({t.N(o.MovedKm2, "#,0.#")} km²)") : $"{t.N(o.MovedKm2, "#,0.#")} km²";
        return o.IntoOneZone
            ? t.T($"Pour que le territoire tienne dans une seule zone ({o.Finding.MainZoneName}), {amount} devraient changer de zone ou de territoire :",
                  $"For the area to lie inside one zone ({o.Finding.MainZoneName}), {amount} would have to change zone or area:")
            : t.T($"Pour que chaque zone soit entièrement dans le territoire ou entièrement dehors, {amount} devraient changer de côté :",
                  $"For every zone to lie wholly inside or wholly outside the area, {amount} would have to change side:");
    }

    /// <summary>Faces grouped by the features of one layer that hold them.</summary>
    private static List<int>[] Group(int features, int faces, Func<int, int[]> labels)
    {
        var groups = new List<int>[features];
        for (int i = 0; i < features; i++) groups[i] = [];
        for (int f = 0; f < faces; f++)
            foreach (int i in labels(f)) groups[i].Add(f);
        return groups;
    }

    /// <summary>The communes' names: their <c>nom</c> or <c>name</c> property, else their id.</summary>
    private static string[] CommuneNames(Model.Layer weights) => weights.Features.Select(f =>
    {
        foreach (var (k, v) in f.Attributes)
            if (k.Equals("nom", StringComparison.OrdinalIgnoreCase) || k.Equals("name", StringComparison.OrdinalIgnoreCase))
                if (v is string s && s.Length > 0) return DisplayNames.Clean(s);
        return f.Id;
    }).ToArray();
}
