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
            var before = DesignCommon.Analyse(parsed.GetValue(study)!);
            var d = Nest.Run(before, DesignCommon.OperatorKeys(before, parsed.GetValue(operators)));
            var n = d.Nest!;
            var console = context.Console;
            var sizes = n.Components.Select(c => c.Pop ?? c.AreaKm2).Order().ToList();
            string unit = before.HasWeights ? "people" : "km²";
            console.WriteLine($"{n.Components.Count} perimeters; size ({unit}) min {DesignCommon.F(sizes[0], "0")}, "
                + $"median {DesignCommon.F(sizes[sizes.Count / 2], "0")}, max {DesignCommon.F(sizes[^1], "0")}");
            console.WriteLine($"Largest perimeter: {DesignCommon.F(100 * n.LargestAreaShare, "0.0")} % of the area"
                + (n.LargestPopShare is double p ? $", {DesignCommon.F(100 * p, "0.0")} % of the population" : "")
                + $" ({n.Components[0].Cells.Count} cells, {n.Components[0].Zones.Count} zones)");
            if (n.DroppedZones.Count > 0)
                console.WriteLine($"Zones touching the territory only by slivers (left out): {string.Join(", ", n.DroppedZones)}");
            var glue = new Table().AddColumns("overlap holding the largest perimeter together", "area km²", "pop.", "parts if removed", "cells detached", "pop. detached");
            foreach (var g in n.Glue.Where(g => g.PartsAfter > 1).Take(10))
                glue.AddRow(Markup.Escape($"{g.LayerA}:{g.IdA} {g.NameA} × {g.LayerB}:{g.IdB} {g.NameB}"),
                    DesignCommon.F(g.AreaKm2, "0.0"), g.Pop is double gp ? DesignCommon.F(gp, "0") : "—", g.PartsAfter.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    g.DetachedCells.ToString(System.Globalization.CultureInfo.InvariantCulture), g.DetachedPop is double dp ? DesignCommon.F(dp, "0") : "—");
            if (n.Glue.Any(g => g.PartsAfter > 1)) console.Write(glue);
            else if (n.Glue.Count > 0) console.WriteLine("No single overlap splits the largest perimeter (see glue.csv for every edge).");
            return DesignCommon.Finish(context, d, parsed.GetValue(study)!, parsed.GetValue(output), parsed.GetValue(force));
        });
        return command;
    }
}
