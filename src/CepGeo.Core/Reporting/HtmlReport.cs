using System.Globalization;
using System.Net;
using System.Text;
using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;

namespace CepGeo.Core.Reporting;

/// <summary>A rendered map to embed in the report (image bytes of the given MIME type, inlined as a data URI).</summary>
public sealed record ReportMap(MapSpec Spec, string Title, byte[] Image, string Mime = "image/png")
{
    public string DataUri => $"data:{Mime};base64,{Convert.ToBase64String(Image)}";
}

/// <summary>The synthèse and the fiches territoire of a report, computed once for report.html and atlas.pdf.</summary>
public sealed record ReportContent(DisplayNames Names, SynthesisFacts Synthesis, IReadOnlyList<TerritoryFiche> Fiches)
{
    public static ReportContent Build(AnalysisResult r)
    {
        var names = new DisplayNames(r);
        return new ReportContent(names, SynthesisFacts.Build(r, names), TerritoryFiche.Build(r, names));
    }
}

/// <summary>
/// report.html: one self-contained page a planner can mail or print — inline CSS, maps as data URIs,
/// no network. Every figure carries its exact value in a <c>data-value</c> attribute (R format) beside
/// the rounded one people read, so scripts and tests can check it against summary.json.
/// </summary>
public static class HtmlReport
{
    /// <summary>How many of the least aligned cells each operator's section lists.</summary>
    public const int WorstCells = 10;

    /// <summary>Defects listed per operator before the list is cut (the full list is gaps.geojson).</summary>
    public const int MaxDefects = 60;

    public static void Write(TextWriter w, AnalysisResult r, MapText t, string version, string date, IReadOnlyList<ReportMap> maps)
        => Write(w, r, t, version, date, maps, ReportContent.Build(r));

    /// <param name="fiches">The fiche maps, one per cell in cell order (PNG), or empty for none.</param>
    public static void Write(TextWriter w, AnalysisResult r, MapText t, string version, string date, IReadOnlyList<ReportMap> maps,
        ReportContent content, IReadOnlyList<ReportMap>? fiches = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(maps);
        var h = new Html(w, t);
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine($"<html lang=\"{t.Lang}\"><head><meta charset=\"utf-8\">");
        w.WriteLine($"<title>{E(r.Study.Name)} — CepGeo</title>");
        w.WriteLine($"<style>{Css}</style></head><body>");
        w.WriteLine($"<header><h1>{E(r.Study.Name)}</h1>");
        if (!string.IsNullOrWhiteSpace(r.Study.Sources))
            w.WriteLine($"<p class=\"sources\"><b>{t.Sources}{(t.French ? " :" : ":")}</b> {E(r.Study.Sources)}</p>");
        w.WriteLine($"<p class=\"meta\">{E(t.MadeWith(version, date))} · {E(t.T("aires mesurées en", "areas measured in"))} {E(r.Crs.ToString())}"
            + (r.Study.Weights is null ? $" · {E(t.T("sans pondération : pas de chiffres de population", "no weights: no population figures"))}" : $" · {E(t.T("pondération", "weights"))} : {E(r.Study.Weights.Label)}") + "</p></header>");

        h.Synthese(r, content);
        h.Summary(r);
        Map(w, maps, "overview");
        foreach (var c in r.Comparisons) h.OperatorSection(r, c, maps);
        if (r.OperatorPairs.Count > 0) h.Pairs(r, maps);
        h.Fiches(r, content, fiches ?? []);
        h.Method(r);
        h.LoadReport(r);
        w.WriteLine("</body></html>");
    }

    private static void Map(TextWriter w, IReadOnlyList<ReportMap> maps, string name)
    {
        var m = maps.FirstOrDefault(x => x.Spec.Name == name);
        if (m is null) return;
        w.WriteLine($"<figure class=\"map\" data-map=\"{E(name)}\"><img alt=\"{E(m.Title)}\" src=\"{m.DataUri}\"></figure>");
    }

