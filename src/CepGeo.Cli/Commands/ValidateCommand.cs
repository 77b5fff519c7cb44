using System.CommandLine;
using CepGeo.Core.Pipeline;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo validate STUDY.json [--json]</c>: can this study be analysed? Exit 0 when yes, 2 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var study = new Argument<string>("study") { Description = context.T("Le fichier d'étude (study.json)", "The study file (study.json)") };
        var json = new Option<bool>("--json") { Description = context.T("JSON lisible par un programme au lieu des tableaux", "Machine-readable JSON instead of tables") };
        var command = new Command("validate", context.T(
            "Charger chaque couche d'une étude et en rendre compte ; code 0 si elle peut être analysée, 2 sinon",
            "Load every layer of a study and report on each; exit 0 when it can be analysed, 2 otherwise"))
        {
            study, json,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(study)!, parsed.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string studyPath, bool json)
    {
        // Any problem that stops the analysis is a CepGeoInputException: exit 2 with its message.
        var study = StudyFiles.Read(studyPath);
        var layers = InspectAll(study);
        if (!json) EncodingNotes.Print(context, study.Notes);

        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = InspectionOutput.JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("study", study.Name);
                w.WriteBoolean("ok", true);
                w.WriteStartObject("layers");
                foreach (var (role, r) in layers)
                {
                    w.WritePropertyName(role);
                    InspectionOutput.WriteJson(w, r);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            context.Output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            foreach (var (role, r) in layers)
                InspectionOutput.WriteHuman(context.Console, context.Text, $"{RoleName(context.Text, role)} : {r.Source}", r);
            context.Console.MarkupLine($"[green]✓[/] " + Markup.Escape(context.T($"{study.Name} peut être analysée.", $"{study.Name} can be analysed.")));
        }
        return 0;
    }

    /// <summary>Loads and inspects every layer of a study; any problem that stops the analysis is thrown.</summary>
    public static List<(string Role, LayerInspection Inspection)> InspectAll(Core.Model.Study study)
    {
        var layers = new List<(string Role, LayerInspection Inspection)>
        {
            ("cells", LayerInspector.Inspect(StudyFiles.LoadLayer(study.Cells), study.Tolerances, study.Crs)),
        };
        foreach (var op in study.Operators)
            layers.Add((op.Key, LayerInspector.Inspect(StudyFiles.LoadLayer(op), study.Tolerances, study.Crs)));
        if (study.Weights is not null)
        {
            var weights = StudyFiles.LoadWeights(study.Weights);
            // The count field analyze reads: present and a non-negative number on every feature.
            Core.Pipeline.Analysis.WeightValues(weights, study.Weights);
            layers.Add(("weights", LayerInspector.Inspect(weights, study.Tolerances, study.Crs)));
        }
        // Each operator's sites are read as analyze reads them (columns, ids, coordinates); a site placed by commune
        // code is matched to its commune by analyze.
        foreach (var op in study.SiteOperators)
            StudyFiles.LoadSites(op.Sites!);
        return layers;
    }

    private static string RoleName(ConsoleText text, string role) => role switch
    {
        "cells" => text.T("territoires", "cells"),
        "weights" => text.T("population", "weights"),
        _ => text.T($"opérateur {role}", $"operator {role}"),
    };
}
