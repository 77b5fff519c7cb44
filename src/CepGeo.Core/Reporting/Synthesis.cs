using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;

namespace CepGeo.Core.Reporting;

/// <summary>
/// One cell against one operator as the synthèse tells it. <see cref="Total"/>, <see cref="Others"/> and
/// <see cref="MainAmount"/> are people when the study has weights, km² otherwise.
/// </summary>
/// <param name="Others">Covered, but by a zone other than the main one: <c>Total·coverage − main</c>, never below 0.</param>
/// <param name="MainZone">The zone holding most of the cell's people (area without weights).</param>
public sealed record CellFinding(
    string CellId, string CellName, double Total, double Others, double Share, int Partners,
    string? MainZone, string MainZoneName, double MainAmount, double Misfit, double? PopMisfit)
{
    /// <summary>The misfit the synthèse ranks by: by population where there are weights.</summary>
    public double Ranked => PopMisfit ?? Misfit;
}

/// <summary>What the synthèse says about one operator network.</summary>
/// <param name="Worst">The cell with the highest misfit (by population where there are weights).</param>
/// <param name="MostOthers">Up to three cells where the most people depend on a zone other than their main one.</param>
public sealed record OperatorFindings(
    string Key, string Label, CellFinding Worst, IReadOnlyList<CellFinding> MostOthers,
    double GapKm2, double? PopGap, double DoubleKm2, double? PopDouble, double Alignment, double? PopAlignment)
{
    public double RankedAlignment => PopAlignment ?? Alignment;
}

