using System.CommandLine;
using CepGeo.Core.Design;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo design snap STUDY.json --to KEY [--out DIR]</c>: the cells redrawn as unions of whole zones of one operator.</summary>
internal static class DesignSnapCommand
{
    public static Command Create(CliContext context)
    {
        var study = DesignCommon.Study(context);
        var to = new Option<string>("--to") { Description = context.T("L'opérateur dont les zones composent les territoires", "The operator whose zones the cells are made of"), Required = true };
        var output = DesignCommon.Out(context);
        var force = DesignCommon.Force(context);
        var command = new Command("snap", context.T(
            "Redessiner les territoires en zones entières d'un opérateur (chaque zone au territoire qui a le plus de ses habitants)",
            "Redraw the cells as unions of whole zones of one operator (each zone to the cell holding most of its population)"))
        {
            study, to, output, force,
        };
        command.SetAction(parsed =>
        {
            var before = DesignCommon.Analyse(context, parsed.GetValue(study)!);
            var d = Snap.Run(before, parsed.GetValue(to)!);
            return DesignCommon.Finish(context, d, parsed.GetValue(study)!, parsed.GetValue(output), parsed.GetValue(force));
        });
        return command;
    }
}
