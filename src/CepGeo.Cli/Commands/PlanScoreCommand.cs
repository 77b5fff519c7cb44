using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Core.Pipeline;
using CepGeo.Core.Reporting;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo plan score STUDY.json --plan plan.csv [--out DIR]</c>: a plan's perimeters scored as <c>analyze</c>
/// scores cells, with analyze's files and perimeters.csv.
/// </summary>
internal static class PlanScoreCommand
{
    public static Command Create(CliContext context)
    {
        var study = DesignCommon.Study(context);
        var planOpt = new Option<string>("--plan", "-p") { Description = context.T("Le scénario : CSV unit_id, perimeter_id[, perimeter_name] (« , » ou « ; »)", "The plan: CSV unit_id, perimeter_id[, perimeter_name] (',' or ';')"), Required = true };
        var output = new Option<string?>("--out", "-o") { Description = context.T("Dossier de sortie (défaut : out/plan-<nom du fichier>)", "Output folder (default: out/plan-<plan file name>)") };
        var force = DesignCommon.Force(context);
        var unitId = PlanCommon.UnitId(context);
        var command = new Command("score", context.T("Évaluer un scénario de découpage (communes → périmètres) face à chaque réseau, comme analyze évalue les territoires", "Score a plan (communes → perimeters) against every operator, as analyze scores cells"))
        {
            study, planOpt, output, force, unitId,
        };
        command.SetAction(parsed =>
        {
            bool en = !context.Text.French;
            string planPath = parsed.GetValue(planOpt)!;
            var (today, units) = PlanCommon.Load(parsed.GetValue(study)!, parsed.GetValue(unitId));
            var (plan, check) = PlanCommon.Read(today, units, planPath);
            string outDir = parsed.GetValue(output) ?? Path.Combine("out", "plan-" + Path.GetFileNameWithoutExtension(planPath));
            using var folder = OutputFolder.Open(outDir, parsed.GetValue(force), StudyFiles.InputFiles(today.Study).Append(Path.GetFullPath(planPath)));
            var result = PlanScore.Score(today, units, plan);
            // Spec §9 on the plan's perimeters (the sites and distances are today's; the sums are per perimeter).
            var design = result.Design;
            result = result with { Design = design with { After = design.After with { SiteComparisons = SitesStep.Remeasure(design.After, today) } } };
            var exportFiles = ExportFiles.WriteBeside(result.After, folder, CliApp.Version,
                () => PlanOutputs.WriteAll(result, folder.Create, CliApp.Version), [PlanOutputs.Table(result.Perimeters)]);
            string target = folder.Commit();
            Print(context, result, check, en);
            context.Console.WriteLine(en ? "Outputs:" : "Fichiers écrits :");
            foreach (var name in PlanOutputs.FileNames().Concat(exportFiles))
                context.Console.WriteLine("  " + Path.Combine(target, name));
            return 0;
        });
        return command;
    }

    private static void Print(CliContext context, PlanResult r, PlanCheck check, bool en)
    {
        var console = context.Console;
        var today = r.Design.Before;
        console.MarkupLine($"[bold]{Markup.Escape(today.Study.Name)}[/]");
        console.WriteLine(en
            ? $"Plan: {r.Perimeters.Count} perimeters from {check.Rows} rows (today: {today.Cells.Features.Count} cells)"
            : $"Scénario de découpage : {r.Perimeters.Count} périmètres, {check.Rows} lignes (aujourd'hui : {today.Cells.Features.Count} territoires)");
        foreach (var line in PlanCommon.CheckLines(check, en)) console.MarkupLine($"[yellow]{Markup.Escape(line)}[/]");
        var split = r.Perimeters.Where(p => !p.Contiguous).ToList();
        if (split.Count > 0)
            console.MarkupLine($"[yellow]{Markup.Escape((en ? "Not contiguous: " : "Périmètres en plusieurs morceaux : ") + string.Join(", ", split.Select(p => $"{p.PerimeterName} ({p.Parts})")))}[/]");
        double moved = r.Perimeters.Sum(p => p.MovedPop ?? 0), movedA = r.Perimeters.Sum(p => p.MovedKm2);
        console.WriteLine(today.HasWeights
            ? (en ? $"People who change area: {PlanCommon.F(moved, "#,##0", en)} ({PlanCommon.F(movedA, "#,##0.0", en)} km²)"
                  : $"Habitants qui changent de territoire : {PlanCommon.F(moved, "#,##0", en)} ({PlanCommon.F(movedA, "#,##0.0", en)} km²)")
            : $"{PlanCommon.F(movedA, "#,##0.0", en)} km²");
        var table = new Table().AddColumns(en ? "operator" : "réseau", en ? "alignment today → plan" : "alignement aujourd'hui → scénario",
            en ? "by population" : "en population", en ? "mean counterparts" : "interlocuteurs (moyenne)");
        foreach (var t in r.Design.Totals)
            table.AddRow(Markup.Escape(today.Infos.First(i => i.Key == t.Operator).Label),
                $"{PlanCommon.F(t.AlignmentBefore, "0.000", en)} → {PlanCommon.F(t.AlignmentAfter, "0.000", en)}",
                t.PopAlignmentBefore is double pb && t.PopAlignmentAfter is double pa ? $"{PlanCommon.F(pb, "0.000", en)} → {PlanCommon.F(pa, "0.000", en)}" : "—",
                $"{PlanCommon.F(t.PartnersMeanBefore, "0.00", en)} → {PlanCommon.F(t.PartnersMeanAfter, "0.00", en)}");
        console.Write(table);
    }
}
