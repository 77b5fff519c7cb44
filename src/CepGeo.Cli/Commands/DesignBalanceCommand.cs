using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Core.Model;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo design balance STUDY.json --count N [--min-pop P] [--operators …] [--units weights|KEY] [--unit-id FIELD]</c>:
/// N contiguous perimeters of whole units minimising the misfit against the chosen operators.
/// </summary>
internal static class DesignBalanceCommand
{
    public static Command Create(CliContext context)
    {
        var study = DesignCommon.Study();
        var count = new Option<int>("--count", "-n") { Description = "How many perimeters", Required = true };
        var minPop = new Option<double>("--min-pop") { Description = "Population floor of every perimeter (default 0)" };
        var operators = DesignCommon.Operators();
        var unitsOpt = new Option<string?>("--units") { Description = "Build from 'weights' (the communes; default when the study has weights) or an operator key (default without weights: the operator with the most zones)" };
        var unitId = new Option<string?>("--unit-id") { Description = "Property of the unit layer holding its id in moves.csv (e.g. code); default: the layer's ids" };
        var output = DesignCommon.Out();
        var force = DesignCommon.Force();
        var command = new Command("balance", "N contiguous perimeters of whole communes or zones that fit the chosen operators best, under a population floor")
        {
            study, count, minPop, operators, unitsOpt, unitId, output, force,
        };
        command.SetAction(parsed =>
        {
            var before = DesignCommon.Analyse(parsed.GetValue(study)!);
            var keys = DesignCommon.OperatorKeys(before, parsed.GetValue(operators));
            string units = parsed.GetValue(unitsOpt)
                ?? (before.HasWeights ? "weights" : before.Infos.Skip(1).MaxBy(i => i.Ids.Count)!.Key);
            int layer;
            IReadOnlyList<string> ids, names;
            if (units == "weights")
            {
                if (!before.HasWeights) throw new CepGeoInputException("--units", null, "the study has no weights layer");
                layer = before.Layers.Count - 1;
                var features = before.Layers[layer].Features;
                string? field = parsed.GetValue(unitId);
                ids = features.Select(f => field is null ? f.Id : Attribute(f, field)).ToList();
                names = features.Select(f => field is not null && f.Attributes.TryGetValue("nom", out var nom) && nom is string s ? s : f.Name).ToList();
            }
            else
            {
                layer = Snap.OperatorLayer(before, units);
                ids = before.Infos[layer].Ids;
                names = before.Infos[layer].Names;
            }
            var d = Balance.Run(before, parsed.GetValue(count), parsed.GetValue(minPop), keys, layer,
                units == "weights" ? "communes" : units, ids, names);
            return DesignCommon.Finish(context, d, parsed.GetValue(output), parsed.GetValue(force));
        });
        return command;
    }

    private static string Attribute(Feature f, string field) =>
        f.Attributes.TryGetValue(field, out var v) && v is not null
            ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? f.Id
            : throw new CepGeoInputException("--unit-id", f.Id, $"no \"{field}\" property in the weights layer");
}
