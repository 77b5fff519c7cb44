using System.CommandLine;
using CepGeo.Core.Design;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo design nest STUDY.json [--operators ml,pe] [--out DIR]</c>: the finest perimeters in which cells and operators nest.</summary>
internal static class DesignNestCommand
{
    public static Command Create(CliContext context)
    {
        var study = DesignCommon.Study(context);
        var operators = DesignCommon.Operators(context);
        var output = DesignCommon.Out(context);
        var force = DesignCommon.Force(context);
        var command = new Command("nest", context.T(
            "Les plus petits périmètres où territoires et opérateurs choisis s'emboîtent tous (composantes des chevauchements significatifs)",
            "The finest perimeters in which the cells and the chosen operators all nest (components of significant overlaps)"))
        {
            study, operators, output, force,
        };
        command.SetAction(parsed =>
        {
            var before = DesignCommon.Analyse(context, parsed.GetValue(study)!);
            var d = Nest.Run(before, DesignCommon.OperatorKeys(before, parsed.GetValue(operators)));
            var n = d.Nest!;
            var console = context.Console;
            var sizes = n.Components.Select(c => c.Pop ?? c.AreaKm2).Order().ToList();
            var t = context.Text;
            string unit = before.HasWeights ? t.T("habitants", "people") : "km²";
            console.WriteLine(t.T(
                $"{t.Count(n.Components.Count, "périmètre", "perimeter")} ; taille ({unit}) min {t.Int((long)sizes[0])}, médiane {t.Int((long)sizes[sizes.Count / 2])}, max {t.Int((long)sizes[^1])}",
                $"{t.Count(n.Components.Count, "périmètre", "perimeter")}; size ({unit}) min {t.Int((long)sizes[0])}, median {t.Int((long)sizes[sizes.Count / 2])}, max {t.Int((long)sizes[^1])}"));
            console.WriteLine(t.T(
                $"Plus grand périmètre : {t.N(100 * n.LargestAreaShare, "0.0")} % de la surface"
                    + (n.LargestPopShare is double pf ? $", {t.N(100 * pf, "0.0")} % de la population" : "")
                    + $" ({t.Count(n.Components[0].Cells.Count, "territoire", "cell")}, {t.Count(n.Components[0].Zones.Count, "zone", "zone")})",
                $"Largest perimeter: {t.N(100 * n.LargestAreaShare, "0.0")} % of the area"
                    + (n.LargestPopShare is double p ? $", {t.N(100 * p, "0.0")} % of the population" : "")
                    + $" ({t.Count(n.Components[0].Cells.Count, "territoire", "cell")}, {t.Count(n.Components[0].Zones.Count, "zone", "zone")})"));
            if (n.DroppedZones.Count > 0)
                console.WriteLine(t.T("Zones qui ne touchent le territoire que par des micro-écarts de tracé (laissées de côté) : ",
                    "Zones touching the territory only by slivers (left out): ") + string.Join(", ", n.DroppedZones));
            var glue = new Table().AddColumns(t.T("chevauchement qui tient le plus grand périmètre", "overlap holding the largest perimeter together"),
                t.T("surface km²", "area km²"), "pop.", t.T("parties sans lui", "parts if removed"), t.T("territoires détachés", "cells detached"),
                t.T("pop. détachée", "pop. detached"));
            foreach (var g in n.Glue.Where(g => g.PartsAfter > 1).Take(10))
                glue.AddRow(Markup.Escape($"{g.LayerA}:{g.IdA} {g.NameA} × {g.LayerB}:{g.IdB} {g.NameB}"),
                    t.N(g.AreaKm2, "#,0.0"), g.Pop is double gp ? t.Int((long)Math.Round(gp)) : "—", t.Int(g.PartsAfter),
                    t.Int(g.DetachedCells), g.DetachedPop is double dp ? t.Int((long)Math.Round(dp)) : "—");
            if (n.Glue.Any(g => g.PartsAfter > 1)) console.Write(glue);
            else if (n.Glue.Count > 0) console.WriteLine(t.T("Aucun chevauchement seul ne coupe le plus grand périmètre (glue.csv les liste tous).",
                "No single overlap splits the largest perimeter (see glue.csv for every edge)."));
            return DesignCommon.Finish(context, d, parsed.GetValue(study)!, parsed.GetValue(output), parsed.GetValue(force));
        });
        return command;
    }
}
