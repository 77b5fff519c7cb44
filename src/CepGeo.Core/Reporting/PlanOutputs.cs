using CepGeo.Core.Design;

namespace CepGeo.Core.Reporting;

/// <summary>
/// What <c>plan score</c> writes: the files of <c>analyze</c> with the plan's perimeters as the cells
/// (cells.csv, pairs.csv, zones.csv, summary.json, cells.geojson, gaps.geojson), plus perimeters.csv (spec §8).
/// </summary>
public static class PlanOutputs
{
    public static readonly string[] PerimeterColumns =
    [
        "perimeter_id", "perimeter_name", "units", "area_km2", "pop", "contiguous", "parts", "today_cell", "moved_km2", "moved_pop",
    ];

    public static readonly ColumnType[] PerimeterTypes =
    [
        ColumnType.Text, ColumnType.Text, ColumnType.Integer, ColumnType.Real, ColumnType.Real, ColumnType.Boolean, ColumnType.Integer,
        ColumnType.Text, ColumnType.Real, ColumnType.Real,
    ];

    /// <summary>perimeters.csv as a typed table (results.gpkg's <c>perimeters</c>, results.xlsx's Plan sheet).</summary>
    public static ResultTables.Table Table(IEnumerable<PerimeterRow> rows) => new("perimeters", PerimeterColumns, PerimeterTypes, rows.Select(Values));

    private static object?[] Values(PerimeterRow r) =>
        [r.PerimeterId, r.PerimeterName, r.Units, r.AreaKm2, r.Pop, r.Contiguous, r.Parts, r.TodayCell, r.MovedKm2, r.MovedPop];

    public static IReadOnlyList<string> FileNames() => [.. AnalysisOutputs.FileNames(), "perimeters.csv"];

    public static void WriteAll(PlanResult plan, Func<string, Stream> create, string version)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(create);
        AnalysisOutputs.WriteAll(plan.After, create, version);
        using var s = create("perimeters.csv");
        WritePerimeters(s, plan.Perimeters);
    }

    public static void WritePerimeters(Stream s, IEnumerable<PerimeterRow> rows) =>
        CsvTables.Write(s, PerimeterColumns, rows.Select(Values));
}