    internal static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Html(TextWriter w, MapText t)
    {
        /// <summary>How many communes a fiche lists per operator before "and N more" (one line in print).</summary>
        private const int ListedMoves = 4;

        /// <summary>How many partner zones a fiche's table lists before "autres : n zones" (a fiche is one printed page).</summary>
        private const int ListedPartners = 3;

        public void Synthese(AnalysisResult r, ReportContent content)
        {
            var facts = content.Synthesis;
            w.WriteLine($"<section id=\"synthese\"><h2>{t.T("Synthèse", "Key findings")}</h2>");
            w.WriteLine("<ul class=\"sentences\">");
            foreach (var line in facts.Sentences(t)) w.WriteLine($"<li>{E(line)}</li>");
            foreach (var s in r.Sites) if (BeyondSentence(r, s, content.Names) is { } line) w.WriteLine($"<li data-sites=\"{E(s.Operator)}\">{E(line)}</li>");
            w.WriteLine("</ul>");
            HeatTable(r, content);
            w.WriteLine("</section>");
        }

        /// <summary>Spec §9 in one sentence: the three cells where the most people live beyond beyondKm of the operator's sites.</summary>
        private string? BeyondSentence(AnalysisResult r, SiteComparison s, DisplayNames names)
        {
            if (s.Territory.PopBeyond is not double total) return null;
            string km = t.N(r.Study.Tolerances.BeyondKm);
            var worst = s.Cells.Where(c => c.PopBeyond > 0).OrderByDescending(c => c.PopBeyond).ThenBy(c => c.CellId, StringComparer.Ordinal).Take(3)
                .Select(c => $"{names.Of("cells", c.CellId)} ({t.People(c.PopBeyond!.Value)} {t.T("hab.", "people")}, {t.Pct(c.PopBeyondShare!.Value * 100, "0")})").ToList();
            if (worst.Count == 0)
                return t.T($"{s.Label} : tous les habitants vivent à moins de {km} km (à vol d'oiseau) d'un lieu d'accueil.",
                    $"{s.Label}: every resident lives within {km} km (straight line) of a site.");
            return t.T($"{s.Label} : {t.People(total)} habitants ({t.Pct(s.Territory.PopBeyondShare!.Value * 100, "0.#")}) vivent à plus de {km} km à vol d'oiseau d'un lieu d'accueil, surtout dans : {string.Join(" ; ", worst)}.",
                $"{s.Label}: {t.People(total)} people ({t.Pct(s.Territory.PopBeyondShare!.Value * 100, "0.#")}) live more than {km} km in a straight line from a site, mostly in: {string.Join("; ", worst)}.");
        }

        /// <summary>Cells × operators, coloured by misfit (population where there are weights), worst cells first.</summary>
        private void HeatTable(AnalysisResult r, ReportContent content)
        {
            bool byPop = r.HasWeights;
            var cs = r.Comparisons;
            if (cs.Count == 0) return;
            w.WriteLine($"<h3>{E(byPop ? t.T("Désalignement en population, territoire par territoire", "Misfit by population, area by area") : t.T("Désalignement en surface, territoire par territoire", "Misfit by area, area by area"))}</h3>");
            w.WriteLine($"<p class=\"note\">{E(t.T("0 = les limites s'emboîtent ; 1 = rien ne s'emboîte. Les territoires les plus désalignés d'abord (plus fort désalignement, tous réseaux confondus).", "0 = the limits nest; 1 = nothing nests. The least aligned areas first (highest misfit over all networks)."))}</p>");
            w.Write($"<table class=\"heat\" data-table=\"heat\"><thead><tr><th>{E(t.T("territoire", "area"))}</th>");
            foreach (var c in cs) w.Write($"<th data-operator=\"{E(c.Operator)}\">{E(Label(r, c.Operator))}</th>");
            w.WriteLine("</tr></thead><tbody>");
            double V(CellMetric m) => byPop ? m.PopMisfit ?? m.Misfit : m.Misfit;
            var order = Enumerable.Range(0, r.Infos[0].Ids.Count)
                .OrderByDescending(i => cs.Max(c => V(c.Cells[i]))).ThenBy(i => r.Infos[0].Ids[i], StringComparer.Ordinal);
            foreach (int i in order)
            {
                string id = r.Infos[0].Ids[i];
                w.Write($"<tr data-cell=\"{E(id)}\"><th><a href=\"#fiche-{E(id)}\">{E(content.Names.Of("cells", id))}</a></th>");
                foreach (var c in cs)
                {
                    double v = V(c.Cells[i]);
                    int cls = MisfitClasses.ClassOf(v);
                    var col = MisfitClasses.Colors[cls];
                    w.Write($"<td class=\"k{cls}\" style=\"background:#{col.Red:x2}{col.Green:x2}{col.Blue:x2}\" data-operator=\"{E(c.Operator)}\" data-value=\"{R(v)}\">{t.N(v, "0.000")}</td>");
                }
                w.WriteLine("</tr>");
            }
            w.WriteLine("</tbody></table>");
        }

        public void Fiches(AnalysisResult r, ReportContent content, IReadOnlyList<ReportMap> maps)
        {
            bool byPop = r.HasWeights;
            w.WriteLine($"<section id=\"fiches\"><h2 class=\"part\">{E(t.T("Fiches territoire", "Area sheets"))}</h2>");
            foreach (var f in content.Fiches)
            {
                w.WriteLine($"<section class=\"fiche\" id=\"fiche-{E(f.CellId)}\" data-cell=\"{E(f.CellId)}\"><h2>{E(t.T("Territoire", "Area"))} : {E(f.CellName)} <code>{E(f.CellId)}</code></h2>");
                w.WriteLine($"<p class=\"meta\">{E(f.Pop is double fp ? t.T($"{t.People(fp)} habitants, {t.N(f.AreaKm2, "#,0")} km²", $"{t.People(fp)} people, {t.N(f.AreaKm2, "#,0")} km²") : $"{t.N(f.AreaKm2, "#,0")} km²")}</p>");
                if (f.CellIndex < maps.Count && maps[f.CellIndex] is { Mime: FicheSvg.Mime } svg)
                    // Inline SVG: the browser draws the vector map (crisp in print); its title is the figure's accessible name.
                    w.WriteLine($"<figure class=\"map fiche-map\" data-map=\"{E(svg.Spec.Name)}\" role=\"img\" aria-label=\"{E(svg.Title)}\">{Encoding.UTF8.GetString(svg.Image)}</figure>");
                else if (f.CellIndex < maps.Count)
                    w.WriteLine($"<figure class=\"map fiche-map\" data-map=\"{E(maps[f.CellIndex].Spec.Name)}\"><img alt=\"{E(maps[f.CellIndex].Title)}\" src=\"{maps[f.CellIndex].DataUri}\"></figure>");
                foreach (var o in f.Operators)
                {
                    w.WriteLine($"<div class=\"fiche-op\" data-operator=\"{E(o.Key)}\"><h3>{E(o.Label)}</h3>");
                    w.WriteLine($"<p>{E(TerritoryFiche.Sentence(t, o, byPop))}</p>");
                    w.WriteLine($"<table class=\"partners\"><thead><tr><th>{E(t.T("zone d'intervention", "service area"))}</th><th>{E(byPop ? t.T("habitants", "people") : "km²")}</th><th>{E(t.T("part du territoire", "share of the area"))}</th></tr></thead><tbody>");
                    var (listed, others, othersAmount, othersShare) = o.TopPartners(ListedPartners);
                    foreach (var p in listed)
                        w.WriteLine($"<tr data-zone=\"{E(p.ZoneId)}\"><td>{E(p.Name)}{(p.Main ? " <b>" + E(t.T("(principale)", "(main)")) + "</b>" : "")}</td><td data-value=\"{R(p.Amount)}\">{(byPop ? t.N(Math.Round(p.Amount), "#,0") : t.N(p.Amount, "#,0.#"))}</td><td data-value=\"{R(p.Share)}\">{t.Pct(p.Share * 100, "0.#")}</td></tr>");
                    if (others > 0)
                        w.WriteLine($"<tr class=\"others\" data-others=\"{others}\"><td>{E(FicheOperator.OthersLabel(t, others))}</td><td data-value=\"{R(othersAmount)}\">{(byPop ? t.N(Math.Round(othersAmount), "#,0") : t.N(othersAmount, "#,0.#"))}</td><td data-value=\"{R(othersShare)}\">{t.Pct(othersShare * 100, "0.#")}</td></tr>");
                    w.WriteLine("</tbody></table>");
                    w.WriteLine($"<p class=\"moves\" data-moved-pop=\"{R(o.MovedPop)}\" data-moved-km2=\"{R(o.MovedKm2)}\">{E(TerritoryFiche.MovesSentence(t, o, byPop))}</p>");
                    if (o.Moves.Count > 0)
                    {
                        w.WriteLine($"<table class=\"moves\"><thead><tr><th>{E(t.T("commune", "commune"))}</th><th>{E(t.T("habitants", "people"))}</th><th>km²</th><th>{E(t.T("zone concernée", "zone concerned"))}</th><th>{E(t.T("sens", "direction"))}</th></tr></thead><tbody>");
                        var (moves, more, morePop) = o.TopMoves(ListedMoves);
                        // In print, the same communes as one line (the table's rows would push the fiche onto a second page).
                        w.WriteLine($"<p class=\"moves-list\">{E(string.Join(", ", moves.Select(m => $"{m.Name} ({t.N(Math.Round(m.Pop), "#,0")})"))
                            + (more > 0 ? t.T($" et {more} autres communes ({t.People(morePop)} hab.).", $" and {more} more communes ({t.People(morePop)} people).") : "."))}</p>");
                        foreach (var mv in moves)
                            w.WriteLine($"<tr data-commune=\"{E(mv.CommuneId)}\"><td>{E(mv.Name)}</td><td data-value=\"{R(mv.Pop)}\">{t.N(Math.Round(mv.Pop), "#,0")}</td><td>{t.N(mv.AreaKm2, "#,0.#")}</td><td>{E(mv.ZoneName)}</td><td>{E(mv.Into ? t.T("entre dans le territoire", "joins the area") : o.IntoOneZone ? t.T("change de zone ou de territoire", "changes zone or area") : t.T("sort du territoire", "leaves the area"))}</td></tr>");
                        w.WriteLine("</tbody></table>");
                        if (more > 0)
                            w.WriteLine($"<p class=\"note more-moves\">{E(t.T($"et {more} autres communes ({t.People(morePop)} hab.).", $"and {more} more communes ({t.People(morePop)} people)."))}</p>");
                    }
                    w.WriteLine("</div>");
                }
                w.WriteLine("</section>");
            }
            w.WriteLine("</section>");
        }

        public void Summary(AnalysisResult r)
        {
            w.WriteLine($"<section id=\"summary\"><h2>{t.T("Synthèse par opérateur", "Summary per operator")}</h2>");
            w.WriteLine($"<p>{E(t.T($"{r.Infos[0].Label} : {r.Infos[0].Ids.Count} cellules. L'alignement vaut 1 quand chaque cellule est une réunion de zones de l'opérateur ou tient dans une seule de ses zones ; il baisse avec la surface qu'il faudrait réaffecter.",
                $"{r.Infos[0].Label}: {r.Infos[0].Ids.Count} cells. Alignment is 1 when every cell is a union of the operator's zones or lies inside one of them; it falls with the area that would have to be reassigned."))}</p>");
            SummaryTable(r.Comparisons.Select(c => (c.Operator, Label(r, c.Operator), c.Summary)), "operators");
            w.WriteLine("</section>");
        }

        private void SummaryTable(IEnumerable<(string Key, string Label, OperatorSummary S)> rows, string id)
        {
            w.WriteLine($"<table class=\"summary\" data-table=\"{id}\"><thead><tr><th>{t.T("Opérateur", "Operator")}</th>"
                + $"<th>{t.T("zones", "zones")}</th><th>{t.T("zones incluses", "zones nested")}</th><th>{t.T("territoires aux mêmes limites", "areas coterminous")}</th>"
                + $"<th>{t.T("territoires alignés", "areas aligned")}</th><th>{t.T("interlocuteurs (moy. / max)", "counterparts (mean / max)")}</th>"
                + $"<th>{t.T("zones blanches km²", "gap km²")}</th><th>{t.T("pop. en zone blanche", "pop. in gaps")}</th>"
                + $"<th>{t.T("double couverture km²", "double coverage km²")}</th><th>{t.T("alignement", "alignment")}</th><th>{t.T("alignement (pop.)", "alignment (pop.)")}</th></tr></thead><tbody>");
            foreach (var (key, label, s) in rows)
            {
                w.Write($"<tr data-operator=\"{E(key)}\"><th>{E(label)} <code>{E(key)}</code></th>");
                Cell("zones", s.Zones, "0");
                Cell("zones_nested_pct", s.ZonesNestedPct, "0.#", pct: true);
                Cell("cells_coterminous_pct", s.CellsCoterminousPct, "0.#", pct: true);
                Cell("cells_aligned_pct", s.CellsAlignedPct, "0.#", pct: true);
                w.Write($"<td data-field=\"partners_mean\" data-value=\"{R(s.PartnersMean)}\">{t.N(s.PartnersMean, "0.00")} / <span data-field=\"partners_max\" data-value=\"{s.PartnersMax}\">{s.PartnersMax}</span></td>");
                Cell("gap_km2", s.GapKm2, "0.00");
                Cell("pop_gap", s.PopGap, "0");
                Cell("double_km2", s.DoubleKm2, "0.00");
                Cell("alignment", s.Alignment, "0.000");
                Cell("pop_alignment", s.PopAlignment, "0.000");
                w.WriteLine("</tr>");
            }
            w.WriteLine("</tbody></table>");
        }

        private void Cell(string field, double? v, string format, bool pct = false)
        {
            if (v is not double d) w.Write($"<td data-field=\"{field}\" data-value=\"\">—</td>");
            else w.Write($"<td data-field=\"{field}\" data-value=\"{R(d)}\">{(pct ? t.Pct(d, format) : t.N(d, format))}</td>");
        }

        public void OperatorSection(AnalysisResult r, Comparison c, IReadOnlyList<ReportMap> maps)
        {
            w.WriteLine($"<section class=\"operator\" data-operator=\"{E(c.Operator)}\"><h2>{E(Label(r, c.Operator))}</h2>");
            var s = c.Summary;
            w.WriteLine($"<p>{E(t.T($"{s.Zones} zones ; alignement {t.N(s.Alignment, "0.000")} ; {t.Pct(s.CellsAlignedPct)} des territoires alignés ; en moyenne {t.N(s.PartnersMean, "0.0")} zones interlocutrices par territoire (au plus {s.PartnersMax}).",
                $"{s.Zones} zones; alignment {t.N(s.Alignment, "0.000")}; {t.Pct(s.CellsAlignedPct)} of cells aligned; {t.N(s.PartnersMean, "0.0")} partner zones per cell on average (at most {s.PartnersMax})."))}</p>");
            Map(w, maps, $"misfit-{c.Operator}");

            w.WriteLine($"<h3>{t.T($"Les {WorstCells} territoires les moins alignés", $"The {WorstCells} least aligned areas")}</h3>");
            w.WriteLine($"<table class=\"worst\"><thead><tr><th>#</th><th>{t.T("territoire", "area")}</th><th>{t.T("désalignement", "misfit")}</th><th>{t.T("désal. (pop.)", "misfit (pop.)")}</th>"
                + $"<th>{t.T("zones interlocutrices (part du territoire)", "counterpart zones (share of the area)")}</th><th>{t.T("zone blanche km²", "gap km²")}</th></tr></thead><tbody>");
            var pairsByCell = c.Pairs.Where(p => p.Significant).GroupBy(p => p.CellId).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ShareOfCell).ToList());
            int rank = 0;
            foreach (var m in c.Cells.OrderByDescending(m => m.Misfit).ThenBy(m => m.CellId, StringComparer.Ordinal).Take(WorstCells))
            {
                var partners = pairsByCell.TryGetValue(m.CellId, out var ps)
                    ? string.Join(", ", ps.Select(p => $"{E(ZoneName(r, c.Operator, p.ZoneId))} ({t.Pct(p.ShareOfCell * 100, "0")})"))
                    : "—";
                w.WriteLine($"<tr data-cell=\"{E(m.CellId)}\" data-misfit=\"{R(m.Misfit)}\"><td>{++rank}</td><td>{E(m.CellName)} <code>{E(m.CellId)}</code></td>"
                    + $"<td>{t.N(m.Misfit, "0.000")}</td><td>{(m.PopMisfit is double pm ? t.N(pm, "0.000") : "—")}</td><td>{partners}</td><td>{t.N(m.GapKm2, "0.00")}</td></tr>");
            }
            w.WriteLine("</tbody></table>");

            var defects = c.Defects.Where(d => d.Kind is DefectKind.Gap or DefectKind.DoubleCoverage).OrderByDescending(d => d.AreaKm2).ToList();
            w.WriteLine($"<h3>{t.T("Zones blanches et doubles couvertures", "Gaps and double coverage")}</h3>");
            if (defects.Count == 0)
                w.WriteLine($"<p>{t.T("Aucune (hors micro-écarts de tracé).", "None (boundary slivers aside).")}</p>");
            else
            {
                w.WriteLine($"<table class=\"gaps\"><thead><tr><th>id</th><th>{t.T("type", "kind")}</th><th>{t.T("cellule", "cell")}</th><th>{t.T("zones", "zones")}</th>"
                    + $"<th>km²</th><th>{t.T("population", "population")}</th><th>{t.T("largeur m", "width m")}</th></tr></thead><tbody>");
                foreach (var d in defects.Take(MaxDefects))
                    w.WriteLine($"<tr data-defect=\"{E(d.Id)}\"><td><code>{E(d.Id)}</code></td><td>{(d.Kind == DefectKind.Gap ? t.T("zone blanche", "gap") : t.T("double couverture", "double coverage"))}</td>"
                        + $"<td>{E(d.CellName ?? d.CellId ?? "—")}</td><td>{E(d.ZoneIds.Count == 0 ? "—" : string.Join(", ", d.ZoneIds))}</td>"
                        + $"<td>{t.N(d.AreaKm2, "0.00")}</td><td>{(d.Pop is double p ? t.N(p, "0") : "—")}</td><td>{t.N(d.WidthM, "0")}</td></tr>");
                w.WriteLine("</tbody></table>");
                if (defects.Count > MaxDefects)
                    w.WriteLine($"<p class=\"note\">{E(t.T($"{defects.Count - MaxDefects} autres dans gaps.geojson.", $"{defects.Count - MaxDefects} more in gaps.geojson."))}</p>");
            }
            w.WriteLine("</section>");
        }