/// <summary>
/// The synthèse at the top of report.html and atlas.pdf: a few facts drawn from the results, population first,
/// and the sentences that say them. Pure: no file, no clock.
/// </summary>
public sealed record SynthesisFacts(
    bool ByPopulation, string CellsLabel, int Cells, double Total, IReadOnlyList<OperatorFindings> Operators,
    OperatorFindings? Best, OperatorFindings? Worst)
{
    /// <summary>How many cells <see cref="OperatorFindings.MostOthers"/> lists per operator.</summary>
    public const int Listed = 3;

    public static SynthesisFacts Build(AnalysisResult r, DisplayNames names)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(names);
        bool byPop = r.HasWeights;
        var ops = r.Comparisons.Select(c => Operator(r, c, names, byPop)).ToList();
        var first = r.Comparisons.Count == 0 ? [] : r.Comparisons[0].Cells;
        double total = first.Sum(m => byPop ? m.Pop ?? 0 : m.AreaKm2);
        OperatorFindings? best = null, worst = null;
        if (ops.Count >= 2)
        {
            var ordered = ops.OrderByDescending(o => o.RankedAlignment).ThenBy(o => o.Key, StringComparer.Ordinal).ToList();
            best = ordered[0];
            worst = ordered[^1];
        }
        return new SynthesisFacts(byPop, r.Infos[0].Label, r.Infos[0].Ids.Count, total, ops, best, worst);
    }

    /// <summary>Every cell's finding against operator <paramref name="c"/>, in the order of <c>c.Cells</c>.</summary>
    public static List<CellFinding> Findings(AnalysisResult r, Comparison c, DisplayNames names)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(names);
        bool byPop = r.HasWeights;
        var byCell = c.Pairs.GroupBy(p => p.CellId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var list = new List<CellFinding>(c.Cells.Count);
        foreach (var m in c.Cells)
        {
            double total = byPop ? m.Pop ?? 0 : m.AreaKm2;
            double covered = total * (byPop ? m.PopCoverage ?? 0 : m.Coverage);
            PairMetric? main = null;
            if (byCell.TryGetValue(m.CellId, out var ps))
                foreach (var p in ps)
                    if (main is null || Amount(p, byPop) > Amount(main, byPop)
                        || (Amount(p, byPop) == Amount(main, byPop) && string.CompareOrdinal(p.ZoneId, main.ZoneId) < 0))
                        main = p;
            double mainAmount = main is null ? 0 : Amount(main, byPop);
            double others = Math.Max(0, covered - mainAmount);
            list.Add(new CellFinding(m.CellId, names.Of("cells", m.CellId), total, others, total > 0 ? others / total : 0, m.Partners,
                main?.ZoneId, main is null ? "—" : names.Of(c.Operator, main.ZoneId), mainAmount, m.Misfit, m.PopMisfit));
        }
        return list;
    }

    private static double Amount(PairMetric p, bool byPop) => byPop ? p.Pop ?? 0 : p.AreaKm2;

    private static OperatorFindings Operator(AnalysisResult r, Comparison c, DisplayNames names, bool byPop)
    {
        var findings = Findings(r, c, names);
        var worst = findings.OrderByDescending(f => f.Ranked).ThenBy(f => f.CellId, StringComparer.Ordinal).First();
        var most = findings.Where(f => f.Others > 0).OrderByDescending(f => f.Others).ThenBy(f => f.CellId, StringComparer.Ordinal).Take(Listed).ToList();
        var s = c.Summary;
        string label = r.Infos.First(i => i.Key == c.Operator).Label;
        return new OperatorFindings(c.Operator, label, worst, most, s.GapKm2, s.PopGap, s.DoubleKm2, s.PopDouble, s.Alignment, s.PopAlignment);
    }

    /// <summary>The sentences, in the reader's language, to be read aloud in a meeting.</summary>
    public IReadOnlyList<string> Sentences(MapText t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var lines = new List<string>
        {
            ByPopulation
                ? t.T($"{CellsLabel} : {Cells} territoires, {t.People(Total)} habitants ; {Operators.Count} réseaux d'opérateurs comparés, par population.",
                      $"{CellsLabel}: {Cells} areas, {t.People(Total)} people; {Operators.Count} operator networks compared, by population.")
                : t.T($"{CellsLabel} : {Cells} territoires, {t.N(Total, "#,0")} km² ; {Operators.Count} réseaux d'opérateurs comparés, par surface (l'étude n'a pas de population).",
                      $"{CellsLabel}: {Cells} areas, {t.N(Total, "#,0")} km²; {Operators.Count} operator networks compared, by area (the study has no population)."),
        };
        foreach (var o in Operators) lines.AddRange(OperatorSentences(o, t));
        if (Best is not null && Worst is not null && Best.Key != Worst.Key)
            lines.Add(ByPopulation
                ? t.T($"Par population, le réseau le mieux aligné est {Best.Label} (alignement {t.N(Best.RankedAlignment, "0.000")}) ; le moins bien aligné est {Worst.Label} ({t.N(Worst.RankedAlignment, "0.000")}).",
                      $"By population, the best aligned network is {Best.Label} (alignment {t.N(Best.RankedAlignment, "0.000")}); the least aligned is {Worst.Label} ({t.N(Worst.RankedAlignment, "0.000")}).")
                : t.T($"Par surface, le réseau le mieux aligné est {Best.Label} (alignement {t.N(Best.RankedAlignment, "0.000")}) ; le moins bien aligné est {Worst.Label} ({t.N(Worst.RankedAlignment, "0.000")}).",
                      $"By area, the best aligned network is {Best.Label} (alignment {t.N(Best.RankedAlignment, "0.000")}); the least aligned is {Worst.Label} ({t.N(Worst.RankedAlignment, "0.000")})."));
        var gaps = Operators.Where(o => o.GapKm2 > 0).ToList();
        if (gaps.Count > 0)
            lines.Add(t.T("Zones blanches : ", "Gaps: ") + string.Join(t.T(" ; ", "; "), gaps.Select(o => o.PopGap is double p
                ? t.T($"{o.Label} laisse {t.People(p)} habitants sans zone ({t.N(o.GapKm2, "#,0.#")} km²)", $"{o.Label} leaves {t.People(p)} people in no zone ({t.N(o.GapKm2, "#,0.#")} km²)")
                : t.T($"{o.Label} laisse {t.N(o.GapKm2, "#,0.#")} km² sans zone", $"{o.Label} leaves {t.N(o.GapKm2, "#,0.#")} km² in no zone"))) + ".");
        var doubles = Operators.Where(o => o.DoubleKm2 > 0).ToList();
        if (doubles.Count > 0)
            lines.Add(t.T("Double couverture : ", "Double coverage: ") + string.Join(t.T(" ; ", "; "), doubles.Select(o => o.PopDouble is double p
                ? t.T($"{o.Label}, {t.People(p)} habitants dans deux zones ({t.N(o.DoubleKm2, "#,0.#")} km²)", $"{o.Label}, {t.People(p)} people in two zones ({t.N(o.DoubleKm2, "#,0.#")} km²)")
                : t.T($"{o.Label}, {t.N(o.DoubleKm2, "#,0.#")} km² dans deux zones", $"{o.Label}, {t.N(o.DoubleKm2, "#,0.#")} km² in two zones"))) + ".");
        return lines;
    }

    private IEnumerable<string> OperatorSentences(OperatorFindings o, MapText t)
    {
        var w = o.Worst;
        if (w.Ranked <= 0)
        {
            yield return t.T($"{o.Label} : tous les territoires sont alignés (désalignement 0).", $"{o.Label}: every area is aligned (misfit 0).");
            yield break;
        }
        string by = ByPopulation ? t.T("en population", "by population") : t.T("en surface", "by area");
        yield return t.T(
            $"{o.Label} : le territoire le plus désaligné {by} est {w.CellName} ({t.N(w.Ranked, "0.000")}) ; {t.Pct(w.Share * 100, "0")} {(ByPopulation ? "des habitants" : "de la surface")} ({Amount(w.Others, t)}) y relèvent d'une autre zone que la principale ({w.MainZoneName}) ; {t.ZoneCount(w.Partners)} y {(w.Partners > 1 ? "interviennent" : "intervient")}.",
            $"{o.Label}: the least aligned area {by} is {w.CellName} ({t.N(w.Ranked, "0.000")}); {t.Pct(w.Share * 100, "0")} of its {(ByPopulation ? "people" : "area")} ({Amount(w.Others, t)}) depend on a zone other than the main one ({w.MainZoneName}); {t.ZoneCount(w.Partners)} work there.");
        if (o.MostOthers.Count > 0)
            yield return t.T(
                $"Le plus {(ByPopulation ? "d'habitants" : "de surface")} hors de la zone principale : {string.Join(", ", o.MostOthers.Select(f => $"{f.CellName} ({Amount(f.Others, t)}, {t.ZoneCount(f.Partners)})"))}.",
                $"Most {(ByPopulation ? "people" : "area")} outside the main zone: {string.Join(", ", o.MostOthers.Select(f => $"{f.CellName} ({Amount(f.Others, t)}, {t.ZoneCount(f.Partners)})"))}.");
    }

    private string Amount(double v, MapText t) => ByPopulation ? t.T($"≈ {t.People(v)} habitants", $"≈ {t.People(v)} people") : $"{t.N(v, "#,0.#")} km²";
}
