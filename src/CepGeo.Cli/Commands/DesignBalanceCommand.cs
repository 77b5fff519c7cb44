using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Core.Model;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary>
/// <c>cepgeo design balance STUDY.json --count N [--min-pop P] [--operators …] [--units weights|KEY] [--unit-id FIELD]</c>:
/// N contiguous perimeters of whole units minimising the misfit against the chosen operators.
/// </summary>
internal static class DesignBalanceCommand
{
    /// <param name="cancellation">Cancels the run as Ctrl+C does (tests).</param>
    /// <param name="onProgress">Also told every progress report of the search (tests).</param>
    public static Command Create(CliContext context, CancellationToken cancellation = default, Action<BalanceProgress>? onProgress = null)
    {
        var study = DesignCommon.Study(context);
        var count = new Option<int>("--count", "-n") { Description = context.T("Nombre de périmètres", "How many perimeters"), Required = true };
        var minPop = new Option<double?>("--min-pop")
        {
            Description = context.T("Plancher de population de chaque périmètre (défaut : le quart de la population moyenne par périmètre ; 0 sans population)",
                "Population floor of every perimeter (default: a quarter of the mean population per perimeter; 0 without weights)"),
        };
        var operators = DesignCommon.Operators(context);
        var unitsOpt = new Option<string?>("--units")
        {
            Description = context.T("Construire à partir de 'weights' (les communes ; défaut avec population) ou d'une clé d'opérateur (défaut sans population : l'opérateur qui a le plus de zones)",
                "Build from 'weights' (the communes; default when the study has weights) or an operator key (default without weights: the operator with the most zones)"),
        };
        var unitId = new Option<string?>("--unit-id")
        {
            Description = context.T("Propriété des unités donnant leur identifiant dans moves.csv (ex. code) ; défaut : les identifiants de la couche",
                "Property of the unit layer holding its id in moves.csv (e.g. code); default: the layer's ids"),
        };
        var output = DesignCommon.Out(context);
        var force = DesignCommon.Force(context);
        var command = new Command("balance", context.T(
            "N périmètres d'un seul tenant, en communes ou zones entières, qui suivent au mieux les opérateurs choisis, sous un plancher de population",
            "N contiguous perimeters of whole communes or zones that fit the chosen operators best, under a population floor"))
        {
            study, count, minPop, operators, unitsOpt, unitId, output, force,
        };
        // The first Ctrl+C cancels cleanly (the search checks at every merge and move); a second one ends the process at once.
        command.SetAction(parsed => CtrlC.Run(context, cancellation,
            token => Run(context, parsed, token, onProgress, study, count, minPop, operators, unitsOpt, unitId, output, force)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parsed, CancellationToken cancel, Action<BalanceProgress>? onProgress,
        Argument<string> study, Option<int> count, Option<double?> minPop, Option<string?> operators, Option<string?> unitsOpt,
        Option<string?> unitId, Option<string?> output, Option<bool> force)
    {
        var before = DesignCommon.Analyse(context, parsed.GetValue(study)!, cancel);
        var keys = DesignCommon.OperatorKeys(before, parsed.GetValue(operators));
        string units = parsed.GetValue(unitsOpt)
            ?? (before.HasWeights ? "weights" : before.Infos.Skip(1).MaxBy(i => i.Ids.Count)!.Key);
        int layer;
        IReadOnlyList<string> ids, names;
        if (units == "weights")
        {
            if (!before.HasWeights) throw new CepGeoInputException("--units", null, new Phrase("l'étude n'a pas de couche de population (weights)", "the study has no weights layer"));
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
        int n = parsed.GetValue(count);
        double floor = parsed.GetValue(minPop) ?? DefaultFloor(before, n);
        if (parsed.GetValue(minPop) is null && floor > 0)
            context.Console.WriteLine(context.T(
                $"Plancher de population : {context.Text.Int((long)floor)} habitants par périmètre (le quart de la moyenne, {context.Text.Int((long)(4 * floor))} ; --min-pop pour le changer)",
                $"Population floor: {context.Text.Int((long)floor)} people a perimeter (a quarter of the mean, {context.Text.Int((long)(4 * floor))}; --min-pop changes it)"));
        var d = context.Busy(context.T($"équilibrage : {context.Text.Count(n, "périmètre", "perimeter")} à partir de {context.Text.Count(ids.Count, "unité", "unit")}…",
            $"balancing: {context.Text.Count(n, "périmètre", "perimeter")} from {context.Text.Count(ids.Count, "unité", "unit")}…"), status =>
            Balance.Run(before, n, floor, keys, layer, units == "weights" ? "communes" : units, ids, names,
                new Reported(p =>
                {
                    status(ProgressLine(context.Text, p));
                    onProgress?.Invoke(p);
                }), cancel));
        cancel.ThrowIfCancellationRequested();
        int code = DesignCommon.Finish(context, d, parsed.GetValue(study)!, parsed.GetValue(output), parsed.GetValue(force));
        // The method aims for the floor but cannot always reach it (contiguity): say so rather than imply it.
        if (d.Before.HasWeights && floor > 0)
        {
            var below = d.Changes.GroupBy(c => c.PerimeterId).Select(g => (Id: g.Key, Pop: g.First().PopAfter ?? 0)).Where(p => p.Pop < floor).ToList();
            if (below.Count > 0)
                context.Console.MarkupLine("[yellow]" + Markup.Escape(context.T(
                    $"Attention : {context.Text.Count(below.Count, "périmètre reste", "perimeter", "périmètres restent")} sous le plancher : "
                        + string.Join(", ", below.Select(b => $"{b.Id} ({context.Text.Int((long)b.Pop)})")),
                    $"Warning: {context.Text.Count(below.Count, "", "perimeter")} below the floor: "
                        + string.Join(", ", below.Select(b => $"{b.Id} ({context.Text.Int((long)b.Pop)})")))) + "[/]");
        }
        return code;
    }

    /// <summary>The spinner's words for a progress report: which start, which stage, how far.</summary>
    public static string ProgressLine(ConsoleText t, BalanceProgress p)
    {
        string start = p.Starts < 2 ? ""
            : p.Start == BalanceStart.Units
                ? t.T("départ 1/2, chaque unité seule — ", "start 1/2, every unit alone — ")
                : t.T("départ 2/2, les territoires actuels — ", "start 2/2, the current cells — ");
        return start + p.Stage switch
        {
            BalanceStage.Merge => t.T($"fusions : il reste {t.Count(p.Perimeters, "périmètre", "perimeter")} (cible {t.Int(p.Target)})…",
                $"merging: {t.Count(p.Perimeters, "périmètre", "perimeter")} left (target {t.Int(p.Target)})…"),
            BalanceStage.Repair => t.T($"plancher de population : {t.Count(p.Moves, "unité déplacée", "unit moved", "unités déplacées", "units moved")}…",
                $"population floor: {t.Count(p.Moves, "unité déplacée", "unit moved", "unités déplacées", "units moved")}…"),
            BalanceStage.Improve => t.T($"déplacements en bordure : passe {t.Int(p.Pass)}, {t.Count(p.Moves, "unité déplacée", "unit moved", "unités déplacées", "units moved")}…",
                $"boundary moves: pass {t.Int(p.Pass)}, {t.Count(p.Moves, "unité déplacée", "unit moved", "unités déplacées", "units moved")}…"),
            BalanceStage.Measure => t.T("mesure exacte de la proposition…", "measuring the proposal exactly…"),
            _ => t.T("dessin des périmètres retenus…", "drawing the kept perimeters…"),
        };
    }

    /// <summary>Progress told on the searching thread, in order (<see cref="Progress{T}"/> would post it elsewhere, late).</summary>
    private sealed class Reported(Action<BalanceProgress> report) : IProgress<BalanceProgress>
    {
        public void Report(BalanceProgress value) => report(value);
    }

    /// <summary>
    /// Without --min-pop: a quarter of the mean population a perimeter (total ÷ count ÷ 4), rounded down; 0 without
    /// weights. Without a floor, PACA's 22 perimeters ran from 5 348 to 2.09 million people (issue 25).
    /// </summary>
    public static double DefaultFloor(Core.Metrics.AnalysisResult before, int count)
    {
        if (before.FacePop is not { } pop || count <= 0) return 0;
        return Math.Floor(pop.Sum() / count / 4);
    }

    private static string Attribute(Feature f, string field) =>
        f.Attributes.TryGetValue(field, out var v) && v is not null
            ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? f.Id
            : throw new CepGeoInputException("--unit-id", f.Id, new Core.Model.Phrase($"pas de propriété \"{field}\" dans la couche de pondération",
                $"no \"{field}\" property in the weights layer"));
}