        public void Pairs(AnalysisResult r, IReadOnlyList<ReportMap> maps)
        {
            w.WriteLine($"<section id=\"pairs\"><h2>{t.T("Opérateurs entre eux", "Operators against each other")}</h2>");
            w.WriteLine($"<p>{E(t.T("Le premier réseau de chaque paire joue le rôle des cellules.", "The first network of each pair plays the role of the cells."))}</p>");
            SummaryTable(r.OperatorPairs.Select(c => ($"{c.CellLayer}/{c.Operator}", $"{Label(r, c.CellLayer)} / {Label(r, c.Operator)}", c.Summary)), "operator_pairs");
            foreach (var c in r.OperatorPairs) Map(w, maps, $"pair-{c.CellLayer}-{c.Operator}");
            w.WriteLine("</section>");
        }

        public void Method(AnalysisResult r)
        {
            var tol = r.Study.Tolerances;
            string nest = t.Pct(tol.NestShare * 100, "0.#"), minShare = t.Pct(tol.MinShare * 100, "0.#");
            w.WriteLine($"<section id=\"method\"><h2>{t.T("Méthode", "Method")}</h2><dl>");
            void Def(string term, string fr, string en) => w.WriteLine($"<dt>{E(term)}</dt><dd>{E(t.T(fr, en))}</dd>");
            Def(t.T("Surfaces", "Areas"), $"Toutes les surfaces sont mesurées en km² dans une projection à surfaces égales ({r.Crs}). Les couches sont superposées en une mosaïque de morceaux, chacun appartenant à au plus une cellule et une zone de chaque opérateur.",
                $"Every area is measured in km² in an equal-area projection ({r.Crs}). The layers are overlaid into a mosaic of pieces, each in at most one cell and one zone of each operator.");
            Def(t.T("Micro-écart (sliver)", "Sliver"), $"Un morceau de largeur moyenne (2 × surface / périmètre) inférieure à {t.N(tol.SliverWidthM)} m, ou de surface inférieure à {t.N(tol.MinAreaKm2)} km², est du bruit de tracé : il compte dans les totaux mais jamais comme zone blanche, partenaire, débordement ou double couverture.",
                $"A piece whose mean width (2 × area / perimeter) is below {t.N(tol.SliverWidthM)} m, or whose area is below {t.N(tol.MinAreaKm2)} km², is boundary noise: it counts in totals but never as a gap, partner, straddle or double coverage.");
            Def(t.T("Zone partenaire", "Partner zone"), $"Une zone de l'opérateur qui recouvre au moins {minShare} de la cellule, ou dont au moins {minShare} tombe dans la cellule (hors micro-écarts).",
                $"A zone of the operator covering at least {minShare} of the cell, or at least {minShare} of which lies in the cell (slivers aside).");
            Def(t.W("coverage"), "Part de la surface de la cellule couverte par au moins une zone de l'opérateur.", "Share of the cell's area covered by at least one zone of the operator.");
            Def(t.W("gap"), "Partie d'une cellule couverte par aucune zone de l'opérateur (hachurée sur les cartes).", "Part of a cell covered by no zone of the operator (hatched on the maps).");
            Def(t.W("double_coverage"), "Partie d'une cellule couverte par deux zones ou plus du même opérateur (quadrillée sur les cartes).", "Part of a cell covered by two or more zones of the same operator (cross-hatched on the maps).");
            Def(t.T("Zone emboîtée", "Nested zone"), $"Une zone dont au moins {nest} de la surface est dans la cellule.", $"A zone at least {nest} of whose area lies in the cell.");
            Def(t.W("straddle"), "Morceau d'une zone situé hors de sa cellule principale (contouré sur les cartes).", "A piece of a zone lying outside its main cell (outlined on the maps).");
            Def(t.W("misfit"), "La plus petite part de la surface de la cellule à changer de côté pour que l'opérateur s'y aligne : soit chaque zone partenaire entièrement dedans ou entièrement dehors (et les zones blanches attribuées), soit la cellule entièrement dans une seule zone. 0 = parfaitement alignée, 1 = au plus mal.",
                "The smallest share of the cell's area that must change side for the operator to align with it: either every partner zone wholly inside or wholly outside (and gaps given a zone), or the cell wholly inside one zone. 0 = perfectly aligned, 1 = worst.");
            Def(t.T("Cellule coterminale / alignée", "Coterminous / aligned cell"), $"Coterminale : couverte à au moins {nest} et sans zone qui déborde — la cellule est une réunion de zones. Alignée : coterminale, ou au moins {nest} de la cellule dans une seule zone.",
                $"Coterminous: at least {nest} covered and no straddling zone — the cell is a union of zones. Aligned: coterminous, or at least {nest} of the cell inside one zone.");
            Def(t.T("Alignement", "Alignment"), "1 moins la moyenne des désalignements des cellules pondérée par leur surface (ou par leur population pour l'alignement « pop. »).",
                "1 minus the mean misfit of the cells weighted by their area (or by their population for “pop.” alignment).");
            Def(t.T("Population", "Population"), "Les effectifs de la couche de pondération sont répartis au prorata de la surface à l'intérieur de chaque polygone (pondération surfacique).",
                "Counts of the weights layer are spread in proportion to area inside each polygon (areal weighting).");
            Def(t.T("Classes de la carte", "Map classes"), $"Cinq classes fixes de désalignement, identiques pour tous les opérateurs et toutes les études : {string.Join(" ; ", Enumerable.Range(0, MisfitClasses.Count).Select(i => $"{t.N(MisfitClasses.Bounds[i])} – {t.N(MisfitClasses.Bounds[i + 1])}"))} (borne basse incluse).",
                $"Five fixed misfit classes, the same for every operator and study: {string.Join("; ", Enumerable.Range(0, MisfitClasses.Count).Select(i => $"{t.N(MisfitClasses.Bounds[i])} – {t.N(MisfitClasses.Bounds[i + 1])}"))} (lower bound included).");
            w.WriteLine("</dl>");
            w.WriteLine($"<table class=\"tolerances\"><thead><tr><th>{t.T("tolérance", "tolerance")}</th><th>{t.T("valeur", "value")}</th></tr></thead><tbody>"
                + $"<tr><td>{t.T("largeur d'un micro-écart", "sliver width")} <code>sliverWidthM</code></td><td data-value=\"{R(tol.SliverWidthM)}\">{t.N(tol.SliverWidthM)} m</td></tr>"
                + $"<tr><td>{t.T("surface d'un micro-écart", "sliver area")} <code>minAreaKm2</code></td><td data-value=\"{R(tol.MinAreaKm2)}\">{t.N(tol.MinAreaKm2)} km²</td></tr>"
                + $"<tr><td>{t.T("part minimale d'un partenaire", "smallest partner share")} <code>minShare</code></td><td data-value=\"{R(tol.MinShare)}\">{t.N(tol.MinShare)}</td></tr>"
                + $"<tr><td>{t.T("part d'une zone emboîtée", "nested zone share")} <code>nestShare</code></td><td data-value=\"{R(tol.NestShare)}\">{t.N(tol.NestShare)}</td></tr></tbody></table>");
            var sl = r.Slivers;
            w.WriteLine($"<p>{E(t.T($"{sl.Count} micro-écarts mis de côté, {t.N(sl.AreaKm2, "0.###")} km² au total.", $"{sl.Count} slivers set aside, {t.N(sl.AreaKm2, "0.###")} km² in all."))}</p></section>");
        }

        public void LoadReport(AnalysisResult r)
        {
            w.WriteLine($"<section id=\"load\"><h2>{t.T("Rapport de chargement", "Load report")}</h2>");
            if (r.Load.Count == 0)
            {
                w.WriteLine($"<p>{t.T("Aucune entité ignorée ni réparée.", "No feature skipped or repaired.")}</p></section>");
                return;
            }
            w.WriteLine($"<table class=\"load\"><thead><tr><th>{t.T("couche", "layer")}</th><th>{t.T("entité", "feature")}</th><th>{t.T("action", "action")}</th><th>{t.T("motif", "reason")}</th><th>{t.T("surface avant / après", "area before / after")}</th></tr></thead><tbody>");
            foreach (var i in r.Load)
            {
                string areas = i.AreaBefore is double a && i.AreaAfter is double b ? $"{t.N(a, "0.######")} / {t.N(b, "0.######")}" : "";
                w.WriteLine($"<tr data-kind=\"{E(i.KindName)}\"><td>{E(i.Layer)}</td><td>{E(i.FeatureId ?? "—")}</td><td>{E(i.KindWords.In(t.French))}</td><td>{E(i.Words?.In(t.French) ?? i.Reason)}</td><td>{areas}</td></tr>");
            }
            w.WriteLine("</tbody></table></section>");
        }

        private static string Label(AnalysisResult r, string key) => r.Infos.First(i => i.Key == key).Label;

        private static string ZoneName(AnalysisResult r, string key, string zoneId)
        {
            var info = r.Infos.First(i => i.Key == key);
            for (int i = 0; i < info.Ids.Count; i++)
                if (info.Ids[i] == zoneId) return info.Names[i] == zoneId ? zoneId : $"{info.Names[i]} ({zoneId})";
            return zoneId;
        }
    }

