namespace CepGeo.Core.Rendering;

/// <summary>
/// The classes of one metric on a choropleth. <see cref="Breaks"/> are the inner bounds, ascending;
/// every bound belongs to the class above it (lower bound included): class 0 holds v &lt; Breaks[0],
/// class i holds Breaks[i-1] ≤ v &lt; Breaks[i], the last class v ≥ Breaks[^1]. So a misfit of exactly
/// 0.05 is in the second class on the static maps, in the report and in the viewer alike.
/// </summary>
/// <param name="Metric">The spec's column name (<c>misfit</c>, <c>coverage</c>…).</param>
/// <param name="Breaks">Inner class bounds, ascending.</param>
/// <param name="HighIsBad">True when a high value is a problem (misfit, partners): the darkest colour
/// goes to the highest class; false (coverage) puts it on the lowest class.</param>
/// <param name="Min">The smallest value the metric takes, for legend labels.</param>
/// <param name="Max">The largest, or null when unbounded (partners).</param>
public sealed record ClassScale(string Metric, IReadOnlyList<double> Breaks, bool HighIsBad, double Min, double? Max)
{
    public int Count => Breaks.Count + 1;

    /// <summary>The class of a value (lower bounds included); NaN has none (-1).</summary>
    public int ClassOf(double value)
    {
        if (double.IsNaN(value)) return -1;
        int i = 0;
        while (i < Breaks.Count && value >= Breaks[i]) i++;
        return i;
    }

    /// <summary>The palette index of a class: dark means a problem, whichever end that is.</summary>
    public int ColorIndexOf(int cls) => HighIsBad ? cls : Count - 1 - cls;
}

/// <summary>How a kind of defect is drawn and named.</summary>
/// <param name="Kind">The spec's kind (<c>gap</c>, <c>double_coverage</c>, <c>straddle</c>, <c>outside</c>).</param>
/// <param name="Pattern"><c>hatch</c> (45° lines), <c>crosshatch</c> (both diagonals) or <c>outline</c>.</param>
/// <param name="Color">Line colour, <c>#rrggbb</c>.</param>
public sealed record DefectStyle(string Kind, string Pattern, string Color, string Fr, string En);

/// <summary>A word as a planner reads it, in French and English (the glossary).</summary>
public sealed record Term(string Fr, string En)
{
    public string In(string lang) => lang == "en" ? En : Fr;
}

/// <summary>
/// The one definition of what a planner sees: classes and their bounds, the palette, operator colours
/// and dash patterns, and the words for every defect and metric (shared/docs/glossary.md). The static
/// maps, the report and the viewer (through <c>/api/style</c>) all read it, so the same value has the
/// same class, colour and name everywhere.
/// </summary>
public static class PlannerStyle
{
    /// <summary>ColorBrewer YlOrRd, 5 classes: sequential and colour-blind safe (colorbrewer2.org).</summary>
    public static IReadOnlyList<string> Palette { get; } = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

    /// <summary>A cell without a value (no population, no row).</summary>
    public const string NoData = "#dddddd";

    /// <summary>
    /// Misfit bounds are fixed, not quantiles, so the same colour means the same misfit on every
    /// operator's map and in every study: a planner compares maps side by side.
    /// </summary>
    public static ClassScale Misfit { get; } = new("misfit", [0.05, 0.15, 0.30, 0.50], HighIsBad: true, 0, 1);

    public static ClassScale Coverage { get; } = new("coverage", [0.80, 0.95, 0.99, 0.999], HighIsBad: false, 0, 1);

    public static ClassScale Partners { get; } = new("partners", [2, 3, 4, 5], HighIsBad: true, 0, null);

    public static ClassScale DominantShare { get; } = new("dominant_share", [0.40, 0.60, 0.80, 0.95], HighIsBad: false, 0, 1);

    /// <summary>
    /// Distance to an operator's nearest site (spec §9), km: &lt; 5, 5–10, 10–20, 20–30, ≥ 30. Fixed bounds,
    /// the same on every operator's map; residents are coloured, not cells.
    /// </summary>
    public static ClassScale Distance { get; } = new("distance_km", [5, 10, 20, 30], HighIsBad: true, 0, null);

    /// <summary>
    /// Share of a cell's people beyond <c>beyondKm</c> of an operator's nearest site (spec §9): the misfit's bounds,
    /// as both read "the share of the people concerned".
    /// </summary>
    public static ClassScale BeyondShare { get; } = new("pop_beyond_share", [0.05, 0.15, 0.30, 0.50], HighIsBad: true, 0, 1);

    /// <summary>Every metric a map or the viewer can colour cells by, by its spec name (the viewer colours
    /// <c>dist_mean_km</c> with <see cref="Distance"/>).</summary>
    public static IReadOnlyDictionary<string, ClassScale> Scales { get; } =
        new[] { Misfit, Coverage, Partners, DominantShare, Distance, BeyondShare }.ToDictionary(s => s.Metric, StringComparer.Ordinal);

