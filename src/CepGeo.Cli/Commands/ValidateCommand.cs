using System.CommandLine;
using CepGeo.Core.Pipeline;
using Spectre.Console;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo validate STUDY.json [--json]</c>: can this study be analysed? Exit 0 when yes, 2 otherwise.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var study = new Argument<string>("study") { Description = "The study file (study.json)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON instead of tables" };
        var command = new Command("validate", "Load every layer of a study and report on each; exit 0 when it can be analysed, 2 otherwise")
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
        var layers = new List<(string Role, LayerInspection Inspection)>
        {
            ("cells", LayerInspector.Inspect(StudyFiles.LoadLayer(study.Cells), study.Tolerances, study.Crs)),
        };
        foreach (var op in study.Operators)
            layers.Add((op.Key, LayerInspector.Inspect(StudyFiles.LoadLayer(op), study.Tolerances, study.Crs)));
        if (study.Weights is not null)
            layers.Add(("weights", LayerInspector.Inspect(StudyFiles.LoadWeights(study.Weights), study.Tolerances, study.Crs)));

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
                InspectionOutput.WriteHuman(context.Console, $"{role}: {r.Source}", r);
            context.Console.MarkupLine($"[green]✓[/] {Markup.Escape(study.Name)} can be analysed.");
        }
        return 0;
    }
}
