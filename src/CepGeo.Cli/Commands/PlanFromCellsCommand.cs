using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Core.Model;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo plan from-cells STUDY.json [--out plan.csv]</c>: today's cells as a plan, the starting point of a new one.</summary>
internal static class PlanFromCellsCommand
{
    public static Command Create(CliContext context)
    {
        var study = DesignCommon.Study(context);
        var output = new Option<string>("--out", "-o") { Description = context.T("Le fichier de scénario à écrire", "The plan file to write"), DefaultValueFactory = _ => "plan.csv" };
        var force = new Option<bool>("--force") { Description = context.T("Remplacer le fichier de scénario s'il existe", "Replace the plan file if it exists") };
        var unitId = PlanCommon.UnitId(context);
        var command = new Command("from-cells", context.T("Écrire les territoires d'aujourd'hui comme scénario : chaque commune au territoire qui en couvre le plus", "Write today's cells as a plan: each commune to the cell holding most of its area"))
        {
            study, output, force, unitId,
        };
        command.SetAction(parsed =>
        {
            bool en = !context.Text.French;
            string path = parsed.GetValue(output)!;
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full)) throw new CepGeoInputException(path, null, new Phrase("est un dossier ; --out nomme le fichier de scénario à écrire", "is a folder; --out names the plan file to write"));
            if (File.Exists(full) && !parsed.GetValue(force))
                throw new CepGeoInputException(path, null, new Phrase("existe déjà ; choisissez un autre --out ou ajoutez --force pour le remplacer", "exists already; choose another --out or add --force to replace it"));
            var (today, units) = PlanCommon.Load(parsed.GetValue(study)!, parsed.GetValue(unitId));
            var plan = Plans.FromCells(today, units);
            // Written beside the target and moved into place: a failure leaves the old file as it was.
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                using (var s = new FileStream(temp, FileMode.CreateNew)) Plans.WriteCsv(s, units, plan);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
            int assigned = plan.UnitPerimeter.Count(p => p >= 0);
            context.Console.WriteLine(en
                ? $"{assigned} communes in {plan.PerimeterIds.Count} perimeters (today's cells); {units.Count - assigned} left out (mostly outside the cells): {full}"
                : $"{assigned} communes dans {plan.PerimeterIds.Count} périmètres (les territoires d'aujourd'hui) ; {units.Count - assigned} hors territoire : {full}");
            return 0;
        });
        return command;
    }
}