    /// <summary>Operator colours in study order (Okabe–Ito: distinguishable with colour-blindness).</summary>
    public static IReadOnlyList<string> OperatorColors { get; } = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];

    /// <summary>Operator line dashes in study order, in line-width units (empty: solid).</summary>
    public static IReadOnlyList<IReadOnlyList<float>> OperatorDashes { get; } = [[], [14, 6], [3, 5], [14, 5, 3, 5]];

    /// <summary>The outline of proposed perimeters (design, plan).</summary>
    public const string ProposalColor = "#d81b60";

    public static string OperatorColor(int operatorIndex) => OperatorColors[operatorIndex % OperatorColors.Count];

    public static IReadOnlyList<float> OperatorDash(int operatorIndex) => OperatorDashes[operatorIndex % OperatorDashes.Count];

    public static DefectStyle Gap { get; } = new("gap", "hatch", "#333333", "Zone blanche", "Gap");

    public static DefectStyle DoubleCoverage { get; } = new("double_coverage", "crosshatch", "#1f4ea8", "Double couverture", "Double coverage");

    public static DefectStyle Straddle { get; } = new("straddle", "outline", "#6a1b9a", "Zone à cheval", "Straddling zone");

    public static DefectStyle Outside { get; } = new("outside", "outline", "#777777", "Hors du territoire", "Outside the territory");

    public static IReadOnlyDictionary<string, DefectStyle> Defects { get; } =
        new[] { Gap, DoubleCoverage, Straddle, Outside }.ToDictionary(d => d.Kind, StringComparer.Ordinal);

    /// <summary>The glossary: spec name → the words a planner reads.</summary>
    public static IReadOnlyDictionary<string, Term> Words { get; } = new Dictionary<string, Term>(StringComparer.Ordinal)
    {
        ["cell"] = new("Territoire", "Coordination area"),
        ["cells"] = new("Territoires", "Coordination areas"),
        ["operator"] = new("Opérateur", "Operator network"),
        ["zone"] = new("Zone d'intervention", "Service area"),
        ["site"] = new("Lieu d'accueil", "Site"),
        ["coverage"] = new("Couverture", "Coverage"),
        ["pop_coverage"] = new("Couverture en population", "Coverage by population"),
        ["gap"] = new(Gap.Fr, Gap.En),
        ["double_coverage"] = new(DoubleCoverage.Fr, DoubleCoverage.En),
        ["straddle"] = new(Straddle.Fr, Straddle.En),
        ["outside"] = new(Outside.Fr, Outside.En),
        ["partners"] = new("Interlocuteurs", "Counterparts"),
        ["dominant_zone"] = new("Zone principale", "Main zone"),
        ["dominant_share"] = new("Part de la zone principale", "Main zone share"),
        ["nested"] = new("Incluse", "Nested"),
        ["coterminous"] = new("Mêmes limites", "Coterminous"),
        ["aligned"] = new("Aligné", "Aligned"),
        ["misfit"] = new("Désalignement", "Misfit"),
        ["pop_misfit"] = new("Désalignement en population", "Misfit by population"),
        ["alignment"] = new("Alignement", "Alignment"),
        ["pop_alignment"] = new("Alignement en population", "Alignment by population"),
        ["sliver"] = new("Micro-écart de tracé", "Sliver"),
        ["plan"] = new("Scénario de découpage", "Redistricting plan"),
        ["perimeter"] = new("Périmètre", "Perimeter"),
        ["moved_pop"] = new("Habitants qui changent de territoire", "People who change area"),
        ["sites"] = new("Lieux d'accueil", "Sites"),
        ["sites_per_100k"] = new("Lieux d'accueil pour 100 000 habitants", "Sites per 100,000 people"),
        ["dist_mean_km"] = new("Distance moyenne au lieu d'accueil le plus proche", "Mean distance to the nearest site"),
        ["dist_p90_km"] = new("Distance sous laquelle vivent 90 % des habitants", "Distance within which 90% of people live"),
        ["pop_beyond"] = new("Habitants à plus de N km", "People beyond N km"),
        ["pop_beyond_share"] = new("Part des habitants à plus de N km", "Share of people beyond N km"),
        ["distance_km"] = new("Distance à vol d'oiseau au lieu d'accueil le plus proche", "Straight-line distance to the nearest site"),
        ["no_data"] = new("Sans données", "No data"),
    };

    /// <summary>A word of the glossary in <paramref name="lang"/> (<c>fr</c> or <c>en</c>).</summary>
    public static string Word(string key, string lang) => Words[key].In(lang);
}
