using System.CommandLine;
using CepGeo.Core.Design;
using CepGeo.Viewer;

namespace CepGeo.Cli.Commands;

/// <summary><c>cepgeo view STUDY.json --plan [plan.csv]</c>: the viewer's plan mode, starting from today's cells or a plan file.</summary>
internal static class PlanViewOption
{
    /// <param name="PlanFile">The plan to start from, or null for today's cells.</param>
    public sealed record Choice(string? PlanFile);

    public static Option<string?> Create(CliContext context) => new("--plan")
    {
        Description = context.T("Mode scénario : redessiner les périmètres commune par commune, à partir des territoires d'aujourd'hui, d'un fichier de scénario (CSV) ou, avec --design, des périmètres d'une proposition",
            "Plan mode: redraw the perimeters commune by commune, from today's cells, a plan file (CSV) or, with --design, a design's perimeters"),
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Choice? Read(ParseResult parsed, Option<string?> option) =>
        parsed.GetResult(option) is null ? null : new Choice(parsed.GetValue(option));

    public static (ViewerData Data, PlanSession Session) Load(CliContext context, string studyPath, Choice choice, string? design)
    {
        if (Directory.Exists(studyPath))
            throw new Core.Model.CepGeoInputException(studyPath, null, context.T(
                "le mode scénario a besoin de l'étude (study.json), pas d'un dossier de résultats", "plan mode needs the study (study.json), not a results folder"));
        context.Output.WriteLine(context.T("Analyse de l'étude…", "Analysing the study…"));
        var (today, units) = PlanCommon.Load(studyPath, null);
        Plan plan;
        string source;
        if (choice.PlanFile is string file)
        {
            var (p, check) = PlanCommon.Read(today, units, file);
            foreach (var line in PlanCommon.CheckLines(check, !context.Text.French)) context.Output.WriteLine(line);
            plan = p;
            source = Path.GetFileName(file);
        }
        else if (design is not null)
        {
            // A design's perimeters as the start: each commune to the perimeter covering most of it.
            string designFile = Directory.Exists(design) ? Path.Combine(design, ViewerData.DesignFileName) : design;
            if (!File.Exists(designFile)) throw new Core.Model.CepGeoInputException(design, null, context.T(
                $"pas de {ViewerData.DesignFileName} ici : donnez un dossier écrit par « cepgeo design »", $"no {ViewerData.DesignFileName} here: give a folder written by 'cepgeo design'"));
            var layer = Core.Loading.LayerReader.Read(designFile, new Core.Loading.LayerOptions(Path.GetFileName(designFile), "id", "name"));
            var projected = Core.Projection.Reprojector.Project(layer, today.Crs);
            plan = Plans.FromShapes(today, units, projected.Features);
            source = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(designFile))) ?? designFile;
        }
        else
        {
            plan = Plans.FromCells(today, units);
            source = "cells";
        }
        var data = ViewerData.FromAnalysis(today, CliApp.Version);
        context.Output.WriteLine(context.T($"Scénario : {plan.PerimeterIds.Count} périmètres, {units.Count} communes", $"Plan: {plan.PerimeterIds.Count} perimeters, {units.Count} communes"));
        return (data, new PlanSession(new PlanScorer(today, units, plan), source));
    }
}
