using CepGeo.Core.Metrics;
using CepGeo.Core.Pipeline;

namespace CepGeo.Core.Reporting;

/// <summary>
/// The result tables as the typed exports (results.xlsx, results.gpkg, PostGIS) carry them: the
/// three tables of spec §6 with the columns of <see cref="CsvTables"/>, the per-operator summary as a
/// table, and the French heading of every column (glossary words) for the people who read them.
/// </summary>
public static class ResultTables
{
    /// <summary>One table: the spec's column names (files and databases), their types, and the rows.</summary>
    public sealed record Table(string Name, string[] Columns, ColumnType[] Types, IEnumerable<object?[]> Rows);

    public static readonly string[] SummaryColumns =
    [
        "cell_layer", "operator", "label", "zones", "zones_nested_pct", "cells_coterminous_pct", "cells_aligned_pct",
        "partners_mean", "partners_max", "gap_km2", "pop_gap", "double_km2", "pop_double", "alignment", "pop_alignment",
    ];

    public static readonly ColumnType[] SummaryTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Text, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Real,
        ColumnType.Real, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real, ColumnType.Real,
    ];

    /// <summary>Every comparison: the cells against each operator, then each operator against another.</summary>
    public static IEnumerable<Comparison> AllComparisons(AnalysisResult r) => r.Comparisons.Concat(r.OperatorPairs);

    public static Table Summary(AnalysisResult r) => new("summary", SummaryColumns, SummaryTypes, AllComparisons(r).Select(c =>
    {
        var s = c.Summary;
        string? label = c.CellLayer == "cells" ? r.Infos.FirstOrDefault(i => i.Key == c.Operator)?.Label : null;
        return new object?[]
        {
            s.CellLayer, s.Operator, label, s.Zones, s.ZonesNestedPct, s.CellsCoterminousPct, s.CellsAlignedPct,
            s.PartnersMean, s.PartnersMax, s.GapKm2, s.PopGap, s.DoubleKm2, s.PopDouble, s.Alignment, s.PopAlignment,
        };
    }));

    public static Table Pairs(AnalysisResult r) =>
        new("pairs", CsvTables.PairColumns, CsvTables.PairTypes, AllComparisons(r).SelectMany(c => c.Pairs).Select(CsvTables.PairValues));

    public static Table Cells(AnalysisResult r) =>
        new("cells", CsvTables.CellColumns, CsvTables.CellTypes, AllComparisons(r).SelectMany(c => c.Cells).Select(CsvTables.CellValues));

    public static Table Zones(AnalysisResult r) =>
        new("zones", CsvTables.ZoneColumns, CsvTables.ZoneTypes, AllComparisons(r).SelectMany(c => c.Zones).Select(CsvTables.ZoneValues));

    /// <summary>The type of a <c>{key}_{metric}</c> column of the cells layer (its metric's type in cells.csv).</summary>
    public static ColumnType CellMetricType(string metric)
    {
        int i = Array.IndexOf(CsvTables.CellColumns, metric);
        return i >= 0 ? CsvTables.CellTypes[i] : ColumnType.Real;
    }

    /// <summary>The French heading of a column of table <paramref name="table"/> (glossary words).</summary>
    public static string FrenchHeading(string table, string column) =>
        (table, column) switch
        {
            ("zones", "nested") => "incluse",
            ("zones", "cells") => "territoires",
            ("summary", "zones") => "zones d'intervention",
            ("summary", "label") => "réseau",
            _ => FrenchWords.TryGetValue(column, out var w) ? w : column,
        };

    private static readonly Dictionary<string, string> FrenchWords = new(StringComparer.Ordinal)
    {
        ["cell_layer"] = "couche des territoires",
        ["cell_id"] = "territoire (code)",
        ["cell_name"] = "territoire",
        ["operator"] = "opérateur",
        ["zone_id"] = "zone d'intervention (code)",
        ["zone_name"] = "zone d'intervention",
        ["area_km2"] = "surface (km²)",
        ["pop"] = "population",
        ["share_of_cell"] = "part du territoire",
        ["share_of_zone"] = "part de la zone",
        ["pop_share_of_cell"] = "part du territoire en population",
        ["pop_share_of_zone"] = "part de la zone en population",
        ["significant"] = "significative",
        ["coverage"] = "couverture",
        ["pop_coverage"] = "couverture en population",
        ["gap_km2"] = "zone blanche (km²)",
        ["pop_gap"] = "zone blanche en population",
        ["double_km2"] = "double couverture (km²)",
        ["pop_double"] = "double couverture en population",
        ["partners"] = "interlocuteurs",
        ["dominant_zone"] = "zone principale",
        ["dominant_share"] = "part de la zone principale",
        ["nested"] = "zones incluses",
        ["straddling"] = "zones à cheval",
        ["misfit"] = "désalignement",
        ["pop_misfit"] = "désalignement en population",
        ["coterminous"] = "mêmes limites",
        ["aligned"] = "aligné",
        ["main_cell"] = "territoire principal",
        ["main_share"] = "part dans le territoire principal",
        ["outside_km2"] = "hors du territoire étudié (km²)",
        ["zones_nested_pct"] = "zones incluses (%)",
        ["cells_coterminous_pct"] = "territoires aux mêmes limites (%)",
        ["cells_aligned_pct"] = "territoires alignés (%)",
        ["partners_mean"] = "interlocuteurs (moyenne)",
        ["partners_max"] = "interlocuteurs (maximum)",
        ["alignment"] = "alignement",
        ["pop_alignment"] = "alignement en population",
    };
}
