using CepGeo.Core.Model;

namespace CepGeo.Core.Loading;

/// <summary>One row of a plan file (spec §8): this unit goes to this perimeter.</summary>
/// <param name="UnitId">The unit's code as written (text: leading zeros and 2A/2B kept).</param>
/// <param name="PerimeterId">The perimeter, or empty: the unit is left out of every perimeter.</param>
/// <param name="PerimeterName">The perimeter's name, or null when the file has no name column (or leaves it blank).</param>
/// <param name="Line">Line in the file, for messages.</param>
public sealed record PlanRow(string UnitId, string PerimeterId, string? PerimeterName, int Line);

/// <summary>
/// Reads a plan CSV: <c>unit_id, perimeter_id[, perimeter_name]</c>, <c>,</c> or <c>;</c>, UTF-8 with or
/// without a BOM, every value kept as text (see <see cref="CsvTable"/>). Only a file that cannot be read
/// is an error; what the rows say (unknown units, units listed twice) is checked against the study later.
/// </summary>
public static class PlanReader
{
    public const string UnitColumn = "unit_id", PerimeterColumn = "perimeter_id", NameColumn = "perimeter_name";

    public static IReadOnlyList<PlanRow> Read(Stream csv, string source)
    {
        var table = CsvTable.Read(csv, source);
        int unit = table.Column(UnitColumn, "plan column");
        int perimeter = table.Column(PerimeterColumn, "plan column");
        int? name = table.Header.Contains(NameColumn, StringComparer.OrdinalIgnoreCase)
            ? table.Column(NameColumn, "plan column") : null;
        var rows = new List<PlanRow>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            string u = row.Fields[unit];
            if (u.Length == 0)
                throw new CepGeoInputException(source, null, new Phrase($"ligne {row.Line} : pas de code d'unité dans \"{UnitColumn}\"", $"line {row.Line}: no unit code in \"{UnitColumn}\""));
            string? n = name is int i && row.Fields[i].Length > 0 ? row.Fields[i] : null;
            rows.Add(new PlanRow(u, row.Fields[perimeter], n, row.Line));
        }
        if (rows.Count == 0) throw new CepGeoInputException(source, null, new Phrase("le scénario a une ligne d'en-tête mais aucune ligne de données", "the plan has a header but no rows"));
        return rows;
    }
}
