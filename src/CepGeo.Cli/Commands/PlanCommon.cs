using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Core.Loading;
using CepGeo.Core.Model;
using CepGeo.Core.Metrics;
using CepGeo.Core.Rendering;

namespace CepGeo.Cli.Commands;

/// <summary>What the <c>plan</c> commands (and <c>view --plan</c>) share: the study's analysis, its units, reading a plan file.</summary>
internal static class PlanCommon
{
    public static Option<string?> UnitId(CliContext context) => new("--unit-id")
    {
        Description = context.T("Propriété de la couche des poids portant le code de l'unité (commune) (défaut : code quand chaque commune en a un, sinon les identifiants de la couche)",
            "Property of the weights layer holding the unit (commune) code (default: code when every commune has one, else the layer's ids)"),
    };

    /// <summary>Today's analysis and the units a plan assigns.</summary>
    public static (AnalysisResult Today, PlanUnits Units) Load(string studyPath, string? unitId)
    {
        var today = DesignCommon.Analyse(studyPath);
        return (today, PlanUnits.From(today, unitId));
    }

    /// <summary>Reads a plan file; an unreadable file is an input error naming it.</summary>
    public static (Plan Plan, PlanCheck Check) Read(AnalysisResult today, PlanUnits units, string path)
    {
        if (!File.Exists(path)) throw new CepGeoInputException(path, null, new Phrase("fichier de scénario introuvable", "plan file not found"));
        IReadOnlyList<PlanRow> rows;
        using (var s = File.OpenRead(path)) rows = PlanReader.Read(s, Path.GetFileName(path));
        var (plan, check) = Plans.FromRows(today, units, rows);
        if (plan.PerimeterIds.Count == 0)
            throw new CepGeoInputException(Path.GetFileName(path), null, new Phrase(
                $"aucune ligne n'affecte une unité de l'étude à un périmètre ({check.Unmatched.Count} identifiants d'unité sur {rows.Count} ne correspondent à aucune commune de \"{units.IdField ?? "id"}\")",
                $"no row assigns a unit of the study to a perimeter ({check.Unmatched.Count} of {rows.Count} unit ids match no commune of \"{units.IdField ?? "id"}\")"));
        return (plan, check);
    }

    /// <summary>The check's findings, one line each (French first).</summary>
    public static IEnumerable<string> CheckLines(PlanCheck check, bool en)
    {
        if (check.Unmatched.Count > 0)
            yield return (en ? $"{check.Unmatched.Count} unit ids match no commune (left out): " : $"{check.Unmatched.Count} codes ne correspondent à aucune commune (ignorés) : ")
                + Few(check.Unmatched.Select(r => $"{r.UnitId} ({(en ? "line" : "ligne")} {r.Line})"));
        if (check.ListedTwice.Count > 0)
            yield return (en ? $"{check.ListedTwice.Count} communes listed twice (first row kept): " : $"{check.ListedTwice.Count} communes listées deux fois (première ligne retenue) : ")
                + Few(check.ListedTwice.Select(r => $"{r.UnitId} ({(en ? "line" : "ligne")} {r.Line})"));
        if (check.Unassigned.Count > 0)
            yield return (en ? $"{check.Unassigned.Count} communes in no perimeter: " : $"{check.Unassigned.Count} communes hors de tout périmètre : ")
                + Few(check.Unassigned);
    }

    private static string Few(IEnumerable<string> items)
    {
        var list = items.Take(6).ToList();
        return string.Join(", ", list.Take(5)) + (list.Count > 5 ? ", …" : "");
    }

    /// <summary>A number as the reader writes it (the maps' one definition: decimal comma, thin-space groups in French).</summary>
    public static string F(double v, string format, bool en) => (en ? MapText.En : MapText.Fr).N(v, format);
}