    private const string Css = """
        :root{--ink:#222;--grey:#666;--line:#ccc;--head:#f3f1ec}
        *{box-sizing:border-box}
        body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:var(--ink);max-width:1200px;margin:2em auto;padding:0 1.5em;line-height:1.45;font-size:15px}
        h1{font-size:1.8em;margin:.2em 0}h2{border-bottom:2px solid var(--ink);padding-bottom:.2em;margin-top:2em}h3{margin-top:1.4em}
        .sources,.meta,.note{color:var(--grey)}
        table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em}
        th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
        thead th{background:var(--head)}
        td[data-value],td[data-field]{text-align:right;font-variant-numeric:tabular-nums}
        code{font-size:.85em;color:var(--grey);white-space:nowrap}
        table.tolerances{width:auto;min-width:50%}
        figure.map{margin:1em 0}figure.map img{width:100%;height:auto;border:1px solid var(--line)}
        figure.fiche-map svg{display:block;width:100%;height:auto;border:1px solid var(--line)}
        section.fiche{content-visibility:auto;contain-intrinsic-size:auto 1400px}
        dt{font-weight:bold;margin-top:.6em}dd{margin-left:1.5em}
        ul.sentences{padding-left:1.2em}ul.sentences li{margin:.35em 0}
        table.heat{width:auto}table.heat td{text-align:center;min-width:7em}table.heat td.k3,table.heat td.k4{color:#fff}
        table.heat th a{color:inherit}
        table.partners,table.moves{width:auto;min-width:60%}
        section.fiche{border-top:1px solid var(--line);margin-top:2em}
        p.moves-list{display:none}tr.others td{font-style:italic}
        .fiche-op h3{margin-bottom:.2em}
        h2,h3{break-after:avoid;page-break-after:avoid}
        @media print{
          @page{size:A4 portrait;margin:12mm}
          body{max-width:none;margin:0;padding:0;font-size:10pt}
          table{font-size:9pt;table-layout:auto}
          th,td{padding:.2em .35em;overflow-wrap:anywhere}
          code{font-size:7.5pt}
          h2{break-before:page;margin-top:0}#synthese h2{break-before:avoid}
          /* One territory per A4 page: the fiche is a column one page high; its text takes what it needs (tables
             capped, the communes on one line) and the map the height left, up to 130 mm. */
          h2.part{display:none}
          section.fiche{break-before:page;break-inside:avoid;border-top:none;margin-top:0;display:flex;flex-direction:column;height:266mm;overflow:hidden}
          section.fiche>*{flex:none}
          section.fiche h2{break-before:avoid;margin:0 0 .1em}
          section.fiche p{margin:.15em 0;line-height:1.28;font-size:9.5pt}
          section.fiche p.moves,section.fiche p.moves-list{display:inline}section.fiche p.moves::after{content:" "}
          section.fiche .fiche-op h3{margin:.3em 0 0;font-size:11pt}
          section.fiche table{margin:.15em 0}
          section.fiche th,section.fiche td{padding:.05em .35em}
          section.fiche figure.fiche-map{flex:1 1 0;min-height:45mm;max-height:130mm;margin:.2em 0;display:flex;justify-content:center}
          figure.fiche-map img{width:100%;height:100%;object-fit:contain;border:none}
          figure.fiche-map svg{width:100%;height:100%;border:none}
          table.moves,p.more-moves{display:none}
          figure.map,tr{break-inside:avoid}
          table.summary,table.worst,table.heat,table.partners{width:100%}
          a{color:inherit;text-decoration:none}
        }
        """;
}
